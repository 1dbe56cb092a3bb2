"""Fonts: the official typefaces of a government report and the free fonts that stand in for them.

Chinese government documents (GB/T 9704 practice) set the title in 方正小标宋简体, section headings
in 黑体, second-level headings in 楷体 and the body in 仿宋_GB2312. None of these is free, so:

* **HTML** lists the official names first and the free fonts after them (a reader's browser on a
  Chinese Windows/WPS machine shows the official faces, elsewhere the free ones).
* **PDF** (WeasyPrint) uses only the free fonts, so that the file is the same on every server and
  the embedded fonts may be redistributed (SIL OFL / Arphic Public License).
* **DOCX** stores one font name per run (``w:eastAsia``); there is no portable fallback list. The
  default profile ``"official"`` writes the official names (present on Chinese Windows, WPS,
  UOS/Kylin, where agencies edit their reports); ``"free"`` writes the installed free fonts (for a
  file that looks the same in LibreOffice on Linux). See docs/rendering.md.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

FontProfile = Literal["official", "free"]
FONT_PROFILES: tuple[FontProfile, ...] = ("official", "free")


@dataclass(frozen=True)
class FontRole:
    """One typographic role of the report and the fonts that can fill it."""

    key: str
    official: tuple[str, ...]  # official Chinese names, preferred first
    free: tuple[str, ...]  # installed free substitutes, preferred first (Debian packages)
    generic: str  # CSS generic family
    latin: str  # font for Latin letters and digits in DOCX (w:ascii / w:hAnsi)

    @property
    def docx_official(self) -> str:
        return self.official[0]

    @property
    def docx_free(self) -> str:
        return self.free[0]

    def docx_name(self, profile: FontProfile) -> str:
        return self.docx_official if profile == "official" else self.docx_free

    def css_stack(self, *, official: bool = True) -> str:
        names = (*self.official, *self.free) if official else self.free
        return ", ".join([*(f'"{n}"' for n in names), self.generic])


# fonts-noto-cjk: Noto Serif CJK SC (宋体 style), Noto Sans CJK SC (黑体 style);
# fonts-arphic-ukai: AR PL UKai CN (楷体 style). There is no free 仿宋 in Debian: the serif Noto
# face is the closest free text face (a 仿宋 is a light 宋 skeleton with even strokes).
TITLE = FontRole(
    key="title",
    official=("方正小标宋简体", "方正小标宋_GBK", "华文中宋", "STZhongsong"),
    free=("Noto Serif CJK SC",),
    generic="serif",
    latin="Times New Roman",
)
HEADING = FontRole(
    key="heading",
    official=("黑体", "SimHei", "STHeiti"),
    free=("Noto Sans CJK SC",),
    generic="sans-serif",
    latin="Arial",
)
SUBHEADING = FontRole(
    key="subheading",
    official=("楷体_GB2312", "楷体", "KaiTi", "STKaiti"),
    free=("AR PL UKai CN", "Noto Serif CJK SC"),
    generic="serif",
    latin="Times New Roman",
)
BODY = FontRole(
    key="body",
    official=("仿宋_GB2312", "仿宋", "FangSong", "STFangsong"),
    free=("Noto Serif CJK SC",),
    generic="serif",
    latin="Times New Roman",
)
TABLE = FontRole(
    key="table",
    official=("宋体", "SimSun", "STSong"),
    free=("Noto Serif CJK SC",),
    generic="serif",
    latin="Times New Roman",
)
ROLES: dict[str, FontRole] = {r.key: r for r in (TITLE, HEADING, SUBHEADING, BODY, TABLE)}

# The DOCX "official" profile writes 仿宋 rather than 仿宋_GB2312: Windows (Vista and later) ships
# 仿宋/楷体/黑体/宋体, while the *_GB2312 faces must be installed by hand.
DOCX_OFFICIAL_NAMES: dict[str, str] = {
    "title": "方正小标宋简体",
    "heading": "黑体",
    "subheading": "楷体",
    "body": "仿宋",
    "table": "宋体",
}


def docx_font(role: str, profile: FontProfile) -> str:
    """The East Asian font name written into DOCX runs of ``role``."""
    if profile == "official":
        return DOCX_OFFICIAL_NAMES[role]
    return ROLES[role].docx_free


# --- installed font files (for the glyph check and diagnostics) ---------------------------------


@dataclass(frozen=True)
class FontFile:
    path: str
    index: int
    family: str


@functools.cache
def find_font(family: str, style: str = "") -> FontFile | None:
    """The file fontconfig uses for ``family`` or ``None`` when that family is not installed."""
    if shutil.which("fc-match") is None:
        return None
    pattern = f"{family}:{style}" if style else family
    try:
        out = subprocess.run(
            ["fc-match", "-f", "%{file}|%{index}|%{family}", pattern],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    path, _, rest = out.partition("|")
    index, _, families = rest.partition("|")
    if not path or family not in families.split(","):
        return None  # fontconfig fell back to some other family
    return FontFile(path=path, index=int(index or 0), family=family)


def missing_fonts() -> list[str]:
    """Free fonts the PDF needs that are not installed (empty when everything is in place)."""
    needed = {name for role in ROLES.values() for name in role.free[:1]}
    return sorted(name for name in needed if find_font(name) is None)


@functools.cache
def _cmap(path: str, index: int) -> frozenset[int]:
    from fontTools.ttLib import TTFont  # fontTools comes with WeasyPrint

    font = TTFont(path, fontNumber=index, lazy=True)
    try:
        return frozenset(font.getBestCmap() or {})
    finally:
        font.close()


def missing_glyphs(text: str | Iterable[str], family: str = "Noto Serif CJK SC") -> set[str]:
    """Characters of ``text`` (whitespace ignored) that ``family`` has no glyph for.

    Raises ``LookupError`` when the family is not installed.
    """
    font = find_font(family)
    if font is None:
        raise LookupError(f"字体未安装：{family}")
    cmap = _cmap(font.path, font.index)
    chars = set(text if isinstance(text, str) else "".join(text))
    return {c for c in chars if not c.isspace() and ord(c) not in cmap}
