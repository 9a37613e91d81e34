"""Which language a request is answered in.

Researcher pages carry it in their address: English unprefixed (``/sites/palmyra/``), Arabic under
``/ar/`` (``/ar/sites/palmyra/``), so a page's address alone decides its language, a link can be shared,
and the anonymous response cache keys on the address. The JSON API (``/api/``) speaks the client's language
for what it words itself (vocabulary labels, dates in words, choices' names; records' own text as written): the
``lang`` query parameter (``?lang=ar``) if given, else the Accept-Language header, else English; it says which in
Content-Language and names Accept-Language in Vary. The admin follows the editor: the ``django_language`` cookie
if set, else the browser's Accept-Language.
"""

from django.conf import settings
from django.http import JsonResponse
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.urls import translate_url
from django.utils import translation
from django.utils.translation import trans_real

from apikit.base import LANGUAGE_PARAMETER, error_body


def is_admin_path(path):
    return path.startswith(f"/{settings.ADMIN_URL}")


def is_api_path(path):
    return path.startswith("/api/")


def language_from_address(path):
    """The language of a researcher page at path: its /ar/ prefix, else English."""
    return translation.get_language_from_path(path) or settings.LANGUAGE_CODE


def language_from_accept_header(request):
    """The first supported language of the request's Accept-Language header (ar-SY is Arabic), else English."""
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    for code, _quality in trans_real.parse_accept_lang_header(header):
        if code == "*":
            break
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


def api_language(request):
    """The language an API response is worded in: ?lang=, else Accept-Language, else English.

    Raises ValueError for a lang the API does not speak."""
    asked = request.GET.get(LANGUAGE_PARAMETER)
    if asked is None:
        return language_from_accept_header(request)
    if asked not in dict(settings.LANGUAGES):
        raise ValueError(asked)
    return asked


def request_language(request):
    """The language a response to this request is in, as the response cache keys it (before any middleware)."""
    if is_api_path(request.path_info):
        try:
            return api_language(request)
        except ValueError:
            return settings.LANGUAGE_CODE  # answered with an error, which is never cached
    return language_from_address(request.path_info)


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's LocaleMiddleware, except in the admin, which speaks the editor's language, and in the API, which
    speaks the one the client asks for (api_language)."""

    def process_request(self, request):
        if is_admin_path(request.path_info):
            translation.activate(translation.get_language_from_request(request))
            request.LANGUAGE_CODE = translation.get_language()
            return None
        if is_api_path(request.path_info):
            try:
                language = api_language(request)
            except ValueError as error:
                codes = ", ".join(code for code, _name in settings.LANGUAGES)
                return JsonResponse(error_body(
                    400, "invalid_language",
                    f"The API does not answer in “{error}”: {LANGUAGE_PARAMETER} is one of {codes}.",
                    {LANGUAGE_PARAMETER: [f"One of {codes}."]},
                ), status=400)
            translation.activate(language)
            request.LANGUAGE_CODE = language
            return None
        return super().process_request(request)


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
