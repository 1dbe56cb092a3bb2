"""The client's address, also behind reverse proxies (nginx in front of gunicorn).

``GONGKAI_TRUSTED_PROXIES`` is the number of proxies in front of gongkai that append to
``X-Forwarded-For`` (nginx with ``proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for``
is one). With 0 (the default, no proxy) the header is ignored, since a client can send any value
in it; with N, the N-th address from the right is the one the outermost trusted proxy saw.
Used by the login lockout and, through ``RATELIMIT_IP_META_KEY``, by django-ratelimit.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest

# Stands for "address unknown" (a value stored and counted, never an address to bind to).
UNKNOWN = "0.0.0.0"  # nosec B104


def _valid(value: str) -> str | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # [::1]:1234
        value = value[1 : value.index("]")]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str:
    """The address of the client as seen by the outermost trusted proxy (``"0.0.0.0"`` unknown)."""
    proxies = int(getattr(settings, "GONGKAI_TRUSTED_PROXIES", 0) or 0)
    if proxies > 0:
        forwarded = [
            part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
        ]
        if len(forwarded) >= proxies:
            address = _valid(forwarded[-proxies])
            if address:
                return address
    return _valid(request.META.get("REMOTE_ADDR", "")) or UNKNOWN
