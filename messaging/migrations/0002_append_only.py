from django.db import migrations

from audit.appendonly import ProtectTable


class Migration(migrations.Migration):
    dependencies = [("messaging", "0001_initial"), ("audit", "0002_append_only")]

    operations = [
        ProtectTable("messaging_message", mutable=("body",)),
        ProtectTable("messaging_messageread"),
    ]
