from django.db import migrations

from audit.appendonly import ProtectTable


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [ProtectTable("audit_auditentry")]
