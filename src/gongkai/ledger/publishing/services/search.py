"""Keeping the full-text index in step with what is published.

* SQLite: an FTS5 table ``publishing_search`` with the ``trigram`` tokenizer, whose content is
  the ``search_text`` column of the publications (external content, so the text is stored once).
  The service layer adds a publication when it is published and removes it when it is
  withdrawn; nothing else is indexed. Words of three or more characters use it.
* SQLite, words of one or two characters (which a trigram table cannot answer; SQLite 3.40
  silently returns no rows): a second FTS5 table ``publishing_search_chars`` holding each
  character as a token (``character_tokens``), kept in step by the same two calls.
* PostgreSQL: a ``pg_trgm`` GIN index on ``search_text`` for longer words and a GIN index on
  the array of its characters for short ones (migration 0005); nothing to do here.
"""

from __future__ import annotations

import time

from django.db import connection, transaction

from gongkai.ledger.publishing.models import Publication

FTS_TABLE = "publishing_search"
CHARS_TABLE = "publishing_search_chars"


def index_characters(term: str) -> list[str]:
    """The characters of a short word that the character index holds (letters and digits,
    once each); punctuation is not indexed."""
    return list(dict.fromkeys(ch.lower() for ch in term if ch.isalnum()))


COMMON_CHARACTER_SHARE = 0.01
"""PostgreSQL: a character found in more than this share of published items is not looked up
in the character index (its list of rows is long); the ordered scan finds it within a page."""
_FREQUENCY_TTL = 600.0
_frequencies: tuple[float, dict[str, float]] = (0.0, {})


def character_frequencies() -> dict[str, float]:
    """PostgreSQL: the share of published items holding each common character, from the
    statistics ANALYZE keeps for the character index (``most_common_elems``); a character not
    listed is rarer than every listed one. Read at most every ten minutes per process."""
    global _frequencies
    read_at, value = _frequencies
    now = time.monotonic()
    if read_at and now - read_at < _FREQUENCY_TTL:
        return value
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats "
            "WHERE tablename = %s",
            [CHARS_TABLE],
        )
        row = cursor.fetchone()
    value = dict(zip(row[0], row[1], strict=False)) if row and row[0] else {}
    _frequencies = (now, value)
    return value


def selective_characters(characters: list[str]) -> list[str]:
    """PostgreSQL: the characters worth looking up in the character index — the rare ones.
    For common characters a GIN lookup reads (and sorts) hundreds of thousands of rows, while
    walking the newest items fills a page at once; the substring test confirms either way.
    Without statistics yet (a new or small table), all of them."""
    frequencies = character_frequencies()
    if not frequencies:
        return characters
    return [ch for ch in characters if frequencies.get(ch, 0.0) < COMMON_CHARACTER_SHARE]


def character_tokens(text: str) -> str:
    """``text`` with every character a separate token for the character index ("夜市" →
    "夜 市"); the tokenizer drops punctuation and folds case."""
    return " ".join(text.replace(" ", ""))


def uses_fts() -> bool:
    return connection.vendor == "sqlite"


def search_index_add(publication: Publication) -> None:
    """Index a publication that has just been published (inside its transaction)."""
    if not uses_fts():
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (%s, %s)",
            [publication.pk, publication.search_text],
        )
        cursor.execute(
            f"INSERT INTO {CHARS_TABLE}(rowid, search_text) VALUES (%s, %s)",
            [publication.pk, character_tokens(publication.search_text)],
        )


def search_index_remove(publication: Publication) -> None:
    """Take a publication out of the index (with the exact text that was indexed)."""
    if not uses_fts():
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text) VALUES ('delete', %s, %s)",
            [publication.pk, publication.search_text],
        )
        cursor.execute(
            f"INSERT INTO {CHARS_TABLE}({CHARS_TABLE}, rowid, search_text) "
            "VALUES ('delete', %s, %s)",
            [publication.pk, character_tokens(publication.search_text)],
        )


def search_index_rebuild() -> int:
    """Re-index every published item from scratch (after a bulk import or a restore)."""
    if not uses_fts():
        return Publication.objects.filter(status=Publication.Status.PUBLISHED).count()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('delete-all')")
        cursor.execute(
            f"INSERT INTO {FTS_TABLE}(rowid, search_text) "
            f"SELECT id, search_text FROM {Publication._meta.db_table} WHERE status = %s",
            [Publication.Status.PUBLISHED],
        )
        count = cursor.rowcount
        cursor.execute(f"INSERT INTO {CHARS_TABLE}({CHARS_TABLE}) VALUES ('delete-all')")
        rows = Publication.objects.filter(status=Publication.Status.PUBLISHED).values_list(
            "pk", "search_text"
        )
        batch: list[tuple[int, str]] = []
        sql = f"INSERT INTO {CHARS_TABLE}(rowid, search_text) VALUES (%s, %s)"
        for pk, text in rows.iterator(chunk_size=5000):
            batch.append((pk, character_tokens(text)))
            if len(batch) == 5000:
                cursor.executemany(sql, batch)
                batch.clear()
        if batch:
            cursor.executemany(sql, batch)
        return count
