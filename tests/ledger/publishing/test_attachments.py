"""Attachments: type sniffed from content, size limit, only on drafts, audited."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from gongkai.core.models import AuditEvent
from gongkai.ledger.publishing.errors import ActionRefused, StaleVersion
from gongkai.ledger.publishing.services import attachment_add, attachment_remove
from gongkai.ledger.publishing.services.attachments import sniff

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _docx():
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return stream.getvalue()


@pytest.mark.parametrize(
    ("content", "name", "expected"),
    [
        (PDF, "通知.pdf", "application/pdf"),
        (_docx(), "a.docx", "wordprocessingml"),
        (b"\x89PNG\r\n\x1a\n" + b"0" * 20, "a.png", "image/png"),
        ("第一行\n第二行".encode(), "说明.txt", "text/plain"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"0" * 20, "旧.doc", "msword"),
    ],
)
def test_types_are_sniffed_from_the_content(content, name, expected):
    assert expected in sniff(io.BytesIO(content), name).content_type


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"MZ\x90\x00" + b"0" * 40, "setup.pdf", "不支持"),
        (_docx(), "a.pdf", "不符"),
        (PDF, "a.doc", "不符"),
        (b"<html><script>x</script></html>", "a.html", "不支持"),
        (b"PK\x03\x04broken", "a.zip", "损坏"),
    ],
)
def test_disguised_and_unsupported_files_are_refused(content, name, message):
    with pytest.raises(ValidationError, match=message):
        sniff(io.BytesIO(content), name)


@pytest.mark.django_db
def test_an_attachment_is_added_to_a_draft_and_audited(
    make_draft, users, media, django_capture_on_commit_callbacks
):
    draft = make_draft()
    attachment = attachment_add(
        actor=users["sfj_clerk"],
        publication=draft,
        upload=SimpleUploadedFile("通知.pdf", PDF),
        expected_version=1,
    )
    draft.refresh_from_db()
    assert draft.version == 2
    assert attachment.original_name == "通知.pdf" and attachment.size == len(PDF)
    assert attachment.file.read() == PDF
    assert (
        AuditEvent.objects.get(action="publication.attachment_added").data["after"]["file"]
        == "通知.pdf"
    )
    with pytest.raises(StaleVersion):
        attachment_add(
            actor=users["sfj_clerk"],
            publication=draft,
            upload=SimpleUploadedFile("b.pdf", PDF),
            expected_version=1,
        )
    path = attachment.file.path
    with django_capture_on_commit_callbacks(execute=True):
        attachment_remove(actor=users["sfj_clerk"], attachment=attachment)
    import os

    assert not os.path.exists(path)  # the file goes once the removal is committed


@pytest.mark.django_db
def test_the_size_limit(make_draft, users, media, monkeypatch):
    monkeypatch.setenv("GONGKAI_ATTACHMENT_MAX_MB", "0.001")
    with pytest.raises(ValidationError, match="附件过大"):
        attachment_add(
            actor=users["sfj_clerk"],
            publication=make_draft(),
            upload=SimpleUploadedFile("a.pdf", PDF + b"0" * 2000),
        )


@pytest.mark.django_db
def test_attachments_of_items_under_review_are_frozen(make_draft, users, media):
    from gongkai.ledger.publishing.actions import SubmitAction

    item = SubmitAction(make_draft(), actor=users["sfj_clerk"]).execute()
    with pytest.raises(ActionRefused, match="只有草稿"):
        attachment_add(
            actor=users["sfj_clerk"], publication=item, upload=SimpleUploadedFile("a.pdf", PDF)
        )
