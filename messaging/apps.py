from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "messaging"
    verbose_name = "Messaging"

    def ready(self):
        from accounts import events as account_events
        from accounts.personal_data import register_section
        from audit import appendonly
        from families import events, features
        from messaging import personal_data, receivers

        # Records: never changed or removed. Only the body's ciphertext may be re-encrypted.
        appendonly.protect("messaging_message", mutable=("body",))
        appendonly.protect("messaging_messageread")
        appendonly.protect("messaging_proposalanswer")

        events.family_created.connect(receivers.on_family_created, dispatch_uid="messaging.family_created")
        events.membership_changed.connect(receivers.on_membership_changed,
                                          dispatch_uid="messaging.membership_changed")
        account_events.display_name_changed.connect(receivers.on_display_name_changed,
                                                    dispatch_uid="messaging.display_name_changed")
        features.register_card(name="messaging.threads", template_name="messaging/_family_card.html",
                               context=receivers.threads_card, order=10)
        features.register_unread_counter(name="messaging.threads", count=receivers.unread_by_family)
        features.register_caseload_column(name="messaging.activity",
                                          template_name="messaging/_caseload_cell.html",
                                          facts=receivers.caseload_facts, order=20)
        register_section(name="messages", collect=personal_data.collect, order=30)
