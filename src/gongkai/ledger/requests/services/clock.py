"""The statutory clock of an application, on the Django side: fetch events, compute, store.

``application_recompute_clock`` is the ONE function that writes the derived clock fields
(``due_on`` …). Every service that changes an event calls it; a change of the working-day
calendar (the lead's calendar overrides) must call it for the open applications. The arithmetic
itself is ``gongkai.statutory.deadlines.compute_clock`` — never reimplemented here.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from gongkai.core import audit
from gongkai.core import clock as core_clock
from gongkai.ledger.requests.models import Application
from gongkai.statutory import deadlines
from gongkai.statutory.workdays import WorkdayCalendar

__all__ = [
    "CLOCK_FIELDS",
    "application_clock",
    "application_recompute_clock",
    "events_for",
    "get_calendar",
]

CLOCK_FIELDS = (
    "received_on",
    "clock_state",
    "clock_start_on",
    "amendment_notice_due_on",
    "original_due_on",
    "extended_due_on",
    "due_on",
    "due_is_projected",
    "payment_due_on",
    "lapse_row",
    "lapse_on",
    "clock_provisional",
    "clock_computed_on",
)


def get_calendar() -> WorkdayCalendar:
    """The working-day calendar in force (seed + administrator overrides, see core.calendar)."""
    from gongkai.core.calendar import current_calendar

    return current_calendar()


def events_for(application: Application) -> deadlines.ApplicationEvents:
    """The application's stored events as the plain data the statutory clock takes.

    A reopened application (after a corrective reconsideration/litigation result) gets a fresh
    reply period counted from ``reopened_on``; only the events after that day count.
    """
    app = application
    since = app.reopened_on
    amendments = tuple(
        deadlines.AmendmentRound(r.notice_on, r.period_end, r.received_on)
        for r in app.amendments.all()
        if since is None or r.notice_on >= since
    )
    consultations = tuple(
        deadlines.Consultation(
            sent_on=c.sent_on,
            kind=deadlines.ConsultationKind(c.kind),
            party_received_on=c.party_received_on,
            reply_on=c.reply_on,
            party=c.party,
        )
        for c in app.consultations.all()
        if since is None or c.sent_on >= since
    )
    extension = None
    if app.extension_state == Application.ExtensionState.APPROVED and app.extension_decided_on:
        extension = deadlines.Extension(
            app.extension_decided_on, app.extension_notified_on, app.extension_days
        )
    fee = None
    if app.fee_notice_served_on and (since is None or app.fee_notice_served_on >= since):
        fee = deadlines.FeeNotice(
            app.fee_notice_served_on, app.fee_notice_received_on, app.fee_paid_on, app.fee_amount
        )
    delayed = None
    if app.delayed_reply_due_on:
        delayed = deadlines.DelayedReply(app.delayed_reply_due_on, app.delayed_reply_notified_on)
    service = None
    if app.served_on:
        service = deadlines.Service(
            app.served_on,
            deadlines.ServiceMethod(app.service_method or deadlines.ServiceMethod.DIRECT),
            app.cash_on_delivery,
        )
    if since is not None:
        return deadlines.ApplicationEvents(
            channel=deadlines.Channel.IN_PERSON,
            submitted_on=since,
            amendments=amendments,
            consultations=consultations,
            extension=extension,
            fee_notice=fee,
            delayed_reply=delayed,
            service=service,
        )
    return deadlines.ApplicationEvents(
        channel=deadlines.Channel(app.channel),
        submitted_on=app.submitted_on,
        signed_on=app.signed_on,
        confirmed_on=app.confirmed_on,
        amendments=amendments,
        consultations=consultations,
        extension=extension,
        fee_notice=fee,
        delayed_reply=delayed,
        service=service,
    )


def application_clock(
    application: Application, *, today: date | None = None, explain: bool = True
) -> deadlines.ApplicationClock:
    """The clock as of ``today`` with its explanation (for the case page); stores nothing."""
    return deadlines.compute_clock(
        events_for(application),
        today=today or core_clock.today(),
        calendar=get_calendar(),
        explain=explain,
    )


def clock_values(app: Application, result: deadlines.ApplicationClock) -> dict[str, Any]:
    values: dict[str, Any] = {
        "clock_state": result.state.value,
        "clock_start_on": result.clock_start,
        "amendment_notice_due_on": result.amendment_notice_due,
        "original_due_on": result.original_due,
        "extended_due_on": result.extended_due,
        "due_on": result.due,
        "due_is_projected": result.due_is_projected,
        "payment_due_on": result.payment_due,
        "lapse_row": result.lapsed_row or "",
        "lapse_on": result.lapsed_on,
        "clock_provisional": result.provisional,
        "clock_computed_on": result.today,
    }
    if app.reopened_on is None:
        # 收到申请之日 per 第三十一条 (before any non-working-day shift): the statistics date.
        values["received_on"] = result.receipt_event_on
    return values


def application_recompute_clock(
    application: Application,
    *,
    actor: Any,
    reason: str,
    today: date | None = None,
) -> deadlines.ApplicationClock:
    """Recompute and store the clock fields of ``application`` from its stored events.

    Call inside the transaction of the change that caused it. Writes an ``AuditEvent``
    (``application.clock.due_changed``) when the due date moves, except for the daily drift of a
    projected date while a pause is still open. Raises ``deadlines.ClockError`` (Chinese
    message) for impossible event dates. Does not bump ``version``: the fields are derived.
    """
    app = application
    result = deadlines.compute_clock(
        events_for(app),
        today=today or core_clock.today(),
        calendar=get_calendar(),
        explain=False,
    )
    values = clock_values(app, result)
    old_due, old_projected = app.due_on, app.due_is_projected
    changed = {k: v for k, v in values.items() if getattr(app, k) != v}
    if not changed:
        return result
    for field, value in changed.items():
        setattr(app, field, value)
    app.save(update_fields=list(changed))
    if "due_on" in changed and old_due is not None and not (old_projected and app.due_is_projected):
        audit.record(
            actor=actor,
            action="application.clock.due_changed",
            subject=app,
            before={"due_on": old_due.isoformat()},
            after={"due_on": app.due_on.isoformat() if app.due_on else None},
            note=reason,
        )
    return result


def application_recompute_open_clocks(
    *,
    actor: Any,
    reason: str,
    agency_ids: list[int] | None = None,
    today: date | None = None,
    dry_run: bool = False,
) -> tuple[int, int, list[str]]:
    """Recompute the clock of every open application (e.g. nightly, or after the working-day
    calendar changed). Each application in its own transaction; a failure is reported and the
    others go on. Returns (checked, due dates moved, problems)."""
    from django.db import transaction

    from gongkai.ledger.requests.transitions import OPEN

    qs = Application.objects.filter(status__in=[s.value for s in OPEN], received_on__isnull=False)
    if agency_ids is not None:
        qs = qs.filter(agency_id__in=agency_ids)
    checked = moved = 0
    problems: list[str] = []
    for app in qs.order_by("pk").iterator(chunk_size=500):
        checked += 1
        old = app.due_on
        try:
            with transaction.atomic():
                application_recompute_clock(app, actor=actor, reason=reason, today=today)
                if dry_run:
                    transaction.set_rollback(True)
        except deadlines.ClockError as exc:
            problems.append(f"{app.registration_no}：{exc}")
            continue
        if app.due_on != old:
            moved += 1
    return checked, moved, problems


def recompute_after_calendar_change(*, calendar: WorkdayCalendar, actor: Any, reason: str) -> int:
    """Hook of ``gongkai.core.calendar``: after a calendar change, move the due dates of every
    open application (each move audited on the application). Returns how many moved."""
    _checked, moved, _problems = application_recompute_open_clocks(actor=actor, reason=reason)
    return moved
