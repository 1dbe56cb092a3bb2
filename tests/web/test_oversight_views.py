"""The supervising office's pages: who gets in, and the wiring of upload, progress, dashboard,
report page, export, register and aggregate."""

from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from gongkai.oversight import services
from gongkai.oversight.models import AuditBatch, AuditItem
from tests.oversight.conftest import *  # noqa: F403 - the oversight fixtures (region, bodies, …)
from tests.oversight.conftest import JAN_20, text_file

pytestmark = pytest.mark.django_db

PAGES = [
    ("backoffice:oversight:list", ()),
    ("backoffice:oversight:bodies", ()),
    ("backoffice:oversight:aggregate", ()),
]
ALLOWED = {"zwgkb", "xian_admin"}
STAFF = ["zwgkb", "xian_admin", "sfj_clerk", "sfj_head", "sfj_admin", "cgz_head"]


@pytest.fixture
def batch(region, supervisor, bodies, eager, django_capture_on_commit_callbacks):
    batch = services.batch_create(actor=supervisor, region=region, year=2025)
    services.batch_add_files(
        actor=supervisor,
        batch=batch,
        uploads=[
            (
                "示范县教育局.txt",
                text_file("示范县教育局", 2025, published_on=JAN_20, defect="row_total"),
            ),
            ("县公安局年报.txt", text_file("公安局", 2025)),
        ],
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.batch_start(actor=supervisor, batch=batch)
    return batch


@pytest.mark.parametrize(("page", "args"), PAGES)
def test_anonymous_users_go_to_login(client, platform, page, args):
    response = client.get(reverse(page, args=args))
    assert response.status_code == 302 and reverse("backoffice:login") in response.url


@pytest.mark.parametrize(("page", "args"), PAGES)
@pytest.mark.parametrize("username", STAFF)
def test_only_the_supervising_office_and_region_administrators(
    client, platform, login, page, args, username
):
    login(username)
    assert client.get(reverse(page, args=args)).status_code == (200 if username in ALLOWED else 403)


def test_a_department_clerk_cannot_open_a_batch_or_report(client, login, batch):
    login("sfj_clerk")
    item = batch.items.first()
    assert client.get(reverse("backoffice:oversight:batch", args=[batch.pk])).status_code == 403
    assert client.get(reverse("backoffice:oversight:item", args=[item.pk])).status_code == 403
    assert (
        client.get(reverse("backoffice:oversight:batch_export", args=[batch.pk])).status_code == 403
    )
    response = client.post(reverse("backoffice:oversight:batch_start", args=[batch.pk]))
    assert response.status_code == 403


def test_another_regions_supervisor_sees_nothing(client, login, batch, other_region):
    login("lx_zwgkb")
    page = client.get(reverse("backoffice:oversight:list"))
    assert page.status_code == 200 and batch.title not in page.content.decode()
    item = batch.items.first()
    for name, arg in (("batch", batch.pk), ("item", item.pk), ("batch_progress", batch.pk)):
        assert client.get(reverse(f"backoffice:oversight:{name}", args=[arg])).status_code == 404
    assert (
        client.get(reverse("backoffice:oversight:list"), {"region": batch.region_id}).status_code
        == 404
    )
    agg = client.get(reverse("backoffice:oversight:aggregate"), {"region": batch.region_id})
    assert agg.status_code == 404


def test_dashboard_shows_agencies_rules_missing_and_progress(client, login, batch):
    login("zwgkb")
    html = client.get(reverse("backoffice:oversight:batch", args=[batch.pk])).content.decode()
    assert "示范县教育局" in html and "A-01" in html
    assert "待确认机关" in html  # the 公安局 file needs a person
    assert "尚未收到2025年度报告的机关" in html and "示范县司法局" in html
    assert 'data-progress-url="' in html and "oversight/progress.js" in html
    assert "<svg" in html
    _no_inline_code(html)
    progress = client.get(reverse("backoffice:oversight:batch_progress", args=[batch.pk])).json()
    assert progress["finished"] and progress["done"] == progress["total"] == 2


def test_upload_through_the_page_then_start(
    client, login, region, supervisor, bodies, eager, django_capture_on_commit_callbacks
):
    login("zwgkb")
    batch = services.batch_create(actor=supervisor, region=region, year=2025)
    upload = io.BytesIO(text_file("示范县教育局", 2025))
    upload.name = "示范县教育局2025年度报告.txt"
    response = client.post(
        reverse("backoffice:oversight:batch_upload", args=[batch.pk]),
        {"files": [upload], "published_on": "2026-01-29"},
    )
    assert response.status_code == 302
    item = batch.items.get()
    assert item.body.name == "示范县教育局" and item.published_on_entered
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("backoffice:oversight:batch_start", args=[batch.pk]))
    item.refresh_from_db()
    batch.refresh_from_db()
    assert batch.status == "done" and item.status == "read"
    assert item.late_days == 0


