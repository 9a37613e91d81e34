"""Whole responses for anonymous readers, cached until a write changes what they show.

Researchers read far more than editors write, and an anonymous GET of a page or
an API resource is the same for everyone. Every writer ends in
``RiskProfile.objects.record_changed(sites)``, which retires what the write may
have changed, through counters (*generations*) kept in the cache itself, so
every worker sharing it (Redis in production) sees a retirement at once and no
key is ever listed or deleted:

- a response built by a view that called ``tag_response(response, sites)``
  shows those sites and nothing else of the record (a site's page, its API
  detail): it stays current until a write touches one of them (``retire()``);
- every other response (lists, search, feeds, charts, the home page, other
  records' pages) is tagged ``lists``, which every write retires;
- ``invalidate()`` retires everything: a write that names no sites (a source's
  title, a vocabulary label, which many pages show), a restore of a backup,
  ``migrate`` (every deploy runs it) and a change of settings.

An entry records its tags' generations when it is built and is served only
while they are unchanged. Entries also expire after RESPONSE_CACHE_SECONDS.
Concurrent first requests for one address are coalesced: one builds, the
others wait briefly for its entry (and build themselves if it does not come).

Only requests without cookies or credentials are served from or stored in the
cache, so nothing personal (a session, a CSRF token, an editor's drafts, an
exact protected location) is ever shared. Cached hits skip the API's
per-address throttle, as a caching proxy in front of the site would.
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

from config.locale import is_admin_path, request_language

logger = logging.getLogger(__name__)

GENERATION_KEY = "responses:generation"
TAG_KEY = "responses:tag:{}"
LISTS = "lists"
HIT_HEADER = "X-Response-Cache"
# Above this many sites one write retires everything: a counter per site would cost more than the misses.
RETIRE_ALL_ABOVE = 500
# Concurrent first requests wait this long for the one building the response, then build it themselves.
COALESCE_WAIT_SECONDS = 5
COALESCE_POLL_SECONDS = 0.02
# How long a build may hold its address before another request may build too (a crashed worker's lock).
BUILD_LOCK_SECONDS = 30
# Response headers that a shared cache must not replay; Vary values it can honour.
UNSHAREABLE_CACHE_CONTROL = ("private", "no-store", "no-cache")
# Accept and the language are part of the key; Cookie is safe because only cookie-less requests use the
# cache. Accept-Language, which LocaleMiddleware names on every unprefixed page and API response, is safe because
# the key holds the language it decides: a page's is its address's, an API response's is its ?lang= or
# Accept-Language (config/locale.py, request_language); the admin is never cached.
SAFE_VARY = {"accept", "accept-language", "cookie"}


def site_tag(site):
    """The tag of the responses that show a site (a Site or its pk)."""
    return f"site:{getattr(site, 'pk', site)}"


def tag_response(response, sites):
    """Declares that a response shows these sites (Sites or pks) and nothing else of the record.

    It is then retired only by writes that touch one of them (or their trees), not
    by every write. A view calls it with every site its response names or draws
    from: the site, its parts and wholes, the nearby sites it lists, the other
    sites of its incidents. Untagged responses are retired by every write.
    """
    response.record_tags = frozenset(site_tag(site) for site in sites)
    return response


def generation():
    """The current write generation, started afresh (never reused) if the cache lost it."""
    current = cache.get(GENERATION_KEY)
    if current is None:
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
        current = cache.get(GENERATION_KEY)
    return current


def _tag_generations(tags):
    """{tag: its generation}, a lost (or never used) counter started afresh: never equal to one stored before."""
    keys = {TAG_KEY.format(tag): tag for tag in tags}
    found = cache.get_many(keys)
    for key in keys.keys() - found.keys():
        cache.add(key, time.time_ns(), timeout=None)
    if len(found) < len(keys):
        found = cache.get_many(keys)
    return {tag: found.get(key) for key, tag in keys.items()}


def _bump(keys=(GENERATION_KEY,)):
    try:
        for key in keys:
            try:
                cache.incr(key)
            except ValueError:  # lost (evicted or flushed): any fresh value leaves the old entries unreachable
                cache.set(key, time.time_ns(), timeout=None)
    except Exception:  # noqa: BLE001 — the cache server being down must never fail an editor's save
        # Pages cached before the outage may then be served, once it is back, until they expire.
        logger.exception("Could not retire cached responses: the cache is unreachable.")


class _TagRetirement:
    """The tags a transaction retires when it commits: one callback per transaction, however many writes."""

    def __init__(self):
        self.keys = set()

    def __call__(self):
        _bump(sorted(self.keys))


def _again_on_commit(keys):
    """Retires again when the current transaction commits, so that a response built by another request
    from the data as it was before the commit is not kept (outside a transaction the write is committed,
    and the retirement already made is the one after it)."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return
    if keys == [GENERATION_KEY]:
        # Once per transaction: an import saving thousands of rows would otherwise queue thousands of bumps.
        if not any(callback is _bump for _, callback, _ in connection.run_on_commit):
            transaction.on_commit(_bump)
        return
    pending = next((callback for _, callback, _ in connection.run_on_commit
                    if isinstance(callback, _TagRetirement)), None)
    if pending is None:
        pending = _TagRetirement()
        transaction.on_commit(pending)
    pending.keys.update(keys)


