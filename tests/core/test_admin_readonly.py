"""The admin (/beheer/) shows memberships, authenticators and family data, and changes none of
them: those change only through the services, which audit and end access. Staff may still stop
an account and reset a lost second factor, both through the service path."""

from __future__ import annotations

import re

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import RequestFactory
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.admin import USER_WRITABLE
from accounts.models import BackupCodeDevice, User
from audit import actions
from audit.models import AuditEntry
from families.models import Child, Family, Invitation, Membership
from messaging.models import Message, Thread
from messaging.services import message_send
from parentingplan.models import Section, SectionRevision
from tests.factories import ChildFactory, UserFactory, confirmed_totp
from tests.parentingplan.conftest import save

pytestmark = pytest.mark.django_db

# Apps whose admin pages may change things (none: login throttling has no admin, see
# docs/OPERATIONS.md "Sessions and two factors").
NOT_FAMILY_DATA: set[str] = set()
# Reference data an administrator keeps up to date: the school holidays (trajectories).
REFERENCE_DATA = {"trajectories.SchoolHoliday"}


@pytest.fixture
def staff(db):
    user = UserFactory(email="beheer@example.org", display_name="Beheerder", is_staff=True, is_superuser=True)
    confirmed_totp(user)
    return user


@pytest.fixture
def records(family, alice, bob, carol):
    """One of everything the admin must not change."""
    from messaging.services import threads_ensure_for_family
    from parentingplan.services import plan_ensure

    threads_ensure_for_family(family=family)
    parents = Thread.objects.get(family=family, kind="parents")
    message, _created = message_send(sender=alice, thread_id=parents.pk, body="Hallo Bob",
                                     client_id="7d9c1b4e-8a5f-4c1e-9f3a-2b6d8e0c4a11")
    plan = plan_ensure(family=family)
    section = Section.objects.filter(plan=plan).first()
    save(alice, section, "<p>Zo doen we het.</p>")
    return {
        "family": family,
        "membership": Membership.objects.get(family=family, user=bob),
        "message": message,
        "section": section,
        "revision": SectionRevision.objects.get(section=section),
        "device": TOTPDevice.objects.get(user=bob),
        "child": ChildFactory(family=family, first_name="Noor"),
    }


def _snapshot():
    """Every row the admin could touch, as plain values."""
    models = (Family, Membership, Child, Invitation, Message, Thread, Section, SectionRevision, TOTPDevice,
              BackupCodeDevice, User)
    return {m.__name__: sorted(map(repr, m.objects.order_by("pk").values())) for m in models}


def _url(record, verb):
    meta = record._meta
    base = f"/beheer/{meta.app_label}/{meta.model_name}/"
    return base + ("add/" if verb == "add" else f"{record.pk}/{verb}/")


# (record, verb, posted data, status): what a superuser's POST gets. 403: shown but read-only;
# 404: not in the admin at all (private messages and plan content are not for staff to read).
def _cases(records, staff):
    bob_membership = records["membership"]
    return [
        ("family", "change", {
            "reference": "X", "display_name": "Overgenomen", "status": "closed",
            "memberships-TOTAL_FORMS": "2", "memberships-INITIAL_FORMS": "1",
            "memberships-0-id": bob_membership.pk, "memberships-0-family": records["family"].pk,
            "memberships-0-user": bob_membership.user_id, "memberships-0-role": "coordinator",
            "memberships-0-ended_at_0": "2020-01-01", "memberships-0-DELETE": "on",
            "memberships-1-family": records["family"].pk, "memberships-1-user": staff.pk,
            "memberships-1-role": "coordinator"}, 403),
        ("family", "add", {"reference": "NIEUW", "display_name": "Nieuw"}, 403),
        ("family", "delete", {"post": "yes"}, 403),
        ("child", "change", {"first_name": "Anders", "birth_date": "2015-01-01"}, 403),
        ("child", "delete", {"post": "yes"}, 403),
        ("membership", "add", {"family": records["family"].pk, "user": staff.pk, "role": "coordinator"}, 404),
        ("membership", "change", {"role": "relative"}, 404),
        ("membership", "delete", {"post": "yes"}, 404),
        ("message", "add", {"body": "Niet van Alice"}, 404),
        ("message", "change", {"body": "Niet van Alice"}, 404),
        ("message", "delete", {"post": "yes"}, 404),
        ("section", "change", {"title": "Anders"}, 404),
        ("section", "delete", {"post": "yes"}, 404),
        ("revision", "change", {"content": "<p>Anders</p>"}, 404),
        ("revision", "delete", {"post": "yes"}, 404),
        ("device", "add", {"user": staff.pk, "name": "van de beheerder", "confirmed": "on"}, 403),
        ("device", "change", {"user": staff.pk, "name": "overgenomen", "confirmed": "on"}, 403),
        ("device", "delete", {"post": "yes"}, 403),
    ]


