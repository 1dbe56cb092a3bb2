"""Optional two-step sign-in for staff: time-based one-time passwords (RFC 6238, pyotp).

A staff member turns it on in the back office (安全设置): the secret is shown as text (no QR
code, so nothing is sent to a QR service and it can be typed into any authenticator app), and is
enabled only once a code from the app has been entered. From then on the login page asks for a
code after the password. A code is accepted within ±30 s and only once (replay is refused).
An administrator resets a lost authenticator with ``gongkai manage reset_totp USERNAME``.
"""

from __future__ import annotations

import datetime as dt
import hmac
import re
from typing import Any
from urllib.parse import quote

import pyotp
from django.conf import settings
from django.db import transaction

from gongkai.core import audit, clock
from gongkai.core.models import StaffTOTP
from gongkai.core.scoping import staff_agency

STEP_SECONDS = 30
DIGITS = 6
DRIFT_STEPS = 1  # accept the previous and the next 30-second step (clock drift)


def enabled_for(user: Any) -> bool:
    """Whether ``user`` must give a one-time code at sign-in."""
    if not getattr(user, "pk", None):
        return False
    return StaffTOTP.objects.filter(user=user, confirmed_at__isnull=False).exists()


def _step(now: dt.datetime) -> int:
    return int(now.timestamp()) // STEP_SECONDS


def _clean(code: str) -> str:
    return re.sub(r"[\s\-]", "", code or "")


def code_at(secret: str, now: dt.datetime) -> str:
    """The code an authenticator app shows at ``now`` (used by tests and the setup page)."""
    return str(pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS).generate_otp(_step(now)))


def _matching_step(secret: str, code: str, now: dt.datetime) -> int | None:
    code = _clean(code)
    if not re.fullmatch(rf"\d{{{DIGITS}}}", code):
        return None
    totp = pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS)
    current = _step(now)
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if hmac.compare_digest(str(totp.generate_otp(step)), code):
            return step
    return None


def issuer() -> str:
    return str(getattr(settings, "GONGKAI_PLATFORM_NAME", "gongkai"))


def provisioning_uri(record: StaffTOTP) -> str:
    """The ``otpauth://`` URI (for apps that accept a pasted link)."""
    name = record.user.get_username()
    return (
        f"otpauth://totp/{quote(issuer())}:{quote(name)}?secret={record.secret}"
        f"&issuer={quote(issuer())}&digits={DIGITS}&period={STEP_SECONDS}"
    )


def grouped(secret: str) -> str:
    """``JBSWY3DPEHPK3PXP`` → ``JBSW Y3DP EHPK 3PXP`` (easier to type)."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@transaction.atomic
def totp_setup_begin(*, user: Any, now: dt.datetime | None = None) -> StaffTOTP:
    """The secret being set up for ``user``: a new one unless setup is already under way."""
    record = StaffTOTP.objects.select_for_update().filter(user=user).first()
    if record is not None and record.is_enabled:
        return record
    if record is None:
        record = StaffTOTP.objects.create(
            user=user, secret=pyotp.random_base32(), created_at=now or clock.now()
        )
    return record


@transaction.atomic
def totp_setup_confirm(*, user: Any, code: str, now: dt.datetime | None = None) -> bool:
    """Enable two-step sign-in once ``code`` matches the secret being set up."""
    now = now or clock.now()
    record = StaffTOTP.objects.select_for_update().filter(user=user).first()
    if record is None or record.is_enabled:
        return False
    step = _matching_step(record.secret, code, now)
    if step is None:
        return False
    record.confirmed_at = now
    record.last_used_step = step
    record.save(update_fields=["confirmed_at", "last_used_step"])
    audit.record(
        actor=user, action="security.totp.enabled", subject=user, agency=staff_agency(user)
    )
    return True


@transaction.atomic
def totp_verify(*, user: Any, code: str, now: dt.datetime | None = None) -> bool:
    """Check a sign-in code: right for now (±30 s) and not used before."""
    now = now or clock.now()
    record = (
        StaffTOTP.objects.select_for_update().filter(user=user, confirmed_at__isnull=False).first()
    )
    if record is None:
        return False
    step = _matching_step(record.secret, code, now)
    if step is None or step <= record.last_used_step:
        return False
    record.last_used_step = step
    record.save(update_fields=["last_used_step"])
    return True


@transaction.atomic
def totp_disable(*, user: Any, actor: Any, reason: str = "") -> bool:
    """Turn two-step sign-in off for ``user`` (by the user after a valid code, or an admin)."""
    removed, _ = StaffTOTP.objects.filter(user=user).delete()
    if removed:
        audit.record(
            actor=actor,
            action="security.totp.disabled",
            subject=user,
            agency=staff_agency(user),
            note=reason,
        )
    return bool(removed)
