"""Demo: each agency's 2025 report assembled from the demo ledger; the justice bureau's is
signed and published (as on 20 January 2026), the region's aggregate is a draft. Idempotent."""

from __future__ import annotations

import datetime as dt
from typing import TextIO

from django.contrib.auth import get_user_model

from gongkai.core.models import Agency
from gongkai.ledger.annual import services
from gongkai.ledger.annual.models import AnnualReportRecord

YEAR = 2025
PUBLISHED_ON = dt.date(2026, 1, 20)


def load(stdout: TextIO) -> None:
    users = get_user_model().objects
    supervisor = users.get(username="zwgkb")
    made = 0
    for agency in Agency.objects.filter(slug__startswith="shifanxian").exclude(kind="unit"):
        if AnnualReportRecord.objects.filter(agency=agency, year=YEAR).exists():
            continue
        services.annual_report_assemble(actor=supervisor, agency=agency, year=YEAR)
        made += 1
    county = Agency.objects.filter(slug="shifanxian").first()
    if (
        county
        and not AnnualReportRecord.objects.filter(
            agency=county, year=YEAR, scope=AnnualReportRecord.Scope.REGION
        ).exists()
    ):
        services.annual_report_assemble(
            actor=supervisor, agency=county, year=YEAR, scope=AnnualReportRecord.Scope.REGION
        )
    bureau = AnnualReportRecord.objects.filter(
        agency__slug="shifanxian-sfj", year=YEAR, scope=AnnualReportRecord.Scope.AGENCY
    ).first()
    if bureau is not None and bureau.status == AnnualReportRecord.Status.DRAFT:
        clerk, head = users.get(username="sfj_clerk"), users.get(username="sfj_head")
        services.annual_report_review(actor=clerk, record=bureau)
        for finding in services.sign_off_state(bureau).unacknowledged:
            services.finding_acknowledge(
                actor=clerk,
                record=bureau,
                key=services.finding_key(finding),
                rule=finding.rule,
                reason="演示数据，已核实",
            )
        services.annual_report_sign(actor=head, record=bureau)
        services.annual_report_publish(actor=head, record=bureau)
        bureau.refresh_from_db()
        data = {**bureau.published_data, "published_on": PUBLISHED_ON.isoformat()}
        AnnualReportRecord.objects.filter(pk=bureau.pk).update(
            published_on=PUBLISHED_ON, published_data=data, data=data
        )
    stdout.write(f"年度报告：生成 {made} 份 {YEAR} 年度报告（司法局的已发布）。\n")
