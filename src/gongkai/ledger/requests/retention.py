"""Retention: applications closed more than N years ago lose their applicants' personal data.

``GONGKAI_RETENTION_YEARS`` (5) sets N; the job is ``gongkai manage anonymise_closed_cases``
(``--years``, ``--dry-run``), run nightly by cron or a systemd timer under a job lock.

A case is due when it is closed (已办结、视为放弃、已转送), was concluded — and, for a reply
served again after reopening, served — before the cut-off day (today minus N years), has no
appeal still pending (it could be reopened), and is not anonymised yet. For each due case, in
its own transaction:

* the applicant: a natural person's name becomes ``［已匿名］`` and the ID number goes; an
  organisation keeps its name and credit code (not personal data) but loses its legal
  representative and contact person; phone, e-mail, address and postal code go; the
  pseudonymous ``applicant_key`` (used to link repeat applications) becomes ``anonymised:<id>``
  (which also marks the case as done); the portal query password goes (the tracking code then
  finds nothing);
* free text: the description, reasons, decision text, extension reason, 补正 items and
  consultation subjects keep their content with every known personal value (the applicant's
  name, numbers, address, a third party's name and address) and every ID number, mobile number
  and e-mail address replaced; staff notes, 补正 summaries, third parties' opinions and postal
  receipt numbers are removed;
* letters (frozen texts): addressee and paragraphs scrubbed the same way;
* attachments: every file is deleted (after the commit) and replaced by a short text file
  saying so; the row stays as a placeholder;
* the case's audit events: personal keys (``applicant_name``, ``phone``, ``items``, ``note`` …)
  replaced, other strings scrubbed.

What the statistics read is never touched — agency, status, channel, received and concluded
dates, outcome row, applicant category, fees — so tables 三 and 四 of every year stay the same
(``tests/trust/test_retention.py`` checks it). One audit event sums the run up
(``application.retention.anonymised``). Running the job again finds nothing left to do.

The same job, with the same cut-off, also anonymises the appellants of 行政复议 and 行政诉讼
concluded before it (``gongkai.ledger.appeals.retention``; table 四 stays the same) and the
writers of 网民留言 replied to before it (``gongkai.ledger.messages.retention``; the year's
message figures stay the same), each record in its own transaction, with one summary audit
event per kind (``appeal.retention.anonymised``, ``public_message.retention.anonymised``).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q, QuerySet

from gongkai.core import audit, clock
from gongkai.core.models import AuditEvent
from gongkai.ledger.requests.models import Application, Attachment, Letter
from gongkai.ledger.requests.transitions import TERMINAL

__all__ = [
    "ANONYMISED",
    "RetentionResult",
    "anonymise_closed_cases",
    "application_anonymise",
    "due_for_anonymisation",
    "retention_cutoff",
    "scrub_text",
]

logger = logging.getLogger(__name__)

ANONYMISED = "［已匿名］"
KEY_PREFIX = "anonymised:"
AUDIT_ACTION = "application.retention.anonymised"
SUBJECT_TYPE = Application._meta.label_lower
REMOVED_FILE_NAME = "附件已删除（保存期限届满）.txt"

# Keys of audit payloads whose values are personal data whatever they say (other strings, such
# as notes and 补正 items, are scrubbed like the case's own free text).
PERSONAL_KEYS = audit.SENSITIVE_KEYS | {
    "applicant_name",
    "contact_name",
    "legal_representative",
    "postal_code",
    "party",
    "party_address",
    "opinion_text",
    "received_note",
    "name",
    "addressee",
    "post_receipt_no",
}

_PATTERNS = (
    re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])"),  # 18-digit ID number
    re.compile(r"(?<!\d)\d{15}(?!\d)"),  # 15-digit ID number
    re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d{9}(?!\d)"),  # mobile number
    # e-mail address (ASCII: ``\w`` would also swallow the Chinese words around it)
    re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.ASCII),
)


def retention_years() -> int:
    return int(getattr(settings, "GONGKAI_RETENTION_YEARS", 5))


def retention_cutoff(*, years: int, today: dt.date) -> dt.date:
    """``today`` minus ``years`` years (29 February → 28 February)."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


def due_for_anonymisation(*, years: int, today: dt.date | None = None) -> QuerySet[Application]:
    """The closed applications whose personal data is due to go (see the module docstring)."""
    cutoff = retention_cutoff(years=years, today=today or clock.today())
    return (
        Application.objects.filter(
            status__in=[s.value for s in TERMINAL],
            concluded_on__lt=cutoff,
        )
        .filter(Q(served_on__isnull=True) | Q(served_on__lt=cutoff))
        .exclude(applicant_key__startswith=KEY_PREFIX)
        .exclude(reconsiderations__result="pending")
        .exclude(litigations__result="pending")
        .distinct()
        .order_by("pk")
    )


