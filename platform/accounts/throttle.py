"""Per-user throttling of second-factor codes, across all of the user's devices.

django-otp already throttles each device (exponential back-off). This adds a cap per user: after
OTP_USER_FAILURE_LIMIT wrong codes in a row, no code is accepted for OTP_USER_COOLOFF. The
counter is updated under a row lock so that parallel guesses are all counted.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from accounts.models import User


def otp_locked_until(user: User) -> datetime | None:
    if user.otp_failures < settings.OTP_USER_FAILURE_LIMIT or user.otp_last_failure_at is None:
        return None
    until = user.otp_last_failure_at + settings.OTP_USER_COOLOFF
    return until if until > timezone.now() else None


def otp_failure(user: User) -> bool:
    """Count a wrong code; returns True when this failure locks the user. Call in a transaction."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    if locked.otp_last_failure_at and locked.otp_last_failure_at + settings.OTP_USER_COOLOFF < timezone.now():
        locked.otp_failures = 0  # an old streak has expired
        locked.save(update_fields=["otp_failures"])
    User.objects.filter(pk=user.pk).update(otp_failures=F("otp_failures") + 1,
                                           otp_last_failure_at=timezone.now())
    user.refresh_from_db(fields=["otp_failures", "otp_last_failure_at"])
    return user.otp_failures == settings.OTP_USER_FAILURE_LIMIT


def otp_success(user: User) -> None:
    if user.otp_failures:
        User.objects.filter(pk=user.pk).update(otp_failures=0, otp_last_failure_at=None)
        user.otp_failures, user.otp_last_failure_at = 0, None


def axes_username(request, credentials) -> str | None:
    """The account django-axes counts wrong passwords for (AXES_USERNAME_CALLABLE)."""
    username = (credentials or {}).get("username")
    return User.objects.normalize_email(username) if username else None
