"""Request rate limits of the API, per token owner and (for requests without a valid token) per
client address. Rates are read at request time from the settings (``GONGKAI_API_RATE_USER``,
``GONGKAI_API_RATE_ANON``); ``GONGKAI_RATELIMIT=0`` turns them off like the portal's limits."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from gongkai.core.security.client_ip import client_ip


class _SettingsRateThrottle(SimpleRateThrottle):
    setting_name = ""
    default_rate = ""

    def __init__(self) -> None:  # the rate is looked up per request, not at import time
        pass

    def allow_request(self, request: Request, view: Any) -> bool:
        if not getattr(settings, "RATELIMIT_ENABLE", True):
            return True
        self.rate = getattr(settings, self.setting_name, "") or self.default_rate
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)


class TokenRateThrottle(_SettingsRateThrottle):
    scope = "api_user"
    setting_name = "GONGKAI_API_RATE_USER"
    default_rate = "600/min"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if not request.user or not request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


class AddressRateThrottle(_SettingsRateThrottle):
    """Requests without a token (the schema) per client address."""

    scope = "api_anon"
    setting_name = "GONGKAI_API_RATE_ANON"
    default_rate = "60/min"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if request.user and request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request._request)}


class FailedTokenThrottle(_SettingsRateThrottle):
    """Wrong tokens per client address: past the budget the address gets 429 for a while (a
    valid token still works). Called by the authentication, so it must not read ``request.user``."""

    scope = "api_bad_token"
    setting_name = "GONGKAI_API_RATE_ANON"
    default_rate = "60/min"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request._request)}
