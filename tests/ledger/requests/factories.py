"""Building applications through the services (so that test data keeps the domain invariants)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth import get_user_model

from gongkai.ledger.requests import services
from gongkai.ledger.requests.models import Application, OrganisationType
from gongkai.ledger.requests.validators import make_id_number, make_uscc

PERSON_ID = make_id_number("41010519800101123")
COMPANY_USCC = make_uscc("91410100MA0000001")


def user(username: str) -> Any:
    return get_user_model().objects.get(username=username)


def person_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "applicant_type": "natural_person",
        "applicant_name": "张三",
        "id_type": "resident_id",
        "id_number": PERSON_ID,
        "phone": "13800138000",
        "email": "zhangsan@example.cn",
        "address": "示范县人民路2号",
        "description": "2025年度本县法律援助经费使用情况",
        "form_requested": "electronic",
        "delivery": "email",
    }
    data.update(overrides)
    return data


def company_data(**overrides: Any) -> dict[str, Any]:
    data = person_data(
        applicant_type="organisation",
        applicant_name="示范科技有限公司",
        id_type="",
        id_number="",
        uscc=COMPANY_USCC,
        organisation_type=OrganisationType.objects.get(name="企业（公司、合伙企业等）"),
    )
    data.update(overrides)
    return data


def register(
    agency,
    *,
    clerk: str = "sfj_clerk",
    channel: str = "in_person",
    submitted_on: date | None = None,
    **data: Any,
) -> Application:
    payload = person_data(**data)
    return services.application_register(
        agency=agency,
        actor=user(clerk),
        data=payload,
        channel=channel,
        submitted_on=submitted_on,
    )


def decide_and_serve(
    app: Application,
    *,
    reply_type: str = "granted",
    served_on: date,
    grounds: tuple[str, ...] = (),
    reasons: str = "",
) -> Application:
    app = services.application_draft_decision(
        application=app,
        actor=user("sfj_clerk"),
        reply_type=reply_type,
        withheld_grounds=grounds,
        reasons=reasons or ("涉及个人隐私" if reply_type == "partial" else ""),
        decision_text="现将有关信息以电子邮件方式提供给您。",
    )
    app = services.application_sign_decision(application=app, actor=user("sfj_head"))
    return services.application_serve_reply(
        application=app, actor=user("sfj_clerk"), served_on=served_on, method="direct"
    )
