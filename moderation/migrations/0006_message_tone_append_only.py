from django.db import migrations

from audit.appendonly import ProtectTable


class Migration(migrations.Migration):
    dependencies = [("moderation", "0005_message_tone")]

    operations = [ProtectTable("moderation_messagetone")]
