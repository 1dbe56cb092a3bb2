"""The registers behind table 二: issued / repealed / in force by date, the monthly figures
(by hand and from XLSX, with the source), and table 二 as an AnnualReport part."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.core.models import AuditEvent
from gongkai.ledger.publishing.models import MonthlyFigures, Publication, RegisterEntry
from gongkai.ledger.publishing.selectors import table2_part, table2_sources, table2_values
from gongkai.ledger.publishing.services import (
    MonthValues,
    figures_import_xlsx,
    figures_set_month,
    publication_set_validity,
    register_entry_create,
    register_entry_repeal,
)
from gongkai.statutory.formats import LAYOUT_2021, FormatVersion, T2Key
from gongkai.statutory.report import AnnualReport

pytestmark = pytest.mark.django_db

N = RegisterEntry.Kind.NORMATIVE


def _entry(sfj, clerk, issued, repealed=None, kind=N):
    entry = register_entry_create(
        actor=clerk, agency=sfj, kind=kind, title=f"文件{issued}", issued_on=issued
    )
    if repealed:
        entry = register_entry_repeal(actor=clerk, entry=entry, repealed_on=repealed)
    return entry


def test_issued_repealed_and_in_force_come_from_the_dates(sfj, users):
    clerk = users["sfj_clerk"]
    _entry(sfj, clerk, dt.date(2020, 5, 1))  # in force
    _entry(sfj, clerk, dt.date(2021, 1, 1), dt.date(2024, 12, 31))  # repealed last year
    _entry(sfj, clerk, dt.date(2022, 3, 1), dt.date(2025, 6, 1))  # repealed this year
    _entry(sfj, clerk, dt.date(2025, 2, 1))  # issued this year
    _entry(sfj, clerk, dt.date(2025, 3, 1), dt.date(2025, 9, 1))  # issued and repealed this year
    _entry(sfj, clerk, dt.date(2026, 1, 1))  # next year
    values = table2_values(agency=sfj, year=2025)
    assert values[T2Key.NORMATIVE_ISSUED] == 2
    assert values[T2Key.NORMATIVE_REPEALED] == 2
    assert values[T2Key.NORMATIVE_IN_FORCE] == 2
    assert table2_values(agency=sfj, year=2024)[T2Key.NORMATIVE_IN_FORCE] == 2
    assert values[T2Key.REGULATION_IN_FORCE] == 0


@settings(max_examples=15, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(2018, 2026), st.one_of(st.none(), st.integers(0, 4))), max_size=8
    )
)
def test_rule_y02_holds_by_construction(django_db_blocker, spans):
    """现行有效(Y) = 现行有效(Y−1) + 制发(Y) − 废止(Y), for any register and any year."""
    from gongkai.core.demo import load_platform

    with django_db_blocker.unblock():
        from django.db import transaction

        with transaction.atomic():
            agencies = load_platform()
            sfj = agencies["shifanxian-sfj"]
            RegisterEntry.objects.filter(agency=sfj).delete()
            for i, (year, lasts) in enumerate(spans):
                issued = dt.date(year, 1 + i % 12, 1 + i)
                repealed = None if lasts is None else issued + dt.timedelta(days=365 * lasts)
                RegisterEntry.objects.create(
                    agency=sfj,
                    kind=N,
                    title=str(i),
                    issued_on=issued,
                    repealed_on=repealed,
                    created_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
                )
            for year in range(2018, 2031):
                now, before = (
                    table2_values(agency=sfj, year=year),
                    table2_values(agency=sfj, year=year - 1),
                )
                assert now[T2Key.NORMATIVE_IN_FORCE] == (
                    before[T2Key.NORMATIVE_IN_FORCE]
                    + now[T2Key.NORMATIVE_ISSUED]
                    - now[T2Key.NORMATIVE_REPEALED]
                )
            transaction.set_rollback(True)


def test_a_repeal_before_the_issue_date_is_refused(sfj, users):
    entry = _entry(sfj, users["sfj_clerk"], dt.date(2024, 5, 1))
    with pytest.raises(ValidationError, match="早于"):
        register_entry_repeal(
            actor=users["sfj_clerk"], entry=entry, repealed_on=dt.date(2024, 1, 1)
        )


def test_only_rule_making_bodies_register_regulations(sfj, users):
    with pytest.raises(ValidationError, match="规章制定权"):
        _entry(sfj, users["sfj_clerk"], dt.date(2024, 5, 1), kind=RegisterEntry.Kind.REGULATION)


def test_register_changes_are_audited(sfj, users):
    entry = _entry(sfj, users["sfj_clerk"], dt.date(2024, 5, 1), dt.date(2025, 5, 1))
    codes = list(
        AuditEvent.objects.filter(subject_id=str(entry.pk), subject_type="publishing.registerentry")
        .values_list("action", flat=True)
        .order_by("id")
    )
    assert codes == ["register_entry.created", "register_entry.repealed"]


def test_a_published_normative_document_enters_the_register_and_follows_its_validity(
    make_draft, publish, users, sfj
):
    item = publish(
        make_draft(
            doc_type=Publication.DocType.POLICY,
            document_number="示司规〔2025〕1号",
            written_on=dt.date(2025, 3, 2),
            register_kind=Publication.RegisterKind.NORMATIVE,
        )
    )
    entry = RegisterEntry.objects.get(publication=item)
    assert (entry.kind, entry.issued_on, entry.document_number) == (
        N,
        dt.date(2025, 3, 2),
        "示司规〔2025〕1号",
    )
    publication_set_validity(
        actor=users["sfj_clerk"],
        publication=item,
        validity="repealed",
        changed_on=dt.date(2025, 12, 1),
    )
    entry.refresh_from_db()
    assert entry.repealed_on == dt.date(2025, 12, 1)
    values = table2_values(agency=sfj, year=2025)
    assert (
        values[T2Key.NORMATIVE_ISSUED],
        values[T2Key.NORMATIVE_REPEALED],
        values[T2Key.NORMATIVE_IN_FORCE],
    ) == (1, 1, 0)


def test_monthly_figures_sum_to_the_year(sfj, users):
    clerk = users["sfj_clerk"]
    figures_set_month(
        actor=clerk,
        agency=sfj,
        year=2025,
        month=1,
        values=MonthValues(licensing=3, penalty=1, coercion=0, fee_10k_yuan=Decimal("0.5")),
    )
    figures_set_month(
        actor=clerk,
        agency=sfj,
        year=2025,
        month=2,
        values=MonthValues(licensing=4, penalty=0, coercion=2, fee_10k_yuan=Decimal("1.25")),
    )
    # correcting a month replaces it and records the old values
    figures_set_month(
        actor=clerk,
        agency=sfj,
        year=2025,
        month=2,
        values=MonthValues(licensing=5, penalty=0, coercion=2, fee_10k_yuan=Decimal("1.25")),
    )
    values = table2_values(agency=sfj, year=2025)
    assert values[T2Key.LICENSING_DECISIONS] == 8
    assert values[T2Key.PENALTY_DECISIONS] == 1
    assert values[T2Key.COERCION_DECISIONS] == 2
    assert values[T2Key.ADMIN_FEE_AMOUNT] == Decimal("1.75")
    last = AuditEvent.objects.filter(action="monthly_figures.saved").order_by("-id").first()
    assert last.data["before"]["licensing"] == 4 and last.data["after"]["licensing"] == 5
    assert table2_sources(agency=sfj, year=2025) == ["手工录入（1、2月）"]


def test_negative_figures_are_refused(sfj, users):
    with pytest.raises(ValidationError):
        figures_set_month(
            actor=users["sfj_clerk"],
            agency=sfj,
            year=2025,
            month=3,
            values=MonthValues(licensing=-1),
        )


def _xlsx(rows):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    stream = io.BytesIO()
    book.save(stream)
    stream.seek(0)
    return stream


def test_figures_are_imported_from_xlsx_with_the_source(sfj, users):
    stream = _xlsx(
        [
            ["示范县司法局2025年行政管理数据"],
            ["月份", "行政许可", "行政处罚", "行政强制", "行政事业性收费（万元）"],
            ["1月", 2, 0, 0, 0.3],
            [2, 1, 1, None, "0.2"],
            ["十二月", 0, 0, 1, 0],
            ["合计", 3, 1, 1, 0.5],
        ]
    )
    saved = figures_import_xlsx(
        actor=users["sfj_clerk"], agency=sfj, year=2025, stream=stream, filename="2025年数据.xlsx"
    )
    assert [r.month for r in saved] == [1, 2, 12]
    values = table2_values(agency=sfj, year=2025)
    assert values[T2Key.LICENSING_DECISIONS] == 3 and values[T2Key.ADMIN_FEE_AMOUNT] == Decimal(
        "0.5"
    )
    assert all(r.source.startswith("XLSX导入：2025年数据.xlsx（SHA-256 ") for r in saved)
    event = AuditEvent.objects.get(action="monthly_figures.imported")
    assert event.data["after"]["year"] == 2025 and set(event.data["after"]["months"]) == {
        "1",
        "2",
        "12",
    }


def test_a_fee_column_in_yuan_is_converted_to_10k_yuan(sfj, users):
    stream = _xlsx([["月份", "行政许可", "行政事业性收费（元）"], [1, 0, 12500]])
    figures_import_xlsx(
        actor=users["sfj_clerk"], agency=sfj, year=2025, stream=stream, filename="a.xlsx"
    )
    assert MonthlyFigures.objects.get(agency=sfj, year=2025, month=1).fee_10k_yuan == Decimal(
        "1.25"
    )


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([["甲", "乙"], [1, 2]], "未找到表头"),
        ([["月份", "行政许可"], ["13", 1]], "1至12"),
        ([["月份", "行政许可"], [1, "很多"]], "不是数字"),
        ([["月份", "行政许可"], [1, 1], [1, 2]], "重复"),
    ],
)
def test_a_bad_sheet_imports_nothing(sfj, users, rows, message):
    with pytest.raises(ValidationError, match=message):
        figures_import_xlsx(
            actor=users["sfj_clerk"], agency=sfj, year=2025, stream=_xlsx(rows), filename="x.xlsx"
        )
    assert not MonthlyFigures.objects.exists()


def test_a_file_that_is_not_xlsx_is_refused(sfj, users):
    with pytest.raises(ValidationError, match="无法读取"):
        figures_import_xlsx(
            actor=users["sfj_clerk"],
            agency=sfj,
            year=2025,
            stream=io.BytesIO(b"not a workbook"),
            filename="x.xlsx",
        )


def test_only_staff_with_the_permission_enter_figures(sfj, users):
    from gongkai.ledger.publishing.errors import ActionRefused

    for name in ("sfj_secrecy", "zrzyj_clerk"):
        with pytest.raises(ActionRefused):
            figures_set_month(
                actor=users[name], agency=sfj, year=2025, month=1, values=MonthValues()
            )


def test_table2_is_an_annual_report_part_keyed_by_the_2021_layout(sfj, users):
    _entry(sfj, users["sfj_clerk"], dt.date(2025, 2, 1))
    values = table2_values(agency=sfj, year=2025)
    assert tuple(values) == LAYOUT_2021.table2_keys
    part = table2_part(agency=sfj, year=2025)
    assert isinstance(part, AnnualReport)
    assert part.format_version == FormatVersion.V2021 and part.agency == "示范县司法局"
    assert part.table2_value(T2Key.NORMATIVE_ISSUED) == 1
    assert part.table2_value(T2Key.ADMIN_FEE_AMOUNT) == Decimal("0")
