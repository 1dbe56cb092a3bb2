"""Matching the name on a file or in a report's title to the register of reporting bodies.

Names arrive in many spellings: ``03-示范县司法局2025年政府信息公开工作年度报告.pdf``,
``县司法局``, an OCR typo (``沐阳`` for ``沭阳``). ``match_name`` normalises both sides and
returns an exact match (same normalised name or a confirmed alias) or candidates ranked by
similarity (``difflib``), which a person confirms. Pure Python, no Django.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import PurePosixPath

__all__ = [
    "SUGGEST_THRESHOLD",
    "Candidate",
    "Match",
    "RegisteredName",
    "match_name",
    "name_from_filename",
    "normalise_name",
]

SUGGEST_THRESHOLD = 0.7
"""Lowest similarity offered as a candidate."""
MAX_CANDIDATES = 5

_REPORT_WORDS = re.compile(
    r"关于|印发|((19|20)\d{2}|[一二〇○零]{4})\s*年\s*(度)?|"
    r"政府信息公开(工作)?(年度)?(报告|年报)|工作年度报告|年度报告|年报|报告|的?通知|"
    r"(修订|更正|最终|发布|公开)版|定稿|副本|扫描件|终稿|[（(]\d+[)）]"
)
_PUNCT = re.compile(r"[\s\-_—–·.,，。、:：;；'\"“”‘’()（）\[\]【】《》<>〈〉+#&]+")
_LEADING_NUMBER = re.compile(r"^(\d+|[a-zA-Z]\d*)(?=[\u4e00-\u9fff])")


def normalise_name(name: str) -> str:
    """Comparable form of an agency name: NFKC, no punctuation, spaces, years or report words."""
    text = unicodedata.normalize("NFKC", name or "")
    text = _REPORT_WORDS.sub("", text)
    text = _PUNCT.sub("", text)
    text = _LEADING_NUMBER.sub("", text)
    return text


def name_from_filename(filename: str) -> str:
    """The agency name a file name suggests (``03-示范县司法局2025年…报告.pdf`` -> ``示范县司法局``)."""
    stem = PurePosixPath(filename.replace("\\", "/")).name
    if "." in stem:
        stem = stem.rsplit(".", 1)[0]
    return normalise_name(stem)


@dataclass(frozen=True)
class RegisteredName:
    """A body of the register as the matcher sees it."""

    id: int
    name: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Candidate:
    id: int
    name: str
    score: float


@dataclass(frozen=True)
class Match:
    """``exact`` = the body with that name (or a confirmed alias); else ranked ``candidates``."""

    exact: int | None = None
    candidates: tuple[Candidate, ...] = field(default_factory=tuple)

    @property
    def best(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None


def _score(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    ratio = difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()
    # "县司法局" inside "示范县司法局": the region prefix is often dropped on file names.
    if len(a) >= 3 and len(b) >= 3 and (a in b or b in a):
        ratio = max(ratio, 0.8 + 0.2 * min(len(a), len(b)) / max(len(a), len(b)) - 0.01)
    return round(ratio, 3)


def match_name(hint: str, register: Iterable[RegisteredName]) -> Match:
    """Match ``hint`` (a file name stem or a report's agency) against the register."""
    key = normalise_name(hint)
    if not key:
        return Match()
    scored: list[Candidate] = []
    for body in register:
        names = (body.name, *body.aliases)
        keys = [normalise_name(n) for n in names]
        if key in keys:
            return Match(exact=body.id, candidates=(Candidate(body.id, body.name, 1.0),))
        score = max(_score(key, k) for k in keys)
        if score >= SUGGEST_THRESHOLD:
            scored.append(Candidate(body.id, body.name, score))
    scored.sort(key=lambda c: (-c.score, c.name))
    return Match(candidates=tuple(scored[:MAX_CANDIDATES]))


def best_of(matches: Sequence[Match]) -> Match:
    """The most useful of several matches (file name, report title): exact first, then score."""
    for m in matches:
        if m.exact is not None:
            return m
    ranked = sorted((m for m in matches if m.candidates), key=lambda m: -m.candidates[0].score)
    return ranked[0] if ranked else Match()
