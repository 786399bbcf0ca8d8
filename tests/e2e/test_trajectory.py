"""A trajectory on phones, in Dutch at 360 x 740: the practitioner starts a systemic family mediation
from the family page, moves a talk, and a parent sees the new date on her phone. Each page on the
way fits the screen (nothing scrolls sideways, every field has a label, taps are 44 px)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import formats, timezone, translation
from playwright.sync_api import expect

from families.models import Child
from tests.e2e.test_mobile_layout import assert_fits_a_phone
from trajectories.models import Talk, Trajectory

pytestmark = pytest.mark.e2e


def _next_monday() -> date:
    today = timezone.localdate()
    return today + timedelta(days=(7 - today.weekday()) % 7 or 7)


def test_a_practitioner_starts_a_mediation_moves_a_talk_and_a_parent_sees_the_new_date(
    new_mobile_context, sign_in, family, alice, bob, carol
):
    Child.objects.create(family=family, first_name="Noor", birth_date=date(2016, 3, 1))
    start_day = _next_monday()

    # The practitioner, from the family page.
    coach = sign_in(new_mobile_context(), carol).new_page()
    coach.goto(f"/gezin/{family.pk}/")
    coach.locator(".trajectory-card").get_by_role("link", name="Traject starten").click()
    expect(coach.get_by_role("heading", level=1)).to_have_text("Traject starten")
    assert_fits_a_phone(coach, "choose a type")
    coach.get_by_role("link", name="Systemische gezinsbemiddeling – fase 1").click()
    expect(coach.get_by_role("heading", level=1)).to_have_text("Systemische gezinsbemiddeling – fase 1")
    assert_fits_a_phone(coach, "start form")
    coach.get_by_label("Begindatum").fill(start_day.isoformat())
    coach.get_by_label("Tijd van de gesprekken").fill("10:00")
    coach.get_by_label("Regio van de schoolvakanties").select_option("middle")
    coach.get_by_role("button", name="Traject starten").click()

    expect(coach.get_by_text("Het traject is gestart.")).to_be_visible()
    expect(coach.get_by_role("heading", level=1)).to_have_text("Traject")
    assert_fits_a_phone(coach, "trajectory (practitioner)")
    trajectory = Trajectory.objects.get(family=family)
    joint = Talk.objects.filter(trajectory=trajectory, kind="joint").order_by("starts_at").first()
    assert timezone.localtime(joint.starts_at).strftime("%H:%M") == "10:00"

    # Move the first joint talk: three days later, in the afternoon.
    coach.locator("#coming-talks").get_by_role("link", name="Gezamenlijk gesprek 1").click()
    expect(coach.get_by_role("heading", level=1)).to_have_text("Gezamenlijk gesprek 1")
    assert_fits_a_phone(coach, "talk (practitioner)")
    new_day = timezone.localtime(joint.starts_at).date() + timedelta(days=3)
    coach.get_by_label("Datum").fill(new_day.isoformat())
    coach.get_by_label("Tijd", exact=True).fill("15:30")
    coach.get_by_role("button", name="Opslaan en laten weten").click()
    expect(coach.get_by_text("Het gesprek is gewijzigd.")).to_be_visible()
    joint.refresh_from_db()
    assert joint.status == Talk.Status.MOVED
    assert timezone.localtime(joint.starts_at).strftime("%Y-%m-%d %H:%M") == f"{new_day:%Y-%m-%d} 15:30"

    # The parent, on her own phone: "Ons traject" shows the new date.
    with translation.override("nl"):
        shown = f"{formats.date_format(new_day, 'DATE_FORMAT')}, 15:30"
        was = formats.date_format(joint.moved_from.astimezone(timezone.get_default_timezone()), "DATE_FORMAT")
    parent = sign_in(new_mobile_context(), alice).new_page()
    parent.goto(f"/gezin/{family.pk}/")
    parent.locator(".trajectory-card").get_by_role("link", name="Ons traject").click()
    expect(parent.get_by_role("heading", level=1)).to_have_text("Ons traject")
    moved = parent.locator("#next-talks li", has_text="Gezamenlijk gesprek 1")
    expect(moved).to_contain_text(shown)
    expect(moved).to_contain_text("verzet")
    expect(moved).to_contain_text(f"eerst {was} om 10:00")
    expect(parent.get_by_role("heading", name="Wat we van je vragen")).to_be_visible()
    # Bob's own talks are not on her phone.
    expect(parent.get_by_text("Met: Bob Ouder, Carol Coördinator")).to_have_count(0)
    assert_fits_a_phone(parent, "ons traject (parent)")
    parent.get_by_text("Alle afspraken").click()
    assert_fits_a_phone(parent, "ons traject, all talks open")


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_trajectory_pages_fit_a_phone_in_dutch_and_english(
    new_mobile_context, sign_in, family, alice, bob, carol, rita, language
):
    from datetime import time

    from trajectories import services

    Child.objects.create(family=family, first_name="Noor", birth_date=date(2016, 3, 1))
    for user in (alice, carol, rita):
        user.language = language
        user.save(update_fields=["language"])
    trajectory = services.trajectory_start(
        actor=carol,
        family_id=family.pk,
        type_key="kindbehartiger",
        region="north",
        at=time(9, 0),
        started_on=timezone.localdate() - timedelta(days=30),
        options={"relatives_talk": True},
    )
    talk = Talk.objects.filter(trajectory=trajectory, kind="family").get()
    services.talk_update(
        actor=carol,
        family_id=family.pk,
        talk_id=talk.pk,
        starts_at=talk.starts_at,
        minutes=60,
        place="neutral",
        address="Een-heel-lang-adres-zonder-spaties-Hoofdstraat-123-Utrecht",
        user_ids=[carol.pk, rita.pk, alice.pk],
        child_ids=[],
    )
    locale = {"nl": "nl-NL", "en": "en-GB"}[language]
    pages = {
        carol: [
            f"/gezin/{family.pk}/traject/",
            "/",
            f"/gezin/{family.pk}/traject/gesprek/{talk.pk}/",
            f"/gezin/{family.pk}/traject/gesprek/nieuw/",
            f"/gezin/{family.pk}/traject/{trajectory.pk}/afsluiten/",
            f"/gezin/{family.pk}/traject/starten/",
            f"/gezin/{family.pk}/traject/starten/kies/",
            "/agenda/",
        ],
        alice: [
            f"/gezin/{family.pk}/traject/",
            f"/gezin/{family.pk}/",
            f"/gezin/{family.pk}/traject/gesprek/{talk.pk}/",
        ],
        rita: [f"/gezin/{family.pk}/traject/", f"/gezin/{family.pk}/"],
    }
    for user, urls in pages.items():
        page = sign_in(new_mobile_context(locale=locale), user).new_page()
        for url in urls:
            page.goto(url)
            assert page.locator("html").get_attribute("lang") == language
            for summary in page.locator("main details > summary").all():
                summary.click()
            assert_fits_a_phone(page, f"{url} as {user.display_name} ({language})")
        page.goto("/agenda/")
        page.locator("main form button").first.click()
        page.wait_for_load_state("load")
        assert_fits_a_phone(page, f"the new calendar link as {user.display_name} ({language})")
