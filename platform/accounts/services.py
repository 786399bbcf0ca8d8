"""Account actions: log in, verify the second factor, enrol, end sessions.

Each action writes its audit entry in the same transaction, and closes sockets only after commit.
"""

from __future__ import annotations

import logging
import re
from contextlib import contextmanager

import django_otp
from django.conf import settings
from django.contrib.auth import login as auth_login
from django.contrib.auth import update_session_auth_hash
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import BackupCodeDevice, User
from accounts.sessions import session_started
from accounts.throttle import otp_failure, otp_locked_until, otp_success
from audit import actions
from audit.models import AuditEntry
from audit.services import audit_record
from core.broadcast import broadcast_on_commit, group_send_now
from core.errors import Invalid, RateLimited
from core.groups import user_group

logger = logging.getLogger(__name__)

TOTP_PATTERN = re.compile(r"^\d{6}$")
PENDING_DEVICE_NAME = "pending"


def totp_device_for(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-id").first()


def user_has_second_factor(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def session_login_password(*, request, user: User) -> None:
    """The password was right: start a new session (new key) that is not yet verified."""
    with transaction.atomic():
        auth_login(request, user)  # cycles the session key
        session_started(request.session)
        audit_record(action=actions.LOGIN_PASSWORD, actor=user, subject_user=user, request=request)


def second_factor_verify(*, request, user: User, token: str):
    """Check a TOTP or backup code for `user`; on success mark the session verified.

    Throttled per device (django-otp) and per user (accounts.throttle). A TOTP code is accepted
    once only: django-otp remembers the last time step used, under a row lock
    (django_otp.verify_token), so two concurrent tries with the same code cannot both pass.
    Raises Invalid or RateLimited; returns the device that accepted the code.
    """
    token = (token or "").strip().replace(" ", "")
    until = otp_locked_until(user)
    if until is not None:
        raise RateLimited(_("Te veel verkeerde codes. Wacht een kwartier en probeer het dan opnieuw."))
    if TOTP_PATTERN.match(token):
        device = totp_device_for(user)
    else:
        device = BackupCodeDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        allowed, _details = device.verify_is_allowed()
        if not allowed:
            raise RateLimited(_("Te veel verkeerde codes achter elkaar. Wacht even en probeer het opnieuw."))
    verified = django_otp.verify_token(user, device.persistent_id, token) if device is not None else None
    if verified is None:
        # Raised after the block: inside it, the count and the audit rows would roll back with it.
        with transaction.atomic():
            locked = otp_failure(user)
            audit_record(
                action=actions.SECOND_FACTOR_FAILED, actor=user, subject_user=user,
                result=AuditEntry.Result.DENIED, request=request,
            )
            if locked:
                audit_record(
                    action=actions.LOCKOUT_SECOND_FACTOR, actor=user, subject_user=user,
                    result=AuditEntry.Result.DENIED, request=request,
                )
        raise Invalid(_("Deze code klopt niet of is al gebruikt. Probeer de nieuwste code uit je app."))
    with transaction.atomic():
        otp_success(user)
        if isinstance(verified, BackupCodeDevice):
            audit_record(
                action=actions.BACKUP_CODE_USED, actor=user, subject_user=user, request=request,
                details={"remaining": verified.remaining()},
            )
        session_mark_verified(request=request, device=verified)
    return verified


def session_mark_verified(*, request, device) -> None:
    django_otp.login(request, device)
    request.session.cycle_key()  # a new key once the second factor is in
    audit_record(action=actions.LOGIN_VERIFIED, actor=request.user, subject_user=request.user,
                 request=request, details={"device": device.__class__.__name__})


def totp_enrolment_start(*, user: User) -> TOTPDevice:
    """The unconfirmed device a user is setting up (one at a time; reused on reload)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False, name=PENDING_DEVICE_NAME).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=PENDING_DEVICE_NAME, confirmed=False)
    return device


def totp_enrolment_confirm(*, request, user: User, token: str) -> list[str]:
    """Confirm the pending authenticator with a code from it. It replaces any earlier
    authenticator, gets ten fresh backup codes (returned in clear, to be shown once), and ends
    the user's other sessions and sockets."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False, name=PENDING_DEVICE_NAME).first()
    if device is None:
        raise Invalid(_("De koppeling is verlopen. Begin opnieuw met het instellen."))
    if otp_locked_until(user) is not None:
        raise RateLimited(_("Te veel verkeerde codes. Wacht een kwartier en probeer het dan opnieuw."))
    token = (token or "").strip().replace(" ", "")
    if not TOTP_PATTERN.match(token) or django_otp.verify_token(user, device.persistent_id, token) is None:
        with transaction.atomic():
            otp_failure(user)
            audit_record(action=actions.SECOND_FACTOR_FAILED, actor=user, subject_user=user,
                         result=AuditEntry.Result.DENIED, request=request, details={"during": "enrolment"})
        raise Invalid(_("Deze code klopt niet. Kijk of de tijd op je telefoon goed staat "
                        "en probeer de nieuwste code."))
    with transaction.atomic():
        with sessions_ending_others(request=request, user=user):
            replaced = TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk)
            was_replacement = replaced.exists()
            replaced.delete()
            TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True, name="authenticator")
            device.refresh_from_db()
            otp_success(user)
            codes = _backup_codes_generate(user)
            audit_record(action=actions.TOTP_REPLACED if was_replacement else actions.TOTP_ENROLLED,
                         actor=user, subject_user=user, request=request)
        session_mark_verified(request=request, device=device)
    return codes


