"""Full-text search for Chinese, per database.

* SQLite: an FTS5 table with the ``trigram`` tokenizer over ``publishing_publication.search_text``
  (external content: the text is stored once, in the publication row). The service layer adds
  rows on publishing and removes them on withdrawal.
* PostgreSQL: the ``pg_trgm`` extension and a GIN index on ``search_text`` (needs a UTF-8
  ``LC_CTYPE`` such as C.UTF-8, otherwise no trigrams are extracted from Chinese text).

Other databases get neither and fall back to the plain scan.
"""

from django.db import migrations

SQLITE_CREATE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS publishing_search USING fts5("
    "search_text, content='publishing_publication', content_rowid='id', tokenize='trigram')"
)
SQLITE_DROP = "DROP TABLE IF EXISTS publishing_search"
PG_CREATE = (
    "CREATE INDEX IF NOT EXISTS publishing_search_trgm ON publishing_publication "
    "USING gin (search_text gin_trgm_ops)"
)
PG_DROP = "DROP INDEX IF EXISTS publishing_search_trgm"


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_CREATE)
    elif vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(PG_CREATE)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_DROP)
    elif vendor == "postgresql":
        schema_editor.execute(PG_DROP)


class Migration(migrations.Migration):
    dependencies = [("publishing", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
