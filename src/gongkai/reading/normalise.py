"""Text normalisation before locating labels (spec §2.9).

Two jobs:

* ``decode_text`` turns bytes of a text or HTML file into ``str`` (BOM, UTF-8, GB18030,
  UTF-16, then charset detection).
* ``normalise_text`` makes one canonical text that every extractor output goes through:
  NFKC (full-width digits and punctuation become ASCII, U+3000 becomes a space), one kind of
  quote, traditional characters converted to simplified (only when the text looks traditional:
  the converter is slow), Markdown/pipe table rows rewritten to ``| a | b |`` with empty cells
  shown as ``∅`` and separator rows removed.

Whitespace is kept: numbers are separated by it. Labels broken over lines are matched by
``phrase_pattern``, which allows whitespace (and, where asked, punctuation) between characters.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from functools import lru_cache

__all__ = [
    "BLANK_CELL",
    "decode_text",
    "looks_traditional",
    "normalise_text",
    "phrase_pattern",
    "to_simplified",
]

BLANK_CELL = "∅"
"""How an empty table cell is written in the normalised text."""

_QUOTES = str.maketrans(
    {
        "“": '"',
        "”": '"',
        "„": '"',
        "‟": '"',
        "「": '"',
        "」": '"',
        "‘": "'",
        "’": "'",
        "〔": "[",
        "〕": "]",
        "\u00a0": " ",
        "\u200b": "",
        "\ufeff": "",
        "\u2028": "\n",
        "\u2029": "\n",
        "\r": "",
    }
)

# Characters that only exist in traditional script and are frequent in these reports. Seeing a
# few of them is the cheap test for "convert this text" (the converter costs ~4 ms per 10 kB).
_TRADITIONAL = re.compile(
    "[這們開關於報資訊與會國門時發經當對進動實現點說區應權機處體來從義務條請書範辦結轉複訴訟統計號個"
    "執許處罰強製費數據條際總廣網頁規範]"
)


def looks_traditional(text: str) -> bool:
    """True when the text has enough traditional-only characters to be worth converting."""
    return len(_TRADITIONAL.findall(text, 0, 20000)) >= 5


@lru_cache(maxsize=1)
def _converter() -> object:
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional → simplified Chinese (opencc)."""
    converter = _converter()
    result: str = converter.convert(text)  # type: ignore[attr-defined]
    return result


def decode_text(data: bytes) -> str:
    """Decode a text/HTML document whose encoding is not declared reliably."""
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return data.decode(codec, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    head = data[:4096].lower()
    match = re.search(rb"charset\s*=\s*[\"']?([a-z0-9_\-]+)", head)
    if match:
        name = match.group(1).decode("ascii", "ignore")
        if name in {"gb2312", "gbk", "gb18030", "x-gbk"}:
            name = "gb18030"
        try:
            return data.decode(name, errors="replace")
        except LookupError:
            pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    if best is not None:
        return str(best)
    return data.decode("utf-8", errors="replace")


_PIPE_ROW = re.compile(r"^[ \t]*\|.*\|[ \t]*$", re.M)
_PIPE_SEPARATOR = re.compile(r"^[\s|:\-]+$")


def _rewrite_pipe_row(match: re.Match[str]) -> str:
    line = match.group(0).strip()
    if _PIPE_SEPARATOR.match(line) and "-" in line:
        return ""
    cells = [c.strip() for c in line[1:-1].split("|")]
    return "| " + " | ".join(c if c else BLANK_CELL for c in cells) + " |"


_SPACES = re.compile(r"[ \t\f\v]+")


def normalise_text(text: str) -> str:
    """The canonical text used for locating: see the module docstring."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    if looks_traditional(text):
        text = to_simplified(text)
    if "|" in text:
        text = _PIPE_ROW.sub(_rewrite_pipe_row, text)
    return _SPACES.sub(" ", text)


_PUNCT_IN_LABEL = set("()（）,，、.。:：;；“”\"'[]【】<>《》 ")


@lru_cache(maxsize=1024)
def phrase_pattern(phrase: str, *, loose_punct: bool = False) -> re.Pattern[str]:
    """A regex matching ``phrase`` with whitespace allowed between characters.

    With ``loose_punct`` punctuation in the phrase is optional and any run of punctuation or
    whitespace may stand between two characters (``（区分处理的，只计…）`` matches
    ``(区分处理的, 只计…)``). The phrase is NFKC-normalised first, like the text.
    """
    phrase = unicodedata.normalize("NFKC", phrase).translate(_QUOTES)
    if loose_punct:
        chars = [c for c in phrase if c not in _PUNCT_IN_LABEL and not c.isspace()]
        sep = r"[^\w]*?"
    else:
        chars = [c for c in phrase if not c.isspace()]
        sep = r"\s*"
    return re.compile(sep.join(re.escape(c) for c in chars))
