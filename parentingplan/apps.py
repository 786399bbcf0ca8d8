from django.apps import AppConfig


class ParentingPlanConfig(AppConfig):
    name = "parentingplan"
    verbose_name = "Parenting plan"

    def ready(self):
        from audit import appendonly

        # Revisions, approvals and frozen versions are records: never changed or removed
        # (only ciphertext may be re-encrypted by rotate_keys).
        appendonly.protect("parentingplan_sectionrevision", mutable=("content", "schedule"))
        appendonly.protect("parentingplan_planapproval")
        appendonly.protect("parentingplan_planversion", mutable=("snapshot",))
