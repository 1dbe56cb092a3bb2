"""Small server-side SVG charts (no scripts, no inline styles: the pages' CSP allows neither).

Presentation attributes (``fill``, ``font-size``) are not CSS, so they pass ``style-src
'self'``; colours come from classes in ``oversight.css`` where possible. Pure Python.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

__all__ = ["bar_chart"]


def bar_chart(
    bars: Sequence[tuple[str, float]],
    *,
    title: str,
    unit: str = "",
    ident: str = "chart",
    css_class: str = "bar",
    width: int = 640,
    label_width: int = 220,
) -> str:
    """A horizontal bar chart as an ``<svg>`` element (accessible: title and per-bar text)."""
    row = 24
    top = 8
    height = top * 2 + row * max(1, len(bars))
    peak = max((v for _, v in bars), default=0) or 1
    span = width - label_width - 70
    parts = [
        f'<svg class="chart-svg" role="img" aria-labelledby="{escape(ident)}-title" '
        f'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{escape(ident)}-title">{escape(title)}</title>',
    ]
    for i, (label, value) in enumerate(bars):
        y = top + i * row
        w = 0 if value <= 0 else max(2, round(span * value / peak))
        short = label if len(label) <= 16 else label[:15] + "…"
        shown = f"{value:g}{unit}"
        parts.append(
            f"<g><title>{escape(label)}：{escape(shown)}</title>"
            f'<text x="{label_width - 6}" y="{y + 16}" text-anchor="end" font-size="13">'
            f"{escape(short)}</text>"
            f'<rect class="{escape(css_class)}" x="{label_width}" y="{y + 4}" width="{w}" '
            f'height="{row - 8}" rx="2"></rect>'
            f'<text x="{label_width + w + 6}" y="{y + 16}" font-size="13">{escape(shown)}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)
