"""Create the staff role groups (经办人, 审核人, 保密审查员, 负责人, 系统管理员, 政务公开办)."""

from django.db import migrations


def create_roles(apps, schema_editor):
    # roles.py is plain data (no models), so importing it here is safe.
    from gongkai.core.roles import sync_roles

    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
