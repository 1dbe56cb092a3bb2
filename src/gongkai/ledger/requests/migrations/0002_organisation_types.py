"""Seed the organisation type → table-三 column table (spec §1.7: a configurable mapping)."""

from django.db import migrations

# name, category (formats.Col), note, ordering
ORGANISATION_TYPES = [
    ("企业（公司、合伙企业等）", "BIZ", "", 10),
    ("个体工商户", "BIZ", "无官方口径，通行做法计入商业企业", 20),
    ("农民专业合作社", "BIZ", "", 30),
    ("科研院所", "RES", "", 40),
    ("高等学校", "RES", "无官方口径，通行做法计入科研机构", 50),
    ("社会团体", "NPO", "", 60),
    ("基金会", "NPO", "", 70),
    ("社会服务机构（民办非企业单位）", "NPO", "", 80),
    ("律师事务所", "LAW", "律师以本人名义申请的计入自然人", 90),
    ("公证机构、司法鉴定机构、基层法律服务所", "LAW", "", 100),
    ("村（居）民委员会", "OTH", "无官方口径，通行做法计入其他", 110),
    ("机关、事业单位", "OTH", "", 120),
    ("其他组织", "OTH", "", 130),
]


def seed(apps, schema_editor):
    model = apps.get_model("requests", "OrganisationType")
    for name, category, note, ordering in ORGANISATION_TYPES:
        model.objects.get_or_create(
            name=name, defaults={"category": category, "note": note, "ordering": ordering}
        )


def unseed(apps, schema_editor):
    model = apps.get_model("requests", "OrganisationType")
    model.objects.filter(name__in=[row[0] for row in ORGANISATION_TYPES]).delete()


class Migration(migrations.Migration):
    dependencies = [("requests", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
