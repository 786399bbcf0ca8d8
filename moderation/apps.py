from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "moderation"
    verbose_name = "Moderation"

    def ready(self):
        from audit import appendonly
        from families import features
        from moderation import receivers

        appendonly.protect("moderation_contactmodechange", mutable=("reason",))
        features.register_card(name="moderation.contact_mode", template_name="moderation/_family_card.html",
                               context=receivers.contact_mode_card, order=5)
