"""A page cache for the public catalogue, search and item pages.

Anonymous visitors without cookies get the same page for the same URL, so rendered pages are
kept in two tiers, keyed by the URL and the portal's *generation*
(``selectors.portal_generation()``: it changes with every publish, withdrawal or edit, and each
worker re-reads it at most once a second):

1. each worker's memory (the last 2,000 pages it served): a hit costs no query and no I/O;
2. the ``portal_pages`` cache shared by every app process (files in the data directory in
   production, ``GONGKAI_CACHE=file``): a page one worker rendered is served by the others, so
   each URL is rendered once per generation rather than once per worker.

A new item is therefore visible within a second, and a cached page is never older than
``GONGKAI_PORTAL_CACHE_SECONDS`` (default 300; 0 turns the cache off). Requests carrying a
session or a flash message bypass the cache, so nothing personal is ever stored or served.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import time
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.http import HttpRequest, HttpResponse

from gongkai.ledger.publishing.selectors import portal_generation

DEFAULT_SECONDS = 300
T = TypeVar("T")
_pages = LocMemCache(
    "gongkai-portal-pages", {"TIMEOUT": DEFAULT_SECONDS, "OPTIONS": {"MAX_ENTRIES": 2000}}
)


_generation: tuple[float, str] = (0.0, "")


def generation_ttl() -> float:
    """How long a worker reuses the generation it read (``GONGKAI_PORTAL_GENERATION_TTL``,
    default 1 s): a publish shows within that time, and most hits cost no query at all."""
    try:
        return max(0.0, float(os.environ.get("GONGKAI_PORTAL_GENERATION_TTL", "1")))
    except ValueError:
        return 1.0


def current_generation() -> str:
    global _generation
    read_at, value = _generation
    now = time.monotonic()
    if not value or now - read_at >= generation_ttl():
        value = portal_generation()
        _generation = (now, value)
    return value


def cache_seconds() -> int:
    try:
        return max(0, int(os.environ.get("GONGKAI_PORTAL_CACHE_SECONDS", DEFAULT_SECONDS)))
    except ValueError:
        return DEFAULT_SECONDS


def _cacheable_request(request: HttpRequest) -> bool:
    private = set(request.COOKIES) - {settings.CSRF_COOKIE_NAME}
    return request.method in ("GET", "HEAD") and not private


_values = LocMemCache(
    "gongkai-portal-values", {"TIMEOUT": DEFAULT_SECONDS, "OPTIONS": {"MAX_ENTRIES": 5000}}
)
_MISSING = object()


def per_generation(name: str, compute: Callable[[], T]) -> T:
    """A value that changes only when the portal does (a list's count, the facet lists, the
    first year), kept in the worker's memory for the current generation, so pages the page
    cache has not seen yet still skip those queries. Nothing personal may go in here."""
    seconds = cache_seconds()
    if not seconds:
        return compute()
    key = hashlib.sha256(f"{current_generation()}|{name}".encode()).hexdigest()
    value = _values.get(key, _MISSING)
    if value is _MISSING:
        value = compute()
        _values.set(key, value, seconds)
    return value  # type: ignore[return-value]


def _shared_get(key: str) -> tuple[str, bytes] | None:
    try:
        return caches["portal_pages"].get(key)  # type: ignore[no-any-return]
    except Exception:  # noqa: BLE001 - a broken cache file is a miss, never an error page
        return None


def _shared_set(key: str, page: tuple[str, bytes], seconds: int) -> None:
    # A full or read-only disk: serve the page, skip the shared tier.
    with contextlib.suppress(OSError):
        caches["portal_pages"].set(key, page, seconds)


def clear() -> None:
    global _generation
    _pages.clear()
    _values.clear()
    caches["portal_pages"].clear()
    _generation = (0.0, "")


def cached_public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve ``view`` from the page cache when the request is anonymous and cookie-less."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        seconds = cache_seconds()
        if not seconds or not _cacheable_request(request):
            return view(request, *args, **kwargs)
        raw = f"{current_generation()}|{request.get_host()}|{request.get_full_path()}"
        key = hashlib.sha256(raw.encode()).hexdigest()
        hit = _pages.get(key)
        if hit is None:
            hit = _shared_get(key)
            if hit is not None:
                _pages.set(key, hit, seconds)
        if hit is not None:
            content_type, content = hit
            return HttpResponse(content, content_type=content_type)
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming and not response.cookies:
            page = (response["Content-Type"], response.content)
            _pages.set(key, page, seconds)
            _shared_set(key, page, seconds)
        return response

    return wrapper
