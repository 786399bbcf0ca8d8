"""The trajectory's record pages (issue 12) on a 360 px phone, in Dutch and in English: the consent and
goals on "Ons traject" for a parent (to give, to withdraw, to confirm), the practitioner's trajectory
page with the child-consent buttons and the goal forms, the code-of-conduct upload page, the dossier,
and the practitioner's home with the records panel; with error messages shown where a form refuses.
Nothing scrolls sideways, every field has a label, everything one taps is 44 px high."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from families.models import Child
from tests.e2e.test_mobile_layout import assert_fits_a_phone
from trajectories import consent, dossier, goals, services

pytestmark = pytest.mark.e2e

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
LONG_WORD = "Zorgverdelingsafsprakenbespreking-Hoofdstraat-123-Utrecht-Overvecht"
NO_VALIDATION = "document.querySelectorAll('main form').forEach(f => f.noValidate = true)"


def _open_details(page) -> None:
    for summary in page.locator("main details > summary").all():
        summary.click()


@pytest.fixture
def records(family, alice, bob, carol, pim):
    """A KIES trajectory with every record in it: goals (one with progress), the code of conduct,
    Alice's consent and confirmations, a child of 14 whose consent was given and withdrawn (the
    withdrawal on the home page), Bob who has decided nothing yet (the consent missing), notes."""
    today = timezone.localdate()
    family.display_name = "Familie Van-Oosterhout-Wijnbergen en De-Vries-Hoogeveen"
    family.save(update_fields=["display_name"])
    noor = Child.objects.create(
        family=family, first_name="Noor-Wilhelmina", birth_date=today.replace(year=today.year - 14)
    )
    Child.objects.create(family=family, first_name="Daan", birth_date=today.replace(year=today.year - 8))
    trajectory = services.trajectory_start(
        actor=carol, family_id=family.pk, type_key="kies", region="north", at=time(9, 0),
        started_on=today - timedelta(weeks=3),
    )
    first = goals.goal_add(actor=carol, family_id=family.pk, trajectory_id=trajectory.pk,
                           text=f"We overleggen over school via de mail. {LONG_WORD}")
    goals.goal_update(actor=carol, family_id=family.pk, goal_id=first.pk, status="in_progress",
                      note=f"Gaat beter sinds week 2. {LONG_WORD}")
    goals.goal_add(actor=carol, family_id=family.pk, trajectory_id=trajectory.pk,
                   text="De overdracht gebeurt bij school, niet aan de deur.")
    goals.code_upload(actor=carol, name=f"gedragscode-{LONG_WORD}.pdf", content=PDF)
    consent.consent_decide(actor=alice, family_id=family.pk, trajectory_id=trajectory.pk, decision="given")
    goals.agreement_confirm(actor=alice, family_id=family.pk, trajectory_id=trajectory.pk)
    goals.code_receipt_confirm(actor=alice, family_id=family.pk)
    for decision in ("given", "withdrawn"):
        consent.child_consent_record(actor=carol, family_id=family.pk, trajectory_id=trajectory.pk,
                                     child_id=noor.pk, decision=decision)
    dossier.dossier_note_add(actor=carol, family_id=family.pk, trajectory_id=trajectory.pk,
                             body=f"Intake: spanning rond de overdracht.\n{LONG_WORD}{LONG_WORD}")
    dossier.dossier_note_add(actor=pim, family_id=family.pk, body="Kort gesprek met de school.")
    return trajectory


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_record_pages_fit_a_phone_in_dutch_and_english(
    new_mobile_context, sign_in, family, alice, bob, carol, records, language
):
    for user in (alice, bob, carol):
        user.language = language
        user.save(update_fields=["language"])
    locale = {"nl": "nl-NL", "en": "en-GB"}[language]
    ours = f"/gezin/{family.pk}/traject/"

    def phone(user):
        return sign_in(new_mobile_context(locale=locale), user).new_page()

    def check(page, url, what):
        page.goto(url)
        assert page.locator("html").get_attribute("lang") == language
        _open_details(page)
        assert_fits_a_phone(page, f"{what} ({language})")

    # The practitioner's home: Noor's consent withdrawn, Bob's still missing.
    coach = phone(carol)
    check(coach, "/", "home with the records panel (practitioner)")
    expect(coach.locator("#withdrawn-h")).to_be_visible()
    expect(coach.locator("#consent-missing")).to_contain_text(
        "Familie Van-Oosterhout-Wijnbergen en De-Vries-Hoogeveen: Bob Ouder"
    )

    # The code of conduct page, as it is and refusing an empty upload.
    check(coach, "/gedragscode/nieuw/", "code of conduct upload")
    coach.evaluate(NO_VALIDATION)
    coach.locator("main form button[type=submit]").click()
    coach.wait_for_selector(".errorlist, .errors")
    assert_fits_a_phone(coach, f"code of conduct upload refused ({language})")

    # The dossier, as it is and refusing an empty note.
    check(coach, f"/gezin/{family.pk}/dossier/", "dossier")
    expect(coach.locator("#notes li")).to_have_count(2)
    coach.evaluate(NO_VALIDATION)
    coach.locator("main form button[type=submit]").click()
    coach.wait_for_selector(".errorlist, .errors")
    assert_fits_a_phone(coach, f"dossier refusing an empty note ({language})")

    # The practitioner: trajectory page (goal forms, child-consent buttons, consent withdrawn).
    check(coach, ours, "trajectory with records (practitioner)")
    expect(coach.locator("#consent-withdrawn")).to_be_visible()
    expect(coach.locator("#goals details form textarea").first).to_be_visible()
    # A goal without text: the refusal shows as a message on the page.
    coach.evaluate(NO_VALIDATION)
    coach.locator("#goal-text").fill("   ")
    coach.locator("#goals form[action$='/doelen/'] button[type=submit]").click()
    expect(coach.locator(".messages").first).to_be_visible()
    _open_details(coach)
    assert_fits_a_phone(coach, f"trajectory with a refused goal ({language})")
    # The child's consent, recorded again from the button.
    coach.locator("form[action$='/toestemming/kind/'] button[value=given]").click()
    coach.wait_for_load_state("load")
    expect(coach.locator("#consent-withdrawn")).to_have_count(0)
    assert_fits_a_phone(coach, f"trajectory after the child's consent ({language})")

    # Bob has everything still to do: consent to give, the agreement and the code of conduct.
    bob_page = phone(bob)
    check(bob_page, ours, "ons traject, all still to do (Bob)")
    expect(bob_page.locator("#give-consent")).to_be_visible()
    expect(bob_page.locator("#confirm-agreement")).to_be_visible()
    expect(bob_page.locator("#confirm-code")).to_be_visible()
    bob_page.locator("#give-consent").click()
    expect(bob_page.locator("#consent .button.secondary")).to_be_visible()  # now: withdraw
    _open_details(bob_page)
    assert_fits_a_phone(bob_page, f"ons traject, consent just given with its message ({language})")
    bob_page.locator("#confirm-agreement").click()
    expect(bob_page.locator("#agreement-done")).to_be_visible()
    assert_fits_a_phone(bob_page, f"ons traject, agreement just confirmed ({language})")

    # Alice has done all: what she sees is the withdraw button and her confirmations.
    alice_page = phone(alice)
    check(alice_page, ours, "ons traject, all done (Alice)")
    expect(alice_page.locator("#agreement-done")).to_be_visible()
    check(alice_page, f"/gezin/{family.pk}/", "family page (Alice)")
