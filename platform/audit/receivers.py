"""Authentication events that happen inside Django rather than in our services."""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver

from audit import actions
from audit.models import AuditEntry
from audit.services import audit_record


def _user_for(credentials) -> object | None:
    email = (credentials or {}).get("username") or ""
    return get_user_model().objects.filter(email__iexact=email.strip()).first() if email else None


@receiver(user_login_failed)
def record_password_failure(sender, credentials, request=None, **kwargs):
    audit_record(
        action=actions.LOGIN_PASSWORD_FAILED,
        subject_user=_user_for(credentials),
        result=AuditEntry.Result.DENIED,
        request=request,
    )
