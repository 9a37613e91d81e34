from django.conf import settings


def client_ip(request):
    """The client's address for login throttling.

    Only behind a reverse proxy that overwrites X-Real-IP (docs/deploy.md) is the
    header trusted; otherwise anyone could send one and dodge the lockout.
    """
    if settings.BEHIND_PROXY:
        return request.META.get("HTTP_X_REAL_IP") or request.META.get("REMOTE_ADDR")
    return request.META.get("REMOTE_ADDR")
