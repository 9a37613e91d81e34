import redis
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.core.exceptions import RequestDataTooBig
from django.shortcuts import render
from django.views import defaults
from rest_framework import throttling

_redis_clients = {}


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


def count_request(key, seconds):
    """One more request under key, which expires ``seconds`` after its first: the count so far, including this one.

    With Redis, one round trip: INCR, which starts a missing count at 0, and EXPIRE NX, which sets the
    expiry only when the count begins. Elsewhere (local memory in development and tests) the cache's
    add() and incr(), which are atomic within its one process.
    """
    cache = caches["default"]
    if isinstance(cache, RedisCache):
        location = settings.CACHES["default"]["LOCATION"]
        # Django's RedisCache writes to the first of its servers: so do the counts.
        server = (location if isinstance(location, str) else location[0]).split(",")[0]
        if server not in _redis_clients:
            _redis_clients[server] = redis.Redis.from_url(server)
        with _redis_clients[server].pipeline(transaction=False) as pipe:
            full_key = cache.make_and_validate_key(key)
            pipe.incr(full_key)
            pipe.expire(full_key, seconds, nx=True)
            return pipe.execute()[0]
    if cache.add(key, 1, seconds):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add() and incr(): a new window begins with this request
        cache.add(key, 1, seconds)
        return 1


class WindowCounting:
    """DRF's rate ("120/minute") counted in fixed windows of its duration, with one atomic increment a request.

    DRF's own throttle keeps the time of every request in the window as one list, read and written whole
    by every request: its cost grows with the rate (at 1,000 a minute, 1,000 floats unpickled and pickled
    again per request). A fixed window costs the same at any rate; the price is that a client may send up
    to twice the rate across the boundary of two windows, as with most rate limiters.
    """

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = self.timer()
        window = int(self.now // self.duration)
        self.window_ends = (window + 1) * self.duration
        return count_request(f"{self.key}:{window}", self.duration) <= self.num_requests

    def wait(self):
        """Seconds until the window ends and the count starts again (the 429's Retry-After)."""
        return max(self.window_ends - self.now, 0)


class AnonRateThrottle(WindowCounting, throttling.AnonRateThrottle):
    def get_ident(self, request):
        return client_ip(request)


class UserRateThrottle(WindowCounting, throttling.UserRateThrottle):
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
