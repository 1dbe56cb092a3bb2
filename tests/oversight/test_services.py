"""Services, background checking and selectors of the supervising office (database)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.core.models import AuditEvent
from gongkai.ledger.annual.models import AnnualReportRecord
from gongkai.oversight import selectors, services, tasks
from gongkai.oversight.models import AuditBatch, AuditItem, ReportingBody
from gongkai.oversight.samples import sample_report
from tests.oversight.conftest import JAN_20, docx_file, text_file

pytestmark = pytest.mark.django_db


def _rules(item: AuditItem) -> set[str]:
    return {f["rule"] for f in item.findings}


def _start(batch, user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.batch_start(actor=user, batch=batch)
    batch.refresh_from_db()
    return batch


def test_register_sync_adds_the_platforms_agencies_once(region, supervisor):
    added = services.register_sync_platform(actor=supervisor, region=region)
    names = {b.name for b in added}
    assert names == {
        "示范县人民政府办公室",
        "示范县司法局",
        "示范县自然资源局",
        "示范县城关镇人民政府",
    }
    assert ReportingBody.objects.get(name="示范县城关镇人民政府").kind == "township"
    assert services.register_sync_platform(actor=supervisor, region=region) == []
    assert AuditEvent.objects.filter(action="oversight.register.synced").count() == 1


def test_a_clerk_cannot_use_the_services(platform, region):
    from django.contrib.auth import get_user_model

    clerk = get_user_model().objects.get(username="sfj_clerk")
    with pytest.raises(PermissionDenied):
        services.batch_create(actor=clerk, region=region, year=2025)
    with pytest.raises(PermissionDenied):
        services.register_sync_platform(actor=clerk, region=region)


def test_another_regions_supervisor_cannot_act_on_this_region(other_region, region):
    from django.contrib.auth import get_user_model

    neighbour = get_user_model().objects.get(username="lx_zwgkb")
    with pytest.raises(PermissionDenied):
        services.batch_create(actor=neighbour, region=region, year=2025)
    assert list(selectors.regions_for_user(neighbour)) == [other_region]


def test_who_may_oversee(platform):
    from django.contrib.auth import get_user_model

    users = {u.username: u for u in get_user_model().objects.all()}
    allowed = {name for name, u in users.items() if selectors.can_oversee(u)}
    assert allowed == {"zwgkb", "xian_admin", "platform_admin"}


def test_batch_takes_platform_reports_without_upload(region, supervisor, bodies):
    # given a platform agency with a generated draft and one with a published report
    sfj = region.children.get(slug="shifanxian-sfj")
    zrzyj = region.children.get(slug="shifanxian-zrzyj")
    AnnualReportRecord.objects.create(
        agency=sfj, year=2025, data=sample_report(sfj.name, 2025).to_dict()
    )
    published = sample_report(zrzyj.name, 2025, published_on=dt.date(2026, 2, 3))
    AnnualReportRecord.objects.create(
        agency=zrzyj,
        year=2025,
        status="published",
        published_on=dt.date(2026, 2, 3),
        data=published.to_dict(),
        published_data=published.to_dict(),
    )
    # when
    batch = services.batch_create(actor=supervisor, region=region, year=2025)
    items = {i.body.name: i for i in batch.items.all()}
    assert set(items) == {sfj.name, zrzyj.name}
    AuditBatch.objects.filter(pk=batch.pk).update(status="queued")
    tasks.process_batch(batch.pk)
    items = {i.body.name: i for i in batch.items.all()}
    # then: the published one was three days late; the draft is not yet published (M-08)
    assert items[zrzyj.name].late_days == 3
    assert "M-08" in _rules(items[zrzyj.name])
    draft = items[sfj.name]
    assert draft.status == "read" and draft.published_on is None
    assert any("尚未发布" in f["message"] for f in draft.findings)  # today is after 31 Jan 2026


def test_upload_matches_names_and_recognises_duplicates(region, supervisor, bodies):
    batch = services.batch_create(actor=supervisor, region=region, year=2025)
    same = text_file("示范县教育局", 2025)
    result = services.batch_add_files(
        actor=supervisor,
        batch=batch,
        uploads=[
            ("示范县教育局2025年政府信息公开工作年度报告.txt", same),
            ("副本-示范县教育局.txt", same),
            ("县公安局年报.txt", text_file("示范县公安局", 2025)),
            ("unknown.txt", text_file("示范县农业农村局", 2025)),
            ("virus.exe", b"MZ"),
        ],
    )
    assert [i.match for i in result.added] == ["exact", "suggested", "unmatched"]
    assert result.added[0].body == bodies["示范县教育局"]
    assert result.added[1].candidates[0]["name"] == "示范县公安局"
    assert result.duplicates and "本批次" in result.duplicates[0][1]
    assert [r.name for r in result.rejected] == ["virus.exe"]
    # the same file in a later batch is recognised too
    later = services.batch_create(actor=supervisor, region=region, year=2025, title="补报")
    again = services.batch_add_files(actor=supervisor, batch=later, uploads=[("again.txt", same)])
    assert again.added == [] and "2025年度报告审查" in again.duplicates[0][1]
    event = AuditEvent.objects.filter(action="oversight.files.added").first()
    assert event is not None and event.agency == region


def test_background_checking_never_stops_on_a_bad_file(
    region, supervisor, bodies, eager, django_capture_on_commit_callbacks
):
    batch = services.batch_create(actor=supervisor, region=region, year=2025)
    services.batch_add_files(
        actor=supervisor,
        batch=batch,
        uploads=[
            ("示范县教育局.txt", text_file("示范县教育局", 2025, published_on=JAN_20)),
            ("示范县公安局.docx", docx_file("示范县公安局", 2025, defect="reconciliation")),
            ("扫描件.pdf", b"%PDF-1.4\n% no pages at all\n"),
            ("通知.txt", "关于召开会议的通知：请准时参加。".encode()),
        ],
    )
    batch = _start(batch, supervisor, django_capture_on_commit_callbacks)
    assert batch.status == "done" and batch.finished_at is not None
    items = {i.filename: i for i in batch.items.all()}
    assert items["示范县教育局.txt"].status == "read" and items["示范县教育局.txt"].errors == 0
    assert items["示范县教育局.txt"].late_days == 0
    police = items["示范县公安局.docx"]
    assert police.status == "read" and "A-03" in _rules(police) and police.errors >= 1
    for name in ("扫描件.pdf", "通知.txt"):
        assert items[name].status == "unreadable"
        assert items[name].error_message  # the reader's Chinese message
    assert "年度报告" in items["通知.txt"].error_message
    assert selectors.progress_of(batch) == {
        "status": "done",
        "status_label": "已完成",
        "total": 4,
        "done": 4,
        "unreadable": 2,
        "percent": 100,
        "finished": True,
    }
    assert AuditEvent.objects.filter(
        action="oversight.batch.started", subject_id=str(batch.pk)
    ).exists()


def test_a_crash_while_checking_one_item_is_recorded_and_the_rest_goes_on(
    region, supervisor, bodies, monkeypatch
):
    batch = services.batch_create(actor=supervisor, region=region, year=2025)
    services.batch_add_files(
        actor=supervisor,
        batch=batch,
        uploads=[
            ("示范县教育局.txt", text_file("示范县教育局", 2025)),
            ("示范县公安局.txt", text_file("示范县公安局", 2025)),
        ],
    )
    real = tasks._store_reading

    def flaky(item, result):
        if "公安" in item.filename:
            raise RuntimeError("boom")
        return real(item, result)

    monkeypatch.setattr(tasks, "_store_reading", flaky)
    AuditBatch.objects.filter(pk=batch.pk).update(status="queued")
    tasks.process_batch(batch.pk)
    items = {i.filename: i for i in batch.items.all()}
    assert items["示范县教育局.txt"].status == "read"
    assert items["示范县公安局.txt"].status == "unreadable"
    assert "RuntimeError" in items["示范县公安局.txt"].error_message


def test_late_publication_entered_by_the_office(
    region, supervisor, bodies, eager, django_capture_on_commit_callbacks
):
    batch = services.batch_create(
        actor=supervisor, region=region, year=2025, department_deadline=dt.date(2026, 1, 25)
    )
    services.batch_add_files(
        actor=supervisor,
        batch=batch,
        uploads=[("示范县教育局.txt", text_file("示范县教育局", 2025, published_on=JAN_20))],
        published_on=dt.date(2026, 1, 28),
    )
    _start(batch, supervisor, django_capture_on_commit_callbacks)
    item = batch.items.get()
    assert item.published_on == dt.date(2026, 1, 28) and item.published_on_entered
    assert item.late_days == 3 and "M-08" in _rules(item)  # the batch's local deadline
    # back to the date printed in the file: on time
    services.item_set_published_on(actor=supervisor, item=item, published_on=None)
    item.refresh_from_db()
    assert item.published_on == JAN_20 and item.late_days == 0 and "M-08" not in _rules(item)


def test_confirming_a_suggested_body_learns_the_alias_and_rechecks(
    region, supervisor, bodies, eager, django_capture_on_commit_callbacks
):
    batch = services.batch_create(actor=supervisor, region=region, year=2025)
    services.batch_add_files(
        actor=supervisor,
        batch=batch,
        uploads=[("县公安局年报.txt", text_file("公安局", 2025))],
    )
    _start(batch, supervisor, django_capture_on_commit_callbacks)
    item = batch.items.get()
    assert item.needs_confirmation and item.match == "suggested"
    police = bodies["示范县公安局"]
    services.item_confirm_body(actor=supervisor, item=item, body=police)
    item.refresh_from_db()
    police.refresh_from_db()
    assert item.body == police and item.match == "confirmed" and not item.needs_confirmation
    assert "县公安局" in police.aliases
    assert AuditEvent.objects.filter(action="oversight.item.confirmed").exists()
    # next year the same file name matches without asking
    nxt = services.batch_create(actor=supervisor, region=region, year=2025, title="第二批")
    res = services.batch_add_files(
        actor=supervisor,
        batch=nxt,
        uploads=[("县公安局年报.txt", text_file("公安局", 2025, seed=9))],
    )
    assert res.added[0].match == "exact" and res.added[0].body == police


def test_the_title_settles_an_unknown_file_name(
    region, supervisor, bodies, eager, django_capture_on_commit_callbacks
):
    batch = services.batch_create(actor=supervisor, region=region, year=2025)
    services.batch_add_files(
        actor=supervisor, batch=batch, uploads=[("scan_0001.txt", text_file("示范县教育局", 2025))]
    )
    assert batch.items.get().match == "unmatched"
    _start(batch, supervisor, django_capture_on_commit_callbacks)
    item = batch.items.get()
    assert item.match == "exact" and item.body == bodies["示范县教育局"]


def test_registering_an_unknown_body_from_a_report(region, supervisor, bodies):
    batch = services.batch_create(actor=supervisor, region=region, year=2025)
    res = services.batch_add_files(
        actor=supervisor, batch=batch, uploads=[("x.txt", text_file("示范县水利局", 2025))]
    )
    item = services.item_register_body(
        actor=supervisor, item=res.added[0], name="示范县水利局", kind="department", level="county"
    )
    assert item.body.name == "示范县水利局" and item.match == "confirmed"
    with pytest.raises(ValidationError):
        services.body_create(
            actor=supervisor, region=region, name="示范县水利局", kind="department", level="county"
        )


def test_cross_year_checks_use_last_years_report_of_the_same_body(
    region, supervisor, bodies, eager, django_capture_on_commit_callbacks
):
    """Both years in one batch, uploaded this year first: Y-01 compares with last year's report."""
    previous = sample_report("示范县教育局", 2024, seed=1)
    carried = previous.cell_or_zero("CARRY_OUT", "NP")
    batch = services.batch_create(actor=supervisor, region=region, year=2025)
    services.batch_add_files(
        actor=supervisor,
        batch=batch,
        uploads=[
            (
                "示范县教育局2025.txt",
                text_file("示范县教育局", 2025, seed=1, carried_in=carried + 2),
            ),
            ("示范县教育局2024.txt", text_file("示范县教育局", 2024, seed=1)),
        ],
    )
    _start(batch, supervisor, django_capture_on_commit_callbacks)
    this_year = batch.items.get(year=2025)
    last_year = batch.items.get(year=2024)
    assert last_year.filename == "示范县教育局2024.txt"  # the file's own year wins
    assert "Y-01" in _rules(this_year)
    assert this_year.previous_label.startswith("示范县教育局2024.txt")
    dash = selectors.batch_dashboard(batch)
    assert [i.pk for i in dash.items] == [this_year.pk]
    assert [i.pk for i in dash.other_years] == [last_year.pk]
    # removing last year's file removes the comparison
    services.item_remove(actor=supervisor, item=last_year)
    this_year.refresh_from_db()
    assert "Y-01" not in _rules(this_year) and this_year.previous_label == ""


