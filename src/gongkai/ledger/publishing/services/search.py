"""Keeping the full-text index in step with what is published.

* SQLite: an FTS5 table ``publishing_search`` with the ``trigram`` tokenizer, whose content is
  the ``search_text`` column of the publications (external content, so the text is stored once).
  The service layer adds a publication when it is published and removes it when it is
  withdrawn; nothing else is indexed. Queries of three or more characters use it; shorter ones
  scan ``search_text`` (SQLite 3.40's trigram table silently returns no rows for them).
* PostgreSQL: a ``pg_trgm`` GIN index on ``search_text`` serves every query; nothing to do here.
"""

from __future__ import annotations

from django.db import connection

from gongkai.ledger.publishing.models import Publication

FTS_TABLE = "publishing_search"


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


def search_index_remove(publication: Publication) -> None:
    """Take a publication out of the index (with the exact text that was indexed)."""
    if not uses_fts():
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text) VALUES ('delete', %s, %s)",
            [publication.pk, publication.search_text],
        )


def search_index_rebuild() -> int:
    """Re-index every published item from scratch (after a bulk import or a restore)."""
    if not uses_fts():
        return Publication.objects.filter(status=Publication.Status.PUBLISHED).count()
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('delete-all')")
        cursor.execute(
            f"INSERT INTO {FTS_TABLE}(rowid, search_text) "
            f"SELECT id, search_text FROM {Publication._meta.db_table} WHERE status = %s",
            [Publication.Status.PUBLISHED],
        )
        return cursor.rowcount
