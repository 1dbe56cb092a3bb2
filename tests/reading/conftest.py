"""Shared helpers for the reader tests: the corpus of real reports and their truth files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parents[1] / "data"
CORPUS = DATA / "corpus"
SEED = DATA / "seed" / "jiyuan-justice-bureau-2024.txt"


def corpus_names() -> list[str]:
    """Names (``001``, …, ``seed``) of the corpus reports that have a truth file."""
    return sorted(p.stem for p in (CORPUS / "truth").glob("*.json"))


def load_truth(name: str) -> dict[str, Any]:
    return json.loads((CORPUS / "truth" / f"{name}.json").read_text(encoding="utf-8"))


def load_report_bytes(name: str) -> bytes:
    return (CORPUS / "reports" / f"{name}.txt").read_bytes()
