from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from accounts import personal_data, receivers  # noqa: F401  (personal_data registers its parts)

        receivers.connect()
