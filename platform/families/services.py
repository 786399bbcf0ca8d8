"""Family cases, memberships, children and invitations. Every write checks access through
families.access, writes its audit entry in the same transaction, and mails after commit.

The feature apps hear of a new case and of every membership change through families.events, sent
inside the transaction here (they make the family's threads and plan); this module imports none
of them.

Who may open a case (User.may_open_cases) is not the same as a professional's role in a family
(Membership.is_practitioner), but one follows from the other: whoever becomes a professional in a
family (invited as one, or given that role) may from then on open cases of their own; the grant is
audited. A beheerder can grant it too (the admin) and is the only one who takes it away: ending the
membership does not.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.account_settings import display_name_clean
from accounts.models import User
from accounts.services import second_factor_reset
from audit import actions
from audit.services import audit_record
from core.broadcast import broadcast_on_commit
from core.errors import Conflict, Invalid, NotFound, PermissionDenied
from core.groups import user_group
from families import events
from families.access import Action, require
from families.models import (
    PRACTITIONER_ROLES,
    Child,
    Family,
    Invitation,
    Membership,
    Role,
    child_birth_date_problem,
)
from families.selectors import name_of_another_member


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_reference() -> str:
    for _attempt in range(10):
        reference = f"{timezone.localdate():%Y}-{secrets.token_hex(3).upper()}"
        if not Family.objects.filter(reference=reference).exists():
            return reference
    raise Conflict(_("Er kon geen uniek dossiernummer worden gemaakt. Probeer het opnieuw."))


OPEN_CASES_REFUSED = gettext_lazy(
    "Je kunt zelf geen gezin openen. Dat kan wie als begeleider bij een gezin is uitgenodigd, "
    "of wie daarvoor toestemming kreeg van een beheerder."
)


def family_create(*, actor: User, display_name: str, reference: str = "", request=None) -> Family:
    """Someone who may open cases (User.may_open_cases) opens one and becomes its coordinating
    practitioner. Sends family_created and membership_changed inside the transaction (the feature
    apps make the threads and the plan with it)."""
    if not actor.may_open_cases:
        raise PermissionDenied(OPEN_CASES_REFUSED)
    display_name = display_name.strip()
    if not display_name:
        raise Invalid(_("Geef het gezin een naam."))
    reference = reference.strip() or _new_reference()
    try:
        with transaction.atomic():
            family = Family.objects.create(reference=reference, display_name=display_name, created_by=actor)
            membership = Membership.objects.create(user=actor, family=family, role=Role.COORDINATOR)
            audit_record(action=actions.FAMILY_CREATED, actor=actor, acting_role=Role.COORDINATOR,
                         family=family, target=family, request=request)
            events.family_created.send(sender=Family, family=family, actor=actor)
            _membership_changed(membership, old_role=None, new_role=Role.COORDINATOR, actor=actor,
                                request=request)
    except IntegrityError:
        raise Conflict(_("Dit dossiernummer is al in gebruik. Kies een ander.")) from None
    return family


CHILD_NAME_TOO_LONG = gettext_lazy(
    "Deze voornaam is te lang: hoogstens %(limit_value)d tekens (nu %(show_value)d). "
    "Vul alleen de voornaam of roepnaam in."
)


def _child_fields(first_name: str, birth_date: date) -> tuple[str, date]:
    """The name and birth date as stored, or Invalid saying what to change. A name too long is
    refused, never cut: the form says so (and the page shows the whole name)."""
    first_name = (first_name or "").strip()
    if not first_name:
        raise Invalid(_("Vul de voornaam van het kind in."))
    limit = Child._meta.get_field("first_name").max_length
    if len(first_name) > limit:
        raise Invalid(CHILD_NAME_TOO_LONG % {"limit_value": limit, "show_value": len(first_name)})
    problem = child_birth_date_problem(birth_date)
    if problem:
        raise Invalid(problem)
    return first_name, birth_date


def child_add(*, actor: User, family_id: int, first_name: str, birth_date: date, request=None) -> Child:
    # The access check runs before the transaction: a refusal's audit entry must not be rolled back
    # with it (the same in every service below).
    membership = require(user=actor, family_id=family_id, action=Action.ADD_CHILD, request=request)
    first_name, birth_date = _child_fields(first_name, birth_date)
    with transaction.atomic():
        child = Child.objects.create(family=membership.family, first_name=first_name, birth_date=birth_date)
        audit_record(action=actions.CHILD_ADDED, actor=actor, acting_role=membership.role,
                     family=membership.family, target=child, request=request)
    return child


def _child_in(family: Family, child_id) -> Child:
    """A present child of `family`, locked; NotFound for a removed child or one of another family."""
    try:
        child_id = int(child_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    if not 0 < child_id < 2**63:
        raise NotFound()  # no such id; SQLite would overflow on a larger one
    child = Child.objects.select_for_update().filter(pk=child_id, family=family).first()
    if child is None:
        raise NotFound()
    return child


def child_change(*, actor: User, family_id: int, child_id: int, first_name: str, birth_date: date,
                 request=None) -> Child:
    """A practitioner corrects a child's first name or birth date. The audit entry keeps the old
    and the new values (a correction of a record that may go before a judge must show what it was);
    nothing changed writes nothing."""
    membership = require(user=actor, family_id=family_id, action=Action.EDIT_CHILD, request=request)
    first_name, birth_date = _child_fields(first_name, birth_date)
    with transaction.atomic():
        child = _child_in(membership.family, child_id)
        new = {"first_name": first_name, "birth_date": birth_date}
        changed = {field: {"old": str(getattr(child, field)), "new": str(value)}
                   for field, value in new.items() if getattr(child, field) != value}
        if not changed:
            return child
        Child.objects.filter(pk=child.pk).update(**new)
        for field, value in new.items():
            setattr(child, field, value)
        audit_record(action=actions.CHILD_CHANGED, actor=actor, acting_role=membership.role,
                     family=membership.family, target=child, request=request, details=changed)
    return child


def child_remove(*, actor: User, family_id: int, child_id: int, request=None) -> Child:
    """A practitioner takes a child out of the case (entered by mistake, or no longer part of it).
    The child is marked removed, not deleted: what the plan records of how the child was heard,
    frozen plan versions and the audit trail keep referring to it. A removed child no longer shows
    in the family's lists and cannot be chosen for anything new."""
    membership = require(user=actor, family_id=family_id, action=Action.EDIT_CHILD, request=request)
    with transaction.atomic():
        child = _child_in(membership.family, child_id)
        child.removed_at, child.removed_by = timezone.now(), actor
        Child.all_objects.filter(pk=child.pk).update(removed_at=child.removed_at, removed_by=actor)
        audit_record(action=actions.CHILD_REMOVED, actor=actor, acting_role=membership.role,
                     family=membership.family, target=child, request=request)
    return child


