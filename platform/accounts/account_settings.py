"""The settings a user keeps for themselves: their name, their e-mail address, e-mail notices and
quiet hours. Each change writes its audit entry in the same transaction.

A new e-mail address takes effect only when a link sent to THAT address is opened by the same
user, logged in with both factors: the link is signed (django.core.signing, salted), works for
EMAIL_CHANGE_VALID_HOURS and once, and only for the newest request (it names the request's time,
which a new request or a cancel replaces). The old address is told when a change is asked and
when it is done. Asking needs the password again (the form checks it).

What this does not protect against: someone who holds the user's password, second factor and
mailbox of the new address. Whether an address already has an account is never said to the one
asking (only to the owner of that address, by e-mail).
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Callable
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import events
from accounts.models import User
from accounts.quiet_hours import NONE
from audit import actions
from audit.services import audit_record
from core.errors import Invalid

logger = logging.getLogger(__name__)

NAME_MAX_LENGTH = 80
EMAIL_CHANGE_SALT = "accounts.email_change"
_TAKEN = gettext_lazy("Dit e-mailadres hoort al bij een ander account. Je e-mailadres is niet gewijzigd.")
# Joiners are part of how some names and scripts are written; every other invisible formatting
# character (right-to-left overrides above all) can make a name read as someone else's.
_ALLOWED_FORMAT_CHARACTERS = {"\u200c", "\u200d"}


# -- name ------------------------------------------------------------------------------------------

def display_name_clean(value) -> str:
    """A name as others will see it: spaces at the ends and runs of spaces removed; never empty,
    at most NAME_MAX_LENGTH characters, no control or invisible formatting characters."""
    name = " ".join(str(value or "").split())
    if not name:
        raise Invalid(_("Vul je naam in."))
    if len(name) > NAME_MAX_LENGTH:
        raise Invalid(_("Je naam mag hooguit %(n)d tekens hebben.") % {"n": NAME_MAX_LENGTH})
    for ch in name:
        category = unicodedata.category(ch)
        invisible = category == "Cf" and ch not in _ALLOWED_FORMAT_CHARACTERS
        if category in ("Cc", "Cs", "Co", "Cn") or invisible:
            raise Invalid(_("Je naam bevat een onzichtbaar of speciaal teken. Typ hem opnieuw."))
    return name


def display_name_key(name: str) -> str:
    """What makes two names the same name to a reader: case, width and spacing do not count."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


# Checks other parts of the platform make on a new name (`check(user=..., name=...)` raises
# Invalid): families refuses the name of another member of the user's families. Registered in
# their AppConfig.ready(), as personal-data sections are (accounts knows no app above it).
_name_checks: list[Callable[..., None]] = []


def register_name_check(check: Callable[..., None]) -> None:
    if check not in _name_checks:
        _name_checks.append(check)


def name_change(*, request, user: User, display_name: str) -> bool:
    """Set the user's name (as parents and practitioners see it), and tell everyone who sees it
    (accounts.events.display_name_changed). Refused (Invalid) when a registered check says no (the
    name of someone else in one of the user's families). False when nothing changed."""
    name = display_name_clean(display_name)
    if name == user.display_name:
        return False
    for check in _name_checks:
        check(user=user, name=name)
    with transaction.atomic():
        old = User.objects.select_for_update().values_list("display_name", flat=True).get(pk=user.pk)
        User.objects.filter(pk=user.pk).update(display_name=name)
        user.display_name = name
        audit_record(action=actions.NAME_CHANGED, actor=user, subject_user=user, request=request,
                     details={"old": old, "new": name})
        # The people in the user's conversations are told (messaging announces it in each thread):
        # nobody can take on another name unseen.
        events.display_name_changed.send(sender=User, user=user, old_name=old)
    return True


# -- e-mail notices and quiet hours ----------------------------------------------------------------

