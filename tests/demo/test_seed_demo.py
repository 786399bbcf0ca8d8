"""`manage.py seed_demo`: the demo family, built through the services (with their audit entries),
safe to run again, with logins that work."""

from __future__ import annotations

import io
import json

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import RequestFactory
from django.utils import timezone

from accounts.models import User
from audit import actions
from audit.models import AuditEntry
from families.access import plan_section_visible
from families.models import Child, Family, Invitation, Membership, Role
from messaging.models import Thread
from parentingplan.models import Plan, Section
from trajectories.models import Talk, Trajectory

pytestmark = pytest.mark.django_db


def seed(*args) -> dict:
    out = io.StringIO()
    call_command("seed_demo", "--json", *args, stdout=out)
    return json.loads(out.getvalue())


def test_running_it_twice_still_gives_one_family_five_users_and_two_children():
    first = seed()
    second = seed()

    assert first == second
    assert Family.objects.count() == 1
    assert User.objects.count() == 5
    assert Child.objects.count() == 2
    assert Membership.objects.count() == 5


def test_the_json_output_has_the_documented_shape():
    result = seed()

    family = Family.objects.get()
    assert result["family"] == {"id": family.pk, "reference": family.reference}
    assert {tuple(sorted(u)) for u in result["users"]} == {("email", "password", "role")}
    assert sorted(u["role"] for u in result["users"]) == ["coordinator", "parent", "parent", "practitioner",
                                                          "relative"]
    assert [c["first_name"] for c in result["children"]] == ["Noor", "Daan"]
    assert "families" not in result


def test_the_users_have_the_printed_roles_in_the_demo_family():
    result = seed()
    for printed in result["users"]:
        membership = Membership.objects.active().get(user__email=printed["email"])
        assert membership.family_id == result["family"]["id"]
        assert membership.role == printed["role"]
    coordinator = next(u for u in result["users"] if u["role"] == Role.COORDINATOR)
    assert User.objects.get(email=coordinator["email"]).may_open_cases


def test_the_printed_passwords_work():
    for printed in seed()["users"]:
        request = RequestFactory().post("/login/")
        user = authenticate(request, username=printed["email"], password=printed["password"])
        assert user is not None, printed["email"]


def test_a_changed_demo_password_is_put_back():
    printed = seed()["users"][0]
    user = User.objects.get(email=printed["email"])
    user.set_password("iets heel anders 123")
    user.save()

    seed()

    user.refresh_from_db()
    assert user.check_password(printed["password"])


def test_an_ended_demo_membership_is_brought_back():
    printed = seed()["users"][1]
    Membership.objects.filter(user__email=printed["email"]).update(ended_at="2020-01-01T00:00:00Z")

    seed()

    assert Membership.objects.active().filter(user__email=printed["email"]).count() == 1


def test_extra_families_are_made_and_listed_under_families():
    result = seed("--families", "3")

    assert len(result["families"]) == 3
    assert Family.objects.count() == 4
    for listed in result["families"]:
        family = Family.objects.get(pk=listed["id"])
        assert family.reference == listed["reference"]
        assert [u["role"] for u in listed["users"]] == ["parent", "parent"]
        roles = sorted(Membership.objects.active().filter(family=family).values_list("role", flat=True))
        assert roles == ["coordinator", "parent", "parent"]
        for printed in listed["users"]:
            request = RequestFactory().post("/login/")
            assert authenticate(request, username=printed["email"], password=printed["password"]) is not None


def test_extra_families_are_not_duplicated_on_a_second_run():
    seed("--families", "3")
    seed("--families", "3")
    assert Family.objects.count() == 4


def test_a_negative_number_of_families_is_refused():
    with pytest.raises(CommandError):
        call_command("seed_demo", "--families", "-1", stdout=io.StringIO())


def test_without_json_it_prints_the_logins():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    text = out.getvalue()
    for user in User.objects.all():
        assert user.email in text


def _coordinator(result) -> User:
    return User.objects.get(email=next(u["email"] for u in result["users"] if u["role"] == Role.COORDINATOR))


def test_the_demo_is_built_through_the_services_and_has_their_audit_entries():
    result = seed()
    anouk, family = _coordinator(result), Family.objects.get()

    by_anouk = sorted(AuditEntry.objects.filter(actor=anouk, family=family).values_list("action", flat=True))
    held = Talk.objects.filter(family=family, status=Talk.Status.HELD).count()
    assert by_anouk == sorted([actions.FAMILY_CREATED, *[actions.INVITATION_SENT] * 4,
                               actions.CHILD_ADDED, actions.CHILD_ADDED, actions.PLAN_SECTIONS_CHANGED,
                               actions.TRAJECTORY_STARTED, *[actions.TALK_HELD] * held])
    for parent in (u for u in result["users"] if u["role"] == Role.PARENT):
        user = User.objects.get(email=parent["email"])
        by_parent = sorted(AuditEntry.objects.filter(actor=user, family=family)
                           .values_list("action", flat=True))
        assert by_parent == sorted([actions.INVITATION_ACCEPTED, actions.MEMBERSHIP_ADDED])
        assert Invitation.objects.get(email=parent["email"]).accepted_by == user


def test_the_demo_family_has_the_parents_thread_a_private_thread_per_parent_and_a_plan():
    result = seed()

    parents = sorted(u["email"] for u in result["users"] if u["role"] == Role.PARENT)
    assert sorted((t["kind"], t.get("owner", "")) for t in result["threads"]) == [
        ("parents", ""), ("private", parents[0]), ("private", parents[1])]
    assert Thread.objects.count() == 3
    assert Plan.objects.get().pk == result["plan"]["id"]


