"""`publish_scheduled`: publishes what is due, idempotent, --dry-run, one run at a time;
the demo data: idempotent, and table 二 of the demo year reads like the seed report."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command

from gongkai.core import clock
from gongkai.core.models import AuditEvent
from gongkai.ledger.publishing.models import Publication, TermRule

pytestmark = pytest.mark.django_db

Status = Publication.Status


@pytest.fixture
def due_and_future(make_draft, publish):
    due = publish(make_draft(title="到期信息", scheduled_at=clock.now() + dt.timedelta(minutes=5)))
    future = publish(
        make_draft(title="未到期信息", scheduled_at=clock.now() + dt.timedelta(days=3))
    )
    Publication.objects.filter(pk=due.pk).update(scheduled_at=clock.now() - dt.timedelta(minutes=1))
    return due, future


def _run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("publish_scheduled", *args, stdout=out, stderr=err)
    return out.getvalue()


def test_dry_run_lists_what_is_due_and_changes_nothing(due_and_future):
    due, future = due_and_future
    out = _run("--dry-run")
    assert "将发布：示范县司法局《到期信息》" in out and "未到期信息" not in out
    assert Publication.objects.get(pk=due.pk).status == Status.SCHEDULED


def test_due_items_are_published_once(due_and_future):
    due, future = due_and_future
    assert "发布 1 条，失败 0 条" in _run()
    due.refresh_from_db()
    future.refresh_from_db()
    assert due.status == Status.PUBLISHED and due.index_number
    assert future.status == Status.SCHEDULED
    assert "发布 0 条" in _run()  # idempotent
    assert AuditEvent.objects.filter(action="publication.published_scheduled").count() == 1


def test_a_failing_item_does_not_stop_the_others(due_and_future, make_draft, publish):
    due, _ = due_and_future
    other = publish(
        make_draft(title="另一条到期信息", scheduled_at=clock.now() + dt.timedelta(minutes=5))
    )
    Publication.objects.filter(pk=other.pk).update(
        scheduled_at=clock.now() - dt.timedelta(minutes=2), title="另一条到期信息 三审三教"
    )
    assert TermRule.objects.filter(pattern="三审三教", blocking=True).exists()
    with pytest.raises(CommandError, match="1 条定时信息未能发布"):
        _run()
    assert Publication.objects.get(pk=due.pk).status == Status.PUBLISHED
    assert Publication.objects.get(pk=other.pk).status == Status.SCHEDULED


@pytest.fixture
def lock_held_elsewhere():
    """The scheduler's lock, held by "another process" (a second database session on
    PostgreSQL, whose advisory locks are re-entrant within one session)."""
    from django.db import connection, connections

    from gongkai.ledger.publishing.locking import advisory_key, command_lock

    if connection.vendor != "postgresql":
        with command_lock("publish_scheduled") as acquired:
            assert acquired
            yield
        return
    other = connections.create_connection("default")
    with other.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [advisory_key("publish_scheduled")])
        assert cursor.fetchone()[0]
    yield
    other.close()


def test_a_second_run_while_one_is_running_skips(due_and_future, lock_held_elsewhere):
    assert "另一个 publish_scheduled 正在运行" in _run()
    assert Publication.objects.get(pk=due_and_future[0].pk).status == Status.SCHEDULED


def test_the_demo_is_idempotent_and_table2_reads_like_the_seed(platform):
    from gongkai.core.models import Agency
    from gongkai.ledger.messages.demo import load as load_messages
    from gongkai.ledger.messages.selectors import message_year_figures
    from gongkai.ledger.publishing.demo import load
    from gongkai.ledger.publishing.selectors import channel_figures, table2_values
    from gongkai.statutory.formats import T2Key

    out = io.StringIO()
    load(out)
    load_messages(out)
    count = Publication.objects.count()
    load(out)
    load_messages(out)
    assert Publication.objects.count() == count
    sfj = Agency.objects.get(slug="shifanxian-sfj")
    year = clock.today().year - 1
    values = table2_values(agency=sfj, year=year)
    assert (
        values[T2Key.NORMATIVE_ISSUED],
        values[T2Key.NORMATIVE_REPEALED],
        values[T2Key.NORMATIVE_IN_FORCE],
    ) == (1, 0, 6)
    assert values[T2Key.LICENSING_DECISIONS] == 0 and values[T2Key.REGULATION_IN_FORCE] == 0
    figures = channel_figures(agency=sfj, year=year)
    assert figures.total == 757 and figures.by_channel["政务公开云平台"] == 257
    messages = message_year_figures(agency=sfj, year=year)
    assert (messages.messages, messages.people, messages.reply_rate) == (4, 4, 100)
    assert Publication.objects.filter(status=Status.CONFIDENTIALITY_REVIEW).exists()
