"""A logging filter that masks ID numbers and mobile numbers in every log message.

Services never log personal data on purpose, but exceptions and third-party messages may quote
form input; this filter (installed on the console handler in settings ``LOGGING``) is the net.
"""

from __future__ import annotations

import logging
import re

from gongkai.core.security.masking import mask_id_number, mask_phone

# 18-digit ID numbers (last character may be X) and 15-digit old ones; mainland mobiles.
_ID = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d{9})(?!\d)")


def mask_text(text: str) -> str:
    text = _ID.sub(lambda m: mask_id_number(m.group(1)), text)
    return _MOBILE.sub(lambda m: mask_phone(m.group(1)), text)


class PersonalDataFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string is logged as it is
            return True
        masked = mask_text(message)
        if masked != message:
            record.msg = masked
            record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_text(record.exc_text)
        return True
