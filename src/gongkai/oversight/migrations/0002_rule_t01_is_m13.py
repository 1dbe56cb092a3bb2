"""Rule T-01 (sub-heading numbering jumps) moved into ``statutory.checks`` as M-13: findings
stored before the move are renamed so their title and filters keep working."""

from django.db import migrations

OLD, NEW = "T-01", "M-13"


def _rename(apps, old, new):
    AuditItem = apps.get_model("oversight", "AuditItem")
    for item in AuditItem.objects.exclude(findings=[]).iterator():
        changed = False
        for finding in item.findings:
            if isinstance(finding, dict) and finding.get("rule") == old:
                finding["rule"] = new
                changed = True
        if changed:
            item.save(update_fields=["findings"])


def forwards(apps, schema_editor):
    _rename(apps, OLD, NEW)


def backwards(apps, schema_editor):
    _rename(apps, NEW, OLD)


class Migration(migrations.Migration):
    dependencies = [("oversight", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
