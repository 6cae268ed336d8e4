"""How many documents an ingest will read, when that can be known before reading them.

Files count one each, a directory the files under it (hidden ones skipped, as the reader
skips them), a .jsonl file its non-blank lines; stdin and feeds cannot be counted, and
then there is no total.  Counting a .jsonl file reads it once.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from .fetch import is_url


def _jsonl_lines(path: Path) -> int:
    with open(path, "rb") as fh:
        return sum(1 for line in fh if line.strip())


def _count(path: Path) -> int:
    if path.is_dir():
        return sum(_count(p) for p in sorted(path.rglob("*"))
                   if not p.is_dir() and not any(part.startswith(".") for part in p.relative_to(path).parts))
    if path.suffix.lower() == ".jsonl" and path.is_file():
        return _jsonl_lines(path)
    return 1


def count_documents(inputs: Iterable[str], feeds: Iterable[str] = ()) -> int | None:
    """The number of documents the inputs hold, or None when some cannot be counted (stdin, feeds)."""
    if list(feeds):
        return None
    total = 0
    for item in inputs:
        if item == "-":
            return None
        total += 1 if is_url(item) else _count(Path(item))
    return total
