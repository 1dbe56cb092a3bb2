"""The statutory core, the reader and the renderer never import Django (architecture rule)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "gongkai"
PURE = ["statutory", "reading", "rendering"]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("package", PURE)
def test_pure_packages_do_not_import_django(package):
    offenders = []
    for path in (PACKAGE / package).rglob("*.py"):
        for name in _imports(path):
            top = name.split(".")
            if top[0] == "django" or (top[0] == "gongkai" and len(top) > 1 and top[1] not in PURE):
                offenders.append(f"{path.relative_to(PACKAGE)}: {name}")
    assert offenders == []


def test_the_boundary_check_sees_a_django_import(tmp_path, monkeypatch):
    probe = tmp_path / "probe.py"
    probe.write_text("from django.db import models\nimport gongkai.core.audit\n")
    assert _imports(probe) == {"django.db", "gongkai.core.audit"}
