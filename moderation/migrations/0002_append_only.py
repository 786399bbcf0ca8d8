from django.db import migrations

from audit.appendonly import ProtectTable


class Migration(migrations.Migration):
    dependencies = [("moderation", "0001_contact_mode"), ("audit", "0002_append_only")]

    operations = [
        ProtectTable("moderation_contactmodechange", mutable=("reason",)),
    ]