CASE_IDS = ["family-change-with-memberships", "family-add", "family-delete", "child-change", "child-delete",
            "membership-add", "membership-change", "membership-delete", "message-add", "message-change",
            "message-delete", "section-change", "section-delete", "revision-change", "revision-delete",
            "device-add", "device-change", "device-delete"]


@pytest.mark.parametrize("index", range(len(CASE_IDS)), ids=CASE_IDS)
def test_a_superuser_cannot_change_family_records_or_authenticators_through_the_admin(
    records, staff, client_for, index
):
    name, verb, data, status = _cases(records, staff)[index]
    client = client_for(staff)
    before = _snapshot()
    response = client.post(_url(records[name], verb), data)
    assert response.status_code == status
    assert _snapshot() == before


def test_deleting_authenticators_from_their_list_is_not_offered(records, staff, client_for):
    client = client_for(staff)
    page = client.get("/beheer/otp_totp/totpdevice/").content.decode()
    assert "delete_selected" not in page
    before = _snapshot()
    client.post("/beheer/otp_totp/totpdevice/", {"action": "delete_selected", "post": "yes",
                                                 "_selected_action": [records["device"].pk]})
    assert _snapshot() == before


@pytest.mark.parametrize("changelist", [
    "/beheer/families/family/", "/beheer/families/invitation/", "/beheer/families/child/",
    "/beheer/audit/auditentry/", "/beheer/otp_totp/totpdevice/", "/beheer/accounts/user/",
])
def test_the_lists_still_show(records, staff, client_for, changelist):
    assert client_for(staff).get(changelist).status_code == 200


def test_a_family_shows_its_memberships_without_a_field_to_change_them(records, staff, client_for):
    page = client_for(staff).get(_url(records["family"], "change")).content.decode()
    assert "Bob Ouder" in page
    assert not re.search(r'name="memberships-\d+-(role|user|ended_at|DELETE)', page)


def test_an_authenticator_shows_without_its_secret(records, staff, client_for):
    page = client_for(staff).get(_url(records["device"], "change")).content.decode()
    assert records["device"].key not in page
    assert "qrcode" not in page


def test_every_registered_model_but_the_user_is_read_only(staff):
    request = RequestFactory().get("/beheer/")
    request.user = staff
    checked = []
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label in NOT_FAMILY_DATA or model._meta.label in REFERENCE_DATA:
            continue
        if model is User:
            assert not model_admin.has_add_permission(request)
            assert not model_admin.has_delete_permission(request)
            form_fields = model_admin.get_form(request, staff).base_fields
            assert set(form_fields) == set(USER_WRITABLE)
            continue
        checked.append(model._meta.label)
        assert not model_admin.has_add_permission(request), model
        assert not model_admin.has_change_permission(request), model
        assert not model_admin.has_delete_permission(request), model
        for inline in model_admin.get_inline_instances(request):
            assert not inline.has_add_permission(request, None), inline
            assert not inline.has_change_permission(request), inline
            assert not inline.has_delete_permission(request), inline
    assert {"families.Family", "otp_totp.TOTPDevice", "audit.AuditEntry"} <= set(checked)
    assert Group not in admin.site._registry


def test_staff_deactivate_an_account_and_nothing_else_changes(bob, staff, client_for):
    response = client_for(staff).post(f"/beheer/accounts/user/{bob.pk}/change/", {
        "may_open_cases": "", "email": "overgenomen@example.org", "display_name": "Niet Bob",
        "is_staff": "on", "is_superuser": "on", "session_epoch": "0"})
    assert response.status_code == 302
    bob.refresh_from_db()
    assert (bob.is_active, bob.email, bob.display_name, bob.is_staff, bob.is_superuser) == (
        False, "bob@example.org", "Bob Ouder", False, False)


def test_staff_add_no_accounts_and_delete_none(bob, staff, client_for):
    client = client_for(staff)
    assert client.post("/beheer/accounts/user/add/", {"email": "nieuw@example.org"}).status_code == 403
    assert client.post(f"/beheer/accounts/user/{bob.pk}/delete/", {"post": "yes"}).status_code == 403
    assert not User.objects.filter(email="nieuw@example.org").exists()
    assert User.objects.filter(pk=bob.pk).exists()


def test_a_lost_second_factor_is_reset_through_the_service(bob, staff, client_for):
    BackupCodeDevice.objects.create(user=bob, name="backup codes", confirmed=True)
    epoch = bob.session_epoch
    response = client_for(staff).post("/beheer/accounts/user/", {
        "action": "second_factor_reset", "_selected_action": [bob.pk]})
    assert response.status_code == 302
    bob.refresh_from_db()
    assert not TOTPDevice.objects.filter(user=bob).exists()
    assert not BackupCodeDevice.objects.filter(user=bob).exists()
    assert bob.session_epoch == epoch + 1
    entry = AuditEntry.objects.get(action=actions.SECOND_FACTOR_RESET)
    assert (entry.actor, entry.subject_user) == (staff, bob)