def test_dashboard_counts_rules_and_missing_bodies(
    region, supervisor, bodies, eager, django_capture_on_commit_callbacks
):
    batch = services.batch_create(actor=supervisor, region=region, year=2025)
    services.batch_add_files(
        actor=supervisor,
        batch=batch,
        uploads=[
            ("示范县教育局.txt", text_file("示范县教育局", 2025, defect="row_total")),
            ("示范县公安局.txt", text_file("示范县公安局", 2025, defect="row_total")),
        ],
    )
    _start(batch, supervisor, django_capture_on_commit_callbacks)
    dash = selectors.batch_dashboard(batch)
    a01 = next(r for r in dash.rules if r.rule == "A-01")
    assert a01.agencies == 2 and set(a01.names) == {"示范县教育局", "示范县公安局"}
    assert dash.with_errors == 2
    assert {b.name for b in dash.missing} == {
        "示范县人民政府办公室",
        "示范县司法局",
        "示范县自然资源局",
        "示范县城关镇人民政府",
    }


def test_stale_claims_are_requeued_and_given_up_after_three_attempts(region, supervisor, bodies):
    batch = services.batch_create(actor=supervisor, region=region, year=2025)
    services.batch_add_files(
        actor=supervisor,
        batch=batch,
        uploads=[("示范县教育局.txt", text_file("示范县教育局", 2025))],
    )
    [item] = tasks.claim(batch.pk)
    assert tasks.claim(batch.pk) == []  # nobody else gets it
    later = item.claimed_at + tasks.STALE_AFTER + dt.timedelta(seconds=1)
    assert tasks.requeue_stale(now=later) == 1
    AuditItem.objects.filter(pk=item.pk).update(
        status="running", attempts=3, claimed_at=item.claimed_at
    )
    tasks.requeue_stale(now=later)
    item.refresh_from_db()
    assert item.status == "unreadable" and "3 次" in item.error_message


