"""Attachments: the type is sniffed from the content (not trusted from the name or the
browser), the size is limited, and only document, archive and image formats are accepted."""

from __future__ import annotations

import hashlib
import os
import uuid
import zipfile
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from gongkai.core import audit, clock
from gongkai.ledger.publishing.access import require
from gongkai.ledger.publishing.errors import ActionRefused, StaleVersion
from gongkai.ledger.publishing.models import Publication, PublicationAttachment

DEFAULT_MAX_MB = 20


def max_attachment_bytes() -> int:
    """The size limit (``GONGKAI_ATTACHMENT_MAX_MB``, default 20 MB), read at call time."""
    try:
        return int(float(os.environ.get("GONGKAI_ATTACHMENT_MAX_MB", DEFAULT_MAX_MB)) * 2**20)
    except ValueError:
        return DEFAULT_MAX_MB * 2**20


@dataclass(frozen=True)
class FileType:
    label: str
    content_type: str
    extensions: tuple[str, ...]


OLE_TYPES = {
    ".doc": FileType("Word 文档", "application/msword", (".doc",)),
    ".xls": FileType("Excel 表格", "application/vnd.ms-excel", (".xls",)),
    ".ppt": FileType("PowerPoint 演示文稿", "application/vnd.ms-powerpoint", (".ppt",)),
    ".wps": FileType("WPS 文字", "application/vnd.ms-works", (".wps",)),
    ".et": FileType("WPS 表格", "application/vnd.ms-excel", (".et",)),
    ".dps": FileType("WPS 演示", "application/vnd.ms-powerpoint", (".dps",)),
}
PDF = FileType("PDF 文档", "application/pdf", (".pdf",))
DOCX = FileType(
    "Word 文档",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    (".docx", ".wps"),
)
XLSX = FileType(
    "Excel 表格",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    (".xlsx", ".et"),
)
PPTX = FileType(
    "PowerPoint 演示文稿",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    (".pptx", ".dps"),
)
OFD = FileType("OFD 版式文档", "application/ofd", (".ofd",))
ZIP = FileType("ZIP 压缩包", "application/zip", (".zip",))
RAR = FileType("RAR 压缩包", "application/vnd.rar", (".rar",))
SEVEN_Z = FileType("7z 压缩包", "application/x-7z-compressed", (".7z",))
PNG = FileType("PNG 图片", "image/png", (".png",))
JPEG = FileType("JPEG 图片", "image/jpeg", (".jpg", ".jpeg"))
GIF = FileType("GIF 图片", "image/gif", (".gif",))
TEXT = FileType("文本文件", "text/plain; charset=utf-8", (".txt",))
CSV = FileType("CSV 表格", "text/csv; charset=utf-8", (".csv",))


def _zip_type(fileobj: Any) -> FileType:
    try:
        with zipfile.ZipFile(fileobj) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError):
        raise ValidationError("文件已损坏（无法按 ZIP 格式读取）") from None
    if any(n.startswith("word/") for n in names):
        return DOCX
    if any(n.startswith("xl/") for n in names):
        return XLSX
    if any(n.startswith("ppt/") for n in names):
        return PPTX
    if "OFD.xml" in names:
        return OFD
    return ZIP


def _is_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            head.decode(encoding)
            return True
        except UnicodeDecodeError:
            # a multi-byte character cut at the end of the sample is fine
            try:
                head[:-3].decode(encoding)
                return True
            except UnicodeDecodeError:
                continue
    return False


