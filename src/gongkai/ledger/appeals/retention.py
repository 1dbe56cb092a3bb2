"""Retention of the appeals ledger: 行政复议 and 行政诉讼 concluded (审结) more than N years ago
lose their appellant's (plaintiff's) personal data.

Run by ``gongkai manage anonymise_closed_cases`` together with the applications (see
``gongkai.ledger.requests.retention``, whose constant and scrubbing helpers this module uses).

A case is due when it is concluded before the cut-off day, is not anonymised yet
(``anonymised_on`` is empty) and — for a reconsideration — no litigation brought after it is
still pending. For each due case, in its own transaction:

* the appellant becomes ``［已匿名］``, unless it is the name of an organisation that applied
  in one of the linked applications (an organisation's name is not personal data, as for the
  applications);
* the staff notes go; the result note keeps its content with the appellant's name, the linked
  applicants' personal values and every ID number, mobile number and e-mail address replaced;
* the case's audit events are scrubbed the same way (personal keys replaced, other strings
  scrubbed), and so is their label;
* ``anonymised_on`` records the day (and marks the case as done).

What table 四 reads — respondent agency, route, filed and concluded dates, result — is never
touched, so table 四 of every year stays the same.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet

from gongkai.core import clock
from gongkai.ledger.appeals.models import AppealCase, Litigation, Reconsideration, Result
from gongkai.ledger.requests.retention import (
    ANONYMISED,
    personal_values,
    retention_cutoff,
    scrub_audit_events,
    scrub_text,
)

__all__ = ["APPEAL_MODELS", "appeal_anonymise", "appeals_due_for_anonymisation"]

APPEAL_MODELS: tuple[type[AppealCase], ...] = (Reconsideration, Litigation)


def appeals_due_for_anonymisation(
    model: type[AppealCase], *, years: int, today: dt.date | None = None
) -> QuerySet:
    """The concluded cases of ``model`` whose appellant's data is due to go."""
    cutoff = retention_cutoff(years=years, today=today or clock.today())
    qs = model.objects.exclude(result=Result.PENDING).filter(
        concluded_on__lt=cutoff, anonymised_on__isnull=True
    )
    if model is Reconsideration:
        qs = qs.exclude(litigations__result=Result.PENDING)
    return qs.distinct().order_by("pk")


@dataclass
class AppealResult:
    audit_events: int = 0


def _values(case: AppealCase, keep_appellant: bool) -> list[str]:
    values: set[str] = set()
    if not keep_appellant and case.appellant.strip() not in ("", ANONYMISED):
        values.add(case.appellant.strip())
    for app in case.applications.all():
        values.update(personal_values(app))
    values.discard(ANONYMISED)
    return sorted((v for v in values if len(v) >= 2), key=len, reverse=True)


@transaction.atomic
def appeal_anonymise(*, case: AppealCase, today: dt.date | None = None) -> AppealResult:
    """Remove the appellant's personal data of one concluded case (idempotent)."""
    model = type(case)
    fresh = model.objects.select_for_update().get(pk=case.pk)
    if fresh.anonymised_on is not None:
        return AppealResult()
    organisations = {
        app.applicant_name.strip()
        for app in fresh.applications.all()
        if app.is_organisation and app.applicant_name
    }
    keep = fresh.appellant.strip() in organisations
    values = _values(fresh, keep)
    if not keep:
        fresh.appellant = ANONYMISED
    fresh.notes = ""
    fresh.result_note = scrub_text(fresh.result_note, values)
    fresh.anonymised_on = today or clock.today()
    fresh.version += 1
    fresh.updated_at = clock.now()
    fresh.save(
        update_fields=[
            "appellant",
            "notes",
            "result_note",
            "anonymised_on",
            "version",
            "updated_at",
        ]
    )
    result = AppealResult()
    result.audit_events = scrub_audit_events(model._meta.label_lower, fresh.pk, values)
    return result
