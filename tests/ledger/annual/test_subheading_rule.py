"""Rule M-13 (sub-heading numbering jumps) stays quiet on generated annual reports."""

from __future__ import annotations

import io
import unicodedata

import pytest
from django.contrib.auth import get_user_model

from gongkai.ledger.annual import services

pytestmark = pytest.mark.django_db


def _clerk():
    return get_user_model().objects.get(username="sfj_clerk")


def _m13(record):
    # the narrative does have numbered sub-headings, so the rule has something to look at
    part_one = unicodedata.normalize("NFKC", services.report_of(record).section(1) or "")
    assert "(一)" in part_one and "(二)" in part_one
    return [f for f in services.record_findings(record) if f.rule == "M-13"]


def test_the_generated_report_has_consecutive_subheadings(platform):
    record = services.annual_report_assemble(
        actor=_clerk(), agency=platform["shifanxian-sfj"], year=2025
    )
    assert _m13(record) == []


def test_the_demo_year_has_consecutive_subheadings(platform):
    from gongkai.ledger.appeals.demo import load as load_appeals
    from gongkai.ledger.requests.demo import load as load_requests

    load_requests(io.StringIO())
    load_appeals(io.StringIO())
    record = services.annual_report_assemble(
        actor=_clerk(), agency=platform["shifanxian-sfj"], year=2025
    )
    assert _m13(record) == []
