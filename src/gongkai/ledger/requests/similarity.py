"""A cheap text similarity for flagging likely repeat applications (条例第三十六条（六）).

Normalise (NFKC, drop punctuation and spaces, fold case), take character bigrams, compare with
Jaccard. Chinese text has no word boundaries, so character n-grams are the usual cheap choice.
The clerk decides whether it is a repeat; this only ranks candidates. Pure Python.
"""

from __future__ import annotations

import unicodedata

__all__ = ["REPEAT_THRESHOLD", "bigrams", "normalise_text", "similarity"]

REPEAT_THRESHOLD = 0.6

# Phrases every application contains; they say nothing about what is asked for.
_BOILERPLATE = ("申请公开", "政府信息", "请求公开", "申请", "公开", "有关", "相关", "关于", "的")


def normalise_text(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    for phrase in _BOILERPLATE:
        text = text.replace(phrase, "")
    return "".join(ch for ch in text if ch.isalnum())


def bigrams(text: str) -> frozenset[str]:
    t = normalise_text(text)
    if len(t) < 2:
        return frozenset({t}) if t else frozenset()
    return frozenset(t[i : i + 2] for i in range(len(t) - 1))


def similarity(a: str, b: str) -> float:
    """Jaccard similarity of character bigrams, 0.0–1.0."""
    x, y = bigrams(a), bigrams(b)
    if not x or not y:
        return 0.0
    return len(x & y) / len(x | y)
