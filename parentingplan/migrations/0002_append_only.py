from django.db import migrations

from audit.appendonly import ProtectTable


class Migration(migrations.Migration):
    dependencies = [("parentingplan", "0001_initial"), ("audit", "0002_append_only")]

    operations = [
        ProtectTable("parentingplan_sectionrevision", mutable=("content", "schedule")),
        ProtectTable("parentingplan_planapproval"),
        ProtectTable("parentingplan_planversion", mutable=("snapshot",)),
    ]