def test_a_second_run_writes_nothing():
    seed()
    stored = (AuditEntry, Invitation, Membership, Thread, Section, Child, Trajectory, Talk)
    counts = [model.objects.count() for model in stored]
    passwords = list(User.objects.order_by("pk").values_list("password", flat=True))

    seed()

    assert [model.objects.count() for model in stored] == counts
    assert list(User.objects.order_by("pk").values_list("password", flat=True)) == passwords


def test_an_ended_demo_membership_is_brought_back_by_a_new_invitation_from_the_coordinator():
    result = seed()
    printed = result["users"][1]
    Membership.objects.filter(user__email=printed["email"]).update(ended_at="2020-01-01T00:00:00Z")

    seed()

    invitation = Invitation.objects.filter(email=printed["email"]).order_by("-created_at").first()
    assert invitation.invited_by == _coordinator(result)
    assert invitation.accepted_by.email == printed["email"]


def test_a_changed_demo_role_is_put_back_by_the_coordinator():
    result = seed()
    printed = result["users"][2]
    Membership.objects.filter(user__email=printed["email"]).update(role=Role.RELATIVE)

    seed()

    assert Membership.objects.active().get(user__email=printed["email"]).role == Role.PARENT
    entry = AuditEntry.objects.get(action=actions.MEMBERSHIP_ROLE_CHANGED)
    assert (entry.actor, entry.details) == (_coordinator(result), {"old": "relative", "new": "parent"})


def test_a_missing_demo_child_is_added_again():
    seed()
    Child.objects.filter(first_name="Daan").delete()

    seed()

    assert sorted(Child.objects.values_list("first_name", flat=True)) == ["Daan", "Noor"]


def test_a_demo_family_no_longer_coordinated_by_the_demo_professional_is_refused_with_a_clear_error():
    result = seed()
    Membership.objects.filter(user=_coordinator(result)).update(ended_at="2020-01-01T00:00:00Z")

    with pytest.raises(CommandError, match="no longer coordinates it"):
        seed()


def test_the_demo_has_a_grandmother_and_a_second_practitioner_who_does_not_coordinate():
    result = seed()
    family = Family.objects.get()
    anouk = _coordinator(result)

    ria = Membership.objects.active().get(user__email="ria.devries@example.org", family=family)
    joris = Membership.objects.active().get(user__email="joris.smit@example.org", family=family)
    assert (ria.role, ria.user.display_name) == (Role.RELATIVE, "Ria de Vries")
    assert (joris.role, joris.user.display_name) == (Role.PRACTITIONER, "Joris Smit")
    assert Membership.objects.active().filter(family=family, role=Role.COORDINATOR).get().user == anouk
    for membership in (ria, joris):
        invitation = Invitation.objects.get(email=membership.user.email)
        assert (invitation.invited_by, invitation.accepted_by, invitation.role) == (
            anouk, membership.user, membership.role)
        by_them = sorted(AuditEntry.objects.filter(actor=membership.user, family=family)
                         .values_list("action", flat=True))
        expected = [actions.INVITATION_ACCEPTED, actions.MEMBERSHIP_ADDED]
        if membership.role == Role.PRACTITIONER:
            expected.append(actions.OPEN_CASES_GRANTED)
        assert by_them == sorted(expected)
    # Invited as a professional, Joris may open cases of his own from now on (audited); Ria may not.
    assert joris.user.may_open_cases and not ria.user.may_open_cases
    assert AuditEntry.objects.filter(action=actions.OPEN_CASES_GRANTED, subject_user=joris.user).exists()


def test_the_printed_list_says_who_each_login_is_and_that_an_authenticator_app_is_needed():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    text = out.getvalue()
    assert "The first login of each account needs an authenticator app on your phone" in text
    lines = {line.split()[0]: line for line in text.splitlines() if "@example.org" in line}
    assert "grandmother" in lines["ria.devries@example.org"]
    assert "not coordinating" in lines["joris.smit@example.org"]
    assert "coordinating practitioner" in lines["anouk.bakker@example.org"]


def test_the_grandmother_sees_only_the_section_shared_with_relatives():
    seed()
    family = Family.objects.get()
    ria = Membership.objects.active().get(user__email="ria.devries@example.org", family=family)
    visible = [section.key for section in Section.objects.filter(plan__family=family)
               if plan_section_visible(ria, shared_with_relatives=section.shared_with_relatives,
                                       hidden=section.hidden)]
    assert visible == ["relations"]


def test_the_demo_family_has_a_pat_trajectory_under_way_listed_in_the_json():
    result = seed()

    trajectory = Trajectory.objects.get()
    assert result["trajectory"] == {"id": trajectory.pk, "type": "pat"}
    assert trajectory.family_id == result["family"]["id"] and trajectory.is_active
    assert trajectory.practitioner == _coordinator(result)
    talks = list(Talk.objects.filter(trajectory=trajectory))
    held = [t for t in talks if t.status == Talk.Status.HELD]
    coming = [t for t in talks if t.is_upcoming]
    # Four months in: the analysis and the first three-monthly evaluation are behind it, more is coming.
    assert {t.element for t in held} >= {"intake", "evaluation_1"}
    assert "evaluation_2" in {t.element for t in coming}
    assert all(t.ends_at < timezone.now() for t in held)
    assert all(t.ends_at >= timezone.now() for t in coming)


def test_a_second_run_keeps_the_running_trajectory():
    first = seed()["trajectory"]
    assert seed()["trajectory"] == first
    assert Trajectory.objects.count() == 1
