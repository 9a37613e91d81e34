from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.shortcuts import render
from django.views import defaults
from rest_framework import throttling


def client_ip(request):
    """The client's address, as the deployment's own reverse proxies report it.

    Each trusted proxy appends the address it received the request from to X-Forwarded-For, so the
    client is the entry TRUSTED_PROXY_COUNT from the right; anything further left was written by
    the client and is ignored, or anyone could send a new address with every request and never be
    throttled. With no proxy in front (the default) only the connection's own address counts.
    Login throttling (django-axes) and the API's rate limits both ask here.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",")]
        return hops[-min(proxies, len(hops))]
    return request.META.get("REMOTE_ADDR")


class AnonRateThrottle(throttling.AnonRateThrottle):
    def get_ident(self, request):
        return client_ip(request)


class UserRateThrottle(throttling.UserRateThrottle):
    """Signed-in users are counted by account; anonymous requests by client_ip(), unless AnonRateThrottle
    already holds them to as few requests in as long a window or longer."""

    def get_ident(self, request):
        return client_ip(request)

    def get_cache_key(self, request, view):
        if not request.user.is_authenticated:
            anon = AnonRateThrottle()
            if anon.rate is not None and anon.num_requests <= self.num_requests and anon.duration >= self.duration:
                # The anonymous limit is reached first: a second count would cost every request a cache
                # read and write (a third of an uncached API detail's time) and never refuse one.
                return None
        return super().get_cache_key(request, view)


def bad_request(request, exception):
    """Django's 400 page, except for a body over DATA_UPLOAD_MAX_MEMORY_SIZE: a 413 saying so."""
    if isinstance(exception, RequestDataTooBig):
        context = {"limit_mb": settings.DATA_UPLOAD_MAX_MEMORY_SIZE / (1024 * 1024)}
        return render(request, "413.html", context, status=413)
    return defaults.bad_request(request, exception)
