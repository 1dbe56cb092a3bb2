"""索引号: the template, its tokens, per-scope running numbers, uniqueness, concurrency."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection

from gongkai.ledger.publishing.models import Publication, PublishingSettings
from gongkai.ledger.publishing.services.index_numbers import (
    index_number_allocate,
    validate_index_template,
)


@pytest.mark.parametrize(
    "template",
    [
        "{uscc}/{year}-{seq:05}",
        "{org_code}/{yyyymm}-{seq:05}",
        "{region}-{dept}-{category}-{yyyymmdd}-{seq:04}",
    ],
)
def test_valid_templates(template):
    validate_index_template(template)


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("{uscc}/{year}", "流水号"),
        ("{uscc}/{seq}-{seq}", "流水号"),
        ("{name}/{seq}", "未知字段"),
        ("{uscc/{seq}", "格式错误"),
    ],
)
def test_invalid_templates(template, message):
    with pytest.raises(ValidationError, match=message):
        validate_index_template(template)


@pytest.mark.django_db
def test_default_numbers_run_per_year(sfj, make_draft):
    first, second, next_year = make_draft(), make_draft(), make_draft()
    assert (
        index_number_allocate(publication=first, on=dt.date(2025, 3, 1))
        == "11410000MB00000036/2025-00001"
    )
    assert (
        index_number_allocate(publication=second, on=dt.date(2025, 12, 31))
        == "11410000MB00000036/2025-00002"
    )
    assert (
        index_number_allocate(publication=next_year, on=dt.date(2026, 1, 1))
        == "11410000MB00000036/2026-00001"
    )


@pytest.mark.django_db
def test_a_custom_template_with_org_code_category_and_month(sfj, make_draft):
    PublishingSettings.objects.create(
        agency=sfj, index_template="{org_code}/{yyyymm}-{category}-{seq:03}", dept_code="SFJ"
    )
    item = make_draft(category="01")
    assert (
        index_number_allocate(publication=item, on=dt.date(2025, 10, 8))
        == "MB0000003/202510-01-001"
    )


@pytest.mark.django_db
def test_index_numbers_are_unique(sfj, make_draft, publish):
    item = publish(make_draft())
    other = make_draft()
    with pytest.raises(IntegrityError):
        Publication.objects.filter(pk=other.pk).update(index_number=item.index_number)


@pytest.mark.django_db
def test_a_number_already_taken_is_skipped(sfj, make_draft, publish):
    """Changing the template back and forth must not hand out a number twice."""
    item = publish(make_draft())
    from gongkai.ledger.publishing.models import IndexSequence

    IndexSequence.objects.update(last=0)
    again = make_draft()
    number = index_number_allocate(publication=again, on=item.published_at.date())
    assert number != item.index_number and number.endswith("-00002")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_allocations_never_collide(platform):
    """Threads allocating at once get distinct numbers (row lock on PostgreSQL; SQLite
    serialises writers)."""
    if connection.vendor != "postgresql":
        pytest.skip("needs a server database for real concurrency")
    from django.db import close_old_connections, transaction

    from gongkai.ledger.publishing.demo import _ensure_columns

    sfj = platform["shifanxian-sfj"]
    column = _ensure_columns(sfj)["通知公告"]
    from gongkai.core import clock

    items = [
        Publication.objects.create(
            agency=sfj,
            column=column,
            title=f"并发{i}",
            created_at=clock.now(),
            updated_at=clock.now(),
        )
        for i in range(16)
    ]
    numbers, errors = [], []
    barrier = threading.Barrier(8)

    def work(chunk):
        try:
            barrier.wait()
            for item in chunk:
                with transaction.atomic():
                    numbers.append(index_number_allocate(publication=item, on=dt.date(2025, 5, 5)))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=work, args=(items[i::8],)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(numbers) == [f"11410000MB00000036/2025-{i:05d}" for i in range(1, 17)]