INVITABLE_ROLES = {
    Role.PRACTITIONER: {Role.PARENT, Role.RELATIVE},
    Role.COORDINATOR: {Role.PARENT, Role.RELATIVE, Role.PRACTITIONER},
}


def invitation_send(*, actor: User, family_id: int, email: str, role: str, request=None) -> Invitation:
    """Invite someone to a family by e-mail. The link works once and for INVITATION_VALID_DAYS days;
    a new invitation to the same address replaces an open one."""
    invitation, token = invitation_create(actor=actor, family_id=family_id, email=email, role=role,
                                          request=request)
    _deliver_on_commit(invitation, token, actor, request)
    return invitation


def _deliver_on_commit(invitation: Invitation, token: str, actor: User, request) -> None:
    link = reverse("families:invitation_accept", args=[token])
    link = request.build_absolute_uri(link) if request is not None else f"{settings.SITE_URL}{link}"
    language = translation.get_language() or settings.LANGUAGE_CODE
    # Right away when the invitation committed on its own; else when the caller's transaction does.
    transaction.on_commit(lambda: _mail_invitation(invitation, link, actor, language))


def invitation_create(
    *, actor: User, family_id: int, email: str, role: str, request=None
) -> tuple[Invitation, str]:
    """The invitation and its one-time token, which is stored only as a hash: the caller delivers
    it (invitation_send mails the link; the demo accepts it at once). Never log or store the token.
    Checks and records everything invitation_send promises, except the mail."""
    email = User.objects.normalize_email(email)
    membership = require(user=actor, family_id=family_id, action=Action.INVITE_MEMBER, request=request)
    _may_invite_as(membership, role)
    with transaction.atomic():
        invitation, token = _issue(membership, email=email, role=role)
        audit_record(action=actions.INVITATION_SENT, actor=actor, acting_role=membership.role,
                     family=membership.family, target=invitation, request=request,
                     details={"role": role, "email": email})
    return invitation, token


def _may_invite_as(membership: Membership, role: str) -> None:
    if role not in INVITABLE_ROLES.get(membership.role, set()):
        raise PermissionDenied(_("Je kunt in jouw rol niemand met deze rol uitnodigen."))


