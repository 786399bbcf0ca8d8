"""`manage.py seed_demo`: the demo family, safe to run again, with logins that work."""

from __future__ import annotations

import io
import json

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from accounts.models import User
from families.models import Child, Family, Membership, Role

pytestmark = pytest.mark.django_db


def seed(*args) -> dict:
    out = io.StringIO()
    call_command("seed_demo", "--json", *args, stdout=out)
    return json.loads(out.getvalue())


def test_running_it_twice_still_gives_one_family_three_users_and_two_children():
    first = seed()
    second = seed()

    assert first == second
    assert Family.objects.count() == 1
    assert User.objects.count() == 3
    assert Child.objects.count() == 2
    assert Membership.objects.count() == 3


def test_the_json_output_has_the_documented_shape():
    result = seed()

    family = Family.objects.get()
    assert result["family"] == {"id": family.pk, "reference": family.reference}
    assert {tuple(sorted(u)) for u in result["users"]} == {("email", "password", "role")}
    assert sorted(u["role"] for u in result["users"]) == ["coordinator", "parent", "parent"]
    assert [c["first_name"] for c in result["children"]] == ["Noor", "Daan"]
    assert "families" not in result


def test_the_users_have_the_printed_roles_in_the_demo_family():
    result = seed()
    for printed in result["users"]:
        membership = Membership.objects.active().get(user__email=printed["email"])
        assert membership.family_id == result["family"]["id"]
        assert membership.role == printed["role"]
    coordinator = next(u for u in result["users"] if u["role"] == Role.COORDINATOR)
    assert User.objects.get(email=coordinator["email"]).is_practitioner


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
