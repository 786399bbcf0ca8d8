from django.apps import AppConfig


class FamiliesConfig(AppConfig):
    name = "families"
    verbose_name = "Families"

    def ready(self):
        from accounts.account_settings import register_name_check
        from accounts.personal_data import register_section
        from families import personal_data, services

        register_name_check(services.display_name_check)

        register_section(name="families", collect=personal_data.collect, record=personal_data.record,
                         order=10)