def test_report_page_shows_tables_findings_and_source_text(client, login, batch):
    login("zwgkb")
    item = batch.items.get(filename="示范县教育局.txt")
    html = client.get(reverse("backoffice:oversight:item", args=[item.pk])).content.decode()
    assert "收到和处理政府信息公开申请情况" in html  # the parsed table 三
    assert "A-01" in html and "各列之和" in html  # the finding
    assert "原文文字" in html and "一、总体情况" in html  # the source text
    _no_inline_code(html)


def test_confirming_the_body_on_the_report_page(client, login, batch, bodies):
    login("zwgkb")
    item = batch.items.get(filename="县公安局年报.txt")
    police = bodies["示范县公安局"]
    response = client.post(
        reverse("backoffice:oversight:item_confirm", args=[item.pk]), {"body": str(police.pk)}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.body == police and item.match == "confirmed"
    other = bodies["示范县司法局"]
    client.post(
        reverse("backoffice:oversight:item_confirm", args=[item.pk]),
        {"body": "other", "other_body": str(other.pk)},
    )
    item.refresh_from_db()
    assert item.body == other


def test_findings_export_opens_in_excel(client, login, batch):
    login("zwgkb")
    response = client.get(reverse("backoffice:oversight:batch_export", args=[batch.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(response.content))
    findings = list(wb["问题清单"].iter_rows(min_row=2, values_only=True))
    assert any(r[4] == "A-01" for r in findings)
    missing = [r[1] for r in wb["未报送"].iter_rows(min_row=2, values_only=True)]
    assert "示范县司法局" in missing


def test_register_page_adds_and_syncs_bodies(client, login, region):
    login("zwgkb")
    client.post(reverse("backoffice:oversight:body_sync"), {"region": region.pk})
    response = client.post(
        reverse("backoffice:oversight:bodies"),
        {"region": region.pk, "name": "示范县审计局", "kind": "department", "level": "county"},
    )
    assert response.status_code == 302
    html = client.get(reverse("backoffice:oversight:bodies")).content.decode()
    assert "示范县审计局" in html and "示范县司法局" in html


def test_aggregate_page_and_export(client, login, batch):
    login("zwgkb")
    html = client.get(reverse("backoffice:oversight:aggregate"), {"year": 2025}).content.decode()
    assert "参与汇总的机关" in html and "上传文件解析" in html and "未报送" in html
    _no_inline_code(html)
    response = client.get(reverse("backoffice:oversight:aggregate_export"), {"year": 2025})
    assert response.status_code == 200
    load_workbook(io.BytesIO(response.content))
    assert (
        client.get(reverse("backoffice:oversight:aggregate_export"), {"year": 2019}).status_code
        == 404
    )


def test_new_batch_form(client, login, region):
    login("xian_admin")
    response = client.post(
        reverse("backoffice:oversight:batch_create"),
        {"region": region.pk, "year": 2025, "include_platform": "on"},
    )
    batch = AuditBatch.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "backoffice:oversight:batch", args=[batch.pk]
    )
    assert batch.created_by.username == "xian_admin"


def test_removing_a_file_from_the_batch(client, login, batch):
    login("zwgkb")
    item = batch.items.get(filename="县公安局年报.txt")
    client.post(reverse("backoffice:oversight:item_remove", args=[item.pk]))
    assert not AuditItem.objects.filter(pk=item.pk).exists()


def _no_inline_code(html: str) -> None:
    """CSP: no inline scripts or style attributes/elements."""
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert " style=" not in html and "<style" not in html
