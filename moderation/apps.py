from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "moderation"
    verbose_name = "Moderation"

    def ready(self):
        from audit import appendonly
        from families import features
        from messaging import extensions
        from moderation import caseload, receivers
        from moderation.chat import ModerationChat

        appendonly.protect("moderation_contactmodechange", mutable=("reason",))
        # Drafts, decisions and relays are records: only ciphertext may be rewritten (rotate_keys).
        appendonly.protect("moderation_draft", mutable=("body",))
        appendonly.protect("moderation_decision", mutable=("note", "proposal"))
        appendonly.protect("moderation_relay")
        appendonly.protect("moderation_messagetone")
        appendonly.protect("moderation_alert")
        appendonly.protect("moderation_alertacknowledgement")
        features.register_card(name="moderation.contact_mode", template_name="moderation/_family_card.html",
                               context=receivers.contact_mode_card, order=5)
        # A practitioner's home: signal light, mode, queue, alerts and the tone trend per family.
        features.register_caseload_column(name="moderation.signal",
                                          template_name="moderation/_caseload_cell.html",
                                          facts=caseload.caseload_facts, order=10, filters=caseload.FILTERS)
        # The send gate (hold or refuse in the parents' thread), the sender's held messages in the
        # chat, the records in exports and verify_records, the mode banner and the relay form.
        extensions.register(ModerationChat())
        # A parent's comments and dispute reasons on the plan follow the contact mode too.
        from moderation.plan import ModerationPlanGate
        from parentingplan import extensions as plan_extensions

        plan_extensions.register(ModerationPlanGate())
