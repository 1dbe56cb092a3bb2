"""Reference data of the catalogue from the editable data files in ``data/``.

``sync_topics`` and ``sync_terms`` take an app registry (the migration's ``apps`` or
``django.apps.apps``), so the data migration and the ``load_publishing_reference`` command run the
same code. Both are idempotent and never delete what administrators added. By default they only
add the entries the database lacks, so what administrators changed in the back office (a topic
renamed or moved, a seed term made non-blocking) stays; ``overwrite=True`` (the command's
``--overwrite``) puts the file's values back.
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


def _sync(model: Any, lookup: dict[str, Any], values: dict[str, Any], overwrite: bool) -> Any:
    if overwrite:
        row, _ = model.objects.update_or_create(**lookup, defaults=values)
    else:
        row, _ = model.objects.get_or_create(**lookup, defaults=values)
    return row


def sync_topics(apps: Any, path: Path = TOPICS_FILE, *, overwrite: bool = False) -> int:
    """Create (or, with ``overwrite``, reset) the topic classes listed in the data file; returns
    how many the file lists."""
    topic_model = apps.get_model("publishing", "Topic")
    count = 0
    for position, item in enumerate(_load(path, "topics")):
        parent = _sync(
            topic_model,
            {"code": item["code"]},
            {"name": item["name"], "parent": None, "position": position},
            overwrite,
        )
        count += 1
        for child_position, name in enumerate(item.get("children", []), start=1):
            _sync(
                topic_model,
                {"code": f"{item['code']}.{child_position:02d}"},
                {"name": name, "parent": parent, "position": child_position},
                overwrite,
            )
            count += 1
    return count


def sync_terms(apps: Any, path: Path = TERMS_FILE, *, overwrite: bool = False) -> int:
    """Create (or, with ``overwrite``, reset) the platform-wide dictionary entries of the data
    file; returns how many the file lists."""
    rule_model = apps.get_model("publishing", "TermRule")
    count = 0
    for item in _load(path, "terms"):
        _sync(
            rule_model,
            {"agency": None, "kind": item["kind"], "pattern": item["pattern"]},
            {
                "is_regex": bool(item.get("regex", False)),
                "suggestion": item.get("suggestion", ""),
                "blocking": bool(item.get("blocking", True)),
            },
            overwrite,
        )
        count += 1
    return count
