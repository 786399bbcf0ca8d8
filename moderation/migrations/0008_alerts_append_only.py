from django.db import migrations

from audit.appendonly import ProtectTable


class Migration(migrations.Migration):
    dependencies = [("moderation", "0007_escalation_policy_and_alerts")]

    operations = [ProtectTable("moderation_alert"), ProtectTable("moderation_alertacknowledgement")]
