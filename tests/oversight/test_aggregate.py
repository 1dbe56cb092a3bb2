"""The region's tables summed from its bodies: generated ones for platform agencies, parsed
ones for the others, with the table rules run on the sum."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.ledger.annual.models import AnnualReportRecord
from gongkai.oversight import services
from gongkai.oversight.aggregate import conform, region_figures
from gongkai.oversight.samples import sample_report
from gongkai.statutory.formats import FormatVersion, RowKey
from gongkai.statutory.report import make_report, sum_reports
from tests.oversight.conftest import text_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def collected(region, supervisor, bodies, eager, django_capture_on_commit_callbacks):
    """Two platform agencies with reports, one upload read, one unreadable, the rest missing."""
    sfj = region.children.get(slug="shifanxian-sfj")
    zrzyj = region.children.get(slug="shifanxian-zrzyj")
    generated = {
        sfj.name: sample_report(sfj.name, 2025, seed=1),
        zrzyj.name: sample_report(zrzyj.name, 2025, seed=2),
    }
    AnnualReportRecord.objects.create(agency=sfj, year=2025, data=generated[sfj.name].to_dict())
    AnnualReportRecord.objects.create(
        agency=zrzyj,
        year=2025,
        status="published",
        data=generated[zrzyj.name].to_dict(),
        published_data=generated[zrzyj.name].to_dict(),
        published_on=dt.date(2026, 1, 15),
    )
    batch = services.batch_create(actor=supervisor, region=region, year=2025)
    services.batch_add_files(
        actor=supervisor,
        batch=batch,
        uploads=[
            ("示范县教育局.txt", text_file("示范县教育局", 2025, seed=3)),
            ("示范县公安局.txt", b"not a report at all, just some words"),
        ],
    )
    batch.items.filter(filename="示范县公安局.txt").update(
        body=bodies["示范县公安局"], match="confirmed"
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.batch_start(actor=supervisor, batch=batch)
    return generated


def test_the_region_is_the_sum_of_generated_and_parsed_tables(region, collected):
    figures = region_figures(region=region, year=2025)
    by_name = {c.body.name: c for c in figures.contributors}
    assert by_name["示范县司法局"].source == "generated"
    assert by_name["示范县自然资源局"].label == "由台账生成（已发布）"
    assert by_name["示范县教育局"].source == "parsed"
    assert by_name["示范县公安局"].source == "unreadable"
    assert by_name["示范县城关镇人民政府"].source == "missing"
    assert len(figures.included) == 3
    parts = [
        *collected.values(),
        sample_report("示范县教育局", 2025, seed=3),
    ]
    expected = sum_reports(parts, agency=region.name)
    assert figures.report.table3 == expected.table3
    assert figures.report.table4 == expected.table4
    assert figures.report.cell(RowKey.NEW, "TOT") == sum(c.applications for c in figures.included)
    assert figures.findings == ()  # consistent parts give a consistent sum


def test_the_sum_is_checked_with_the_table_rules(region, supervisor, bodies, collected):
    cgz = region.children.get(slug="shifanxian-cgz")
    AnnualReportRecord.objects.create(
        agency=cgz,
        year=2025,
        data=sample_report(cgz.name, 2025, defect="reconciliation").to_dict(),
    )
    figures = region_figures(region=region, year=2025)
    assert {f.rule for f in figures.findings} >= {"A-03"}
    assert not any(f.rule.startswith("S-") for f in figures.findings)


def test_the_annual_workspace_gets_table_parts_it_can_build_a_report_from(region, collected):
    figures = region_figures(region=region, year=2025)
    parts = figures.as_table_parts()
    rebuilt = make_report(
        agency=region.name,
        year=2025,
        table2=parts["table2"],
        table3=parts["table3"],
        table4=parts["table4"],
        processing_fees=parts["processing_fees"],
    )
    assert rebuilt.table3 == figures.report.table3
    assert rebuilt.table2 == figures.report.table2


def test_no_reports_no_sum(region, bodies):
    figures = region_figures(region=region, year=2024)
    assert figures.report is None and figures.as_table_parts() == {}
    assert {c.source for c in figures.contributors} == {"missing"}


def test_a_2021_report_on_the_2019_template_is_converted():
    old = sample_report("某局", 2020)  # 2019 layout
    old = make_report(
        agency="某局",
        year=2021,
        version=FormatVersion.V2019,
        table3={k: list(old.row(k)) for k in old.layout.table3_keys},
        table4={g: list(old.table4_group(g)) for g in ("REV", "LIT_DIRECT", "LIT_AFTER_REV")},
        table2={"licensing_decisions": 7},
        fill=0,
    )
    new, note = conform(old, FormatVersion.V2021)
    assert new.format_version == FormatVersion.V2021
    assert new.row(RowKey.O6_3) == old.row(RowKey.O6)
    assert new.row(RowKey.OTOT) == old.row(RowKey.OTOT)
    assert new.table2_value("licensing_decisions") == 7
    assert new.table2_value("normative_issued") is None
    assert "折算" in note
    back, _ = conform(new, FormatVersion.V2019)
    assert back.row(RowKey.O6) == old.row(RowKey.O6)


def test_year_over_year_rules_only_with_last_years_reports_of_the_same_bodies(
    region, supervisor, bodies, collected
):
    figures = region_figures(region=region, year=2025)
    assert "缺少2024年度报告" in figures.previous_note
    assert not any(f.rule.startswith("Y-") for f in figures.findings)
    # last year's reports of all three contributors, carrying forward other numbers
    for agency_slug in ("shifanxian-sfj", "shifanxian-zrzyj"):
        agency = region.children.get(slug=agency_slug)
        AnnualReportRecord.objects.create(
            agency=agency, year=2024, data=sample_report(agency.name, 2024, seed=7).to_dict()
        )
    batch = services.batch_create(actor=supervisor, region=region, year=2024)
    services.batch_add_files(
        actor=supervisor,
        batch=batch,
        uploads=[("示范县教育局2024.txt", text_file("示范县教育局", 2024, seed=7))],
    )
    from gongkai.oversight import tasks
    from gongkai.oversight.models import AuditBatch

    AuditBatch.objects.filter(pk=batch.pk).update(status="queued")
    tasks.process_batch(batch.pk)
    figures = region_figures(region=region, year=2025)
    assert figures.previous_note.startswith("已与同一批机关")
    assert any(f.rule.startswith("Y-") for f in figures.findings)  # compared with 2024