def invalidate():
    """Makes every cached response stale: now, and again when the current transaction commits.

    Now, so that this process never serves what it just changed; on commit, so
    that a response built by another request from the data as it was before
    the commit is not kept under the new generation.
    """
    _bump()
    _again_on_commit([GENERATION_KEY])


def retire(site_pks):
    """Makes stale the responses that show any of these sites, and every untagged one (lists, search, feeds):
    now, and again when the current transaction commits. Too many sites retire everything."""
    site_pks = set(site_pks)
    if len(site_pks) > RETIRE_ALL_ABOVE:
        invalidate()
        return
    keys = [TAG_KEY.format(tag) for tag in [LISTS, *sorted(site_tag(pk) for pk in site_pks)]]
    _bump(keys)
    _again_on_commit(keys)


def enabled():
    return settings.RESPONSE_CACHE_SECONDS > 0


def _release_changed(**kwargs):
    _bump()  # no transaction to wait for (and no database needed)


def connect_signals():
    # Pages also depend on code and settings: every deploy runs migrate, and tests change settings.
    post_migrate.connect(_release_changed, dispatch_uid="response_cache_release")
    setting_changed.connect(_release_changed, dispatch_uid="response_cache_settings")


def _is_anonymous(request):
    return not request.COOKIES and "Authorization" not in request.headers


def _cacheable_request(request):
    return enabled() and request.method == "GET" and _is_anonymous(request) and not is_admin_path(request.path)


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
        request_language(request),
    ))
    return f"responses:{current_generation}:{hashlib.sha256(request_line.encode()).hexdigest()}"


def _current(stored):
    """The stored response if every tag it was built under is still at the same generation, else None."""
    if stored is None:
        return None
    *response, built_under = stored
    return response if _tag_generations(built_under) == built_under else None


class AnonymousResponseCacheMiddleware:
    """Serves anonymous GETs from the cache; stores the 200 responses they get, one build per address at a time."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _cacheable_request(request):
            return self.get_response(request)
        try:
            key = _key(request, generation())
            stored = _current(cache.get(key))
            if stored is not None:
                return self._replay(request, *stored)
            # The key and the lists' generation are read before the view reads anything: a write that
            # commits while it builds has retired the key's generation or moved the lists' (_store()).
            lists_before = _tag_generations([LISTS])[LISTS]
            building = cache.add(f"{key}:building", 1, timeout=BUILD_LOCK_SECONDS)
            if building:
                # Another request may have stored the entry and let go of the lock since the read above.
                stored = _current(cache.get(key))
                if stored is not None:
                    self._release(key)
            else:
                stored = self._wait_for(key)
        except Exception:  # noqa: BLE001 — with the cache server down, pages are built as if uncached
            logger.warning("Response cache unreachable; serving %s uncached.", request.path, exc_info=True)
            return self.get_response(request)
        if stored is not None:
            return self._replay(request, *stored)
        try:
            response = self.get_response(request)
            if _cacheable_response(response):
                self._store(key, response, lists_before)
        finally:
            if building:
                self._release(key)
        return response

    @staticmethod
    def _wait_for(key):
        """The entry another request is building for this key, if it comes within COALESCE_WAIT_SECONDS."""
        deadline = time.monotonic() + COALESCE_WAIT_SECONDS
        while time.monotonic() < deadline:
            time.sleep(COALESCE_POLL_SECONDS)
            stored = _current(cache.get(key))
            if stored is not None:
                return stored
            if cache.get(f"{key}:building") is None:
                # The builder let go: it stored the entry (perhaps since the read above) or gave up (an error,
                # an uncacheable answer), when this request builds the response itself.
                return _current(cache.get(key))
        return None

    @staticmethod
    def _store(key, response, lists_before):
        tags = getattr(response, "record_tags", None) or {LISTS}
        try:
            built_under = _tag_generations({*tags, LISTS})
            # A write committed while the view ran: what it read may be older than the generations now.
            if built_under.pop(LISTS) != lists_before:
                return
            if LISTS in tags:
                built_under[LISTS] = lists_before
            headers = [(name, value) for name, value in response.items() if name != HIT_HEADER]
            cache.set(key, (response.status_code, headers, response.content, built_under),
                      settings.RESPONSE_CACHE_SECONDS)
        except Exception:  # noqa: BLE001
            logger.warning("Response cache unreachable; response not stored.", exc_info=True)
            return
        response[HIT_HEADER] = "miss"

    @staticmethod
    def _release(key):
        try:
            cache.delete(f"{key}:building")
        except Exception:  # noqa: BLE001
            logger.warning("Response cache unreachable; build lock left to expire.", exc_info=True)

    @staticmethod
    def _replay(request, status, headers, content):
        response = HttpResponse(content, status=status)
        for name, value in headers:
            response[name] = value
        response = get_conditional_response(request, etag=response.get("ETag"), response=response)
        response[HIT_HEADER] = "hit"
        return response