def _backup_codes_generate(user: User) -> list[str]:
    device, _created = BackupCodeDevice.objects.get_or_create(
        user=user, defaults={"name": "backup codes", "confirmed": True}
    )
    return device.generate_codes(settings.BACKUP_CODE_COUNT)


def backup_codes_regenerate(*, request, user: User) -> list[str]:
    with transaction.atomic():
        codes = _backup_codes_generate(user)
        audit_record(action=actions.BACKUP_CODES_GENERATED, actor=user, subject_user=user, request=request)
    return codes


@contextmanager
def sessions_ending_others(*, request, user: User):
    """Around the change that ends the user's OTHER sessions (a new password, a new authenticator),
    inside its transaction: afterwards every other session is invalid (the session epoch, part of
    the session auth hash, is raised) and this one is kept valid under a new key.

    Every open socket of the user re-verifies its session after commit. The sockets of this session
    are told its new key first: the `session.check` registered here, before the change itself, goes
    out before the ones the change's own signals send (accounts.receivers), in commit order."""
    keep = request.session.session_key  # the key this session's open sockets connected with
    transaction.on_commit(lambda: group_send_now(user_group(user.pk), {
        "type": "session.check", "keep": keep, "renewed": request.session.session_key}))
    yield
    User.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
    user.refresh_from_db(fields=["session_epoch", "password"])
    update_session_auth_hash(request, user)  # keeps this session valid (and cycles its key)


def second_factor_reset(*, actor: User, user: User, request=None) -> None:
    """Support for someone who lost both their phone and their backup codes: an administrator
    removes their authenticators and backup codes. Every session of the user ends, and their
    sockets close after commit; after the password they set up a new authenticator."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        BackupCodeDevice.objects.filter(user=user).delete()
        User.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
        audit_record(action=actions.SECOND_FACTOR_RESET, actor=actor, subject_user=user, request=request)
        broadcast_on_commit(user_group(user.pk), {"type": "session.end", "keep": None})


def logout_everywhere(*, request) -> None:
    """Logout ends all of the user's sessions and closes all their sockets."""
    from django.contrib.auth import logout

    user = request.user
    with transaction.atomic():
        if user.is_authenticated:
            User.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
            audit_record(action=actions.LOGOUT, actor=user, subject_user=user, request=request)
            broadcast_on_commit(user_group(user.pk), {"type": "session.end", "keep": None})
        logout(request)


def password_change(*, request, form) -> None:
    with transaction.atomic(), sessions_ending_others(request=request, user=form.user):
        user = form.save()
        audit_record(action=actions.PASSWORD_CHANGED, actor=user, subject_user=user, request=request)


def language_set(*, request, user: User, language: str) -> None:
    if language not in dict(settings.LANGUAGES):
        raise Invalid(_("Deze taal is er niet."))
    if user.is_authenticated and user.language != language:
        with transaction.atomic():
            User.objects.filter(pk=user.pk).update(language=language)
            user.language = language
            audit_record(action=actions.LANGUAGE_CHANGED, actor=user, subject_user=user, request=request,
                         details={"language": language})
