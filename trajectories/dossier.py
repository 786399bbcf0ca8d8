"""The practitioners' confidential dossier of a family (issue 12, item 4).

Notes are encrypted at rest (vault.fields.EncryptedTextField) and append-only. Only a member whose
role has VIEW_DOSSIER reads them (the family's practitioners); a parent or relative is refused
(PermissionDenied: the page is 403) and anyone outside the family gets NotFound (404). Every read
is one audit entry (DOSSIER_READ), not merged within a window as other practitioner views are: the
family's access log then tells the parents that the dossier was read, when and by whom, never what
it says (audit entries carry no note text). The dossier is no part of any AVG download, export,
socket frame, card or e-mail: nothing outside this module and its page reads DossierNote.

Not covered: an administrator with database access and the keys can read the notes; the notes are
the practitioners' working notes, so what a parent may ask to see of them is the practice's call.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from audit import actions
from audit.services import audit_record
from core.errors import Invalid
from families.access import Action, require
from families.models import Membership
from trajectories.models import DossierNote, Trajectory

NOTE_MAX_CHARS = 10_000


def access_dossier(*, user, family_id, action: Action = Action.VIEW_DOSSIER, request=None) -> Membership:
    return require(user=user, family_id=family_id, action=action, request=request)


def dossier_read(*, user, family_id, request=None) -> tuple[Membership, list[DossierNote]]:
    """The family's notes, newest first; records the read (every time)."""
    membership = access_dossier(user=user, family_id=family_id, request=request)
    with transaction.atomic():
        notes = list(
            DossierNote.objects.filter(family_id=membership.family_id).select_related("author", "trajectory")
        )
        audit_record(
            action=actions.DOSSIER_READ,
            actor=user,
            acting_role=membership.role,
            family=membership.family,
            request=request,
            details={"notes": len(notes)},
        )
    return membership, notes


def dossier_note_add(*, actor, family_id, body: str, trajectory_id=None, request=None) -> DossierNote:
    membership = access_dossier(user=actor, family_id=family_id, action=Action.WRITE_DOSSIER, request=request)
    body = (body or "").strip()
    if not body:
        raise Invalid(_("Schrijf eerst een aantekening."))
    if len(body) > NOTE_MAX_CHARS:
        raise Invalid(
            _("De aantekening is te lang (%(n)d tekens, maximaal %(max)d). Maak hem korter.")
            % {"n": len(body), "max": NOTE_MAX_CHARS}
        )
    trajectory = None
    if trajectory_id:
        trajectory = Trajectory.objects.filter(pk=trajectory_id, family_id=membership.family_id).first()
        if trajectory is None:
            raise Invalid(_("Kies een traject van dit gezin."))
    with transaction.atomic():
        note = DossierNote.objects.create(
            family_id=membership.family_id, trajectory=trajectory, author=actor, body=body
        )
        audit_record(
            action=actions.DOSSIER_NOTE_ADDED,
            actor=actor,
            acting_role=membership.role,
            family=membership.family,
            target=note,
            request=request,
        )
    return note
