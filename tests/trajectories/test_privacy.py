"""A parent never sees the other parent's own talks: not on the page, not by guessing a talk's id,
not in the calendar feed, the talk file, the AVG download, the family card or an e-mail. Tried the
way the other parent would: with their own login, ids taken from their own pages, the feed."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from icalendar import Calendar

from accounts.personal_data import personal_data_collect
from audit import actions
from audit.models import AuditEntry
from tests.trajectories.conftest import individual_talk_of, start, talks_of
from trajectories import reminders, services
from trajectories.models import Talk

pytestmark = pytest.mark.django_db


@pytest.fixture
def trajectory(people, family):
    return start(people["carol"], family, "mediation_1", options={"child_talks": 1})


def _visible_to_alice(trajectory, alice, carol, pim):
    return {
        t.pk for t in talks_of(trajectory) if alice.pk in t.user_ids or not (t.user_ids - {carol.pk, pim.pk})
    }


def _bobs_own(trajectory, bob):
    return [t for t in talks_of(trajectory) if bob.pk in t.user_ids and len(t.user_ids) == 2]


def _feed_uids(client, user) -> set[str]:
    token = services.calendar_feed_make(user=user)
    response = client.get(reverse("trajectories:feed", args=[token]))
    assert response.status_code == 200
    return {str(event["UID"]).split("@")[0] for event in Calendar.from_ical(response.content).walk("VEVENT")}


def test_the_rule_alice_sees_her_own_talks_the_joint_ones_and_the_childrens_never_bobs(
    trajectory, people, family
):
    alice, bob, carol, pim = people["alice"], people["bob"], people["carol"], people["pim"]
    bobs = _bobs_own(trajectory, bob)
    assert len(bobs) == 5  # his intake and four individual talks
    from families.access import membership_for
    from trajectories.selectors import trajectory_talks

    seen = {
        t.pk
        for t in trajectory_talks(
            trajectory=trajectory, membership=membership_for(user=alice, family_id=family.pk)
        )
    }
    assert seen == _visible_to_alice(trajectory, alice, carol, pim)
    assert not seen & {t.pk for t in bobs}
    kinds = {t.kind for t in talks_of(trajectory) if t.pk in seen}
    assert kinds == {"intake", "individual", "joint", "child", "evaluation"}


def test_bobs_talks_are_not_on_alices_page(trajectory, people, family, client_for):
    alice, bob = people["alice"], people["bob"]
    page = client_for(alice).get(reverse("trajectories:family", args=[family.pk])).content.decode()
    for talk in _bobs_own(trajectory, bob):
        assert reverse("trajectories:talk", args=[family.pk, talk.pk]) not in page
    assert "Met: Bob Ouder, Carol" not in page
    mine = individual_talk_of(trajectory, alice)
    assert reverse("trajectories:talk", args=[family.pk, mine.pk]) in page


@pytest.mark.parametrize("url_name", ["trajectories:talk", "trajectories:talk_ics"])
def test_alice_guessing_the_id_of_bobs_talk_gets_the_same_404_as_for_a_talk_that_is_not_there(
    trajectory, people, family, client_for, url_name
):
    alice, bob = people["alice"], people["bob"]
    client = client_for(alice)
    bobs = individual_talk_of(trajectory, bob)
    missing = Talk.objects.order_by("-pk").first().pk + 100

    bobs_url, missing_url = (
        reverse(url_name, args=[family.pk, bobs.pk]),
        reverse(url_name, args=[family.pk, missing]),
    )
    for_bobs = client.get(bobs_url)
    for_missing = client.get(missing_url)

    assert for_bobs.status_code == for_missing.status_code == 404

    # The same page, but for the address itself (the language switch sends you back to it) and the
    # form tokens (masked anew on every page).
    def page(response, url):
        return re.sub(
            r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode().replace(url, "")
        )

    assert page(for_bobs, bobs_url) == page(for_missing, missing_url)
    assert "BEGIN:VCALENDAR" not in for_bobs.content.decode()
    # The attempt shows in the family's access log.
    denied = AuditEntry.objects.filter(action=actions.ACCESS_DENIED, actor=alice, family=family)
    assert denied.filter(details__talk=str(bobs.pk)).exists()


def test_alice_posting_to_bobs_talk_changes_nothing(trajectory, people, family, client_for):
    alice, bob = people["alice"], people["bob"]
    client = client_for(alice)
    bobs = individual_talk_of(trajectory, bob)
    for url_name in ("trajectories:talk_hold", "trajectories:talk_cancel", "trajectories:talk"):
        response = client.post(reverse(url_name, args=[family.pk, bobs.pk]), {"day": "2030-01-01"})
        assert response.status_code == 404
    bobs.refresh_from_db()
    assert bobs.status == Talk.Status.PLANNED


def test_alices_calendar_feed_has_no_talk_of_bobs(trajectory, people, family, client_for):
    alice, bob, carol, pim = people["alice"], people["bob"], people["carol"], people["pim"]
    uids = _feed_uids(client_for(alice), alice)
    visible = _visible_to_alice(trajectory, alice, carol, pim)
    assert uids == {str(t.uid) for t in talks_of(trajectory) if t.pk in visible}
    assert not uids & {str(t.uid) for t in _bobs_own(trajectory, bob)}
    # Bob's feed has his own talks, and none of Alice's.
    bobs_uids = _feed_uids(client_for(bob), bob)
    assert {str(t.uid) for t in _bobs_own(trajectory, bob)} <= bobs_uids
    assert str(individual_talk_of(trajectory, alice).uid) not in bobs_uids


def test_alices_avg_download_has_no_talk_of_bobs(trajectory, people, family):
    alice, bob, carol, pim = people["alice"], people["bob"], people["carol"], people["pim"]
    talks = personal_data_collect(user=alice)["talks"]
    visible = [t for t in talks_of(trajectory) if t.pk in _visible_to_alice(trajectory, alice, carol, pim)]
    assert sorted(t["starts_at"] for t in talks) == sorted(
        t.starts_at.astimezone(__import__("datetime").UTC)
        .isoformat(timespec="seconds")
        .replace("+00:00", "Z")
        for t in visible
    )
    bobs_times = {t.starts_at for t in _bobs_own(trajectory, bob)}
    alices_times = {t.starts_at for t in visible}
    assert not bobs_times & alices_times


def test_the_family_card_shows_alice_her_own_next_talk_not_bobs_earlier_one(
    trajectory, people, family, client_for
):
    alice, bob, carol = people["alice"], people["bob"], people["carol"]
    bobs_intake = [t for t in _bobs_own(trajectory, bob) if t.kind == "intake"][0]
    alices_intake = individual_talk_of(trajectory, alice)
    earlier = alices_intake.starts_at - timedelta(hours=2)  # 08:00, before Alice's 10:00
    services.talk_update(
        actor=carol,
        family_id=family.pk,
        talk_id=bobs_intake.pk,
        starts_at=earlier,
        minutes=60,
        place="practice",
    )

    page = client_for(alice).get(reverse("families:detail", args=[family.pk])).content.decode()
    assert "08:00" not in page
    assert "10:00" in page
    bobs_page = client_for(bob).get(reverse("families:detail", args=[family.pk])).content.decode()
    assert "08:00" in bobs_page


def test_emails_about_bobs_talk_reach_bob_and_never_alice(
    trajectory, people, family, django_capture_on_commit_callbacks
):
    alice, bob, carol = people["alice"], people["bob"], people["carol"]
    bobs = individual_talk_of(trajectory, bob)
    with django_capture_on_commit_callbacks(execute=True):
        services.talk_update(
            actor=carol,
            family_id=family.pk,
            talk_id=bobs.pk,
            starts_at=bobs.starts_at + timedelta(days=1),
            minutes=60,
            place="online",
            address="https://video.example.org/bob",
        )
    reminders.send_all_due(now=bobs.starts_at + timedelta(days=1) - timedelta(hours=12))
    to = [address for message in mail.outbox for address in message.to]
    assert bob.email in to
    assert alice.email not in to
    assert all("video.example.org" not in m.body for m in mail.outbox if alice.email in m.to)


def test_a_relative_sees_only_the_talks_they_take_part_in(trajectory, people, family, client_for):
    alice, bob, carol, rita = people["alice"], people["bob"], people["carol"], people["rita"]
    client = client_for(rita)
    page = client.get(reverse("trajectories:family", args=[family.pk]))
    assert page.status_code == 200
    assert "Je doet nu aan geen enkel gesprek mee." in page.content.decode()
    joint = talks_of(trajectory, kind="joint")[0]
    assert client.get(reverse("trajectories:talk", args=[family.pk, joint.pk])).status_code == 404
    # Phase 2's individual talk with a new partner: Bob's talk, with Rita there too.
    bobs = individual_talk_of(trajectory, bob)
    services.talk_update(
        actor=carol,
        family_id=family.pk,
        talk_id=bobs.pk,
        starts_at=bobs.starts_at,
        minutes=60,
        place="practice",
        user_ids=[carol.pk, bob.pk, rita.pk],
        child_ids=[],
    )
    page = client.get(reverse("trajectories:family", args=[family.pk])).content.decode()
    assert reverse("trajectories:talk", args=[family.pk, bobs.pk]) in page
    assert reverse("trajectories:talk", args=[family.pk, joint.pk]) not in page
    assert client.get(reverse("trajectories:talk", args=[family.pk, bobs.pk])).status_code == 200
    # ... and Alice still does not see it.
    assert client_for(alice).get(reverse("trajectories:talk", args=[family.pk, bobs.pk])).status_code == 404
    assert rita.email not in str(personal_data_collect(user=alice).get("talks"))


def test_the_address_of_a_childs_talk_is_only_for_those_taking_part(trajectory, people, family, client_for):
    alice, carol = people["alice"], people["carol"]
    child_talk = talks_of(trajectory, kind="child")[0]
    services.talk_update(
        actor=carol,
        family_id=family.pk,
        talk_id=child_talk.pk,
        starts_at=child_talk.starts_at,
        minutes=45,
        place="home",
        address="Kerkstraat 1, Utrecht",
    )
    page = (
        client_for(alice).get(reverse("trajectories:talk", args=[family.pk, child_talk.pk])).content.decode()
    )
    assert "Op huisbezoek" in page
    assert "Kerkstraat" not in page
    assert (
        "Kerkstraat"
        in client_for(carol)
        .get(reverse("trajectories:talk", args=[family.pk, child_talk.pk]))
        .content.decode()
    )
