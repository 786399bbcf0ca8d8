"""Getting back in without calling anyone: a new password through a link by e-mail (Django's own
reset flow), after which the second factor is still asked.

- The link's token (ResetTokenGenerator) is Django's, minus the last-login time: with it, anyone
  who knows the password could void the parent's link just by logging in. It still works once
  (it covers the password hash, which the reset changes) and for PASSWORD_RESET_TIMEOUT.
- Asking for a link says the same whether or not the address has an account. Mails per address are
  limited (accounts.throttle.reset_mail_keys) so nobody can flood a parent's inbox; a trusted device
  of the account asks on its own count.
- Setting the new password ends every session and socket of the user, and starts a password-only
  session here that remembers it came through the mailbox: its code counter is its own, and it may
  link a new authenticator after a second-factor reset (User.enrolment_needs_email).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.contrib.auth.views import INTERNAL_RESET_SESSION_TOKEN
from django.db import transaction
from django.db.models import F

from accounts import throttle
from accounts.devices import trusted_device_from_request
from accounts.models import User
from accounts.services import session_login_password
from audit import actions
from audit.services import audit_record
from core.broadcast import broadcast_on_commit
from core.groups import user_group
from core.http import client_ip


class ResetTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "accounts.recovery.ResetTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        return f"{user.pk}{user.password}{timestamp}{user.email}"


reset_tokens = ResetTokenGenerator()


def password_reset_request(*, request, form) -> None:
    """Mail a reset link for the address in `form` (accounts.forms.PasswordResetRequestForm, valid)
    when it belongs to an active account and mails to it are not held back. The caller shows the
    same page in every case: nothing here tells whether the address exists."""
    email = User.objects.normalize_email(form.cleaned_data["email"])
    device = trusted_device_from_request(request, email=email)
    keys = throttle.reset_mail_keys(email=email, address=client_ip(request),
                                    device_id=device.pk if device is not None else None)
    if throttle.blocked_until(keys) is not None:
        return
    if throttle.failure(keys).until is not None:  # every request counts, for a known address or not
        return  # this one went over: no more mails for a while
    user = User.objects.filter(email=email, is_active=True).first()
    if user is not None:
        with transaction.atomic():
            audit_record(action=actions.PASSWORD_RESET_REQUESTED, subject_user=user, request=request)
    form.save(
        token_generator=reset_tokens,
        subject_template_name="accounts/email/password_reset_subject.txt",
        email_template_name="accounts/email/password_reset.txt",
        extra_email_context={"site_url": settings.SITE_URL.rstrip("/"), "site_name": settings.SITE_NAME,
                             "hours": max(1, settings.PASSWORD_RESET_TIMEOUT // 3600)},
        request=request,
    )


def password_reset_complete(*, request, form) -> User:
    """The new password from a valid link (`form`: Django's SetPasswordForm for the link's user).
    Every session of the user ends and their sockets close after commit; this browser gets a
    password-only session, so the second factor is still asked."""
    with transaction.atomic():
        user = form.save()
        User.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
        user.refresh_from_db(fields=["session_epoch", "password"])
        audit_record(action=actions.PASSWORD_RESET, actor=user, subject_user=user, request=request)
        broadcast_on_commit(user_group(user.pk), {"type": "session.end", "keep": None})
        request.session.pop(INTERNAL_RESET_SESSION_TOKEN, None)
        user.backend = "django.contrib.auth.backends.ModelBackend"
        session_login_password(request=request, user=user, mail_proof=True,
                               device=trusted_device_from_request(request, user_id=user.pk))
    return user
