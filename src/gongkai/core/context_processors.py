from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from gongkai.core.navigation import backoffice_menu, portal_menu


def platform(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "platform_name": settings.GONGKAI_PLATFORM_NAME,
        "backoffice_menu": SimpleLazyObject(lambda: backoffice_menu(user)) if user else [],
        "portal_menu": SimpleLazyObject(portal_menu),
    }
