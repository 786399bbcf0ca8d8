"""A parent lost her phone and her backup codes: the family's coordinating practitioner resets her
second factor (families.services.member_second_factor_reset). Only the coordinator, only for a
parent or relative of that family; audited; she gets an e-mail without secrets; and she links a
new phone only after a reset link by e-mail, so the other parent, who may know her password,
cannot link his phone to her account in the meantime."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import BackupCodeDevice, TrustedDevice, User
from audit import actions
from audit.models import AuditEntry
from audit.selectors import access_log_for_family
from core.errors import Invalid, NotFound, PermissionDenied
from families import services
from families.models import Membership, Role
from tests.accounts.conftest import LAPTOP_UA, browser, full_login, is_verified_page, log_in_with_password
from tests.conftest import totp_now
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

ENROL = "/account/authenticator/setup/"


def _membership(family, user) -> Membership:
    return Membership.objects.active().get(family=family, user=user)


def _reset(actor, family, user):
    return services.member_second_factor_reset(actor=actor, family_id=family.pk,
                                               membership_id=_membership(family, user).pk)


def test_the_coordinator_resets_a_parents_second_factor(django_capture_on_commit_callbacks, carol, alice,
                                                        family):
    phone = full_login(browser(), alice)
    BackupCodeDevice.objects.create(user=alice, name="backup codes", confirmed=True)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _reset(carol, family, alice)

    assert not TOTPDevice.objects.filter(user=alice).exists()
    assert not BackupCodeDevice.objects.filter(user=alice).exists()
    assert not TrustedDevice.objects.filter(user=alice, revoked_at__isnull=True).exists()
    assert not is_verified_page(phone)
    alice.refresh_from_db()
    assert alice.enrolment_needs_email
    assert len(callbacks) >= 2  # the sockets' session.end and the e-mail

    entry = AuditEntry.objects.get(action=actions.SECOND_FACTOR_RESET)
    assert (entry.actor, entry.acting_role, entry.subject_user) == (carol, Role.COORDINATOR, alice)
    assert entry.details == {"family": family.pk, "membership": _membership(family, alice).pk}
    # the other parent does not read about it in the family's access log
    assert entry not in access_log_for_family(family=family)


def test_she_gets_an_email_that_says_what_to_do_and_holds_no_secret(django_capture_on_commit_callbacks, carol,
                                                                      alice, family):
    with django_capture_on_commit_callbacks(execute=True):
        _reset(carol, family, alice)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [alice.email]
    assert "Carol Coördinator heeft je tweede stap" in message.body
    assert message.body.startswith("Hallo Alice,\n")  # the first name, not "Hallo Alice Ouder"
    assert "/login/forgot/" in message.body
    assert not re.search(r"/login/reset/|/uitnodiging/|token|otpauth", message.body)


@pytest.mark.parametrize("who", ["pim", "bob", "rita"])
def test_only_the_coordinator_may_reset_and_the_refusal_is_recorded(request, alice, family, who):
    actor = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        _reset(actor, family, alice)
    assert TOTPDevice.objects.filter(user=alice, confirmed=True).exists()
    assert AuditEntry.objects.filter(action=actions.ACCESS_DENIED, actor=actor,
                                     details__wanted="reset_second_factor").exists()


def test_a_coordinator_of_another_family_cannot_reach_her(alice, family, other_family):
    stranger = MembershipFactory(family=other_family, role=Role.COORDINATOR).user
    with pytest.raises(NotFound):
        services.member_second_factor_reset(actor=stranger, family_id=family.pk,
                                            membership_id=_membership(family, alice).pk)
    with pytest.raises(NotFound):  # nor through her own family with the other family's membership id
        services.member_second_factor_reset(actor=stranger, family_id=other_family.pk,
                                            membership_id=_membership(family, alice).pk)
    assert TOTPDevice.objects.filter(user=alice, confirmed=True).exists()


def test_professionals_and_the_coordinator_herself_go_to_the_administrator(carol, pim, family):
    with pytest.raises(Invalid):
        _reset(carol, family, pim)
    with pytest.raises(Invalid):
        _reset(carol, family, carol)
    assert TOTPDevice.objects.filter(user=pim, confirmed=True).exists()


def test_a_relative_can_be_reset_too(carol, rita, family):
    _reset(carol, family, rita)
    assert not TOTPDevice.objects.filter(user=rita).exists()


# -- after the reset: only the mailbox opens enrolment ----------------------------------------------


def test_with_only_her_password_nobody_can_link_a_new_phone(carol, alice, family):
    _reset(carol, family, alice)
    bob_with_her_password = browser("198.51.100.7", LAPTOP_UA)
    response = log_in_with_password(bob_with_her_password, alice)
    page = bob_with_her_password.get(response["Location"], follow=True)
    html = page.content.decode()
    assert "Eerst je e-mail" in html
    assert "<svg" not in html and "otpauth" not in html
    response = bob_with_her_password.post(ENROL, {"code": "123456"})
    assert "Eerst je e-mail" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=alice).exists()


def test_through_the_reset_link_she_links_her_new_phone(carol, alice, family):
    _reset(carol, family, alice)
    client = browser()
    log_in_with_password(client, alice)
    response = client.post(reverse("accounts:enrol_email"), follow=True)
    assert "Kijk in je e-mail" in response.content.decode()
    link = re.search(r"http://\S+/login/reset/\S+/", mail.outbox[-1].body).group(0)
    form_page = client.get(link, follow=True)
    new_password = "een heel nieuw wachtwoord op de dijk"
    response = client.post(form_page.redirect_chain[-1][0],
                           {"new_password1": new_password, "new_password2": new_password})
    assert response["Location"].startswith(ENROL)
    page = client.get(response["Location"]).content.decode()
    assert "Open in je authenticator-app" in page
    pending = TOTPDevice.objects.get(user=alice, confirmed=False)
    response = client.post(ENROL, {"code": totp_now(pending)})
    assert "Gelukt: je tweede stap is ingesteld." in response.content.decode()
    alice.refresh_from_db()
    assert not alice.enrolment_needs_email
    assert is_verified_page(client)


# -- the page -------------------------------------------------------------------------------------


def test_the_family_page_offers_the_reset_to_the_coordinator_for_parents_and_relatives(
        client_for, carol, alice, bob, pim, rita, family):
    html = client_for(carol).get(reverse("families:detail", args=[family.pk])).content.decode()
    urls = set(re.findall(r'action="(/gezin/\d+/leden/(\d+)/tweede-stap/)"', html))
    expected = {_membership(family, u).pk for u in (alice, bob, rita)}
    assert {int(pk) for _url, pk in urls} == expected


@pytest.mark.parametrize("who", ["pim", "bob"])
def test_others_see_no_reset_button(client_for, request, alice, family, who):
    client = client_for(request.getfixturevalue(who))
    html = client.get(reverse("families:detail", args=[family.pk])).content.decode()
    assert "tweede-stap" not in html


def test_posting_the_reset_as_the_coordinator_shows_what_happens_next(client_for, carol, alice, family):
    url = reverse("families:member_second_factor_reset", args=[family.pk, _membership(family, alice).pk])
    response = client_for(carol).post(url, follow=True)
    assert "De tweede stap van Alice Ouder is gewist." in response.content.decode()
    assert not User.objects.get(pk=alice.pk).totpdevice_set.exists()


def test_posting_the_reset_as_the_other_parent_is_refused(client_for, bob, alice, family):
    url = reverse("families:member_second_factor_reset", args=[family.pk, _membership(family, alice).pk])
    assert client_for(bob).post(url).status_code == 403
    assert TOTPDevice.objects.filter(user=alice, confirmed=True).exists()
