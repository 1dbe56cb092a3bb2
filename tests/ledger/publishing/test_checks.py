"""Checks: links (against a local HTTP server, never the network), `gongkai linkcheck`,
stale columns, and interpretations lagging behind their policy documents."""

from __future__ import annotations

import datetime as dt
import http.server
import io
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gongkai.core import clock
from gongkai.ledger.publishing.models import LinkCheck, Publication
from gongkai.ledger.publishing.selectors import column_statuses, interpretation_warnings
from gongkai.ledger.publishing.services import attachment_add, publication_check_links

pytestmark = pytest.mark.django_db


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_HEAD(self):  # noqa: N802
        if self.path == "/no-head":
            self.send_response(405)
        else:
            self.send_response(200 if self.path.startswith("/ok") else 404)
        self.end_headers()

    def do_GET(self):  # noqa: N802
        self.send_response(
            200 if self.path in ("/no-head",) or self.path.startswith("/ok") else 404
        )
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_links_in_the_body_are_checked(make_draft, server):
    body = (
        f'<p><a href="{server}/ok">好</a> <a href="{server}/gone">坏</a> '
        f'<a href="{server}/no-head">仅GET</a> <a href="/info/">站内</a> <a href="/nowhere/">站内坏</a>'
        '<a href="mailto:gk@example.gov.cn">信</a></p>'
    )
    item = make_draft(body=body)
    results = {c.url: c for c in publication_check_links(publication=item, timeout=2)}
    assert results[f"{server}/ok"].ok and results[f"{server}/no-head"].ok
    assert not results[f"{server}/gone"].ok and results[f"{server}/gone"].status_code == 404
    assert results["/info/"].ok and not results["/nowhere/"].ok
    assert results["mailto:gk@example.gov.cn"].ok
    # a second check replaces the stored results
    item.body = f'<p><a href="{server}/ok">好</a></p>'
    item.save(update_fields=["body"])
    publication_check_links(publication=item, timeout=2)
    assert list(LinkCheck.objects.filter(publication=item).values_list("url", flat=True)) == [
        f"{server}/ok"
    ]


def test_an_unreachable_host_is_dead(make_draft):
    item = make_draft(body='<a href="http://127.0.0.1:9/x">x</a>')
    (result,) = publication_check_links(publication=item, timeout=1)
    assert not result.ok and "无法访问" in result.error


def test_gongkai_linkcheck_lists_dead_links_and_attachments(
    make_draft, publish, server, users, media, capsys
):
    from gongkai.ledger.publishing.cli import add_arguments, run

    good = publish(make_draft(title="好信息", body=f'<a href="{server}/ok">ok</a>'))
    bad_draft = make_draft(title="坏信息", body=f'<a href="{server}/missing">x</a>')
    attachment = attachment_add(
        actor=users["sfj_clerk"],
        publication=bad_draft,
        upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF"),
    )
    bad = publish(bad_draft)
    attachment.file.storage.delete(attachment.file.name)  # the file went missing on disk
    make_draft(body=f'<a href="{server}/draft-only">x</a>')  # drafts are not checked

    import argparse

    parser = argparse.ArgumentParser()
    add_arguments(parser)
    status = run(parser.parse_args(["--timeout", "2", "--workers", "2"]))
    out = capsys.readouterr().out
    assert status == 1
    assert f"{bad.index_number}\t坏信息\t{server}/missing\tHTTP 404" in out
    assert "附件：a.pdf\t附件文件不存在" in out
    assert "draft-only" not in out and "好信息" not in out
    assert "共检查 2 条信息、3 个链接和附件，失效 2 个" in out
    assert LinkCheck.objects.filter(publication=good, ok=True).count() == 1


def test_the_management_command_fails_on_dead_links(make_draft, publish, server):
    from django.core.management import CommandError, call_command

    publish(make_draft(body=f'<a href="{server}/gone">x</a>'))
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 个失效"):
        call_command("linkcheck", "--timeout", "2", stdout=out)
    assert f"{server}/gone" in out.getvalue()


def test_columns_not_updated_in_time_are_flagged(sfj, columns, users):
    from gongkai.ledger.publishing.services import ImportedPublication, publications_import

    now = clock.now()
    publications_import(
        actor=users["sfj_clerk"],
        agency=sfj,
        origin="t",
        items=[
            ImportedPublication(
                column=columns["工作动态"], title="旧动态", published_at=now - dt.timedelta(days=15)
            ),
            ImportedPublication(
                column=columns["通知公告"],
                title="近期通知",
                published_at=now - dt.timedelta(days=100),
            ),
            ImportedPublication(
                column=columns["政策文件"],
                title="旧文件",
                published_at=now - dt.timedelta(days=200),
            ),
        ],
    )
    by_name = {
        s.column.name: s for s in column_statuses(agencies=type(sfj).objects.filter(pk=sfj.pk))
    }
    assert by_name["工作动态"].stale and by_name["工作动态"].days_since_update == 15
    assert not by_name["通知公告"].stale
    assert by_name["政策文件"].stale
    assert by_name["基层政务公开"].stale and by_name["基层政务公开"].empty
    assert not by_name["机构概况"].stale  # no update requirement


def test_interpretations_must_be_published_with_their_policy_document(make_draft, publish, sfj):
    policy = publish(make_draft(title="政策文件甲", doc_type=Publication.DocType.POLICY))
    agencies = type(sfj).objects.filter(pk=sfj.pk)
    assert [w.message for w in interpretation_warnings(agencies=agencies)] == ["未关联政策解读"]
    interpretation = make_draft(
        title="解读甲",
        column="政策解读",
        doc_type=Publication.DocType.INTERPRETATION,
        interprets=policy,
    )
    assert "尚未发布" in interpretation_warnings(agencies=agencies)[0].message
    publish(interpretation)
    assert interpretation_warnings(agencies=agencies) == []
    # published a week later: flagged as lagging
    Publication.objects.filter(pk=interpretation.pk).update(
        published_at=policy.published_at + dt.timedelta(days=7)
    )
    assert (
        interpretation_warnings(agencies=agencies)[0].message
        == "政策解读晚于政策文件 7 天发布，应同步发布"
    )


def test_an_interpretation_links_only_to_a_policy_document_of_its_agency(make_draft, columns):
    from django.core.exceptions import ValidationError

    ordinary = make_draft(title="普通信息")
    with pytest.raises(ValidationError, match="政策文件"):
        make_draft(
            doc_type=Publication.DocType.INTERPRETATION, interprets=ordinary, column="政策解读"
        )
