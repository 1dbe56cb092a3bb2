"""Demo appeals: for the two busiest demo agencies, a concluded reconsideration and a pending
lawsuit about last year's refusals. Idempotent."""

from __future__ import annotations

from datetime import timedelta
from typing import TextIO

from django.db import transaction

from gongkai.core import audit, clock
from gongkai.core.models import Agency
from gongkai.ledger.appeals.models import Litigation, Reconsideration
from gongkai.ledger.requests.models import Application

AGENCIES = ("shifanxian-sfj", "shifanxian-zrzyj")


@transaction.atomic
def load(stdout: TextIO) -> None:
    today = clock.today()
    now = clock.now()
    for slug in AGENCIES:
        agency = Agency.objects.filter(slug=slug).first()
        if agency is None:
            continue
        if Reconsideration.objects.filter(agency=agency).exists():
            continue
        refused = list(
            Application.objects.filter(
                agency=agency,
                status="closed",
                concluded_on__year=today.year - 1,
                outcome_row__regex=r"^O[34]",
            ).order_by("concluded_on")[:2]
        )
        if len(refused) < 2:
            continue
        first, second = refused
        rec = Reconsideration.objects.create(
            agency=agency,
            body=agency.reconsideration_body or "示范县人民政府",
            case_number=f"示政复〔{today.year - 1}〕{7 + len(slug) % 5}号",
            appellant=first.applicant_name,
            filed_on=first.concluded_on + timedelta(days=20),
            concluded_on=first.concluded_on + timedelta(days=75),
            result="upheld",
            result_note="复议机关维持原答复。",
            created_at=now,
            updated_at=now,
        )
        rec.applications.set([first])
        lit = Litigation.objects.create(
            agency=agency,
            body=agency.competent_court or "示范县人民法院",
            case_number=f"（{today.year}）豫9001行初{20 + len(slug) % 7}号",
            appellant=second.applicant_name,
            filed_on=min(today, second.concluded_on + timedelta(days=90)),
            route=Litigation.Route.DIRECT,
            created_at=now,
            updated_at=now,
        )
        lit.applications.set([second])
        for case in (rec, lit):
            audit.record(
                actor=None,
                action=f"{case._meta.model_name}.registered",
                subject=case,
                after={"case_number": case.case_number},
            )
        stdout.write(f"复议诉讼演示数据：{agency.name} 2 件\n")
