"""Registration and letter numbers per agency and year, handed out under a row lock."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F

from gongkai.core.models import Agency
from gongkai.ledger.requests.models import NumberSequence, RequestSettings

REGISTRATION = "registration"
LETTER = "letter"


def next_number(*, agency: Agency, series: str, year: int) -> int:
    """The next number of ``series`` for ``agency`` in ``year`` (1, 2, …), never handed out twice.

    The sequence row is locked (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite serialises writers,
    and our connections open write transactions with ``BEGIN IMMEDIATE``).
    """
    with transaction.atomic():
        updated = NumberSequence.objects.filter(agency=agency, series=series, year=year).update(
            last_value=F("last_value") + 1
        )
        if not updated:
            try:
                with transaction.atomic():
                    NumberSequence.objects.create(
                        agency=agency, series=series, year=year, last_value=1
                    )
                    return 1
            except IntegrityError:  # created concurrently: take the next one
                NumberSequence.objects.filter(agency=agency, series=series, year=year).update(
                    last_value=F("last_value") + 1
                )
        return NumberSequence.objects.get(agency=agency, series=series, year=year).last_value


def reserve_numbers(*, agency: Agency, series: str, year: int, count: int) -> int:
    """Reserve ``count`` consecutive numbers; returns the first (bulk imports and demo data)."""
    if count <= 0:
        raise ValueError("count must be positive")
    with transaction.atomic():
        NumberSequence.objects.get_or_create(agency=agency, series=series, year=year)
        NumberSequence.objects.filter(agency=agency, series=series, year=year).update(
            last_value=F("last_value") + count
        )
        last = NumberSequence.objects.get(agency=agency, series=series, year=year).last_value
    return last - count + 1


def registration_no(year: int, seq: int) -> str:
    """``依申请〔2026〕第0042号``."""
    return f"依申请〔{year}〕第{seq:04d}号"


def letter_prefix(agency: Agency) -> str:
    try:
        prefix = agency.request_settings.letter_prefix
    except RequestSettings.DoesNotExist:
        prefix = ""
    return prefix or f"{agency.short_name or agency.name}依申请"


def letter_number(agency: Agency, year: int, seq: int) -> str:
    """``示司公开〔2026〕12号`` (GB/T 9704: 机关代字〔年份〕序号号)."""
    return f"{letter_prefix(agency)}〔{year}〕{seq}号"


def next_letter_number(*, agency: Agency, year: int) -> str:
    return letter_number(agency, year, next_number(agency=agency, series=LETTER, year=year))