def _issue(membership: Membership, *, email: str, role: str) -> tuple[Invitation, str]:
    """A new invitation with a new token, inside the caller's transaction. Every earlier pending
    invitation to the same address in this family is replaced by it: its link stops working now."""
    family = membership.family
    if Membership.objects.active().filter(family=family, user__email__iexact=email).exists():
        raise Invalid(_("Deze persoon hoort al bij dit gezin."))
    now = timezone.now()
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        family=family, email=email, role=role, token_hash=_token_hash(token), invited_by=membership.user,
        created_at=now, expires_at=now + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    Invitation.objects.filter(family=family, email__iexact=email, accepted_at__isnull=True,
                              revoked_at__isnull=True).exclude(pk=invitation.pk).update(
        revoked_at=now, replaced_by=invitation)
    return invitation, token


def _pending_invitation(membership: Membership, invitation_id) -> Invitation:
    """A pending invitation of the member's family for a role they may invite, locked (so that it
    cannot be accepted meanwhile: _accept locks it too). NotFound for an invitation of another
    family; Invalid when it was used or has already ended."""
    try:
        invitation_id = int(invitation_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    if not 0 < invitation_id < 2**63:
        raise NotFound()
    invitation = Invitation.objects.select_for_update().filter(pk=invitation_id,
                                                               family=membership.family).first()
    if invitation is None:
        raise NotFound()
    _may_invite_as(membership, invitation.role)
    if invitation.accepted_at is not None:
        raise Invalid(_("Deze uitnodiging is al aangenomen. Wil je iemand uit het gezin halen? "
                        "Dat kan de coördinerend begeleider bij 'Wie horen erbij'."), code="used")
    if invitation.revoked_at is not None:
        raise Invalid(_("Deze uitnodiging was al ingetrokken of vervangen."), code="revoked")
    return invitation


def invitation_revoke(*, actor: User, family_id: int, invitation_id: int, request=None) -> Invitation:
    """Withdraw a pending invitation: its link stops working at once (the one who opens it sees
    that it was withdrawn). Whoever may invite someone in that role may withdraw the invitation."""
    membership = require(user=actor, family_id=family_id, action=Action.INVITE_MEMBER, request=request)
    with transaction.atomic():
        invitation = _pending_invitation(membership, invitation_id)
        invitation.revoked_at, invitation.revoked_by = timezone.now(), actor
        Invitation.objects.filter(pk=invitation.pk).update(revoked_at=invitation.revoked_at, revoked_by=actor)
        audit_record(action=actions.INVITATION_REVOKED, actor=actor, acting_role=membership.role,
                     family=membership.family, target=invitation, request=request,
                     details={"role": invitation.role, "email": invitation.email})
    return invitation


def invitation_resend(*, actor: User, family_id: int, invitation_id: int, request=None) -> Invitation:
    """Send a pending invitation again (lost, or expired): a new invitation with a new token and a
    new validity, mailed after commit; the old link stops working at once. The new one is from
    `actor`."""
    membership = require(user=actor, family_id=family_id, action=Action.INVITE_MEMBER, request=request)
    with transaction.atomic():
        old = _pending_invitation(membership, invitation_id)
        invitation, token = _issue(membership, email=old.email, role=old.role)
        audit_record(action=actions.INVITATION_RESENT, actor=actor, acting_role=membership.role,
                     family=membership.family, target=invitation, request=request,
                     details={"role": invitation.role, "email": invitation.email, "replaces": old.pk})
    _deliver_on_commit(invitation, token, actor, request)
    return invitation


# The e-mail per invited role: what they are invited to, in words for that person.
_INVITATION_MAIL = {
    Role.PARENT: ("families/email/invitation_parent.txt",
                  gettext_lazy("%(inviter)s nodigt je uit voor %(family)s op %(site)s")),
    Role.RELATIVE: ("families/email/invitation_relative.txt",
                    gettext_lazy("%(inviter)s nodigt je uit als familielid bij %(family)s op %(site)s")),
    Role.PRACTITIONER: ("families/email/invitation_practitioner.txt", gettext_lazy(
        "%(inviter)s nodigt je uit als begeleider bij %(family)s op %(site)s")),
}


def _mail_invitation(invitation: Invitation, link: str, actor: User, language: str) -> None:
    template, subject = _INVITATION_MAIL[invitation.role]
    with translation.override(language):
        context = {
            "link": link, "inviter": actor.display_name, "site_name": settings.SITE_NAME,
            "family": invitation.family.display_name, "reference": invitation.family.reference,
            "days": settings.INVITATION_VALID_DAYS, "expires_at": invitation.expires_at,
        }
        send_mail(
            subject=str(subject) % {"inviter": actor.display_name, "family": invitation.family.display_name,
                                    "site": settings.SITE_NAME},
            message=render_to_string(template, context),
            from_email=None,
            recipient_list=[invitation.email],
        )


def _unusable(invitation: Invitation) -> Invalid | None:
    """Why this invitation's link no longer works, or None."""
    if invitation.accepted_at is not None:
        return Invalid(_("Deze uitnodiging is al gebruikt. Log in met je e-mailadres en wachtwoord."),
                       code="used")
    if invitation.replaced_by_id is not None:
        return Invalid(_("Deze uitnodiging is vervangen door een nieuwere. "
                         "Gebruik de link uit de laatste e-mail."), code="replaced")
    if invitation.revoked_at is not None:
        return Invalid(_("Deze uitnodiging is ingetrokken, dus de link werkt niet meer. Denk je dat dit "
                         "niet klopt? Neem dan contact op met wie je uitnodigde."), code="revoked")
    if invitation.expires_at <= timezone.now():
        return Invalid(_("Deze uitnodiging is verlopen. Vraag je begeleider om een nieuwe."), code="expired")
    return None


def invitation_lookup(*, token: str) -> Invitation:
    """The invitation behind a link. Raises NotFound (unknown), Invalid with a code telling why
    it can no longer be used (used, replaced, revoked, expired)."""
    invitation = Invitation.objects.select_related("family", "invited_by").filter(
        token_hash=_token_hash(token or "")
    ).first()
    if invitation is None:
        raise NotFound(_("Deze uitnodiging bestaat niet. Controleer de link in je e-mail."))
    problem = _unusable(invitation)
    if problem is not None:
        raise problem
    return invitation


def _accept(invitation: Invitation, user: User, request) -> Membership:
    # Checked again under the lock: the invitation may have been used, withdrawn or replaced since
    # the lookup (invitation_revoke and invitation_resend lock it as well).
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    problem = _unusable(locked)
    if problem is not None:
        raise problem
    Invitation.objects.filter(pk=locked.pk).update(accepted_at=timezone.now(), accepted_by=user)
    membership = Membership.objects.create(user=user, family=locked.family, role=locked.role)
    audit_record(action=actions.INVITATION_ACCEPTED, actor=user, acting_role=locked.role,
                 family=locked.family, subject_user=user, target=locked, request=request)
    audit_record(action=actions.MEMBERSHIP_ADDED, actor=user, acting_role=locked.role,
                 family=locked.family, subject_user=user, target=membership, request=request,
                 details={"role": locked.role, "invited_by": locked.invited_by_id})
    _membership_changed(membership, old_role=None, new_role=locked.role, actor=user, request=request)
    return membership


_NAME_TAKEN = gettext_lazy("In het gezin heet iemand anders al zo. Kies een naam waaraan de anderen jou "
                           "herkennen, bijvoorbeeld met je achternaam erbij.")


def display_name_check(*, user: User, name: str) -> None:
    """accounts.account_settings' check on a new name: nobody takes the name of someone else in
    one of their families (the records would show two people as one)."""
    family_ids = Membership.objects.active().filter(user_id=user.pk).values_list("family_id", flat=True)
    if name_of_another_member(family_ids=family_ids, name=name, user_id=user.pk):
        raise Invalid(str(_NAME_TAKEN), code="name_taken")


def invitation_accept_new_user(*, token: str, display_name: str, password: str, request=None) -> User:
    """A new person accepts: their account is made with the invited e-mail address, under a name
    that passes the account page's rules and is not that of someone else in the family.
    They still have to set up their second factor before they see anything."""
    invitation = invitation_lookup(token=token)
    display_name = display_name_clean(display_name)
    if name_of_another_member(family_ids=[invitation.family_id], name=display_name):
        raise Invalid(str(_NAME_TAKEN), code="name_taken")
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise Conflict(_("Er is al een account met dit e-mailadres. "
                         "Log eerst in en open de link dan opnieuw."), code="has_account")
    with transaction.atomic():
        user = User.objects.create_user(
            invitation.email, password, display_name=display_name,
            language=translation.get_language() or settings.LANGUAGE_CODE,
        )
        _accept(invitation, user, request)
    return user


def invitation_accept_existing(*, token: str, user: User, request=None) -> Membership:
    invitation = invitation_lookup(token=token)
    if user.email.lower() != invitation.email.lower():
        raise PermissionDenied(_("Deze uitnodiging is voor een ander e-mailadres. "
                                 "Log uit en open de link opnieuw."))
    if Membership.objects.active().filter(user=user, family=invitation.family).exists():
        raise Invalid(_("Je hoort al bij dit gezin."))
    with transaction.atomic():
        return _accept(invitation, user, request)


def membership_role_change(
    *, actor: User, family_id: int, membership_id: int, role: str, request=None
) -> Membership:
    mine = require(user=actor, family_id=family_id, action=Action.MANAGE_MEMBERS, request=request)
    target = Membership.objects.active().select_related("family", "user").filter(
        pk=membership_id, family=mine.family).first()
    if target is None:
        raise NotFound()
    if role not in Role.values:
        raise Invalid(_("Deze rol bestaat niet."))
    with transaction.atomic():
        if target.user_id == actor.pk:
            raise Invalid(_("Je kunt je eigen rol niet wijzigen. Vraag een andere begeleider."))
        if role == Role.COORDINATOR:
            raise Invalid(_("Er is één coördinerend begeleider per gezin; "
                            "draag die rol over via de beheerder."))
        old = target.role
        Membership.objects.filter(pk=target.pk).update(role=role)
        target.role = role
        audit_record(action=actions.MEMBERSHIP_ROLE_CHANGED, actor=actor, acting_role=mine.role,
                     family=target.family, subject_user=target.user, target=target, request=request,
                     details={"old": old, "new": role})
        _membership_changed(target, old_role=old, new_role=role, actor=actor, request=request)
    return target


def membership_end(*, actor: User, family_id: int, membership_id: int, request=None) -> Membership:
    mine = require(user=actor, family_id=family_id, action=Action.MANAGE_MEMBERS, request=request)
    target = Membership.objects.active().select_related("family", "user").filter(
        pk=membership_id, family=mine.family).first()
    if target is None:
        raise NotFound()
    with transaction.atomic():
        if target.user_id == actor.pk:
            raise Invalid(_("Je kunt jezelf niet uit het gezin halen."))
        target.ended_at = timezone.now()
        Membership.objects.filter(pk=target.pk).update(ended_at=target.ended_at)
        audit_record(action=actions.MEMBERSHIP_ENDED, actor=actor, acting_role=mine.role,
                     family=target.family, subject_user=target.user, target=target, request=request,
                     details={"role": target.role})
        _membership_changed(target, old_role=target.role, new_role=None, actor=actor, request=request)
    return target


def _membership_changed(membership: Membership, *, old_role: str | None, new_role: str | None, actor: User,
                        request) -> None:
    """Everything that follows a membership change, in the caller's transaction: a new professional
    may open cases from now on (audited), the feature apps hear of it (events.membership_changed),
    and after commit the member's open sockets re-check what they may still read and send, so live
    frames of a family or role they lost stop now, not at their next reconnect."""
    if new_role in PRACTITIONER_ROLES and not membership.user.may_open_cases:
        User.objects.filter(pk=membership.user_id).update(may_open_cases=True)
        membership.user.may_open_cases = True
        audit_record(action=actions.OPEN_CASES_GRANTED, actor=actor, acting_role=new_role,
                     family=membership.family, subject_user=membership.user, target=membership,
                     request=request, details={"role": new_role})
    events.membership_changed.send(sender=Membership, membership=membership, old_role=old_role,
                                   new_role=new_role, actor=actor)
    broadcast_on_commit(user_group(membership.user_id), {"type": "access.changed"})


def member_second_factor_reset(*, actor: User, family_id: int, membership_id: int,
                               request=None) -> Membership:
    """The coordinating practitioner helps a parent or relative of the family who lost both their
    phone and their backup codes (accounts.services.second_factor_reset: devices gone, sessions and
    sockets end, an e-mail to them, and a new authenticator only after a reset link by e-mail).
    Professionals go to the administrator. The audit entry names the family in its details but is
    not part of the family's access log: the other parent has no business knowing."""
    mine = require(user=actor, family_id=family_id, action=Action.RESET_SECOND_FACTOR, request=request)
    target = Membership.objects.active().select_related("family", "user").filter(
        pk=membership_id, family=mine.family).first()
    if target is None:
        raise NotFound()
    if target.user_id == actor.pk:
        raise Invalid(_("Je eigen tweede stap stel je hier niet opnieuw in. Log in met een back-upcode, "
                        "of vraag de beheerder."))
    if target.is_practitioner:
        raise Invalid(_("Voor begeleiders doet de beheerder dit."))
    second_factor_reset(actor=actor, user=target.user, request=request, acting_role=mine.role,
                        details={"family": mine.family_id, "membership": target.pk})
    return target
