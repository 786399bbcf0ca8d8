"""Account actions: log in, verify the second factor, enrol, end sessions.

Each action writes its audit entry in the same transaction, and closes sockets only after commit.
"""

from __future__ import annotations

import logging
import re
import secrets
from contextlib import contextmanager

import django_otp
from django.conf import settings
from django.contrib.auth import authenticate, logout, update_session_auth_hash
from django.contrib.auth import login as auth_login
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import throttle
from accounts.devices import trusted_device_from_request, trusted_device_remember
from accounts.models import BackupCodeDevice, TrustedDevice, User, UserSession
from accounts.session_store import DEVICE_SESSION_KEY
from accounts.sessions import session_started
from audit import actions
from audit.models import AuditEntry
from audit.services import audit_record
from core.broadcast import broadcast_on_commit, group_send_now
from core.errors import DomainError, Invalid, RateLimited
from core.groups import user_group
from core.http import client_ip

logger = logging.getLogger(__name__)

TOTP_PATTERN = re.compile(r"^\d{6}$")
PENDING_DEVICE_NAME = "pending"


def totp_device_for(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-id").first()


def user_has_second_factor(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


MAIL_PROOF_SESSION_KEY = "_mail_proof"  # this session came in through a password-reset link


def session_login_password(*, request, user: User, device: TrustedDevice | None = None,
                           mail_proof: bool = False) -> None:
    """The password was right (or was just set through a reset link, `mail_proof`): start a new
    session (new key) that is not yet verified. `device`: the trusted device the browser showed."""
    with transaction.atomic():
        auth_login(request, user)  # cycles the session key
        session_started(request.session)
        request.session.pop(DEVICE_SESSION_KEY, None)
        request.session.pop(MAIL_PROOF_SESSION_KEY, None)
        if device is not None:
            request.session[DEVICE_SESSION_KEY] = device.pk
        if mail_proof:
            request.session[MAIL_PROOF_SESSION_KEY] = secrets.token_hex(12)
        audit_record(action=actions.LOGIN_PASSWORD, actor=user, subject_user=user, request=request,
                     details={"trusted_device": device.pk} if device is not None else None)


def login_password(*, request, email: str, password: str) -> User:
    """Check an e-mail address and password (accounts.throttle says how failures are counted) and
    start a password-only session. Raises RateLimited (with `until`) while this device, address or
    account must wait, without checking the password; Invalid for a wrong pair."""
    email = User.objects.normalize_email(email)
    address = client_ip(request)
    device = trusted_device_from_request(request, email=email)
    device_id = device.pk if device is not None else None
    keys = throttle.password_keys(email=email, address=address, device_id=device_id)
    until = throttle.blocked_until(keys)
    if until is not None:
        raise _wait(until, _("Er is te vaak een verkeerd wachtwoord ingevuld."), code="password_wait")
    user = authenticate(request, username=email, password=password)  # a failure is audited (audit.receivers)
    if user is None:
        hit = throttle.failure(keys)
        if hit.started:
            with transaction.atomic():
                audit_record(action=actions.LOCKOUT_PASSWORD, result=AuditEntry.Result.DENIED,
                             request=request,
                             subject_user=User.objects.filter(email=email).first(),
                             details={"keys": hit.started})
        if hit.until is not None:
            raise _wait(hit.until, _("Er is te vaak een verkeerd wachtwoord ingevuld."), code="password_wait")
        raise Invalid(_("Dit e-mailadres en wachtwoord horen niet bij elkaar. Probeer het nog eens."))
    throttle.success(throttle.password_success_keys(email=email, address=address, device_id=device_id))
    session_login_password(request=request, user=user, device=device)
    return user


def login_abandon(*, request) -> None:
    """"Stoppen" before the second factor: ends THIS half-logged-in session only. Someone who only
    knows the password must not be able to end the real user's sessions or close their sockets."""
    user = request.user
    with transaction.atomic():
        if user.is_authenticated:
            audit_record(action=actions.LOGIN_ABANDONED, actor=user, subject_user=user, request=request)
        logout(request)


def _wait(until, what: str, *, code: str) -> RateLimited:
    exc = RateLimited(
        _("%(what)s Je kunt het %(wait)s opnieuw proberen.")
        % {"what": what, "wait": throttle.wait_text(until)},
        code=code,
    )
    exc.until = until
    return exc


def _code_keys(request, user: User) -> list:
    return throttle.code_keys(
        user_id=user.pk, address=client_ip(request), device_id=request.session.get(DEVICE_SESSION_KEY),
        mail_nonce=request.session.get(MAIL_PROOF_SESSION_KEY),
    )


def _code_failed(request, user: User, keys, *, during: str | None = None) -> throttle.Hit:
    """Count a wrong code (in its own transaction: the caller raises afterwards) and audit it."""
    hit = throttle.failure(keys)
    with transaction.atomic():
        audit_record(action=actions.SECOND_FACTOR_FAILED, actor=user, subject_user=user,
                     result=AuditEntry.Result.DENIED, request=request,
                     details={"during": during} if during else None)
        if hit.started:
            audit_record(action=actions.LOCKOUT_SECOND_FACTOR, actor=user, subject_user=user,
                         result=AuditEntry.Result.DENIED, request=request, details={"keys": hit.started})
    return hit


def _wrong_code_error(hit: throttle.Hit, first: str) -> DomainError:
    """The truth after a wrong code: it was wrong, and how long to wait or how many tries are left."""
    if hit.until is not None:
        return _wait(hit.until, _("Deze code klopt niet, en er zijn te veel verkeerde codes ingevuld."),
                     code="code_wait")
    if hit.left is not None and hit.left <= 3:
        first += " " + ngettext(
            "Na nog %(n)d verkeerde code moet je even wachten.",
            "Na nog %(n)d verkeerde codes moet je even wachten.", hit.left) % {"n": hit.left}
    return Invalid(first)


def second_factor_verify(*, request, user: User, token: str):
    """Check a TOTP or backup code for `user`; on success mark the session verified.

    Throttled per the session's scope (accounts.throttle.code_keys: its trusted device, its reset
    link, or else the account and address). A TOTP code is accepted once only: django-otp
    remembers the last time step used, under a row lock (django_otp.verify_token), so two
    concurrent tries with the same code cannot both pass.
    Raises Invalid or RateLimited; returns the device that accepted the code.
    """
    token = (token or "").strip().replace(" ", "")
    keys = _code_keys(request, user)
    until = throttle.blocked_until(keys)
    if until is not None:
        raise _wait(until, _("Er zijn te veel verkeerde codes ingevuld."), code="code_wait")
    if TOTP_PATTERN.match(token):
        device = totp_device_for(user)
    else:
        device = BackupCodeDevice.objects.filter(user=user, confirmed=True).first()
    verified = django_otp.verify_token(user, device.persistent_id, token) if device is not None else None
    if verified is None:
        # Raised after the count: inside one transaction, the count would roll back with the refusal.
        hit = _code_failed(request, user, keys)
        raise _wrong_code_error(hit, _("Deze code klopt niet of is al gebruikt. "
                                       "Probeer de nieuwste code uit je app."))
    throttle.success(keys)
    with transaction.atomic():
        if isinstance(verified, BackupCodeDevice):
            audit_record(
                action=actions.BACKUP_CODE_USED, actor=user, subject_user=user, request=request,
                details={"remaining": verified.remaining()},
            )
        session_mark_verified(request=request, device=verified)
    return verified


def session_mark_verified(*, request, device) -> None:
    """Both factors are in: the session is verified (under a new key), and this browser becomes (or
    stays) a trusted device of the user; the view sets the cookie from `request.trusted_device_cookie`.
    Anyone who passed both factors also ends the account-wide password count for unknown devices."""
    user = request.user
    django_otp.login(request, device)
    request.session.cycle_key()  # a new key once the second factor is in
    request.session.pop(MAIL_PROOF_SESSION_KEY, None)
    request.trusted_device_cookie = trusted_device_remember(request=request, user=user)
    throttle.success([("pw:acct", user.email)])
    audit_record(action=actions.LOGIN_VERIFIED, actor=user, subject_user=user,
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
    the user's other sessions and sockets. Wrong codes count as on the code page."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False, name=PENDING_DEVICE_NAME).first()
    if device is None:
        raise Invalid(_("De koppeling is verlopen. Begin opnieuw met het instellen."))
    keys = _code_keys(request, user)
    until = throttle.blocked_until(keys)
    if until is not None:
        raise _wait(until, _("Er zijn te veel verkeerde codes ingevuld."), code="code_wait")
    token = (token or "").strip().replace(" ", "")
    if not TOTP_PATTERN.match(token) or django_otp.verify_token(user, device.persistent_id, token) is None:
        hit = _code_failed(request, user, keys, during="enrolment")
        raise _wrong_code_error(hit, _("Deze code klopt niet. Kijk of de tijd op je telefoon goed staat "
                                       "en probeer de nieuwste code."))
    throttle.success(keys)
    with transaction.atomic():
        with sessions_ending_others(request=request, user=user):
            replaced = TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk)
            was_replacement = replaced.exists()
            replaced.delete()
            TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True, name="authenticator")
            User.objects.filter(pk=user.pk).update(enrolment_needs_email=False)
            user.enrolment_needs_email = False
            device.refresh_from_db()
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


def second_factor_reset(*, actor: User, user: User, request=None, acting_role: str = "",
                        details: dict | None = None) -> None:
    """For someone who lost both their phone and their backup codes: their authenticators and
    backup codes go, every session of theirs ends (sockets close after commit), their browsers are
    no longer trusted devices, and they get an e-mail saying so (no secret in it). They link a new
    authenticator after the password, in a session that came in through a password-reset link
    (`enrolment_needs_email`): someone who only knows the password cannot link their own phone.
    Called by the admin action and, through families.services.member_second_factor_reset (the
    permission check), by the family's coordinating practitioner."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        BackupCodeDevice.objects.filter(user=user).delete()
        TrustedDevice.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
        User.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1,
                                               enrolment_needs_email=True)
        audit_record(action=actions.SECOND_FACTOR_RESET, actor=actor, acting_role=acting_role,
                     subject_user=user, request=request, details=details)
        broadcast_on_commit(user_group(user.pk), {"type": "session.end", "keep": None})
        transaction.on_commit(lambda: _mail_second_factor_reset(user=user, actor=actor))


def _mail_second_factor_reset(*, user: User, actor: User) -> None:
    with translation.override(user.language or settings.LANGUAGE_CODE):
        context = {"name": user.get_short_name(), "actor": actor.display_name,
                   "site_name": settings.SITE_NAME,
                   "reset_url": settings.SITE_URL.rstrip("/") + reverse("accounts:password_reset")}
        send_mail(
            subject=_("Je tweede stap bij %(site)s is gewist") % {"site": settings.SITE_NAME},
            message=render_to_string("accounts/email/second_factor_reset.txt", context),
            from_email=None,
            recipient_list=[user.email],
        )


def logout_this_device(*, request) -> None:
    """"Uitloggen": ends THIS session only (its row is deleted) and, after commit, tells the user's
    open sockets to check their session, so that this session's sockets close and every other
    device stays logged in. Ending every other session is a separate, explicit action
    (sign_out_everywhere)."""
    user = request.user
    with transaction.atomic():
        if user.is_authenticated:
            audit_record(action=actions.LOGOUT, actor=user, subject_user=user, request=request)
            broadcast_on_commit(user_group(user.pk), {"type": "session.check"})
        logout(request)


def sign_out_everywhere(*, request, user: User) -> int:
    """"Overal uitloggen" on the account page (a session past both factors: accounts.middleware):
    every OTHER session of the user ends, a password-only one included (the session epoch is
    raised and their rows are deleted), every other browser stops being a trusted device, and their
    sockets close after commit. This session stays, under a new key. Returns how many sessions ended."""
    with transaction.atomic():
        with sessions_ending_others(request=request, user=user):
            pass
        ended, _by_model = (UserSession.objects.filter(user=user)
                            .exclude(session_key=request.session.session_key).delete())
        devices = (TrustedDevice.objects.filter(user=user, revoked_at__isnull=True)
                   .exclude(pk=request.session.get(DEVICE_SESSION_KEY))
                   .update(revoked_at=timezone.now()))
        audit_record(action=actions.SIGNED_OUT_EVERYWHERE, actor=user, subject_user=user, request=request,
                     details={"sessions": ended, "devices": devices})
    return ended


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
