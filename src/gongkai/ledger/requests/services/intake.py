"""Intake: staff registration, portal submission, confirmation of receipt, repeat/volume flags."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction

from gongkai.core import audit, clock
from gongkai.core.models import Agency
from gongkai.ledger.requests.letters.build import issue_letter
from gongkai.ledger.requests.models import Application, Attachment, OrganisationType
from gongkai.ledger.requests.services.base import (
    ActionNotAllowed,
    ApplicationError,
    application_transition,
    require_perm,
)
from gongkai.ledger.requests.services.clock import application_recompute_clock
from gongkai.ledger.requests.services.numbering import (
    REGISTRATION,
    next_number,
    registration_no,
)
from gongkai.ledger.requests.similarity import REPEAT_THRESHOLD, similarity
from gongkai.ledger.requests.transitions import Action, Status
from gongkai.ledger.requests.validators import (
    id_number_problem,
    normalise_id,
    phone_problem,
    uscc_problem,
)
from gongkai.statutory.deadlines import Channel, ClockError

__all__ = [
    "APPLICANT_FIELDS",
    "REQUEST_FIELDS",
    "application_confirm_receipt",
    "application_register",
    "application_submit_online",
    "applicant_key",
    "category_for",
    "intake_problems",
    "receipt_field",
]

APPLICANT_FIELDS = (
    "applicant_type",
    "applicant_name",
    "id_type",
    "id_number",
    "organisation_type",
    "uscc",
    "legal_representative",
    "contact_name",
    "phone",
    "email",
    "address",
    "postal_code",
)
REQUEST_FIELDS = ("description", "document_number", "form_requested", "delivery", "notes")
INTAKE_FIELDS = APPLICANT_FIELDS + REQUEST_FIELDS

# The channels whose receipt date is the date both sides confirmed (第三十一条（二）（三）).
CONFIRMED_CHANNELS = frozenset(
    {Channel.ORDINARY_LETTER, Channel.ONLINE, Channel.FAX, Channel.EMAIL}
)
REPEAT_WINDOW_DAYS = 730
ATTACHMENT_LIMIT = 5
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
ATTACHMENT_TYPES = (".pdf", ".jpg", ".jpeg", ".png", ".doc", ".docx", ".ofd", ".txt")
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
_PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def receipt_field(channel: Channel | str) -> str:
    """Which date field is the 收到申请之日 for ``channel`` (第三十一条)."""
    ch = Channel(channel)
    if ch in (Channel.IN_PERSON, Channel.ORAL):
        return "submitted_on"
    if ch is Channel.REGISTERED_POST:
        return "signed_on"
    return "confirmed_on"


def applicant_key(data: Mapping[str, Any]) -> str:
    """A stable pseudonymous key of the applicant (for monthly counts and repeat detection):
    the ID or credit-code number when given, else name + phone."""
    number = normalise_id(str(data.get("uscc") or data.get("id_number") or ""))
    if number:
        basis = f"id:{number}"
    else:
        name = "".join(str(data.get("applicant_name") or "").split())
        phone = "".join(ch for ch in str(data.get("phone") or "") if ch.isdigit())
        basis = f"name:{name}|{phone}"
    return hashlib.sha256(basis.encode("utf-8")).hexdigest()


def category_for(applicant_type: str, organisation_type: OrganisationType | None) -> str:
    """The table-三 column: 自然人, or the organisation type's configured category."""
    if applicant_type == Application.ApplicantType.NATURAL_PERSON:
        return "NP"
    if organisation_type is None:
        raise ApplicationError("法人或其他组织申请的，须选择组织类型（用于年度报告统计）。")
    return organisation_type.category


def intake_problems(data: Mapping[str, Any], *, require_phone: bool = True) -> dict[str, str]:
    """Field → Chinese message for everything wrong with an application's data (empty = valid).

    The one validation shared by the staff form, the portal form and the 台账 import.
    """
    problems: dict[str, str] = {}

    def val(name: str) -> str:
        v = data.get(name)
        return "" if v is None else str(v).strip()

    kind = val("applicant_type")
    if kind not in Application.ApplicantType.values:
        problems["applicant_type"] = "请选择申请人类型（自然人或法人或其他组织）。"
    if not val("applicant_name"):
        problems["applicant_name"] = (
            "请填写申请人姓名。" if kind != "organisation" else "请填写法人或其他组织名称。"
        )
    if kind == Application.ApplicantType.NATURAL_PERSON:
        if val("id_type") not in Application.IdType.values:
            problems["id_type"] = "请选择身份证件类型。"
        if not val("id_number"):
            problems["id_number"] = "请填写身份证件号码。"
        elif val("id_type") == Application.IdType.RESIDENT_ID:
            p = id_number_problem(val("id_number"))
            if p:
                problems["id_number"] = p
    elif kind == Application.ApplicantType.ORGANISATION:
        if not data.get("organisation_type"):
            problems["organisation_type"] = "请选择组织类型（用于年度报告的申请人类别统计）。"
        if not val("uscc"):
            problems["uscc"] = "请填写统一社会信用代码。"
        else:
            p = uscc_problem(val("uscc"))
            if p:
                problems["uscc"] = p
    phone = val("phone")
    if phone:
        p = phone_problem(phone)
        if p:
            problems["phone"] = p
    elif require_phone:
        problems["phone"] = "请填写联系电话。"
    elif not (val("email") or val("address")):
        problems["phone"] = "请至少填写一种联系方式（电话、电子邮箱或通信地址）。"
    desc = val("description")
    if len(desc) < 4:
        problems["description"] = "请写明所需政府信息的名称、文号或者便于查询的其他特征性描述。"
    if val("form_requested") and val("form_requested") not in Application.Form.values:
        problems["form_requested"] = "信息载体形式无效。"
    if val("delivery") and val("delivery") not in Application.Delivery.values:
        problems["delivery"] = "获取方式无效。"
    return problems


