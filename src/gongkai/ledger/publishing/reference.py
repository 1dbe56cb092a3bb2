"""Reference data of the catalogue from the editable data files in ``data/``.

``sync_topics`` and ``sync_terms`` take an app registry (the migration's ``apps`` or
``django.apps.apps``), so the data migration and the ``load_publishing_reference`` command run the
same code. Both are idempotent and never delete what administrators added.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"
TOPICS_FILE = DATA_DIR / "topics.json"
TERMS_FILE = DATA_DIR / "terms.json"


def _load(path: Path, key: str) -> list[dict[str, Any]]:
    return list(json.loads(path.read_text(encoding="utf-8"))[key])


def sync_topics(apps: Any, path: Path = TOPICS_FILE) -> int:
    """Create or rename the topic classes listed in the data file; returns how many exist."""
    topic_model = apps.get_model("publishing", "Topic")
    count = 0
    for position, item in enumerate(_load(path, "topics")):
        parent, _ = topic_model.objects.update_or_create(
            code=item["code"],
            defaults={"name": item["name"], "parent": None, "position": position},
        )
        count += 1
        for child_position, name in enumerate(item.get("children", []), start=1):
            topic_model.objects.update_or_create(
                code=f"{item['code']}.{child_position:02d}",
                defaults={"name": name, "parent": parent, "position": child_position},
            )
            count += 1
    return count


def sync_terms(apps: Any, path: Path = TERMS_FILE) -> int:
    """Create or update the platform-wide dictionary entries of the data file."""
    rule_model = apps.get_model("publishing", "TermRule")
    count = 0
    for item in _load(path, "terms"):
        rule_model.objects.update_or_create(
            agency=None,
            kind=item["kind"],
            pattern=item["pattern"],
            defaults={
                "is_regex": bool(item.get("regex", False)),
                "suggestion": item.get("suggestion", ""),
                "blocking": bool(item.get("blocking", True)),
            },
        )
        count += 1
    return count
