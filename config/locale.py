"""Which language a request is answered in.

Researcher pages carry it in their address: English unprefixed (``/sites/palmyra/``), Arabic under
``/ar/`` (``/ar/sites/palmyra/``), so a page's address alone decides its language, a link can be shared,
and the anonymous response cache keys on the address. The JSON API answers in English. The admin
follows the editor: the ``django_language`` cookie if set, else the browser's Accept-Language.
"""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.urls import translate_url
from django.utils import translation


def is_admin_path(path):
    return path.startswith(f"/{settings.ADMIN_URL}")


def language_from_address(path):
    """The language of a page or API response at path: its /ar/ prefix, else English."""
    return translation.get_language_from_path(path) or settings.LANGUAGE_CODE


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's LocaleMiddleware, except in the admin, which speaks the editor's language."""

    def process_request(self, request):
        if is_admin_path(request.path_info):
            translation.activate(translation.get_language_from_request(request))
            request.LANGUAGE_CODE = translation.get_language()
            return
        super().process_request(request)


def language_links(request):
    """Template context: this page in every language (hreflang links and the language switch)."""
    current = translation.get_language()
    query = request.META.get("QUERY_STRING", "")
    links = []
    for code, name in settings.LANGUAGES:
        path = translate_url(request.path, code)
        links.append({
            "code": code,
            "name": name,
            "bidi": translation.get_language_info(code)["bidi"],
            "url": request.build_absolute_uri(path),
            "switch_url": f"{path}?{query}" if query else path,
            "is_current": code == current,
        })
    return {"language_links": links, "text_direction": "rtl" if translation.get_language_bidi() else "ltr"}
