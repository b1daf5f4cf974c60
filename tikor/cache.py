"""The cache in front of Redis, as the site needs it: an outage of Redis is a miss, never an error page.

Nothing the site keeps in the cache is the only copy (the rate limits of the public pages are counts), so while
Redis is down a read finds nothing, a write is dropped, and each is logged; the page answers as it would with an
empty cache. Connecting gives up after CONNECT_SECONDS so a page does not wait on a server that is gone.
"""

import functools
import logging

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError, TimeoutError

logger = logging.getLogger(__name__)

OUTAGE = (ConnectionError, TimeoutError)
CONNECT_SECONDS = 0.5


def _miss(value_on_outage):
    """Run the cache operation; with Redis unreachable log it and return `value_on_outage(args, kwargs)`."""

    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except OUTAGE as exc:
                logger.warning("Cache unreachable (%s %s): %s", method.__name__, args[:1], exc)
                return value_on_outage(args, kwargs)

        return wrapper

    return decorate


def _not_stored(args, kwargs):
    # incr of a key the cache does not hold raises ValueError, as Django's backends do; callers handle it.
    raise ValueError(f"Key {args[0]!r} not found: the cache is unreachable.")


class TolerantRedisCache(RedisCache):
    def __init__(self, server, params):
        options = {"socket_connect_timeout": CONNECT_SECONDS, "socket_timeout": CONNECT_SECONDS}
        super().__init__(server, {**params, "OPTIONS": {**options, **params.get("OPTIONS", {})}})

    add = _miss(lambda args, kwargs: False)(RedisCache.add)
    get = _miss(lambda args, kwargs: kwargs.get("default", args[1] if len(args) > 1 else None))(RedisCache.get)
    set = _miss(lambda args, kwargs: None)(RedisCache.set)
    touch = _miss(lambda args, kwargs: False)(RedisCache.touch)
    delete = _miss(lambda args, kwargs: False)(RedisCache.delete)
    get_many = _miss(lambda args, kwargs: {})(RedisCache.get_many)
    has_key = _miss(lambda args, kwargs: False)(RedisCache.has_key)
    incr = _miss(_not_stored)(RedisCache.incr)
    set_many = _miss(lambda args, kwargs: list(args[0]))(RedisCache.set_many)
    delete_many = _miss(lambda args, kwargs: None)(RedisCache.delete_many)
    clear = _miss(lambda args, kwargs: False)(RedisCache.clear)
