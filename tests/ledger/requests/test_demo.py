"""The demo ledger: believable, balanced, fast, and loaded only once."""

from __future__ import annotations

import io
import time

import pytest

from gongkai.ledger.appeals.models import Litigation, Reconsideration
from gongkai.ledger.requests.aggregation import Scope, ledger_report
from gongkai.ledger.requests.models import Application, Letter
from gongkai.statutory.checks import CheckContext, Origin, check_report
from gongkai.statutory.formats import Col, RowKey

pytestmark = pytest.mark.django_db


def test_demo_is_believable_and_idempotent(frozen, platform, sfj):
    from gongkai.ledger.appeals import demo as appeals_demo
    from gongkai.ledger.requests import demo

    frozen("2026-11-20")
    started = time.perf_counter()
    out = io.StringIO()
    demo.load(out)
    appeals_demo.load(out)
    elapsed = time.perf_counter() - started
    count = Application.objects.filter(agency=sfj).count()
    assert 300 <= count <= 700
    assert Application.objects.exclude(agency=sfj).count() > 100
    assert Reconsideration.objects.filter(agency=sfj).count() == 1
    assert Litigation.objects.filter(agency=sfj).count() == 1
    assert elapsed < 30
    # every kind of case is there
    qs = Application.objects.filter(agency=sfj)
    assert qs.filter(amendments__isnull=False).exists()
    assert qs.filter(consultations__isnull=False).exists()
    assert qs.filter(extension_state="approved").exists()
    assert qs.filter(status="lapsed").exists()
    assert qs.exclude(status__in=["closed", "lapsed"]).exists()
    assert set(qs.values_list("channel", flat=True)) >= {"online", "in_person", "registered_post"}
    assert Letter.objects.filter(application__agency=sfj, is_reply=True).exists()
    # the tables balance and carry over from one year to the next
    previous = None
    for year in (2025, 2026):
        report = ledger_report(Scope(sfj), year).report()
        bad = [
            f
            for f in check_report(
                report, previous=previous, context=CheckContext(origin=Origin.GENERATED)
            )
            if f.rule.startswith("A-") or f.rule == "Y-01"
        ]
        assert bad == []
        previous = report
    assert ledger_report(Scope(sfj), 2026).cell(RowKey.CARRY_IN, Col.TOT) > 0
    # a second run changes nothing
    demo.load(out)
    appeals_demo.load(out)
    assert Application.objects.filter(agency=sfj).count() == count
    assert Reconsideration.objects.count() == 2