def apply_intake_data(app: Application, data: Mapping[str, Any]) -> None:
    for field in INTAKE_FIELDS:
        if field in data and data[field] is not None:
            setattr(app, field, data[field])
    for field in ("id_number", "uscc"):
        setattr(app, field, normalise_id(getattr(app, field) or ""))
    if app.applicant_type == Application.ApplicantType.NATURAL_PERSON:
        app.organisation_type = None
        app.uscc = ""
    else:
        app.id_type = ""
        app.id_number = ""
    app.category = category_for(app.applicant_type, app.organisation_type)
    app.applicant_key = applicant_key(
        {f: getattr(app, f) for f in ("uscc", "id_number", "applicant_name", "phone")}
    )


def _arrival(app: Application) -> date:
    return app.received_on or app.submitted_on or app.signed_on or app.confirmed_on or clock.today()


def flag_repeat_and_volume(app: Application) -> None:
    """Set ``month_ordinal`` (F-01, 第三十五条) and ``possible_repeat_of`` (第三十六条（六）).

    Only flags: the clerk decides whether it is a repeat or abnormal volume.
    """
    day = _arrival(app)
    month_start = day.replace(day=1)
    next_month = (month_start + timedelta(days=32)).replace(day=1)
    same = Application.objects.filter(agency=app.agency, applicant_key=app.applicant_key).exclude(
        pk=app.pk
    )
    in_month = same.filter(received_on__gte=month_start, received_on__lt=next_month).count()
    in_month += same.filter(
        received_on__isnull=True, submitted_on__gte=month_start, submitted_on__lt=next_month
    ).count()
    app.month_ordinal = in_month + 1
    best, best_score = None, 0.0
    since = day - timedelta(days=REPEAT_WINDOW_DAYS)
    for pk, text in same.filter(created_at__date__gte=since).values_list("pk", "description")[:200]:
        score = similarity(app.description, text)
        if score > best_score:
            best, best_score = pk, score
    if best is not None and best_score >= REPEAT_THRESHOLD:
        app.possible_repeat_of_id = best
        app.repeat_similarity = round(best_score, 3)
    else:
        app.possible_repeat_of_id = None
        app.repeat_similarity = None


def _new_tracking_code() -> str:
    raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def new_query_password() -> str:
    return "".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(8))


def _check_attachments(files: Iterable[UploadedFile]) -> list[UploadedFile]:
    files = list(files)
    if len(files) > ATTACHMENT_LIMIT:
        raise ApplicationError(f"最多上传{ATTACHMENT_LIMIT}个附件。")
    for f in files:
        name = (f.name or "").lower()
        if not name.endswith(ATTACHMENT_TYPES):
            raise ApplicationError(f"附件“{f.name}”的类型不允许，请上传PDF、图片、Word或OFD文件。")
        if (f.size or 0) > ATTACHMENT_MAX_BYTES:
            raise ApplicationError(f"附件“{f.name}”超过10MB。")
    return files


def _save_attachments(app: Application, files: Iterable[UploadedFile], actor: Any) -> None:
    for f in files:
        Attachment.objects.create(
            application=app,
            kind=Attachment.Kind.APPLICANT,
            file=f,
            name=(f.name or "附件")[:200],
            size=f.size or 0,
            uploaded_at=clock.now(),
            uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
        )


def create_application(
    *,
    agency: Agency,
    actor: Any,
    data: Mapping[str, Any],
    channel: Channel,
    dates: Mapping[str, date | None],
    source: str,
    registered_on: date,
    submission_token: str | None = None,
    tracking: bool = False,
) -> tuple[Application, str | None]:
    now = clock.now()
    app = Application(
        agency=agency,
        source=source,
        channel=channel.value,
        submission_token=submission_token,
        created_at=now,
        updated_at=now,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        **{k: v for k, v in dates.items() if k in ("submitted_on", "signed_on", "confirmed_on")},
    )
    apply_intake_data(app, data)
    receipt_known = getattr(app, receipt_field(channel)) is not None
    app.status = (Status.IN_PROGRESS if receipt_known else Status.SUBMITTED).value
    year = registered_on.year
    app.registration_year = year
    app.registration_seq = next_number(agency=agency, series=REGISTRATION, year=year)
    app.registration_no = registration_no(year, app.registration_seq)
    password = None
    if tracking:
        password = new_query_password()
        app.query_password = make_password(password)
        app.tracking_code = _new_tracking_code()
    flag_repeat_and_volume(app)
    try:
        app.save()
        application_recompute_clock(app, actor=actor, reason="登记申请")
    except ClockError as exc:
        raise ApplicationError(str(exc)) from None
    return app, password


