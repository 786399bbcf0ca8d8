from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "messaging"
    verbose_name = "Messaging"

    def ready(self):
        from audit import appendonly

        # Records: never changed or removed. Only the body's ciphertext may be re-encrypted.
        appendonly.protect("messaging_message", mutable=("body",))
        appendonly.protect("messaging_messageread")
