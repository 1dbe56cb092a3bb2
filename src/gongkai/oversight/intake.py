"""Incoming files: single reports or ZIP archives of them, checked before anything is stored.

ZIP archives are opened in memory and never extracted to disk, so a member name cannot write
anywhere; names are still checked (absolute paths, ``..``, drive letters, symlinks are refused)
because they are shown to users. Limits against zip bombs: number of members, size per member
(read with a cap — the sizes in the archive's directory are not trusted), total size, and the
compression ratio. Archives inside archives are not opened. Member names of archives made on
Chinese Windows (GBK without the UTF-8 flag) are decoded correctly.

Pure Python, no Django.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import re
import stat
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath

from gongkai.reading.cli import REPORT_SUFFIXES

__all__ = [
    "ACCEPTED_SUFFIXES",
    "Incoming",
    "Limits",
    "Rejected",
    "expand_uploads",
    "sha256",
]

ACCEPTED_SUFFIXES = REPORT_SUFFIXES
ARCHIVE_SUFFIXES = frozenset({".zip"})


@dataclass(frozen=True)
class Limits:
    """Size limits of an upload (bytes)."""

    file_bytes: int = 20 * 1024 * 1024
    """Largest single report (published reports are a few MB at most)."""
    archive_bytes: int = 100 * 1024 * 1024
    """Largest ZIP as uploaded."""
    archive_members: int = 1000
    """Most entries in one ZIP (directories included)."""
    archive_total_bytes: int = 300 * 1024 * 1024
    """Most bytes unpacked from one ZIP."""
    max_ratio: int = 100
    """Highest compression ratio accepted for members above 1 MB unpacked."""


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True)
class Incoming:
    """A report file ready to be stored: display name, bytes, content hash."""

    name: str
    data: bytes
    sha256: str
    archive: str = ""
    """The ZIP it came from ("" = uploaded directly)."""


@dataclass(frozen=True)
class Rejected:
    """A file (or archive member) not taken, and why (Chinese)."""

    name: str
    reason: str


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _suffix(name: str) -> str:
    base = PurePosixPath(name).name
    return ("." + base.rsplit(".", 1)[1].lower()) if "." in base else ""


def _mb(n: int) -> str:
    return f"{n / 1048576:.0f} MB"


def expand_uploads(
    uploads: Iterable[tuple[str, bytes]], limits: Limits = DEFAULT_LIMITS
) -> tuple[list[Incoming], list[Rejected]]:
    """Turn uploaded (name, bytes) pairs into report files; ZIPs are expanded safely."""
    accepted: list[Incoming] = []
    rejected: list[Rejected] = []
    for name, data in uploads:
        name = _display_name(name)
        suffix = _suffix(name)
        if suffix in ARCHIVE_SUFFIXES:
            if len(data) > limits.archive_bytes:
                rejected.append(
                    Rejected(name, f"压缩包超过 {_mb(limits.archive_bytes)}，请分批上传。")
                )
                continue
            got, bad = _expand_zip(name, data, limits)
            accepted.extend(got)
            rejected.extend(bad)
            continue
        problem = _file_problem(name, suffix, len(data), limits)
        if problem:
            rejected.append(Rejected(name, problem))
            continue
        accepted.append(Incoming(name, data, sha256(data)))
    return accepted, rejected


def _file_problem(name: str, suffix: str, size: int, limits: Limits) -> str:
    if suffix not in ACCEPTED_SUFFIXES:
        return "不支持的文件类型，请上传 PDF、DOCX、HTML 或 TXT 文件（或它们的 ZIP 压缩包）。"
    if size == 0:
        return "文件是空的。"
    if size > limits.file_bytes:
        return f"文件超过 {_mb(limits.file_bytes)}，不像是年度报告。"
    return ""


def _display_name(name: str) -> str:
    name = (name or "").replace("\\", "/").strip()
    base = PurePosixPath(name).name or "未命名文件"
    return re.sub(r"[\x00-\x1f\x7f]", "", base)[:200]


def _member_name(info: zipfile.ZipInfo) -> str:
    """The member's name, decoding GBK names written without the UTF-8 flag."""
    name = info.filename
    if not info.flag_bits & 0x800:
        with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
            name = name.encode("cp437").decode("gbk")
    return name


def _unsafe_path(name: str) -> bool:
    path = name.replace("\\", "/")
    if path.startswith("/") or re.match(r"^[A-Za-z]:", path):
        return True
    return any(part == ".." for part in path.split("/"))


def _is_symlink(info: zipfile.ZipInfo) -> bool:
    return stat.S_ISLNK(info.external_attr >> 16)


def _expand_zip(archive: str, data: bytes, limits: Limits) -> tuple[list[Incoming], list[Rejected]]:
    accepted: list[Incoming] = []
    rejected: list[Rejected] = []
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        return [], [Rejected(archive, "压缩包已损坏或不是 ZIP 格式。")]
    with zf:
        infos = zf.infolist()
        if len(infos) > limits.archive_members:
            return [], [
                Rejected(
                    archive,
                    f"压缩包内有 {len(infos)} 个条目，超过 {limits.archive_members} 个，请分批上传。",
                )
            ]
        total = 0
        for info in infos:
            if info.is_dir():
                continue
            raw_name = _member_name(info)
            shown = f"{archive}/{raw_name.replace(chr(92), '/').lstrip('/')}"
            base = PurePosixPath(raw_name.replace("\\", "/")).name
            if base.startswith(".") or raw_name.startswith("__MACOSX/"):
                continue  # resource forks and hidden files of the archiving tool
            if _unsafe_path(raw_name) or _is_symlink(info):
                rejected.append(
                    Rejected(shown, "压缩包中的路径不安全（绝对路径、“..”或链接），已拒绝。")
                )
                continue
            suffix = _suffix(base)
            if suffix in ARCHIVE_SUFFIXES:
                rejected.append(Rejected(shown, "不展开压缩包中的压缩包，请解压后再上传。"))
                continue
            if info.flag_bits & 0x1:
                rejected.append(Rejected(shown, "文件已加密，无法读取。"))
                continue
            problem = _file_problem(base, suffix, max(info.file_size, 1), limits)
            if problem:
                rejected.append(Rejected(shown, problem))
                continue
            if (
                info.file_size > 1024 * 1024
                and info.compress_size > 0
                and info.file_size / info.compress_size > limits.max_ratio
            ):
                rejected.append(Rejected(shown, "压缩比异常（疑似压缩炸弹），已拒绝。"))
                continue
            budget = min(limits.file_bytes, limits.archive_total_bytes - total)
            try:
                with zf.open(info) as fh:
                    content = fh.read(budget + 1)
            except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError):
                rejected.append(
                    Rejected(shown, "无法从压缩包中读出该文件（已损坏或压缩方式不支持）。")
                )
                continue
            if len(content) > budget:
                if budget < limits.file_bytes:
                    rejected.append(
                        Rejected(
                            shown,
                            f"压缩包解压后超过 {_mb(limits.archive_total_bytes)}，其余文件未读取。",
                        )
                    )
                    break
                rejected.append(
                    Rejected(shown, f"文件超过 {_mb(limits.file_bytes)}，不像是年度报告。")
                )
                continue
            if not content:
                rejected.append(Rejected(shown, "文件是空的。"))
                continue
            total += len(content)
            accepted.append(Incoming(_display_name(base), content, sha256(content), archive))
    return accepted, rejected
