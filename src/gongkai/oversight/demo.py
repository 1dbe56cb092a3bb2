"""Demo data of the supervising office: the register of 示范县's reporting bodies (the platform's
agencies plus four outside it) and a checked batch of last year's reports: the platform
agencies' generated drafts, and uploaded files in several formats
with the usual defects: an unbalanced table (PDF), a late publication (DOCX), a paragraph
copied from last year (TXT), a file that is not a report, and last year's report of one body
for the cross-year rules. Idempotent: the batch is made once.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import TextIO

from django.contrib.auth import get_user_model

from gongkai.core import clock
from gongkai.core.models import Agency
from gongkai.oversight import services, tasks
from gongkai.oversight.models import AuditBatch, ReportingBody
from gongkai.oversight.samples import sample_report

DEMO_TITLE = "{year}年度报告审查（演示）"

OUTSIDE_BODIES = (
    ("示范县教育局", ReportingBody.Kind.DEPARTMENT, Agency.Level.COUNTY),
    ("示范县卫生健康委员会", ReportingBody.Kind.DEPARTMENT, Agency.Level.COUNTY),
    ("示范县公安局", ReportingBody.Kind.DEPARTMENT, Agency.Level.COUNTY),
    ("示范县东关乡人民政府", ReportingBody.Kind.TOWNSHIP, Agency.Level.TOWNSHIP),
)


def _files(year: int) -> list[tuple[str, bytes]]:
    from gongkai.rendering import render_docx, render_html, render_pdf, render_text

    # WeasyPrint reports CSS it ignores at WARNING level; the demo output is for people.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)

    jan = dt.date(year + 1, 1, 1)
    education_prev = sample_report(
        "示范县教育局", year - 1, seed=1, published_on=dt.date(year, 1, 20)
    )
    education = sample_report(
        "示范县教育局",
        year,
        seed=1,
        published_on=jan.replace(day=22),
        carried_in=(education_prev.cell_or_zero("CARRY_OUT", "NP") + 1),  # Y-01 mismatch
        defect="reconciliation",
    )
    health = sample_report(
        "示范县卫生健康委员会", year, seed=2, published_on=dt.date(year + 1, 2, 14)
    )
    police = sample_report(
        "示范县公安局", year, seed=3, published_on=jan.replace(day=27), defect="copied_year"
    )
    return [
        (f"01-示范县教育局{year}年政府信息公开工作年度报告.pdf", render_pdf(education)),
        (f"示范县教育局{year - 1}年度报告.html", render_html(education_prev).encode("utf-8")),
        (f"县卫健委{year}年度政府信息公开工作年度报告.docx", render_docx(health)),
        (
            f"03-示范县公安局{year}年政府信息公开工作年度报告.txt",
            render_text(police).encode("utf-8"),
        ),
        (
            "关于召开政务公开工作会议的通知.txt",
            "各单位：定于下周召开政务公开工作会议，请准时参加。".encode(),
        ),
    ]


def _platform_drafts(region: Agency, year: int) -> None:
    """Platform agencies without a report of ``year`` get a draft assembled from their ledger
    (what the annual workspace does), so the demo batch shows generated reports next to the
    uploaded ones. Reports made by the annual app's own demo step are left alone."""
    from gongkai.ledger.annual.models import AnnualReportRecord
    from gongkai.ledger.annual.services import annual_report_assemble

    admin = get_user_model().objects.filter(username="platform_admin", is_superuser=True).first()
    if admin is None:
        return
    for body in ReportingBody.objects.filter(region=region, agency__isnull=False).select_related(
        "agency"
    ):
        if not AnnualReportRecord.objects.filter(agency=body.agency, year=year).exists():
            annual_report_assemble(actor=admin, agency=body.agency, year=year)


def load(stdout: TextIO) -> None:
    """Register the bodies and make (and check) the demo batch, once."""
    region = Agency.objects.filter(slug="shifanxian").first()
    actor = get_user_model().objects.filter(username="zwgkb").first()
    if region is None or actor is None:
        return
    year = clock.today().year - 1
    title = DEMO_TITLE.format(year=year)
    if AuditBatch.objects.filter(region=region, title=title).exists():
        return
    services.register_sync_platform(actor=actor, region=region)
    _platform_drafts(region, year)
    for name, kind, level in OUTSIDE_BODIES:
        if not ReportingBody.objects.filter(region=region, name=name).exists():
            services.body_create(actor=actor, region=region, name=name, kind=kind, level=level)
    batch = services.batch_create(actor=actor, region=region, year=year, title=title)
    result = services.batch_add_files(actor=actor, batch=batch, uploads=_files(year))
    # Check at once, in this process (the demo command must not leave a thread behind).
    AuditBatch.objects.filter(pk=batch.pk).update(
        status=AuditBatch.Status.QUEUED, started_at=clock.now()
    )
    tasks.process_batch(batch.pk)
    stdout.write(
        f"报告审查：名录 {ReportingBody.objects.filter(region=region).count()} 个机关，"
        f"演示批次“{title}”{len(result.added)} 个文件已检查。\n"
    )