# -- scrubbing --------------------------------------------------------------------------------


def personal_values(app: Application) -> list[str]:
    """The applicant's (and third parties') own words to look for in free text, longest first."""
    values = [
        app.id_number,
        app.phone,
        app.email,
        app.address,
        app.contact_name,
        app.legal_representative,
    ]
    if not app.is_organisation:
        values.append(app.applicant_name)
    for party, address in app.consultations.filter(kind="third_party").values_list(
        "party", "party_address"
    ):
        values += [party, address]
    found = {v.strip() for v in values if v and len(v.strip()) >= 2}
    return sorted(found, key=len, reverse=True)


def scrub_text(text: str, values: Iterable[str] = ()) -> str:
    """``text`` with each of ``values`` and every ID number, mobile number and e-mail address
    replaced by ``［已匿名］``."""
    if not text:
        return text
    for value in values:
        text = text.replace(value, ANONYMISED)
    for pattern in _PATTERNS:
        text = pattern.sub(ANONYMISED, text)
    return text


def scrub_data(data: Any, values: list[str]) -> Any:
    """An audit payload with personal keys blanked and every other string scrubbed."""
    if isinstance(data, Mapping):
        return {
            key: (
                ANONYMISED
                if str(key).lower() in PERSONAL_KEYS and value not in ("", None, [], {})
                else scrub_data(value, values)
            )
            for key, value in data.items()
        }
    if isinstance(data, list):
        return [scrub_data(item, values) for item in data]
    if isinstance(data, str):
        return scrub_text(data, values)
    return data


# -- one case -----------------------------------------------------------------------------------


@dataclass
class CaseResult:
    letters: int = 0
    attachments: int = 0
    audit_events: int = 0


def _delete_files(names: list[str], storage: Any) -> None:
    for name in names:
        try:
            storage.delete(name)
        except OSError:  # reported, the placeholder is in place; an operator can remove it
            logger.warning("保存期限：附件文件删除失败：%s", name)


@transaction.atomic
def application_anonymise(*, application: Application, today: dt.date | None = None) -> CaseResult:
    """Remove the personal data of one closed application (see the module docstring).

    Idempotent: an application already anonymised is left as it is.
    """
    app = Application.objects.select_for_update().get(pk=application.pk)
    if app.applicant_key.startswith(KEY_PREFIX):
        return CaseResult()
    today = today or clock.today()
    values = personal_values(app)
    result = CaseResult()

    if not app.is_organisation:
        app.applicant_name = ANONYMISED
    for name in (
        "id_number",
        "legal_representative",
        "contact_name",
        "phone",
        "email",
        "address",
        "postal_code",
        "notes",
        "post_receipt_no",
        "query_password",
    ):
        setattr(app, name, "")
    for name in ("description", "reasons", "decision_text", "extension_reason", "legal_basis"):
        setattr(app, name, scrub_text(getattr(app, name), values))
    app.applicant_key = f"{KEY_PREFIX}{app.pk}"
    app.submission_token = None
    app.version += 1
    app.updated_at = clock.now()
    app.save(
        update_fields=[
            "applicant_name",
            "id_number",
            "legal_representative",
            "contact_name",
            "phone",
            "email",
            "address",
            "postal_code",
            "notes",
            "post_receipt_no",
            "query_password",
            "description",
            "reasons",
            "decision_text",
            "extension_reason",
            "legal_basis",
            "applicant_key",
            "submission_token",
            "version",
            "updated_at",
        ]
    )

    for amendment in app.amendments.all():
        amendment.items = scrub_text(amendment.items, values)
        amendment.received_note = ""
        amendment.save(update_fields=["items", "received_note"])
    for consultation in app.consultations.all():
        third_party = consultation.kind == "third_party"
        if third_party:
            consultation.party = ANONYMISED
            consultation.party_address = ""
        consultation.subject = scrub_text(consultation.subject, values)
        consultation.opinion_text = ""
        consultation.save(update_fields=["party", "party_address", "subject", "opinion_text"])

    for letter in Letter.objects.filter(application=app):
        letter.addressee = scrub_text(letter.addressee, values)
        letter.paragraphs = scrub_data(list(letter.paragraphs or []), values)
        letter.save(update_fields=["addressee", "paragraphs"])
        result.letters += 1

    removed: list[str] = []
    for attachment in Attachment.objects.filter(application=app):
        if attachment.file and attachment.file.name:
            removed.append(attachment.file.name)
        notice = (
            f"该附件（{attachment.get_kind_display()}）已于{today.isoformat()}"
            "按个人信息保存期限规定删除。\n"
        ).encode()
        attachment.file.save(REMOVED_FILE_NAME, ContentFile(notice), save=False)
        attachment.name = REMOVED_FILE_NAME
        attachment.size = len(notice)
        attachment.save(update_fields=["file", "name", "size"])
        result.attachments += 1
    if removed:
        storage = Attachment._meta.get_field("file").storage  # type: ignore[attr-defined]
        transaction.on_commit(lambda: _delete_files(removed, storage))

    result.audit_events += scrub_audit_events(SUBJECT_TYPE, app.pk, values)
    return result