@transaction.atomic
def application_register(
    *,
    agency: Agency,
    actor: Any,
    data: Mapping[str, Any],
    channel: Channel | str,
    submitted_on: date | None = None,
    signed_on: date | None = None,
    confirmed_on: date | None = None,
    attachments: Iterable[UploadedFile] = (),
    source: str = Application.Source.STAFF,
    registered_on: date | None = None,
    issue_receipt: bool = True,
) -> Application:
    """Register an application received by the office (条例第四十五条 登记).

    The receipt date is the channel's date (第三十一条); an ordinary letter, fax, e-mail or
    online application without a confirmation date stays ``submitted`` until
    ``application_confirm_receipt``. Writes ``application.registered`` and issues the 回执.
    """
    require_perm(actor, "register_application", "登记申请")
    problems = intake_problems(data, require_phone=False)
    if problems:
        raise ApplicationError("；".join(problems.values()))
    ch = Channel(channel)
    today = clock.today()
    dates = {"submitted_on": submitted_on, "signed_on": signed_on, "confirmed_on": confirmed_on}
    for day in dates.values():
        if day is not None and day > today:
            raise ApplicationError("日期不能晚于今天。")
    if ch in (Channel.IN_PERSON, Channel.ORAL) and submitted_on is None:
        dates["submitted_on"] = today
    files = _check_attachments(attachments)
    app, _ = create_application(
        agency=agency,
        actor=actor,
        data=data,
        channel=ch,
        dates=dates,
        source=source,
        registered_on=registered_on or today,
    )
    _save_attachments(app, files, actor)
    if issue_receipt:
        issue_letter(app, "receipt", number=app.registration_no, actor=actor)
    audit.record(
        actor=actor,
        action="application.registered",
        subject=app,
        after={
            "registration_no": app.registration_no,
            "channel": app.channel,
            "received_on": app.received_on,
            "category": app.category,
            "status": app.status,
            "month_ordinal": app.month_ordinal,
            "possible_repeat_of": app.possible_repeat_of_id,
        },
    )
    return app


def application_submit_online(
    *,
    agency: Agency,
    data: Mapping[str, Any],
    submission_token: str,
    attachments: Iterable[UploadedFile] = (),
) -> tuple[Application, str | None]:
    """A public application from the portal (互联网平台, 第三十一条（三）).

    Idempotent: the form carries ``submission_token``; submitting the same form twice returns
    the first application and ``None`` for the password (it is shown only once).
    """
    existing = Application.objects.filter(submission_token=submission_token).first()
    if existing is not None:
        return existing, None
    problems = intake_problems(data, require_phone=True)
    if problems:
        raise ApplicationError("；".join(problems.values()))
    files = _check_attachments(attachments)
    try:
        with transaction.atomic():
            app, password = create_application(
                agency=agency,
                actor=None,
                data=data,
                channel=Channel.ONLINE,
                dates={"submitted_on": clock.today()},
                source=Application.Source.PORTAL,
                registered_on=clock.today(),
                submission_token=submission_token,
                tracking=True,
            )
            _save_attachments(app, files, None)
            issue_letter(app, "receipt", number=app.registration_no)
            audit.record(
                actor=None,
                action="application.submitted_online",
                subject=app,
                after={"registration_no": app.registration_no, "category": app.category},
            )
    except IntegrityError:
        existing = Application.objects.filter(submission_token=submission_token).first()
        if existing is None:
            raise
        return existing, None
    return app, password


@transaction.atomic
def application_confirm_receipt(
    *,
    application: Application,
    actor: Any,
    confirmed_on: date,
    expected_version: int | None = None,
) -> Application:
    """Confirm receipt of an application sent online, by fax, e-mail or ordinary letter (or
    transferred from another agency): that date is the 收到申请之日 and the clock starts."""
    if confirmed_on > clock.today():
        raise ActionNotAllowed("确认日期不能晚于今天。")
    if application.submitted_on and confirmed_on < application.submitted_on:
        raise ActionNotAllowed("确认日期不能早于申请提交日期。")
    field = receipt_field(application.channel)
    app = application_transition(
        application=application,
        action=Action.CONFIRM_RECEIPT,
        actor=actor,
        expected_version=expected_version,
        changes={field: confirmed_on},
    )
    flag_repeat_and_volume(app)
    app.save(update_fields=["month_ordinal", "possible_repeat_of", "repeat_similarity"])
    return app
