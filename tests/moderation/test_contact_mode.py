"""Contact mode per family: only the coordinator changes it, always with a reason; every member's
sockets hear of it, the parents get an e-mail without content, and every change is audited and kept."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from channels.db import database_sync_to_async
from django.core import mail
from django.db import DatabaseError, transaction
from django.urls import reverse
from django.utils import timezone

from audit import actions
from audit.models import AuditEntry
from core.errors import Invalid, NotFound, PermissionDenied
from moderation import selectors, services
from moderation.models import ContactModeChange
from tests.messaging.conftest import assert_still_open, open_socket, receive, receive_type, send

REASON = "Vader stuurde vannacht tien berichten; even rustiger."


def _change(actor, family, mode="moderated", reason=REASON, **kwargs):
    return services.contact_mode_change(actor=actor, family_id=family.pk, mode=mode, reason=reason, **kwargs)


# -- the service ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_family_starts_in_direct_contact(family):
    state = selectors.contact_mode(family_id=family.pk)
    assert (state.mode, state.since) == ("direct", None)


@pytest.mark.django_db
def test_the_coordinator_changes_the_mode_with_a_reason_kept_and_audited(
        family, alice, bob, carol, pim, rita, django_capture_on_commit_callbacks):
    review = timezone.localdate() + timedelta(days=30)
    with django_capture_on_commit_callbacks(execute=True):
        change = _change(carol, family, review_on=review)

    stored = ContactModeChange.objects.get()
    assert (stored.mode, stored.reason, stored.review_on) == ("moderated", REASON, review)
    assert stored.changed_by == carol
    assert selectors.contact_mode(family_id=family.pk).mode == "moderated"
    entry = AuditEntry.objects.get(action=actions.CONTACT_MODE_CHANGED)
    assert (entry.actor, entry.family, entry.target_id) == (carol, family, str(change.pk))
    assert entry.details == {"old": "direct", "new": "moderated", "review_on": review.isoformat()}
    assert REASON not in str(entry.details)


@pytest.mark.django_db
def test_the_parents_get_an_email_that_says_what_it_means_without_the_reason(
        family, alice, bob, carol, pim, rita, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _change(carol, family)

    assert sorted(m.to[0] for m in mail.outbox) == sorted([alice.email, bob.email])
    body = mail.outbox[0].body
    assert "Een begeleider leest je berichten aan de andere ouder eerst." in body
    assert REASON not in body and "tien berichten" not in body
    assert f"/gezin/{family.pk}/" in body


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "error"), [
    ("pim", PermissionDenied), ("alice", PermissionDenied), ("bob", PermissionDenied),
    ("rita", PermissionDenied), ("charlie", NotFound)])
def test_only_the_coordinator_may_change_it(request, family, who, error):
    with pytest.raises(error):
        _change(request.getfixturevalue(who), family)
    assert ContactModeChange.objects.count() == 0
    assert AuditEntry.objects.filter(action=actions.ACCESS_DENIED).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("kwargs", "message"), [
    ({"reason": ""}, "Schrijf kort op waarom"),
    ({"reason": "   \n "}, "Schrijf kort op waarom"),
    ({"reason": "x" * 2001}, r"De reden is te lang \(2001 tekens, maximaal 2000\)"),
    ({"mode": "silent"}, "Kies direct contact"),
    ({"mode": "direct"}, "Het gezin heeft deze manier van contact al."),
    ({"review_on": "yesterday"}, "Kies een datum"),
    ({"review_on": "in three years"}, "Kies een datum"),
])
def test_bad_input_is_refused_with_a_clear_reason_and_nothing_stored(family, carol, kwargs, message):
    today = timezone.localdate()
    dates = {"yesterday": today - timedelta(days=1), "in three years": today + timedelta(days=3 * 365)}
    if "review_on" in kwargs:
        kwargs = {"review_on": dates[kwargs["review_on"]]}
    with pytest.raises(Invalid, match=message):
        _change(carol, family, **kwargs)
    assert ContactModeChange.objects.count() == 0


@pytest.mark.django_db
def test_changes_are_kept_and_cannot_be_altered(family, carol):
    _change(carol, family, mode="moderated")
    _change(carol, family, mode="indirect")
    assert [c.mode for c in selectors.contact_mode_history(family_id=family.pk)] == ["indirect", "moderated"]
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        ContactModeChange.objects.filter(mode="moderated").update(mode="direct")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        ContactModeChange.objects.all().delete()


# -- the frames ----------------------------------------------------------------------------------


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_family_mode_set_reaches_every_members_sockets(family, alice, bob, carol, pim, charlie):
    coordinator, parent = await open_socket(carol), await open_socket(alice)
    practitioner, outsider = await open_socket(pim), await open_socket(charlie)
    await send(coordinator, {"type": "family.mode.set", "family": family.pk, "mode": "indirect",
                             "reason": REASON})
    for sock in (coordinator, parent, practitioner):
        got = await receive_type(sock, "family.mode")
        assert set(got) == {"type", "family", "mode", "since"}
        assert (got["family"], got["mode"]) == (family.pk, "indirect")
        assert got["since"].startswith(str(timezone.now().year))
    await assert_still_open(outsider)  # nothing arrived for a stranger (a pong comes first)
    stored = await database_sync_to_async(
        lambda: list(ContactModeChange.objects.values_list("mode", "reason")))()
    assert stored == [("indirect", REASON)]
    for sock in (coordinator, parent, practitioner, outsider):
        await sock.disconnect()


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("who", "frame", "code"), [
    ("alice", {"mode": "direct", "reason": "Ik wil weer direct"}, "forbidden"),
    ("pim", {"mode": "moderated", "reason": REASON}, "forbidden"),
    ("charlie", {"mode": "moderated", "reason": REASON}, "not_found"),
    ("carol", {"mode": "moderated"}, "invalid"),
    ("carol", {"mode": "moderated", "reason": ""}, "invalid"),
    ("carol", {"mode": "loud", "reason": REASON}, "invalid"),
    ("carol", {"mode": "moderated", "reason": "\ud800"}, "invalid"),
    ("carol", {"mode": "moderated", "reason": REASON, "family": 2**70}, "invalid"),
])
async def test_family_mode_set_refusals_are_error_frames(
        family, alice, pim, charlie, carol, who, frame, code):
    sock = await open_socket({"alice": alice, "pim": pim, "charlie": charlie, "carol": carol}[who])
    await send(sock, {"type": "family.mode.set", "family": family.pk, **frame})
    got = await receive(sock)
    assert (got["type"], got["code"]) == ("error", code)
    assert got["detail"]
    await assert_still_open(sock)
    assert await database_sync_to_async(ContactModeChange.objects.count)() == 0
    await sock.disconnect()


# -- the pages -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_member_sees_the_mode_in_plain_words_on_the_family_page(family, alice, carol, client_for):
    _change(carol, family, mode="indirect")
    body = client_for(alice).get(reverse("families:detail", args=[family.pk])).content.decode()
    assert "Manier van contact: via de begeleider" in body
    assert "Schrijf je begeleider in jullie eigen gesprek" in body
    assert REASON not in body
    assert reverse("moderation:contact_mode", args=[family.pk]) not in body


@pytest.mark.django_db
def test_the_coordinator_changes_the_mode_on_a_page(family, alice, carol, client_for):
    client = client_for(carol)
    detail = client.get(reverse("families:detail", args=[family.pk])).content.decode()
    url = reverse("moderation:contact_mode", args=[family.pk])
    assert url in detail
    response = client.post(url, {"mode": "moderated", "reason": REASON,
                                 "review_on": (timezone.localdate() + timedelta(days=14)).isoformat()},
                           follow=True)
    assert "De manier van contact is veranderd." in response.content.decode()
    assert selectors.contact_mode(family_id=family.pk).mode == "moderated"
    page = client.get(url).content.decode()
    assert REASON in page  # the history, for the coordinator


@pytest.mark.django_db
def test_the_page_refuses_a_change_without_a_reason_and_keeps_the_choice(family, carol, client_for):
    response = client_for(carol).post(reverse("moderation:contact_mode", args=[family.pk]),
                                      {"mode": "indirect", "reason": ""})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Vul dit veld in." in body
    assert re.search(r'value="indirect"[^>]* checked', body)  # the choice is kept
    assert ContactModeChange.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "status"), [("alice", 403), ("pim", 403), ("charlie", 404)])
def test_others_cannot_open_the_change_page(request, family, client_for, who, status):
    url = reverse("moderation:contact_mode", args=[family.pk])
    client = client_for(request.getfixturevalue(who))
    assert client.get(url).status_code == status
    assert client.post(url, {"mode": "indirect", "reason": REASON}).status_code == status
    assert ContactModeChange.objects.count() == 0


@pytest.mark.django_db
def test_a_passed_review_date_reminds_the_coordinator(family, carol, client_for):
    ContactModeChange.objects.create(family=family, mode="moderated", reason=REASON, changed_by=carol,
                                     changed_at=timezone.now() - timedelta(days=40),
                                     review_on=timezone.localdate() - timedelta(days=1))
    body = client_for(carol).get(reverse("families:detail", args=[family.pk])).content.decode()
    assert "De datum om dit opnieuw te bekijken" in body
