"""The government's annual report sums its own ledger, the platform agencies' ledgers and the
parsed reports of the region's bodies outside the platform (issue 8 + issue 9)."""

from __future__ import annotations

import pytest

from gongkai.ledger.annual import services as annual
from gongkai.oversight import services
from gongkai.oversight.samples import sample_report
from gongkai.statutory.formats import Col, RowKey
from tests.oversight.conftest import text_file

pytestmark = pytest.mark.django_db


def test_the_region_report_adds_the_parsed_reports_of_off_platform_bodies(
    region, supervisor, bodies, eager, django_capture_on_commit_callbacks
):
    platform_only = annual.report_of(
        annual.annual_report_assemble(actor=supervisor, agency=region, year=2025, scope="region")
    ).cell(RowKey.NEW, Col.TOT)

    batch = services.batch_create(actor=supervisor, region=region, year=2025)
    services.batch_add_files(
        actor=supervisor,
        batch=batch,
        uploads=[("示范县教育局.txt", text_file("示范县教育局", 2025, seed=3))],
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.batch_start(actor=supervisor, batch=batch)

    record = annual.annual_report_assemble(
        actor=supervisor, agency=region, year=2025, scope="region"
    )
    education = sample_report("示范县教育局", 2025, seed=3).cell(RowKey.NEW, Col.TOT)
    assert education > 0
    assert annual.report_of(record).cell(RowKey.NEW, Col.TOT) == platform_only + education
    assert {"table": "table3", "key": "NEW"} in [
        {"table": c["table"], "key": c["key"]} for c in record.changes
    ]
