"""Whole responses for anonymous readers, cached until the next write.

Researchers read far more than editors write, and an anonymous GET of a page or
an API resource is the same for everyone. Cached responses are keyed by a
*write generation*: a counter in the cache that every change to the record
bumps. Every writer ends in ``RiskProfile.objects.record_changed()``, which
calls ``invalidate()``; so do a restore of a backup, ``migrate`` (every deploy
runs it) and a change of settings. A write thus makes every older entry
unreachable at once, in every worker that shares the cache (Redis in production).
Entries also expire after RESPONSE_CACHE_SECONDS.

Only requests without cookies or credentials are served from or stored in the
cache, so nothing personal (a session, a CSRF token, an editor's drafts) is
ever shared. Cached hits skip the API's per-address throttle, as a caching
proxy in front of the site would.
"""

import hashlib
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.core.signals import setting_changed
from django.db import transaction
from django.db.models.signals import post_migrate
from django.http import HttpResponse
from django.utils.cache import get_conditional_response

from config.locale import is_admin_path, language_from_address

logger = logging.getLogger(__name__)

GENERATION_KEY = "responses:generation"
HIT_HEADER = "X-Response-Cache"
# Response headers that a shared cache must not replay; Vary values it can honour.
UNSHAREABLE_CACHE_CONTROL = ("private", "no-store", "no-cache")
# Accept and the language are part of the key; Cookie is safe because only cookie-less requests use the
# cache. Accept-Language, which LocaleMiddleware names on every unprefixed page, is safe because outside the
# admin (never cached) the address alone decides the language (config/locale.py).
SAFE_VARY = {"accept", "accept-language", "cookie"}


def generation():
    """The current write generation, started afresh (never reused) if the cache lost it."""
    current = cache.get(GENERATION_KEY)
    if current is None:
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
        current = cache.get(GENERATION_KEY)
    return current


def _bump():
    try:
        try:
            cache.incr(GENERATION_KEY)
        except ValueError:  # lost (evicted or flushed): any fresh value leaves the old entries unreachable
            cache.set(GENERATION_KEY, time.time_ns(), timeout=None)
    except Exception:  # noqa: BLE001 — the cache server being down must never fail an editor's save
        # Pages cached before the outage may then be served, once it is back, until they expire.
        logger.exception("Could not retire cached responses: the cache is unreachable.")


def invalidate():
    """Makes every cached response stale: now, and again when the current transaction commits.

    Now, so that this process never serves what it just changed; on commit, so
    that a response built by another request from the data as it was before
    the commit is not kept under the new generation.
    """
    _bump()
    connection = transaction.get_connection()
    # Once per transaction: an import saving thousands of rows would otherwise queue thousands of bumps.
    # (Outside a transaction the write is already committed, and the bump above is the one after it.)
    if connection.in_atomic_block and not any(callback is _bump for _, callback, _ in connection.run_on_commit):
        transaction.on_commit(_bump)


def _release_changed(**kwargs):
    _bump()  # no transaction to wait for (and no database needed)


def connect_signals():
    # Pages also depend on code and settings: every deploy runs migrate, and tests change settings.
    post_migrate.connect(_release_changed, dispatch_uid="response_cache_release")
    setting_changed.connect(_release_changed, dispatch_uid="response_cache_settings")


def _is_anonymous(request):
    return not request.COOKIES and "Authorization" not in request.headers


def _cacheable_request(request):
    return (
        settings.RESPONSE_CACHE_SECONDS > 0
        and request.method == "GET"
        and _is_anonymous(request)
        and not is_admin_path(request.path)
    )


def _cacheable_response(response):
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if any(directive in cache_control for directive in UNSHAREABLE_CACHE_CONTROL):
        return False
    vary = {header.strip().lower() for header in response.get("Vary", "").split(",") if header.strip()}
    return vary <= SAFE_VARY


def _key(request, current_generation):
    request_line = "\n".join((
        request.get_host(), request.get_full_path(), request.headers.get("Accept", ""),
        language_from_address(request.path_info),
    ))
    return f"responses:{current_generation}:{hashlib.sha256(request_line.encode()).hexdigest()}"


class AnonymousResponseCacheMiddleware:
    """Serves anonymous GETs from the cache; stores the 200 responses they get."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _cacheable_request(request):
            return self.get_response(request)
        try:
            # The key is fixed before the view reads anything: what it builds is stored under the
            # generation it started in, which a concurrent write has already retired.
            key = _key(request, generation())
            stored = cache.get(key)
        except Exception:  # noqa: BLE001 — with the cache server down, pages are built as if uncached
            logger.warning("Response cache unreachable; serving %s uncached.", request.path, exc_info=True)
            return self.get_response(request)
        if stored is not None:
            return self._replay(request, *stored)
        response = self.get_response(request)
        if _cacheable_response(response):
            headers = [(name, value) for name, value in response.items() if name != HIT_HEADER]
            try:
                cache.set(key, (response.status_code, headers, response.content), settings.RESPONSE_CACHE_SECONDS)
            except Exception:  # noqa: BLE001
                logger.warning("Response cache unreachable; %s not stored.", request.path, exc_info=True)
                return response
            response[HIT_HEADER] = "miss"
        return response

    @staticmethod
    def _replay(request, status, headers, content):
        response = HttpResponse(content, status=status)
        for name, value in headers:
            response[name] = value
        response = get_conditional_response(request, etag=response.get("ETag"), response=response)
        response[HIT_HEADER] = "hit"
        return response
