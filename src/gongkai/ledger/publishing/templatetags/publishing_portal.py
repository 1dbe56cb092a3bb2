"""Portal template helpers: the latest published items (through the one published selector)."""

from __future__ import annotations

from typing import Any

from django import template

from gongkai.ledger.publishing.selectors import latest_public

register = template.Library()


@register.inclusion_tag("portal/publishing/_latest.html")
def latest_publications(
    agency: Any = None, limit: int = 8, heading: str = "最新信息"
) -> dict[str, Any]:
    """A list of the latest published items, platform-wide or of one agency."""
    return {
        "items": latest_public(agency=agency, limit=limit),
        "agency": agency,
        "heading": heading,
    }