def notice_settings_set(*, request, user: User, notify_messages: bool,
                        quiet_hours: tuple[time, time] | None, notify_read_along: bool | None = None) -> bool:
    """E-mail on new messages on or off, and the quiet hours (start, end: may run past midnight;
    None: no quiet hours); for a professional also e-mail on the parents' messages they read along
    with (None: unchanged). False when nothing changed."""
    if quiet_hours is None:
        start = end = NONE
    else:
        start, end = (moment.replace(second=0, microsecond=0, tzinfo=None) for moment in quiet_hours)
        if start == end:
            raise Invalid(_("Het begin en het einde van je rustige uren zijn gelijk. "
                            "Kies twee verschillende tijden, of zet de rustige uren uit."))
    new = {"notify_messages": bool(notify_messages), "quiet_hours_start": start, "quiet_hours_end": end,
           "notify_read_along": (user.notify_read_along if notify_read_along is None
                                 else bool(notify_read_along))}
    old = {field: getattr(user, field) for field in new}
    if new == old:
        return False
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(**new)
        for field, value in new.items():
            setattr(user, field, value)
        audit_record(action=actions.NOTICE_SETTINGS_CHANGED, actor=user, subject_user=user, request=request,
                     details={"old": _notice_details(old), "new": _notice_details(new)})
    return True


def _notice_details(values: dict) -> dict:
    start, end = values["quiet_hours_start"], values["quiet_hours_end"]
    return {"notify_messages": values["notify_messages"], "notify_read_along": values["notify_read_along"],
            "quiet_hours": None if start == end else f"{start:%H:%M}-{end:%H:%M}"}


# -- e-mail address --------------------------------------------------------------------------------

class EmailNotSent(Invalid):
    """The change was stored, but a mail could not be sent: the user may try again."""


def email_change_request(*, request, user: User, new_email: str) -> None:
    """Ask for a new e-mail address (the caller checked the password). The new address gets a
    confirmation link (or, when it already belongs to another account, a note saying nothing
    changed); the current address gets a notice that a change was asked. A newer request replaces
    an older one. Raises Invalid (same address) or EmailNotSent (a mail was refused)."""
    new_email = User.objects.normalize_email(new_email)
    if not new_email:
        raise Invalid(_("Vul je nieuwe e-mailadres in."))
    if new_email == user.email:
        raise Invalid(_("Dit is al je e-mailadres. Vul een ander adres in."))
    now = timezone.now()
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        User.objects.filter(pk=user.pk).update(pending_email=new_email, pending_email_requested_at=now)
        user.pending_email, user.pending_email_requested_at = new_email, now
        audit_record(action=actions.EMAIL_CHANGE_REQUESTED, actor=user, subject_user=user, request=request,
                     details={"old": user.email, "new": new_email})
    taken = User.objects.filter(email__iexact=new_email).exclude(pk=user.pk).exists()
    link = _absolute(request, reverse("accounts:email_confirm", args=[_email_change_token(user)]))
    try:
        if taken:
            _mail(user, to=new_email, subject=gettext_lazy("Je e-mailadres bij %(site)s"),
                  template="accounts/email/email_change_taken.txt", context={})
        else:
            _mail(user, to=new_email, subject=gettext_lazy("Bevestig je nieuwe e-mailadres voor %(site)s"),
                  template="accounts/email/email_change_confirm.txt",
                  context={"link": link, "hours": settings.EMAIL_CHANGE_VALID_HOURS})
        _mail(user, to=user.email, subject=gettext_lazy("Wijziging van je e-mailadres gevraagd bij %(site)s"),
              template="accounts/email/email_change_requested.txt",
              context={"new_email": new_email,
                       "account_link": _absolute(request, reverse("accounts:security"))})
    except Exception:
        logger.exception("a mail about an e-mail address change for user %s was refused", user.pk)
        raise EmailNotSent(_("We konden de e-mail nu niet versturen. Probeer het over een paar minuten "
                             "opnieuw.")) from None


def email_change_cancel(*, request, user: User) -> bool:
    """Withdraw a pending new address: its link stops working. False when none was pending."""
    with transaction.atomic():
        pending = User.objects.select_for_update().values_list("pending_email", flat=True).get(pk=user.pk)
        if not pending:
            return False
        User.objects.filter(pk=user.pk).update(pending_email="", pending_email_requested_at=None)
        user.pending_email, user.pending_email_requested_at = "", None
        audit_record(action=actions.EMAIL_CHANGE_CANCELLED, actor=user, subject_user=user, request=request,
                     details={"new": pending})
    return True


