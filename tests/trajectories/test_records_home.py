"""The practitioner's home shows the consents still missing (issue 12, item 6): per family, who has to
consent before the child talks planned there can be marked held. Withdrawals have their own list."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from families.models import Child, Role
from tests.factories import MembershipFactory, UserFactory, confirmed_totp
from tests.trajectories.conftest import start, talks_of
from trajectories import consent, services
from trajectories.models import Consent, Talk

GIVEN, WITHDRAWN = Consent.Decision.GIVEN, Consent.Decision.WITHDRAWN
HEADING = "Toestemming ontbreekt nog"


@pytest.fixture
def kies(people, family):
    return start(people["carol"], family, "kies")


def _give(user, family, trajectory, decision=GIVEN):
    consent.consent_decide(actor=user, family_id=family.pk, trajectory_id=trajectory.pk, decision=decision)


def _missing_section(client) -> str:
    """The text of the "consent missing" panel on the home page ("" when it is not there)."""
    page = client.get(reverse("families:home")).content.decode()
    if 'id="consent-missing"' not in page:
        return ""
    return page.split('id="consent-missing"')[1].split("</section>")[0]


def test_the_home_lists_per_family_who_still_has_to_consent(kies, people, family, client_for):
    alice, bob, carol = people["alice"], people["bob"], people["carol"]
    client = client_for(carol)
    section = _missing_section(client)
    assert HEADING in section
    assert "Familie Alice en Bob" in section
    assert "Alice Ouder, Bob Ouder" in section
    assert reverse("trajectories:family", args=[family.pk]) + "#consent" in section
    _give(alice, family, kies)
    section = _missing_section(client)
    assert "Bob Ouder" in section and "Alice Ouder" not in section
    _give(bob, family, kies)
    assert _missing_section(client) == ""
    assert HEADING not in client.get(reverse("families:home")).content.decode()


def test_a_child_from_twelve_is_listed_until_the_practitioner_records_their_consent(
    kies, people, family, children, client_for
):
    alice, bob, carol = people["alice"], people["bob"], people["carol"]
    noor = children[0]
    today = timezone.localdate()
    Child.objects.filter(pk=noor.pk).update(birth_date=today.replace(year=today.year - 14))
    _give(alice, family, kies)
    _give(bob, family, kies)
    client = client_for(carol)
    section = _missing_section(client)
    assert "Noor" in section and "Daan" not in section and "Ouder" not in section
    consent.child_consent_record(
        actor=carol, family_id=family.pk, trajectory_id=kies.pk, child_id=noor.pk, decision=GIVEN
    )
    assert _missing_section(client) == ""


def test_a_withdrawal_is_listed_as_withdrawn_not_as_missing(kies, people, family, client_for):
    alice, bob = people["alice"], people["bob"]
    _give(alice, family, kies)
    _give(alice, family, kies, WITHDRAWN)
    client = client_for(people["carol"])
    assert "Toestemming ingetrokken" in client.get(reverse("families:home")).content.decode()
    section = _missing_section(client)
    assert "Bob Ouder" in section and "Alice Ouder" not in section
    _give(bob, family, kies)
    assert _missing_section(client) == ""
    assert "Toestemming ingetrokken" in client.get(reverse("families:home")).content.decode()


def test_a_trajectory_without_child_talks_asks_no_consent(people, family, client_for):
    """PAT plans no child talks."""
    carol = people["carol"]
    start(carol, family, "pat")
    assert _missing_section(client_for(carol)) == ""


def test_cancelled_child_talks_ask_no_consent(kies, people, family, client_for):
    carol = people["carol"]
    for talk in talks_of(kies, kind="child"):
        services.talk_cancel(actor=carol, family_id=family.pk, talk_id=talk.pk)
    assert not Talk.objects.filter(trajectory=kies, kind="child", status__in=Talk.UPCOMING).exists()
    assert _missing_section(client_for(carol)) == ""


def test_an_ended_trajectory_asks_no_consent(kies, people, family, client_for):
    carol = people["carol"]
    assert _missing_section(client_for(carol)) != ""
    services.trajectory_end(actor=carol, family_id=family.pk, trajectory_id=kies.pk, outcome="stopped",
                            reason="De ouders kozen voor een andere aanpak.")
    assert _missing_section(client_for(carol)) == ""


def test_parents_relatives_and_practitioners_of_other_families_see_no_such_list(
    kies, people, family, other_family, client_for
):
    for who in ("alice", "bob", "rita"):
        page = client_for(people[who]).get(reverse("families:home")).content.decode()
        assert HEADING not in page
    stranger = UserFactory(email="sanne@example.org", display_name="Sanne Elders")
    confirmed_totp(stranger)
    MembershipFactory(user=stranger, family=other_family, role=Role.COORDINATOR)
    page = client_for(stranger).get(reverse("families:home")).content.decode()
    assert HEADING not in page and "Familie Alice en Bob" not in page
    # Pim, the family's second practitioner, sees it too.
    assert "Alice Ouder, Bob Ouder" in _missing_section(client_for(people["pim"]))


def test_the_list_in_english(kies, people, family, client_for):
    carol = people["carol"]
    carol.language = "en"
    carol.save(update_fields=["language"])
    page = client_for(carol).get(reverse("families:home")).content.decode()
    assert "Consent still missing" in page
    assert "You can record them as held only once everyone below has given consent." in page
    assert HEADING not in page


def test_a_trajectory_already_under_way_lists_the_missing_consent_too(people, family, children, client_for):
    carol = people["carol"]
    start(carol, family, "kies", started_on=timezone.localdate() - timedelta(days=21))
    assert "Alice Ouder, Bob Ouder" in _missing_section(client_for(carol))
