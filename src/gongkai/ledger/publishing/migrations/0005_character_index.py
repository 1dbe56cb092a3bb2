"""An index of single characters, for searches of one- and two-character words.

A trigram index cannot answer a word shorter than three characters, and Chinese has many
(调解, 普法, 夜市, 援). Without this index such a search reads rows until a page is full, which
for a rare word means the whole table.

* SQLite: an FTS5 table over the text with every character made a token of its own
  (``services.search.character_tokens``), ``detail=none`` (no positions: a word's characters
  are found by the index, the word itself is then confirmed by a substring test on those rows).
  External content with nothing read back from it: the service layer adds and removes rows.
* PostgreSQL: a GIN index on the array of the text's characters (``string_to_array(…, NULL)``),
  used with ``@>`` and confirmed by the same substring test.
"""

from django.db import migrations

SQLITE_CREATE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS publishing_search_chars USING fts5("
    "search_text, content='publishing_publication', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 0', detail='none')"
)
SQLITE_DROP = "DROP TABLE IF EXISTS publishing_search_chars"
PG_CREATE = (
    "CREATE INDEX IF NOT EXISTS publishing_search_chars ON publishing_publication "
    "USING gin ((string_to_array(lower(search_text), NULL))) "
    "WHERE on_platform AND status = 'published'"
)
PG_DROP = "DROP INDEX IF EXISTS publishing_search_chars"


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        from gongkai.ledger.publishing.services.search import character_tokens

        schema_editor.execute(SQLITE_CREATE)
        Publication = apps.get_model("publishing", "Publication")
        rows = Publication.objects.filter(status="published").values_list("pk", "search_text")
        sql = "INSERT INTO publishing_search_chars(rowid, search_text) VALUES (%s, %s)"
        batch = []
        with schema_editor.connection.cursor() as cursor:
            for pk, text in rows.iterator(chunk_size=5000):
                batch.append((pk, character_tokens(text)))
                if len(batch) == 5000:
                    cursor.executemany(sql, batch)
                    batch.clear()
            cursor.executemany(sql, batch)
    elif vendor == "postgresql":
        schema_editor.execute(PG_CREATE)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_DROP)
    elif vendor == "postgresql":
        schema_editor.execute(PG_DROP)


class Migration(migrations.Migration):
    dependencies = [("publishing", "0004_public_indexes_cover_condition")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
