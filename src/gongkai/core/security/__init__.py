"""Security helpers shared by every app: personal-data masking, login lockout, two-step sign-in.

* ``masking`` — ``mask_id_number``, ``mask_phone``, ``mask_address``, ``mask_name``,
  ``mask_email``, ``mask_personal(value, kind, user)`` and
  ``personal_data_visible(user)``; import them from here. Pure Python, no database.
* ``lockout`` — counts failed sign-ins per user name and per client address and locks them out
  for a while (enforced for every sign-in path by ``backends.LockoutModelBackend``).
* ``totp`` — optional time-based one-time passwords (RFC 6238) for staff accounts.
* ``client_ip`` — the client's address behind ``GONGKAI_TRUSTED_PROXIES`` reverse proxies.
* ``middleware`` — request size limit and the two-step check for sessions opened elsewhere.
* ``templatetags`` — the ``personal_data`` template library (``{% load personal_data %}``).
* ``log_filters`` — masks ID numbers and mobile numbers in log messages.
"""

from gongkai.core.security.masking import (
    mask_address,
    mask_email,
    mask_id_number,
    mask_name,
    mask_personal,
    mask_phone,
    personal_data_visible,
)

__all__ = [
    "mask_address",
    "mask_email",
    "mask_id_number",
    "mask_name",
    "mask_personal",
    "mask_phone",
    "personal_data_visible",
]
