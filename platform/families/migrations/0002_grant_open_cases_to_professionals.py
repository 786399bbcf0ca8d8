from django.db import migrations

OPEN_CASES_GRANTED = "accounts:may_open_cases:granted"  # audit.actions.OPEN_CASES_GRANTED, as it was then


def grant(apps, schema_editor):
    """The rule from now on (families.services): whoever is a professional in a family may open cases
    of their own. Professionals who joined before the rule get it now, each with an audit entry."""
    User = apps.get_model("accounts", "User")
    Membership = apps.get_model("families", "Membership")
    AuditEntry = apps.get_model("audit", "AuditEntry")
    professionals = Membership.objects.filter(
        ended_at__isnull=True, role__in=("practitioner", "coordinator"), user__may_open_cases=False
    ).order_by("user_id", "created_at")
    granted = set()
    for membership in professionals:
        if membership.user_id in granted:
            continue
        granted.add(membership.user_id)
        AuditEntry.objects.create(action=OPEN_CASES_GRANTED, subject_user_id=membership.user_id,
                                  acting_role=membership.role, family_id=membership.family_id,
                                  target_type="membership", target_id=str(membership.pk),
                                  details={"role": membership.role, "reason": "migration"})
    User.objects.filter(pk__in=granted).update(may_open_cases=True)


class Migration(migrations.Migration):
    dependencies = [
        ("families", "0001_initial"),
        ("accounts", "0002_rename_is_practitioner_may_open_cases"),
        ("audit", "0002_append_only"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
