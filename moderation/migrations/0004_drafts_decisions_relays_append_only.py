from django.db import migrations

from audit.appendonly import ProtectTable


class Migration(migrations.Migration):
    dependencies = [("moderation", "0003_drafts_decisions_relays")]

    # Only ciphertext may be rewritten (rotate_keys); every hash covers the plaintext.
    operations = [
        ProtectTable("moderation_draft", mutable=("body",)),
        ProtectTable("moderation_decision", mutable=("note", "proposal")),
        ProtectTable("moderation_relay"),
    ]
