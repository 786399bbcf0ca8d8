"""KIES on phones, in Dutch at 360 x 740 (issue 12, item 7): the practitioner starts a KIES trajectory
from the family page, cannot mark the first child session held while the parents' written consent is
missing, both parents give their consent on their own phones, and then the session is marked held.
Every page on the way fits the screen (nothing scrolls sideways, every field labelled, taps 44 px).

The trajectory is entered as one already under way (its start date ten weeks back, which the start
form allows), so that the first child session has taken place whatever school holidays fall in
between: a session is marked held only once it has begun."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from families.models import Child
from tests.e2e.test_mobile_layout import assert_fits_a_phone
from trajectories.models import Consent, Talk, Trajectory

pytestmark = pytest.mark.e2e

KIES = "KIES – Kinderen In Echtscheiding Situatie"
SESSION = "KIES-bijeenkomst 1"


def _parent_gives_consent(page, family, name: str) -> None:
    page.goto(f"/gezin/{family.pk}/")
    assert_fits_a_phone(page, f"family page ({name})")
    page.locator(".trajectory-card").get_by_role("link", name="Ons traject").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ons traject")
    consent = page.locator("#consent")
    expect(consent.get_by_role("heading", name="Toestemming voor gesprekken met de kinderen")).to_be_visible()
    expect(consent.locator("#consent-parents li", has_text=name)).to_contain_text("nog geen toestemming")
    assert_fits_a_phone(page, f"ons traject before consent ({name})")
    consent.get_by_role("button", name="Ik geef toestemming").click()
    done = page.get_by_text("Je toestemming is vastgelegd. Je kunt hem altijd weer intrekken.")
    expect(done).to_be_visible()
    expect(page.locator("#consent-parents li", has_text=name)).to_contain_text("toestemming gegeven")
    expect(page.locator("#consent").get_by_role("button", name="Toestemming intrekken")).to_be_visible()
    assert_fits_a_phone(page, f"ons traject after consent ({name})")


def _try_to_mark_held(coach, family, session: Talk) -> None:
    coach.goto(f"/gezin/{family.pk}/traject/gesprek/{session.pk}/")
    expect(coach.get_by_role("heading", level=1)).to_have_text(SESSION)
    expect(coach.get_by_role("heading", name="Is dit gesprek gehouden?")).to_be_visible()
    assert_fits_a_phone(coach, "child session (practitioner)")
    coach.get_by_role("button", name="Ja, gehouden").click()


def test_a_kies_trajectory_from_start_to_the_first_child_session_held(
    new_mobile_context, sign_in, family, alice, bob, carol
):
    Child.objects.create(family=family, first_name="Noor", birth_date=date(2017, 5, 1))
    started_on = timezone.localdate() - timedelta(weeks=10)

    # The practitioner starts KIES from the family page.
    coach = sign_in(new_mobile_context(), carol).new_page()
    coach.goto(f"/gezin/{family.pk}/")
    assert_fits_a_phone(coach, "family page (practitioner)")
    coach.locator(".trajectory-card").get_by_role("link", name="Traject starten").click()
    expect(coach.get_by_role("heading", level=1)).to_have_text("Traject starten")
    assert_fits_a_phone(coach, "choose a type")
    coach.get_by_role("link", name=KIES).click()
    expect(coach.get_by_role("heading", level=1)).to_have_text(KIES)
    assert_fits_a_phone(coach, "start form (KIES)")
    coach.get_by_label("Begindatum").fill(started_on.isoformat())
    coach.get_by_label("Tijd van de gesprekken").fill("10:00")
    coach.get_by_label("Regio van de schoolvakanties").select_option("middle")
    coach.get_by_role("button", name="Traject starten").click()
    expect(coach.get_by_text("Het traject is gestart.")).to_be_visible()
    expect(coach.get_by_role("heading", level=2, name=KIES)).to_be_visible()
    expect(coach.locator("#consent-parents")).to_contain_text("Alice Ouder: nog geen toestemming")
    expect(coach.locator("#consent-parents")).to_contain_text("Bob Ouder: nog geen toestemming")
    assert_fits_a_phone(coach, "trajectory (practitioner)")

    trajectory = Trajectory.objects.get(family=family)
    assert trajectory.type_key == "kies"
    session = Talk.objects.filter(trajectory=trajectory, kind="child").order_by("starts_at").first()
    assert session.title == SESSION
    assert session.starts_at <= timezone.now(), "the first session should have taken place already"
    expect(coach.locator("#to-mark").get_by_role("link", name=SESSION)).to_be_visible()

    # Her home lists the consents still missing.
    coach.goto("/")
    missing = coach.locator("#consent-missing")
    expect(missing.get_by_role("heading", name="Toestemming ontbreekt nog")).to_be_visible()
    expect(missing).to_contain_text("Familie Alice en Bob: Alice Ouder, Bob Ouder")
    assert_fits_a_phone(coach, "home (practitioner)")

    # Without any consent the session cannot be marked held; the page says why and what to do.
    coach.goto(f"/gezin/{family.pk}/traject/")
    coach.locator("#to-mark").get_by_role("link", name=SESSION).click()
    expect(coach.get_by_role("heading", level=1)).to_have_text(SESSION)
    assert_fits_a_phone(coach, "child session (practitioner)")
    coach.get_by_role("button", name="Ja, gehouden").click()
    refusal = coach.get_by_text(
        "Dit kindgesprek kan nog niet als gehouden worden vastgelegd: de toestemming van Alice Ouder, "
        "Bob Ouder ontbreekt. Vraag om toestemming, of verzet het gesprek."
    )
    expect(refusal).to_be_visible()
    assert_fits_a_phone(coach, "child session refused (no consent)")
    session.refresh_from_db()
    assert session.status == Talk.Status.PLANNED

    # Alice consents on her phone; with Bob's consent still missing the refusal names only him.
    _parent_gives_consent(sign_in(new_mobile_context(), alice).new_page(), family, "Alice Ouder")
    _try_to_mark_held(coach, family, session)
    expect(coach.get_by_text(
        "Dit kindgesprek kan nog niet als gehouden worden vastgelegd: de toestemming van Bob Ouder "
        "ontbreekt. Vraag om toestemming, of verzet het gesprek."
    )).to_be_visible()
    assert_fits_a_phone(coach, "child session refused (one consent)")
    session.refresh_from_db()
    assert session.status == Talk.Status.PLANNED

    # Bob consents on his own phone.
    _parent_gives_consent(sign_in(new_mobile_context(), bob).new_page(), family, "Bob Ouder")
    stored = Consent.objects.filter(trajectory=trajectory).values_list("user__display_name", "decision")
    assert sorted(stored) == [("Alice Ouder", "given"), ("Bob Ouder", "given")]

    # Now the practitioner marks the first session held.
    _try_to_mark_held(coach, family, session)
    expect(coach.get_by_text(f"Vastgelegd: {SESSION} is gehouden.")).to_be_visible()
    expect(coach.get_by_role("heading", level=1)).to_have_text("Traject")
    expect(coach.locator("#consent-parents")).to_contain_text("Alice Ouder: toestemming gegeven")
    expect(coach.locator("#consent-parents")).to_contain_text("Bob Ouder: toestemming gegeven")
    expect(coach.locator("#to-mark").get_by_role("link", name=SESSION)).to_have_count(0)
    assert_fits_a_phone(coach, "trajectory after the session was held")
    session.refresh_from_db()
    assert (session.status, session.held_by) == (Talk.Status.HELD, carol)

    # And her home no longer asks for consent.
    coach.goto("/")
    expect(coach.locator("#consent-missing")).to_have_count(0)
    assert_fits_a_phone(coach, "home after both consents")
