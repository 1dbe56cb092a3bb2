"""Replace one named section of docs/benchmarks.md, keeping the others."""

from __future__ import annotations

import re
from pathlib import Path

DOC = Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md"
HEADER = (
    "# 性能基准 / Benchmarks\n\n由 `benchmarks/` 中的脚本生成；比值均相对同一次运行中测得的基线。\n"
)


def write_section(title: str, body: str, doc: Path = DOC) -> None:
    """Write ``## title`` with ``body`` into the document, replacing an earlier version."""
    text = doc.read_text(encoding="utf-8") if doc.exists() else HEADER
    block = f"## {title}\n\n{body.strip()}\n"
    pattern = re.compile(rf"^## {re.escape(title)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _: block + "\n", text)
    else:
        text = text.rstrip("\n") + "\n\n" + block
    doc.write_text(text.rstrip("\n") + "\n", encoding="utf-8")
