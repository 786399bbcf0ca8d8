from django.apps import AppConfig


class ParentingPlanConfig(AppConfig):
    name = "parentingplan"
    verbose_name = "Parenting plan"

    def ready(self):
        from accounts.personal_data import register_section
        from audit import appendonly
        from families import events, features
        from parentingplan import personal_data, receivers

        # Revisions, approvals and frozen versions are records: never changed or removed
        # (only ciphertext may be re-encrypted by rotate_keys).
        appendonly.protect("parentingplan_sectionrevision", mutable=("content", "schedule"))
        appendonly.protect("parentingplan_planapproval")
        appendonly.protect("parentingplan_planversion", mutable=("snapshot",))
        appendonly.protect("parentingplan_sectionopinion", mutable=("reason",))
        appendonly.protect("parentingplan_comment", mutable=("body",))
        appendonly.protect("parentingplan_wordsdecision", mutable=("note",))

        events.family_created.connect(receivers.on_family_created,
                                      dispatch_uid="parentingplan.family_created")
        features.register_card(name="parentingplan.plan", template_name="parentingplan/_family_card.html",
                               context=receivers.plan_card, order=20)
        features.register_caseload_column(name="parentingplan.progress",
                                          template_name="parentingplan/_caseload_cell.html",
                                          facts=receivers.caseload_facts, order=30)
        register_section(name="parenting_plan", collect=personal_data.collect, order=40)
