"""The private calendar feed: an iCalendar file (parsed here with the icalendar library) at a secret
address that needs no login, stored only as a hash, which its owner can replace (the old address
then gives 404) or stop."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from audit import actions
from audit.models import AuditEntry
from families.models import Membership
from tests.trajectories.conftest import individual_talk_of, start, talks_of
from trajectories import services
from trajectories.models import CalendarFeed, Talk

pytestmark = pytest.mark.django_db


def _events(response) -> dict[str, object]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["VERSION"]) == "2.0"
    return {str(e["UID"]).split("@")[0]: e for e in calendar.walk("VEVENT")}


def _make_link(client) -> str:
    """Make the link on the page as a user does, and take it from the page."""
    page = client.post(reverse("trajectories:calendar"), {"make": "1"}).content.decode()
    return re.search(r'id="feed-url" type="text" readonly value="([^"]+)"', page).group(1)


def test_the_feed_parses_and_has_each_talk_with_its_time_place_and_a_stable_uid(
    people, family, client_for, anon_client
):
    alice, carol = people["alice"], people["carol"]
    trajectory = start(carol, family, "mediation_1")
    link = _make_link(client_for(alice))
    assert link.startswith("http://localhost/agenda/") and link.endswith(".ics")

    events = _events(anon_client.get(link))  # a calendar app: no login, no cookies

    intake = individual_talk_of(trajectory, alice)
    event = events[str(intake.uid)]
    assert event.decoded("DTSTART") == intake.starts_at
    assert event.decoded("DTEND") == intake.starts_at + timedelta(minutes=intake.minutes)
    assert str(event["SUMMARY"]) == "Kennismakingsgesprek (Kompas)"
    assert str(event["LOCATION"]) == "in de praktijk"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert f"/gezin/{family.pk}/traject/gesprek/{intake.pk}/" in str(event["URL"])
    assert family.display_name not in anon_client.get(link).content.decode()
    assert len(events) == len(talks_of(trajectory)) - 5  # all but Bob's intake and four individual talks


def test_a_moved_talk_keeps_its_uid_with_a_higher_sequence_and_a_cancelled_one_says_so(
    people, family, client_for, anon_client
):
    alice, carol = people["alice"], people["carol"]
    trajectory = start(carol, family, "mediation_1")
    link = _make_link(client_for(alice))
    joint, second = talks_of(trajectory, kind="joint")[:2]
    before = _events(anon_client.get(link))[str(joint.uid)]

    moved_to = joint.starts_at + timedelta(days=2, hours=3)
    services.talk_update(
        actor=carol,
        family_id=family.pk,
        talk_id=joint.pk,
        starts_at=moved_to,
        minutes=90,
        place="online",
        address="https://video.example.org/abc",
    )
    services.talk_cancel(actor=carol, family_id=family.pk, talk_id=second.pk)
    events = _events(anon_client.get(link))

    after = events[str(joint.uid)]
    assert after.decoded("DTSTART") == moved_to
    assert int(after["SEQUENCE"]) > int(before["SEQUENCE"])
    assert str(after["LOCATION"]) == "online, https://video.example.org/abc"
    assert str(events[str(second.uid)]["STATUS"]) == "CANCELLED"


def test_a_practitioners_feed_names_the_case_number_not_the_family(people, family, client_for, anon_client):
    carol = people["carol"]
    trajectory = start(carol, family, "pat")
    events = _events(anon_client.get(_make_link(client_for(carol))))
    assert len(events) == len(talks_of(trajectory))
    summaries = {str(e["SUMMARY"]) for e in events.values()}
    assert all(s.endswith(f"– {family.reference}") for s in summaries)
    assert not any(family.display_name in s for s in summaries)


def test_a_new_link_makes_the_old_one_404_and_the_new_one_works(people, family, client_for, anon_client):
    alice, carol = people["alice"], people["carol"]
    start(carol, family, "kies")
    client = client_for(alice)
    old = _make_link(client)
    assert anon_client.get(old).status_code == 200

    new = _make_link(client)

    assert new != old
    assert anon_client.get(old).status_code == 404
    assert anon_client.get(new).status_code == 200
    assert CalendarFeed.objects.filter(user=alice).count() == 1
    assert [
        e.action
        for e in AuditEntry.objects.filter(actor=alice).order_by("pk")
        if e.action.startswith("trajectories:calendar_feed")
    ] == [actions.CALENDAR_FEED_CREATED, actions.CALENDAR_FEED_RESET]


def test_only_a_hash_of_the_secret_is_stored_and_the_page_shows_the_link_once(people, family, client_for):
    alice = people["alice"]
    client = client_for(alice)
    link = _make_link(client)
    token = link.rsplit("/", 1)[1].removesuffix(".ics")
    feed = CalendarFeed.objects.get(user=alice)
    assert token not in feed.token_hash and feed.token_hash == services.feed_token_hash(token)
    assert token not in client.get(reverse("trajectories:calendar")).content.decode()


def test_a_stopped_link_gives_404(people, family, client_for, anon_client):
    alice = people["alice"]
    client = client_for(alice)
    link = _make_link(client)
    client.post(reverse("trajectories:calendar"), {"stop": "1"})
    assert anon_client.get(link).status_code == 404
    assert not CalendarFeed.objects.filter(user=alice).exists()
    assert AuditEntry.objects.filter(action=actions.CALENDAR_FEED_STOPPED, actor=alice).count() == 1


@pytest.mark.parametrize("token", ["", "x", "a" * 43, "a" * 500, "..%2F..%2Fetc"])
def test_a_made_up_address_gives_404(anon_client, token):
    assert anon_client.get(f"/agenda/{token}.ics").status_code == 404


def test_a_blocked_account_or_an_ended_membership_empties_the_feed(people, family, client_for, anon_client):
    alice, carol = people["alice"], people["carol"]
    start(carol, family, "mediation_1")
    link = _make_link(client_for(alice))
    assert _events(anon_client.get(link))

    Membership.objects.filter(user=alice, family=family).update(ended_at=timezone.now())
    assert _events(anon_client.get(link)) == {}

    alice.is_active = False
    alice.save(update_fields=["is_active"])
    assert anon_client.get(link).status_code == 404


def test_the_talk_file_parses_and_is_only_for_who_may_see_the_talk(people, family, client_for):
    alice, carol = people["alice"], people["carol"]
    trajectory = start(carol, family, "mediation_1")
    talk = individual_talk_of(trajectory, alice)
    response = client_for(alice).get(reverse("trajectories:talk_ics", args=[family.pk, talk.pk]))
    events = _events(response)
    assert list(events) == [str(talk.uid)]
    assert (
        client_for(people["bob"]).get(reverse("trajectories:talk_ics", args=[family.pk, talk.pk])).status_code
        == 404
    )


def test_the_feed_records_when_it_was_last_fetched_for_its_owner_to_see(
    people, family, client_for, anon_client
):
    alice = people["alice"]
    client = client_for(alice)
    link = _make_link(client)
    assert CalendarFeed.objects.get(user=alice).last_used_at is None
    anon_client.get(link)
    assert CalendarFeed.objects.get(user=alice).last_used_at is not None
    assert "Voor het laatst opgehaald" in client.get(reverse("trajectories:calendar")).content.decode()


def test_the_feed_in_english_for_an_english_speaking_user(people, family, client_for, anon_client):
    alice, carol = people["alice"], people["carol"]
    alice.language = "en"
    alice.save(update_fields=["language"])
    trajectory = start(carol, family, "mediation_1")
    services.talk_cancel(actor=carol, family_id=family.pk, talk_id=individual_talk_of(trajectory, alice).pk)
    events = _events(anon_client.get(_make_link(client_for(alice))))
    summaries = {str(e["SUMMARY"]) for e in events.values()}
    assert "Joint talk 1 (Kompas)" in summaries
    assert any(s.startswith("Cancelled: ") for s in summaries)
    assert Talk.objects.filter(status=Talk.Status.CANCELLED).count() == 1
