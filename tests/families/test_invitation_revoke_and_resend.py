"""A pending invitation can be withdrawn and sent again by whoever may invite someone in its role.
Either way the old link stops working at once, also for whoever copied it (an attacker with only
the link), and both are in the audit trail."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from audit import actions
from audit.models import AuditEntry
from core.errors import Invalid, NotFound, PermissionDenied
from families import services
from families.models import Invitation, Membership, Role

pytestmark = pytest.mark.django_db

PASSWORD = "een lange zin als wachtwoord 77"


@pytest.fixture
def invite(family, mailoutbox, django_capture_on_commit_callbacks):
    """invite(actor, email, role) -> (the invitation, the path of the link in its e-mail)."""

    def send(actor, email="nieuw@example.org", role=Role.PARENT):
        with django_capture_on_commit_callbacks(execute=True):
            invitation = services.invitation_send(actor=actor, family_id=family.pk, email=email, role=role)
        return invitation, _link(mailoutbox[-1])

    return send


def _link(mail) -> str:
    return re.search(r"(/uitnodiging/[^/\s]+/)", mail.body).group(1)


def _revoke_url(family, invitation):
    return reverse("families:invitation_revoke", args=[family.pk, invitation.pk])


def _resend_url(family, invitation):
    return reverse("families:invitation_resend", args=[family.pk, invitation.pk])


def _make_account(client, link, name="Iemand Anders"):
    return client.post(link, {"display_name": name, "password1": PASSWORD, "password2": PASSWORD})


# -- withdrawing ------------------------------------------------------------------------------------


def test_a_practitioner_withdraws_an_invitation_and_it_is_audited(pim, family, invite, client_for):
    invitation, _link_path = invite(pim)
    client = client_for(pim)

    response = client.post(_revoke_url(family, invitation))

    assert response.status_code == 302
    assert response["Location"] == reverse("families:detail", args=[family.pk])
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert invitation.revoked_by == pim
    assert invitation.replaced_by is None
    entry = AuditEntry.objects.get(action=actions.INVITATION_REVOKED)
    assert (entry.actor, entry.family, entry.target_id) == (pim, family, str(invitation.pk))
    assert entry.details == {"role": "parent", "email": "nieuw@example.org"}
    page = client.get(response["Location"]).content.decode()
    assert "De uitnodiging aan nieuw@example.org is ingetrokken." in page
    assert "nieuw@example.org</span>" not in page  # no longer listed as pending


def test_a_withdrawn_link_shows_a_kind_page_and_makes_nothing_for_whoever_holds_it(
    pim, family, invite, client_for, anon_client
):
    invitation, link = invite(pim)
    client_for(pim).post(_revoke_url(family, invitation))

    shown = anon_client.get(link)
    posted = _make_account(anon_client, link)

    for response in (shown, posted):
        body = response.content.decode()
        assert response.status_code == 410
        assert "Deze uitnodiging is ingetrokken, dus de link werkt niet meer." in body
        assert family.display_name not in body
        assert 'name="password1"' not in body
    assert not User.objects.filter(email="nieuw@example.org").exists()
    assert not AuditEntry.objects.filter(action=actions.INVITATION_ACCEPTED).exists()


def test_someone_logged_in_with_the_invited_address_cannot_use_a_withdrawn_link(
    pim, charlie, family, invite, client_for
):
    invitation, link = invite(pim, email=charlie.email)
    client_for(pim).post(_revoke_url(family, invitation))

    response = client_for(charlie).post(link)

    assert response.status_code == 410
    assert not Membership.objects.filter(user=charlie, family=family).exists()


def test_an_invitation_withdrawn_between_opening_and_accepting_is_refused_under_the_lock(pim, family, invite):
    invitation, link = invite(pim)
    token = link.split("/")[-2]
    opened = services.invitation_lookup(token=token)  # the invitee opened the page

    services.invitation_revoke(actor=pim, family_id=family.pk, invitation_id=invitation.pk)

    user = User.objects.create_user("nieuw@example.org", PASSWORD, display_name="Nina")
    with pytest.raises(Invalid, match="ingetrokken"), transaction.atomic():
        services._accept(opened, user, None)
    assert not Membership.objects.filter(user=user).exists()


def test_an_accepted_invitation_cannot_be_withdrawn_and_the_page_says_what_to_do(
    pim, family, invite, client_for, anon_client
):
    invitation, link = invite(pim)
    _make_account(anon_client, link, name="Nina Nieuw")

    response = client_for(pim).post(_revoke_url(family, invitation))

    assert response.status_code == 409
    assert "Deze uitnodiging is al aangenomen." in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.revoked_at is None
    assert Membership.objects.active().filter(user__email="nieuw@example.org", family=family).exists()
    assert not AuditEntry.objects.filter(action=actions.INVITATION_REVOKED).exists()


def test_withdrawing_twice_records_once(pim, family, invite, client_for):
    invitation, _link_path = invite(pim)
    client = client_for(pim)
    client.post(_revoke_url(family, invitation))
    again = client.post(_revoke_url(family, invitation))
    assert again.status_code == 409
    assert "al ingetrokken" in again.content.decode()
    assert AuditEntry.objects.filter(action=actions.INVITATION_REVOKED).count() == 1


# -- sending again ----------------------------------------------------------------------------------


def test_sending_again_mails_a_new_link_and_the_old_one_stops_working(
    pim, carol, family, invite, client_for, anon_client, mailoutbox, django_capture_on_commit_callbacks
):
    old, old_link = invite(pim)

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(carol).post(_resend_url(family, old))

    assert response.status_code == 302
    assert len(mailoutbox) == 2
    new_link = _link(mailoutbox[-1])
    assert new_link != old_link
    assert mailoutbox[-1].to == ["nieuw@example.org"]
    assert "Carol Coördinator" in mailoutbox[-1].body  # the new invitation is from whoever sent it
    old.refresh_from_db()
    new = Invitation.objects.get(replaced_by__isnull=True, revoked_at__isnull=True)
    assert old.replaced_by == new
    assert (new.email, new.role, new.invited_by) == ("nieuw@example.org", Role.PARENT, carol)
    entry = AuditEntry.objects.get(action=actions.INVITATION_RESENT)
    assert (entry.actor, entry.family, entry.target_id) == (carol, family, str(new.pk))
    assert entry.details == {"role": "parent", "email": "nieuw@example.org", "replaces": old.pk}

    stale = _make_account(anon_client, old_link)
    assert stale.status_code == 410
    assert "vervangen door een nieuwere" in stale.content.decode()
    assert not User.objects.filter(email="nieuw@example.org").exists()
    assert _make_account(anon_client, new_link).status_code == 302
    assert Membership.objects.active().get(user__email="nieuw@example.org").role == Role.PARENT


def test_an_expired_invitation_can_be_sent_again_with_a_new_validity(
    pim, family, invite, client_for, anon_client, mailoutbox, django_capture_on_commit_callbacks
):
    old, _old_link = invite(pim)
    Invitation.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(days=1))
    page = client_for(pim).get(reverse("families:detail", args=[family.pk])).content.decode()
    assert "verlopen" in page
    assert _resend_url(family, old) in page

    with django_capture_on_commit_callbacks(execute=True):
        client_for(pim).post(_resend_url(family, old))

    new = Invitation.objects.get(replaced_by__isnull=True)
    assert new.expires_at > timezone.now() + timedelta(days=6)
    assert anon_client.get(_link(mailoutbox[-1])).status_code == 200


def test_a_withdrawn_invitation_cannot_be_sent_again(pim, family, invite, client_for, mailoutbox):
    invitation, _link_path = invite(pim)
    client_for(pim).post(_revoke_url(family, invitation))
    sent = len(mailoutbox)

    response = client_for(pim).post(_resend_url(family, invitation))

    assert response.status_code == 409
    assert len(mailoutbox) == sent
    assert Invitation.objects.count() == 1


def test_a_failed_resend_sends_nothing_and_keeps_the_old_link(
    pim, family, invite, mailoutbox, django_capture_on_commit_callbacks, anon_client
):
    invitation, link = invite(pim, email="later.lid@example.org")
    # Meanwhile the person joined by another path: resending is refused.
    user = User.objects.create_user("later.lid@example.org", PASSWORD, display_name="Later Lid")
    Membership.objects.create(user=user, family=family, role=Role.PARENT)
    sent = len(mailoutbox)

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Invalid):
        services.invitation_resend(actor=pim, family_id=family.pk, invitation_id=invitation.pk)

    assert len(mailoutbox) == sent
    invitation.refresh_from_db()
    assert (invitation.revoked_at, invitation.replaced_by) == (None, None)
    assert not AuditEntry.objects.filter(action=actions.INVITATION_RESENT).exists()


# -- who may ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["alice", "rita"])
def test_a_parent_or_relative_can_neither_withdraw_nor_resend(
    who, alice, rita, pim, family, invite, client_for, mailoutbox
):
    invitation, link = invite(pim)
    client = client_for({"alice": alice, "rita": rita}[who])
    sent = len(mailoutbox)

    assert client.post(_revoke_url(family, invitation)).status_code == 403
    assert client.post(_resend_url(family, invitation)).status_code == 403

    invitation.refresh_from_db()
    assert invitation.revoked_at is None
    assert len(mailoutbox) == sent
    assert Invitation.objects.count() == 1
    with pytest.raises(PermissionDenied):
        services.invitation_revoke(actor=alice, family_id=family.pk, invitation_id=invitation.pk)


def test_a_parent_does_not_see_the_pending_invitations_or_their_buttons(
    alice, pim, family, invite, client_for
):
    invitation, _link_path = invite(pim)
    body = client_for(alice).get(reverse("families:detail", args=[family.pk])).content.decode()
    assert "nieuw@example.org" not in body
    assert _revoke_url(family, invitation) not in body


def test_an_outsider_gets_not_found(charlie, pim, family, invite, client_for):
    invitation, _link_path = invite(pim)
    client = client_for(charlie)
    assert client.post(_revoke_url(family, invitation)).status_code == 404
    assert client.post(_resend_url(family, invitation)).status_code == 404
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_a_practitioner_cannot_withdraw_the_coordinators_invitation_of_a_professional(
    carol, pim, family, invite, client_for
):
    invitation, _link_path = invite(carol, email="collega@example.org", role=Role.PRACTITIONER)

    page = client_for(pim).get(reverse("families:detail", args=[family.pk])).content.decode()
    assert "collega@example.org" in page
    assert _revoke_url(family, invitation) not in page
    assert client_for(pim).post(_revoke_url(family, invitation)).status_code == 403
    assert client_for(pim).post(_resend_url(family, invitation)).status_code == 403

    invitation.refresh_from_db()
    assert invitation.revoked_at is None
    assert client_for(carol).post(_revoke_url(family, invitation)).status_code == 302


def test_an_invitation_of_another_family_is_not_found_through_this_familys_address(
    carol, family, other_family, client_for
):
    Membership.objects.create(user=carol, family=other_family, role=Role.COORDINATOR)
    elsewhere = services.invitation_send(actor=carol, family_id=other_family.pk, email="x@example.org",
                                         role=Role.PARENT)
    assert client_for(carol).post(_revoke_url(family, elsewhere)).status_code == 404
    with pytest.raises(NotFound):
        services.invitation_resend(actor=carol, family_id=family.pk, invitation_id=elsewhere.pk)
    elsewhere.refresh_from_db()
    assert elsewhere.revoked_at is None


def test_withdrawing_and_resending_only_by_post(pim, family, invite, client_for):
    invitation, _link_path = invite(pim)
    assert client_for(pim).get(_revoke_url(family, invitation)).status_code == 405
    assert client_for(pim).get(_resend_url(family, invitation)).status_code == 405
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_the_family_page_lists_pending_invitations_with_who_sent_them(pim, family, invite, client_for):
    invitation, _link_path = invite(pim, role=Role.RELATIVE)
    body = client_for(pim).get(reverse("families:detail", args=[family.pk])).content.decode()
    assert "nieuw@example.org" in body
    assert "uitgenodigd door Pim Professional" in body
    assert _revoke_url(family, invitation) in body
    assert _resend_url(family, invitation) in body