def _email_change_token(user: User) -> str:
    return signing.dumps(
        {"u": user.pk, "e": user.pending_email, "t": user.pending_email_requested_at.isoformat()},
        salt=EMAIL_CHANGE_SALT)


def email_change_lookup(*, user: User, token: str) -> str:
    """The new address a confirmation link stands for, if it may still be used by `user`.
    Raises Invalid with code "expired", "used" (replaced, withdrawn or done) or "invalid" (not a
    link we made, or another account's)."""
    try:
        data = signing.loads(token or "", salt=EMAIL_CHANGE_SALT,
                             max_age=settings.EMAIL_CHANGE_VALID_HOURS * 3600)
    except signing.SignatureExpired:
        raise Invalid(_("Deze link is verlopen. Vraag op je accountpagina opnieuw een nieuw "
                        "e-mailadres aan."), code="expired") from None
    except signing.BadSignature:
        raise Invalid(_("Deze link klopt niet. Gebruik de link uit de nieuwste e-mail."),
                      code="invalid") from None
    if not isinstance(data, dict) or data.get("u") != user.pk:
        raise Invalid(_("Deze link hoort bij een ander account. Log uit en log in met het account waarvoor "
                        "je het nieuwe adres aanvroeg."), code="invalid")
    fresh = User.objects.filter(pk=user.pk).values("pending_email", "pending_email_requested_at").first()
    requested_at = fresh["pending_email_requested_at"] if fresh else None
    if (not fresh or fresh["pending_email"] != data.get("e") or requested_at is None
            or requested_at.isoformat() != data.get("t")):
        raise Invalid(_("Deze link is al gebruikt, ingetrokken of vervangen door een nieuwere. "
                        "Kijk op je accountpagina welk e-mailadres je nu hebt."), code="used")
    return data["e"]


def email_change_confirm(*, request, user: User, token: str) -> str:
    """Make the address the link stands for the user's e-mail address; returns it. The old
    address is told. Raises Invalid as email_change_lookup, or when the address now belongs to
    another account."""
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        new_email = email_change_lookup(user=user, token=token)
        old_email = User.objects.values_list("email", flat=True).get(pk=user.pk)
        if User.objects.filter(email__iexact=new_email).exclude(pk=user.pk).exists():
            raise Invalid(str(_TAKEN), code="taken")
        try:
            with transaction.atomic():
                User.objects.filter(pk=user.pk).update(email=new_email, pending_email="",
                                                       pending_email_requested_at=None)
        except IntegrityError:  # taken in the same moment by another account
            raise Invalid(str(_TAKEN), code="taken") from None
        user.email, user.pending_email, user.pending_email_requested_at = new_email, "", None
        audit_record(action=actions.EMAIL_CHANGED, actor=user, subject_user=user, request=request,
                     details={"old": old_email, "new": new_email})
    try:
        _mail(user, to=old_email, subject=gettext_lazy("Je e-mailadres bij %(site)s is gewijzigd"),
              template="accounts/email/email_changed.txt", context={"new_email": new_email})
    except Exception:
        # The change stands (the new address was proven); the notice to the old one is a courtesy.
        logger.exception("the notice of an e-mail address change to the old address of user %s was refused",
                         user.pk)
    return new_email


def _absolute(request, path: str) -> str:
    if request is not None:
        return request.build_absolute_uri(path)
    return settings.SITE_URL.rstrip("/") + path


def _mail(user: User, *, to: str, subject, template: str, context: dict) -> None:
    """One mail to `to`, in the user's own language (`subject` is lazy: translated here)."""
    with translation.override(user.language or settings.LANGUAGE_CODE):
        body = render_to_string(template, {"user": user, "site_name": settings.SITE_NAME, **context})
        send_mail(subject=str(subject) % {"site": settings.SITE_NAME}, message=body, from_email=None,
                  recipient_list=[to])


def pending_email_expires_at(user: User) -> datetime | None:
    """Until when the link for the pending address works (None: nothing pending)."""
    if not user.pending_email or user.pending_email_requested_at is None:
        return None
    return user.pending_email_requested_at + timedelta(hours=settings.EMAIL_CHANGE_VALID_HOURS)
