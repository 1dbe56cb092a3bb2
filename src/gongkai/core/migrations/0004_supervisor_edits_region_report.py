"""The supervising office (政务公开办) compiles the government-level report of its region."""

from django.db import migrations


def sync(apps, schema_editor):
    from gongkai.core.roles import sync_roles

    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [("core", "0003_calendar")]

    operations = [migrations.RunPython(sync, migrations.RunPython.noop)]
