"""Writes for moderation: each in one transaction, with its audit row, live events after commit."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit import actions
from audit.services import audit_record
from core.broadcast import broadcast_on_commit
from core.errors import Invalid
from core.groups import user_group
from families.access import Action, require
from families.models import Family, Membership, Role
from moderation.models import ContactMode, ContactModeChange
from moderation.selectors import contact_mode

REASON_MAX_CHARS = 2000
REVIEW_MAX_DAYS = 2 * 365


def family_mode_frame(*, family_id: int, mode: str, since) -> dict:
    return {"type": "family.mode", "family": family_id, "mode": mode,
            "since": since.isoformat() if since is not None else None}


def contact_mode_change(
    *, actor, family_id: int, mode: str, reason: str, review_on: date | None = None, request=None
) -> ContactModeChange:
    """Set the family's contact mode. Only the coordinating practitioner may (families.access);
    the reason is required (it is kept for the practitioners and the audit, not shown to parents).
    The family row is locked so that two changes at once are stored one after the other.

    After commit: every member's open sockets get `family.mode`, and every parent an e-mail that
    says what the mode means for them, without any message content."""
    membership = require(user=actor, family_id=family_id, action=Action.CHANGE_CONTACT_MODE, request=request)
    if mode not in ContactMode.values:
        raise Invalid(_("Kies direct contact, contact met meelezen of contact via de begeleider."))
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(_("Schrijf kort op waarom je de manier van contact verandert."))
    if len(reason) > REASON_MAX_CHARS:
        raise Invalid(_("De reden is te lang (%(n)d tekens, maximaal %(max)d). Maak hem korter.")
                      % {"n": len(reason), "max": REASON_MAX_CHARS})
    today = timezone.localdate()
    if review_on is not None and not today <= review_on <= today + timedelta(days=REVIEW_MAX_DAYS):
        raise Invalid(_("Kies een datum voor het opnieuw bekijken tussen vandaag en over twee jaar."))
    with transaction.atomic():
        family = Family.objects.select_for_update().get(pk=membership.family_id)
        before = contact_mode(family_id=family.pk)
        if before.mode == mode and before.review_on == review_on:
            raise Invalid(_("Het gezin heeft deze manier van contact al."))
        change = ContactModeChange.objects.create(
            family=family, mode=mode, reason=reason, review_on=review_on, changed_by=actor,
            changed_at=timezone.now())
        audit_record(action=actions.CONTACT_MODE_CHANGED, actor=actor, acting_role=membership.role,
                     family=family, target=change, request=request,
                     details={"old": before.mode, "new": mode,
                              "review_on": review_on.isoformat() if review_on else None})
        members = list(Membership.objects.active().filter(family=family).select_related("user"))
        frame = family_mode_frame(family_id=family.pk, mode=mode, since=change.changed_at)
        for member in members:
            broadcast_on_commit(user_group(member.user_id), {"type": "family.mode", "frame": frame})
        if before.mode != mode:
            parents = [m.user for m in members if m.role == Role.PARENT]
            transaction.on_commit(lambda: _mail_parents(family, mode, parents))
    return change


def _mail_parents(family: Family, mode: str, parents) -> None:
    link = settings.SITE_URL.rstrip("/") + reverse("families:detail", args=[family.pk])
    for parent in parents:
        with translation.override(parent.language or settings.LANGUAGE_CODE):
            send_mail(
                subject=_("Jullie manier van contact in %(site)s is veranderd")
                % {"site": settings.SITE_NAME},
                message=render_to_string("moderation/email/contact_mode.txt", {
                    "name": parent.get_short_name(), "family": family.display_name,
                    "mode": mode, "link": link, "site_name": settings.SITE_NAME}),
                from_email=None,
                recipient_list=[parent.email],
            )
