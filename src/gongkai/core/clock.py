"""The one place the Django side gets "now" and "today" from.

Domain code takes dates as arguments; views, services and commands call these functions so that
a training environment (``GONGKAI_FROZEN_TODAY``) and tests can move time.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone


def now() -> dt.datetime:
    frozen = getattr(settings, "GONGKAI_FROZEN_TODAY", "")
    if frozen:
        day = dt.date.fromisoformat(frozen)
        current = timezone.localtime()
        return current.replace(year=day.year, month=day.month, day=day.day)
    return timezone.now()


def today() -> dt.date:
    return timezone.localdate(now())