def scrub_audit_events(subject_type: str, subject_id: Any, values: Iterable[str]) -> int:
    """Scrub the audit trail of one record (its data and label); returns how many events
    changed. Shared by the applications, appeals and public messages."""
    values = list(values)
    changed = 0
    for event in AuditEvent.objects.filter(subject_type=subject_type, subject_id=str(subject_id)):
        data = scrub_data(event.data, values)
        label = scrub_text(event.subject_label, values)
        if data != event.data or label != event.subject_label:
            event.data, event.subject_label = data, label
            event.save(update_fields=["data", "subject_label"])
            changed += 1
    return changed


# -- the job ------------------------------------------------------------------------------------


@dataclass
class RetentionResult:
    years: int
    cutoff: dt.date
    dry_run: bool
    due: int = 0
    anonymised: list[int] = field(default_factory=list)
    letters: int = 0
    attachments: int = 0
    audit_events: int = 0
    by_agency: Counter[str] = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)
    # appeals (行政复议、行政诉讼) and 网民留言: due counts, done ids, scrubbed audit events
    appeals_due: dict[str, int] = field(default_factory=dict)
    appeals: dict[str, list[int]] = field(default_factory=dict)
    appeal_audit_events: int = 0
    messages_due: int = 0
    messages: list[int] = field(default_factory=list)
    message_audit_events: int = 0

    @property
    def appeals_done(self) -> int:
        return sum(len(ids) for ids in self.appeals.values())


def anonymise_closed_cases(
    *, years: int | None = None, dry_run: bool = False, today: dt.date | None = None
) -> RetentionResult:
    """Anonymise every due application (one transaction each; a failure is reported and the
    others go on), then write one summary audit event. ``dry_run`` only counts."""
    years = retention_years() if years is None else years
    if years < 1:
        raise ValueError("保存期限至少为1年。")
    today = today or clock.today()
    result = RetentionResult(
        years=years, cutoff=retention_cutoff(years=years, today=today), dry_run=dry_run
    )
    ids = list(due_for_anonymisation(years=years, today=today).values_list("pk", flat=True))
    if dry_run:
        result.due = len(ids)
        result.by_agency.update(
            Application.objects.filter(pk__in=ids).values_list("agency__name", flat=True)
        )
        result.letters = Letter.objects.filter(application_id__in=ids).count()
        result.attachments = Attachment.objects.filter(application_id__in=ids).count()
        result.audit_events = AuditEvent.objects.filter(
            subject_type=SUBJECT_TYPE, subject_id__in=[str(i) for i in ids]
        ).count()
        _appeals(result, today=today)
        _messages(result, today=today)
        return result
    for app in _in_chunks(ids):
        result.due += 1
        try:
            done = application_anonymise(application=app, today=today)
        except Exception as exc:  # isolate the failure, report it, go on with the others
            logger.exception("保存期限：匿名化失败 %s", app.registration_no)
            result.problems.append(f"{app.agency.name} {app.registration_no}：{exc}")
            continue
        result.anonymised.append(app.pk)
        result.by_agency[app.agency.name] += 1
        result.letters += done.letters
        result.attachments += done.attachments
        result.audit_events += done.audit_events
    if result.anonymised:
        _record_summary(result)
    _appeals(result, today=today)
    _messages(result, today=today)
    return result


