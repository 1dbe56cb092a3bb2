"""Reference data: the topic classes (主题分类) and the platform-wide error / sensitive-term
dictionary, from the editable files in ``gongkai/ledger/publishing/data/``."""

from django.db import migrations


def forwards(apps, schema_editor):
    from gongkai.ledger.publishing.reference import sync_terms, sync_topics

    sync_topics(apps)
    sync_terms(apps)


class Migration(migrations.Migration):
    dependencies = [("publishing", "0002_search_index")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
