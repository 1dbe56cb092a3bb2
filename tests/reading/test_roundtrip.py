"""Every rendered report reads back to identical data (``gongkai.rendering`` × reader)."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.reading import read_report
from gongkai.statutory.formats import FormatVersion, get_layout
from gongkai.statutory.report import AnnualReport, make_report

rendering = pytest.importorskip("gongkai.rendering")

_FORMATS: dict[str, tuple[str, str]] = {
    "text": ("render_text", "r.txt"),
    "markdown": ("render_markdown", "r.md"),
    "html": ("render_html", "r.html"),
    "docx": ("render_docx", "r.docx"),
    "pdf": ("render_pdf", "r.pdf"),
}


def _renderer(name: str) -> Callable[..., Any]:
    fn = getattr(rendering, _FORMATS[name][0], None)
    if fn is None:
        pytest.skip(f"gongkai.rendering has no {_FORMATS[name][0]}")
    return fn  # type: ignore[no-any-return]


def _report(seed: int, version: FormatVersion, big: bool) -> AnnualReport:
    """A consistent random report (sums hold) of the given layout."""
    rng = random.Random(seed)
    layout = get_layout(version)
    top = 5000 if big else 9
    rows: dict[str, list[int]] = {}
    for key in layout.outcome_keys:
        cells = [rng.choice([0, 0, rng.randint(0, top)]) for _ in range(6)]
        rows[key] = [*cells, sum(cells)]
    otot = [sum(rows[k][i] for k in layout.outcome_keys) for i in range(7)]
    carry_in = [rng.randint(0, min(v, top)) if v else 0 for v in otot[:6]]
    carry_out = [rng.randint(0, top // 3) for _ in range(6)]
    new = [o + co - ci for o, co, ci in zip(otot[:6], carry_out, carry_in, strict=True)]
    rows["OTOT"] = otot
    rows["CARRY_IN"] = [*carry_in, sum(carry_in)]
    rows["CARRY_OUT"] = [*carry_out, sum(carry_out)]
    rows["NEW"] = [*new, sum(new)]
    t4: dict[str, list[int]] = {}
    for g in ("REV", "LIT_DIRECT", "LIT_AFTER_REV"):
        parts = [rng.randint(0, top) for _ in range(4)]
        t4[g] = [*parts, sum(parts)]
    from decimal import Decimal

    t2: dict[str, Any] = {}
    for cell in layout.table2_cells:
        if cell.kind.is_decimal:
            t2[cell.key] = Decimal(rng.randint(0, 99999)) / 100
        elif cell.kind.value == "signed_count":
            t2[cell.key] = rng.randint(-top, top)
        else:
            t2[cell.key] = rng.randint(0, top * 10)
    year = 2020 if version is FormatVersion.V2019 else rng.randint(2021, 2025)
    return make_report(
        agency="某某市某某局",
        year=year,
        version=version,
        table2=t2,
        table3=rows,
        table4=t4,
        sections={n: f"第{n}部分正文。" for n in range(1, 7)},
    )


def _assert_same(got: AnnualReport, want: AnnualReport) -> None:
    assert got.format_version == want.format_version
    assert got.year == want.year
    assert got.table3 == want.table3
    assert got.table4 == want.table4
    assert got.table2 == want.table2


@pytest.mark.parametrize("fmt", ["text", "markdown", "html", "docx"])
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**6), v2019=st.booleans(), big=st.booleans())
def test_rendered_reports_read_back_identically(
    fmt: str, seed: int, v2019: bool, big: bool
) -> None:
    report = _report(seed, FormatVersion.V2019 if v2019 else FormatVersion.V2021, big)
    out = _renderer(fmt)(report)
    data = out.encode("utf-8") if isinstance(out, str) else out
    _assert_same(read_report(data, _FORMATS[fmt][1]).report, report)


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**6), big=st.booleans())
def test_rendered_pdf_reads_back_identically(seed: int, big: bool) -> None:
    report = _report(seed, FormatVersion.V2021, big)
    data = _renderer("pdf")(report)
    _assert_same(read_report(data, "r.pdf").report, report)


def test_a_rendered_pdf_states_its_period_and_checks_clean():
    """The statistics period may wrap across a line in PDF text; it is still read (no S-07)."""
    import dataclasses
    import datetime as dt
    from pathlib import Path

    from gongkai.rendering import render_pdf
    from gongkai.statutory.checks import check_report
    from gongkai.statutory.report import AnnualReport, StatisticsPeriod

    seed = Path(__file__).resolve().parents[1] / "data" / "seed-report.json"
    report = dataclasses.replace(
        AnnualReport.from_json(seed.read_text(encoding="utf-8")),
        period=StatisticsPeriod(dt.date(2024, 1, 1), dt.date(2024, 12, 31)),
    )
    result = read_report(render_pdf(report), "seed.pdf")
    assert result.report.period is not None
    assert result.report.period.start == dt.date(2024, 1, 1)
    assert "S-07" not in {f.rule for f in check_report(result.report, context=result.context)}