def test_the_worker_command_processes_waiting_batches(region, supervisor, bodies, settings):
    from django.core.management import call_command

    settings.GONGKAI_OVERSIGHT_RUNNER = "command"
    batch = services.batch_create(actor=supervisor, region=region, year=2025)
    services.batch_add_files(
        actor=supervisor,
        batch=batch,
        uploads=[("示范县教育局.txt", text_file("示范县教育局", 2025))],
    )
    services.batch_start(actor=supervisor, batch=batch)  # nothing happens in this process
    assert batch.items.get().status == "queued"
    call_command("oversight_process", stdout=io.StringIO())
    batch.refresh_from_db()
    assert batch.status == "done" and batch.items.get().status == "read"


def test_adding_files_while_checking_is_refused(region, supervisor, bodies):
    batch = services.batch_create(actor=supervisor, region=region, year=2025)
    AuditBatch.objects.filter(pk=batch.pk).update(status="running")
    batch.refresh_from_db()
    with pytest.raises(ValidationError):
        services.batch_add_files(actor=supervisor, batch=batch, uploads=[("a.txt", b"x")])


def test_demo_data_is_made_once(platform):
    from gongkai.oversight import demo

    out = io.StringIO()
    demo.load(out)
    batch = AuditBatch.objects.get()
    uploads = batch.items.filter(origin="upload")
    assert batch.status == "done" and uploads.count() == 5
    statuses = sorted(uploads.values_list("status", flat=True))
    assert statuses == ["read", "read", "read", "read", "unreadable"]
    platform_items = batch.items.filter(origin="platform")
    assert platform_items.count() == 4  # the platform agencies' generated drafts
    assert set(platform_items.values_list("status", flat=True)) == {"read"}
    assert "演示批次" in out.getvalue()
    demo.load(io.StringIO())
    assert AuditBatch.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_default_runner_checks_in_a_background_thread(settings):
    """After the commit a daemon thread works the queue; the request does not wait for it."""
    from django.contrib.auth import get_user_model

    from gongkai.core.demo import load_platform

    settings.GONGKAI_OVERSIGHT_RUNNER = "thread"
    region = load_platform()["shifanxian"]
    user = get_user_model().objects.get(username="zwgkb")
    services.register_sync_platform(actor=user, region=region)
    batch = services.batch_create(actor=user, region=region, year=2025)
    services.batch_add_files(
        actor=user,
        batch=batch,
        uploads=[
            (f"示范县司法局{i}.txt", text_file("示范县司法局", 2025, seed=i)) for i in range(3)
        ],
    )
    services.batch_start(actor=user, batch=batch)
    thread = tasks._threads.get(batch.pk)
    if thread is not None:
        thread.join(timeout=60)
    batch.refresh_from_db()
    assert batch.status == "done"
    assert set(batch.items.values_list("status", flat=True)) == {"read"}


def test_findings_stored_under_the_old_rule_id_are_renamed(region, supervisor, bodies):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("gongkai.oversight.migrations.0002_rule_t01_is_m13")
    batch = services.batch_create(actor=supervisor, region=region, year=2025)
    services.batch_add_files(
        actor=supervisor,
        batch=batch,
        uploads=[("jiaoyu.txt", text_file("示范县教育局", 2025))],
    )
    item = batch.items.get()
    old = {"rule": "T-01", "severity": "warning", "message": "跳号"}
    item.findings = [old, {"rule": "A-01", "severity": "error", "message": "合计"}]
    item.save(update_fields=["findings"])
    migration.forwards(apps, None)
    item.refresh_from_db()
    assert [f["rule"] for f in item.findings] == ["M-13", "A-01"]
    from gongkai.oversight.engine import rule_title

    assert rule_title("M-13") == "小标题序号连续"
    migration.backwards(apps, None)
    item.refresh_from_db()
    assert [f["rule"] for f in item.findings] == ["T-01", "A-01"]
