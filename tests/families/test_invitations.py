"""Invitations: a single-use link by e-mail that makes an account and a membership."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from audit import actions
from audit.models import AuditEntry
from core.errors import Invalid, PermissionDenied
from families import services
from families.models import Invitation, Membership, Role

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "een lange zin als wachtwoord 77"


@pytest.fixture
def invite(family, mailoutbox, django_capture_on_commit_callbacks):
    """invite(actor, email, role) -> the path of the link in the e-mail that was sent."""

    def send(actor, email="nieuw@example.org", role=Role.PARENT) -> str:
        sent_before = len(mailoutbox)
        with django_capture_on_commit_callbacks(execute=True):
            services.invitation_send(actor=actor, family_id=family.pk, email=email, role=role)
        assert len(mailoutbox) == sent_before + 1
        return re.search(r"(/uitnodiging/[^/\s]+/)", mailoutbox[-1].body).group(1)

    return send


def _accept(client, link, *, name="Nina Nieuw", password=NEW_PASSWORD, repeat=None):
    return client.post(link, {"display_name": name, "password1": password, "password2": repeat or password})


def test_a_practitioner_invites_a_parent_and_the_mail_goes_out_after_commit(
    pim, family, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.invitation_send(actor=pim, family_id=family.pk, email="nieuw@example.org", role=Role.PARENT)
    assert mailoutbox == []  # nothing is sent before the invitation is stored

    for callback in callbacks:
        callback()
    [mail] = mailoutbox
    assert mail.to == ["nieuw@example.org"]
    assert "/uitnodiging/" in mail.body
    assert "Pim Professional" in mail.body
    entry = AuditEntry.objects.get(action=actions.INVITATION_SENT)
    assert (entry.actor, entry.family) == (pim, family)
    assert entry.details == {"role": "parent", "email": "nieuw@example.org"}


def test_a_failed_invitation_sends_no_mail(
    pim, alice, family, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Invalid):
        services.invitation_send(actor=pim, family_id=family.pk, email=alice.email, role=Role.PARENT)
    assert mailoutbox == []
    assert not Invitation.objects.exists()


def test_only_a_hash_of_the_token_is_stored(pim, invite):
    link = invite(pim)
    token = link.split("/")[-2]
    invitation = Invitation.objects.get()
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    stored = [str(value) for value in Invitation.objects.values().get().values()]
    assert not any(token in value for value in stored)


def test_the_link_opens_a_page_to_make_an_account(pim, family, invite, anon_client):
    response = anon_client.get(invite(pim))
    body = response.content.decode()
    assert response.status_code == 200
    assert "nieuw@example.org" in body
    assert 'name="password1"' in body


def test_accepting_makes_the_account_and_the_membership_with_the_invited_role(
    pim, family, invite, anon_client
):
    link = invite(pim, role=Role.RELATIVE)

    response = _accept(anon_client, link)

    user = User.objects.get(email="nieuw@example.org")
    assert user.display_name == "Nina Nieuw"
    assert user.check_password(NEW_PASSWORD)
    membership = Membership.objects.active().get(user=user)
    assert (membership.family, membership.role) == (family, Role.RELATIVE)
    invitation = Invitation.objects.get()
    assert invitation.accepted_by == user
    assert invitation.accepted_at is not None
    accepted = AuditEntry.objects.get(action=actions.INVITATION_ACCEPTED)
    added = AuditEntry.objects.get(action=actions.MEMBERSHIP_ADDED)
    assert (accepted.actor, accepted.family, accepted.subject_user) == (user, family, user)
    assert (added.actor, added.family, added.details["role"]) == (user, family, "relative")
    assert added.details["invited_by"] == pim.pk
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:enrol")


def test_after_accepting_the_new_user_sets_up_the_second_factor_before_seeing_the_family(
    pim, family, invite, anon_client
):
    _accept(anon_client, invite(pim))

    enrol = anon_client.get(reverse("accounts:enrol"))
    assert enrol.status_code == 200
    family_page = anon_client.get(reverse("families:detail", args=[family.pk]))
    assert family_page.status_code == 302
    assert family_page["Location"].startswith(reverse("accounts:enrol"))
    assert family.display_name not in family_page.content.decode()


def test_the_link_works_only_once(pim, invite, anon_client, client):
    link = invite(pim)
    _accept(anon_client, link)

    response = _accept(client, link, name="Iemand Anders")

    assert response.status_code == 410
    assert "al gebruikt" in response.content.decode()
    assert User.objects.filter(email="nieuw@example.org").count() == 1
    assert Membership.objects.filter(user__email="nieuw@example.org").count() == 1


def test_an_expired_link_shows_a_clear_page_and_creates_nothing(pim, invite, anon_client):
    link = invite(pim)
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))

    shown = anon_client.get(link)
    posted = _accept(anon_client, link)

    for response in (shown, posted):
        assert response.status_code == 410
        assert "verlopen" in response.content.decode()
    assert not User.objects.filter(email="nieuw@example.org").exists()
    assert not AuditEntry.objects.filter(action=actions.INVITATION_ACCEPTED).exists()


def test_a_newer_invitation_to_the_same_address_replaces_the_older_link(pim, carol, invite, anon_client):
    old_link = invite(pim)
    new_link = invite(carol, email="NIEUW@example.org")

    response = _accept(anon_client, old_link)

    assert response.status_code == 410
    assert "vervangen" in response.content.decode()
    assert not User.objects.filter(email="nieuw@example.org").exists()
    assert _accept(anon_client, new_link).status_code == 302


def test_an_unknown_token_is_not_found(anon_client):
    response = anon_client.get(reverse("families:invitation_accept", args=["not-a-real-token"]))
    assert response.status_code == 404
    assert "bestaat niet" in response.content.decode()


def test_password_rules_are_shown_on_the_form_and_nothing_is_made(pim, invite, anon_client):
    link = invite(pim)

    too_short = _accept(anon_client, link, password="kort")
    different = _accept(anon_client, link, repeat="een andere zin als wachtwoord 88")

    assert too_short.status_code == 200
    assert "te kort" in too_short.content.decode() or "too short" in too_short.content.decode()
    assert different.status_code == 200
    assert "De twee wachtwoorden zijn niet gelijk." in different.content.decode()
    assert not User.objects.filter(email="nieuw@example.org").exists()
    assert Invitation.objects.get().accepted_at is None


def test_someone_with_an_account_is_asked_to_log_in_first(pim, charlie, family, invite, anon_client):
    response = anon_client.get(invite(pim, email=charlie.email))
    body = response.content.decode()
    assert response.status_code == 200
    assert reverse("accounts:login") in body
    assert 'name="password1"' not in body
    assert _accept(anon_client, invite(pim, email=charlie.email)).status_code == 200
    assert not Membership.objects.filter(user=charlie, family=family).exists()


def test_a_logged_in_user_accepts_an_invitation_for_their_own_address(
    pim, charlie, family, invite, client_for
):
    link = invite(pim, email=charlie.email)
    client = client_for(charlie)

    assert "Accepteren" in client.get(link).content.decode()
    response = client.post(link)

    assert response.status_code == 302
    assert response["Location"] == reverse("families:detail", args=[family.pk])
    assert Membership.objects.active().get(user=charlie, family=family).role == Role.PARENT
    assert AuditEntry.objects.filter(action=actions.MEMBERSHIP_ADDED, subject_user=charlie).exists()


def test_an_invitation_for_another_address_cannot_be_accepted_by_a_logged_in_user(
    pim, charlie, family, invite, client_for
):
    link = invite(pim, email="iemand.anders@example.org")
    client_for(charlie).post(link)
    assert not Membership.objects.filter(user=charlie, family=family).exists()
    assert Invitation.objects.get().accepted_at is None


def test_a_parent_cannot_invite(alice, family, client_for, mailoutbox):
    response = client_for(alice).post(
        reverse("families:invite", args=[family.pk]), {"email": "nieuw@example.org", "role": "parent"}
    )
    assert response.status_code == 403
    assert not Invitation.objects.exists()
    assert mailoutbox == []
    with pytest.raises(PermissionDenied):
        services.invitation_send(
            actor=alice, family_id=family.pk, email="nieuw@example.org", role=Role.PARENT
        )


def test_a_practitioner_cannot_invite_another_practitioner(pim, family, client_for, mailoutbox):
    page = client_for(pim).get(reverse("families:invite", args=[family.pk])).content.decode()
    assert '<option value="parent"' in page and '<option value="practitioner"' not in page
    response = client_for(pim).post(
        reverse("families:invite", args=[family.pk]), {"email": "collega@example.org", "role": "practitioner"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["role"]
    assert 'value="collega@example.org"' in response.content.decode()
    assert not Invitation.objects.exists()
    assert mailoutbox == []
    with pytest.raises(PermissionDenied):
        services.invitation_send(actor=pim, family_id=family.pk, email="collega@example.org",
                                 role=Role.PRACTITIONER)


def test_the_coordinator_can_invite_a_practitioner(carol, family, invite, anon_client):
    _accept(anon_client, invite(carol, email="collega@example.org", role=Role.PRACTITIONER))
    membership = Membership.objects.active().get(user__email="collega@example.org")
    assert membership.role == Role.PRACTITIONER


def test_nobody_can_be_invited_as_coordinator(carol, family):
    with pytest.raises(PermissionDenied):
        services.invitation_send(
            actor=carol, family_id=family.pk, email="baas@example.org", role=Role.COORDINATOR
        )
    assert not Invitation.objects.exists()


def test_someone_already_in_the_family_is_not_invited_again(carol, bob, family, client_for):
    response = client_for(carol).post(
        reverse("families:invite", args=[family.pk]), {"email": "BOB@example.org", "role": "parent"}
    )
    assert response.status_code == 200
    assert "Deze persoon hoort al bij dit gezin." in response.content.decode()
    assert not Invitation.objects.exists()


def test_open_invitations_are_listed_for_practitioners(pim, family, invite, client_for):
    invite(pim)
    body = client_for(pim).get(reverse("families:detail", args=[family.pk])).content.decode()
    assert "nieuw@example.org" in body
