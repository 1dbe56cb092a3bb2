"""The demo's annual step: every agency's 2025 report, the bureau's published; idempotent."""

from __future__ import annotations

import io

import pytest

from gongkai.ledger.annual.models import AnnualReportRecord

pytestmark = pytest.mark.django_db


def test_demo_reports_are_assembled_once_and_the_bureaus_is_published(platform):
    from gongkai.ledger.annual.demo import load as load_annual
    from gongkai.ledger.appeals.demo import load as load_appeals
    from gongkai.ledger.requests.demo import load as load_requests

    for step in (load_requests, load_appeals, load_annual, load_annual):
        step(io.StringIO())
    records = AnnualReportRecord.objects.filter(year=2025)
    assert records.count() == len(platform) + 1  # each agency, plus the county's aggregate
    bureau = records.get(agency__slug="shifanxian-sfj")
    assert bureau.is_published and str(bureau.published_on) == "2026-01-20"
    assert bureau.published_data["published_on"] == "2026-01-20"