def _appeals(result: RetentionResult, *, today: dt.date) -> None:
    """行政复议 and 行政诉讼 concluded before the cut-off (``ledger.appeals.retention``)."""
    from gongkai.ledger.appeals.retention import (
        APPEAL_MODELS,
        appeal_anonymise,
        appeals_due_for_anonymisation,
    )

    for model in APPEAL_MODELS:
        kind = str(model._meta.verbose_name)
        due = appeals_due_for_anonymisation(model, years=result.years, today=today)
        ids = list(due.values_list("pk", flat=True))
        result.appeals_due[kind] = len(ids)
        result.appeals[kind] = []
        if result.dry_run:
            result.appeal_audit_events += AuditEvent.objects.filter(
                subject_type=model._meta.label_lower, subject_id__in=[str(i) for i in ids]
            ).count()
            continue
        for case in model.objects.filter(pk__in=ids).order_by("pk"):
            try:
                done = appeal_anonymise(case=case, today=today)
            except Exception as exc:  # isolate the failure, report it, go on with the others
                logger.exception("保存期限：匿名化失败 %s %s", kind, case.pk)
                result.problems.append(f"{kind} {case.case_number or case.pk}：{exc}")
                continue
            result.appeals[kind].append(case.pk)
            result.appeal_audit_events += done.audit_events
    if not result.dry_run and result.appeals_done:
        AuditEvent.objects.create(
            occurred_at=clock.now(),
            actor=None,
            actor_label="系统",
            agency=None,
            action="appeal.retention.anonymised",
            subject_type="appeals.appealcase",
            subject_id=f"{result.appeals_done}件",
            subject_label=f"审结满{result.years}年的行政复议、行政诉讼"
            f"（{result.cutoff.isoformat()}前审结）",
            data={
                "after": {
                    "years": result.years,
                    "cutoff": result.cutoff.isoformat(),
                    "cases": result.appeals_done,
                    "case_ids": result.appeals,
                    "audit_events": result.appeal_audit_events,
                }
            },
        )


def _messages(result: RetentionResult, *, today: dt.date) -> None:
    """网民留言 replied to before the cut-off (``ledger.messages.retention``)."""
    from gongkai.ledger.messages.retention import (
        SUBJECT_TYPE as MESSAGE_TYPE,
    )
    from gongkai.ledger.messages.retention import (
        message_anonymise,
        messages_due_for_anonymisation,
    )

    due = messages_due_for_anonymisation(years=result.years, today=today)
    ids = list(due.values_list("pk", flat=True))
    result.messages_due = len(ids)
    if result.dry_run:
        result.message_audit_events = AuditEvent.objects.filter(
            subject_type=MESSAGE_TYPE, subject_id__in=[str(i) for i in ids]
        ).count()
        return
    for message in due.model.objects.filter(pk__in=ids).order_by("pk"):
        try:
            done = message_anonymise(message=message, today=today)
        except Exception as exc:  # isolate the failure, report it, go on with the others
            logger.exception("保存期限：匿名化失败 网民留言 %s", message.reference)
            result.problems.append(f"网民留言 {message.reference}：{exc}")
            continue
        result.messages.append(message.pk)
        result.message_audit_events += done.audit_events
    if result.messages:
        AuditEvent.objects.create(
            occurred_at=clock.now(),
            actor=None,
            actor_label="系统",
            agency=None,
            action="public_message.retention.anonymised",
            subject_type=MESSAGE_TYPE,
            subject_id=f"{len(result.messages)}条",
            subject_label=f"答复满{result.years}年的网民留言（{result.cutoff.isoformat()}前答复）",
            data={
                "after": {
                    "years": result.years,
                    "cutoff": result.cutoff.isoformat(),
                    "messages": len(result.messages),
                    "message_ids": result.messages,
                    "audit_events": result.message_audit_events,
                }
            },
        )


def _in_chunks(ids: list[int], size: int = 500) -> Iterable[Application]:
    for start in range(0, len(ids), size):
        yield from (
            Application.objects.select_related("agency")
            .filter(pk__in=ids[start : start + size])
            .order_by("pk")
        )


def _record_summary(result: RetentionResult) -> AuditEvent:
    """The one audit event of a run (platform-wide, so not under one agency)."""
    return AuditEvent.objects.create(
        occurred_at=clock.now(),
        actor=None,
        actor_label="系统",
        agency=None,
        action=AUDIT_ACTION,
        subject_type=SUBJECT_TYPE,
        subject_id=f"{len(result.anonymised)}件",
        subject_label=f"办结满{result.years}年的申请（{result.cutoff.isoformat()}前办结）",
        data={
            "after": {
                "years": result.years,
                "cutoff": result.cutoff.isoformat(),
                "applications": len(result.anonymised),
                "application_ids": result.anonymised,
                "letters": result.letters,
                "attachments": result.attachments,
                "audit_events": result.audit_events,
                "by_agency": dict(result.by_agency),
                "problems": len(result.problems),
            }
        },
    )