def sniff(fileobj: Any, name: str) -> FileType:
    """The file's type from its first bytes (and, for ZIP containers, its member names).

    Raises ``ValidationError`` for unsupported types and when the extension contradicts the
    content (a ``.pdf`` that is really a ZIP, an ``.exe`` renamed ``.doc``…).
    """
    ext = os.path.splitext(name)[1].lower()
    fileobj.seek(0)
    head = fileobj.read(8192)
    fileobj.seek(0)
    detected: FileType | None = None
    if head.startswith(b"%PDF-"):
        detected = PDF
    elif head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        detected = OLE_TYPES.get(ext)
        if detected is None:
            raise ValidationError("文件扩展名与内容不符：内容为 Office 97-2003 文档")
    elif head.startswith(b"PK\x03\x04"):
        detected = _zip_type(fileobj)
        fileobj.seek(0)
    elif head.startswith(b"Rar!\x1a\x07"):
        detected = RAR
    elif head.startswith(b"7z\xbc\xaf\x27\x1c"):
        detected = SEVEN_Z
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        detected = PNG
    elif head.startswith(b"\xff\xd8\xff"):
        detected = JPEG
    elif head[:6] in (b"GIF87a", b"GIF89a"):
        detected = GIF
    elif ext in (".txt", ".csv") and _is_text(head):
        detected = TEXT if ext == ".txt" else CSV
    if detected is None:
        raise ValidationError(
            "不支持的附件类型。可上传：PDF、OFD、Word、Excel、PowerPoint、WPS、ZIP、RAR、7z、"
            "PNG、JPEG、GIF、TXT、CSV"
        )
    if ext not in detected.extensions:
        raise ValidationError(
            f"文件扩展名与内容不符：文件名为“{ext or '无扩展名'}”，内容识别为{detected.label}"
        )
    return detected


def attachment_add(
    *,
    actor: Any,
    publication: Publication,
    upload: UploadedFile,
    expected_version: int | None = None,
) -> PublicationAttachment:
    """Attach a file to a draft. Bumps the publication's version (its content changed)."""
    require(actor, publication.agency, "draft_publication", "上传附件")
    name = os.path.basename(upload.name or "附件")[:200]
    if upload.size is not None and upload.size > max_attachment_bytes():
        raise ValidationError(
            f"附件过大：{upload.size / 2**20:.1f} MB，上限 {max_attachment_bytes() // 2**20} MB"
        )
    if not upload.size:
        raise ValidationError("附件为空文件")
    file_type = sniff(upload.file, name)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    with transaction.atomic():
        locked = Publication.objects.select_for_update().get(pk=publication.pk)
        if expected_version is not None and locked.version != expected_version:
            raise StaleVersion(expected=expected_version, current=locked.version)
        if not locked.is_editable:
            raise ActionRefused("只有草稿可以修改附件，送审中或已发布的信息请先退回或撤回")
        ext = os.path.splitext(name)[1].lower()
        attachment = PublicationAttachment(
            publication=locked,
            original_name=name,
            content_type=file_type.content_type,
            size=upload.size,
            sha256=digest.hexdigest(),
            position=locked.attachments.count(),
            uploaded_by=actor,
            uploaded_at=clock.now(),
        )
        attachment.file.save(f"{uuid.uuid4().hex}{ext}", upload, save=False)
        stored_name = attachment.file.name
        try:
            attachment.save()
        except Exception:
            attachment.file.storage.delete(stored_name)
            raise
        locked.version += 1
        locked.last_edited_by = actor
        locked.updated_at = clock.now()
        locked.save(update_fields=["version", "last_edited_by", "updated_at"])
        audit.record(
            actor=actor,
            action="publication.attachment_added",
            subject=locked,
            after={
                "file": name,
                "type": file_type.label,
                "size": upload.size,
                "sha256": attachment.sha256,
            },
        )
    publication.version = locked.version
    return attachment


def attachment_remove(
    *, actor: Any, attachment: PublicationAttachment, expected_version: int | None = None
) -> None:
    """Remove an attachment from a draft; the file is deleted once the transaction commits."""
    publication = attachment.publication
    require(actor, publication.agency, "draft_publication", "删除附件")
    with transaction.atomic():
        locked = Publication.objects.select_for_update().get(pk=publication.pk)
        if expected_version is not None and locked.version != expected_version:
            raise StaleVersion(expected=expected_version, current=locked.version)
        if not locked.is_editable:
            raise ActionRefused("只有草稿可以修改附件")
        stored_name = attachment.file.name
        storage = attachment.file.storage
        attachment.delete()
        locked.version += 1
        locked.last_edited_by = actor
        locked.updated_at = clock.now()
        locked.save(update_fields=["version", "last_edited_by", "updated_at"])
        audit.record(
            actor=actor,
            action="publication.attachment_removed",
            subject=locked,
            before={"file": attachment.original_name, "sha256": attachment.sha256},
        )
        transaction.on_commit(lambda: storage.delete(stored_name))
