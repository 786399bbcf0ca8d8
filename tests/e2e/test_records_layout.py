"""The trajectory's record pages (issue 12) on a 360 px phone, in Dutch and in English: the consent and
goals on "Ons traject" for a parent (to give, to withdraw, to confirm), the practitioner's trajectory
page with the child-consent buttons and the goal forms, the code-of-conduct upload page, the dossier,
and the practitioner's home with the records panels; the evaluation form (as it is, refusing an
empty outcome, recorded), a parent's evaluation input on "Ons traject" (refused, given), and the
report pages (new, draft, sharing refused, shared; a parent's response refused and kept); with error
messages shown where a form refuses.
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


# -- evaluations and reports (issue 12, items 3, 5 and 6) ------------------------------------------------


@pytest.fixture
def evaluated(family, alice, bob, carol, other_family, charlie):
    """Alice and Bob's family: an earlier Kindbehartiger trajectory that ended without a report
    (a report to write) and a PAT trajectory four months under way whose first evaluation is
    overdue, with a goal to review. A second family of Carol's, with a KIES trajectory whose child
    sessions are planned and whose parent has not consented (a consent missing). So the home shows
    every records panel, with one family in more than one."""
    from families.models import Membership, Role
    from trajectories.planning import add_months

    today = timezone.localdate()
    family.display_name = "Familie Van-Oosterhout-Wijnbergen en De-Vries-Hoogeveen"
    family.save(update_fields=["display_name"])
    earlier = services.trajectory_start(
        actor=carol, family_id=family.pk, type_key="kindbehartiger", region="north", at=time(9, 0),
        started_on=add_months(today, -10),
    )
    services.trajectory_end(actor=carol, family_id=family.pk, trajectory_id=earlier.pk, outcome="completed")
    pat = services.trajectory_start(
        actor=carol, family_id=family.pk, type_key="pat", region="north", at=time(9, 0),
        started_on=add_months(today, -4),
    )
    goals.goal_add(actor=carol, family_id=family.pk, trajectory_id=pat.pk,
                   text=f"We spreken de vakanties ruim van tevoren af. {LONG_WORD}")
    Membership.objects.create(user=carol, family=other_family, role=Role.COORDINATOR)
    Child.objects.create(family=other_family, first_name="Sem", birth_date=today.replace(year=today.year - 9))
    services.trajectory_start(
        actor=carol, family_id=other_family.pk, type_key="kies", region="north", at=time(9, 0),
        started_on=today,
    )
    return pat


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_evaluation_and_report_pages_fit_a_phone_in_dutch_and_english(
    new_mobile_context, sign_in, family, alice, bob, carol, charlie, evaluated, language
):
    from trajectories.models import EvaluationInput, EvaluationOutcome, Report, ReportResponse

    for user in (alice, bob, carol, charlie):
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

    # The practitioner's home: the consent missing in the other family, the overdue evaluation and
    # the report to write in this one; the overdue evaluation is not also a talk "to mark".
    coach = phone(carol)
    check(coach, "/", "home with every records panel")
    expect(coach.locator("#consent-missing")).to_contain_text("Charlie Buitenstaander")
    overdue = coach.locator("#overdue-evaluations li")
    expect(overdue).to_have_count(1)
    expect(coach.locator("#reports-to-write li")).to_have_count(1)
    evaluation_href = overdue.locator("a").get_attribute("href")
    expect(coach.locator(f"#today-h ~ ul a[href='{evaluation_href}']")).to_have_count(0)

    # The evaluation form: as it is, refusing an empty outcome, and once the outcome is recorded.
    check(coach, evaluation_href, "evaluation form")
    expect(coach.locator("#plan-progress")).to_be_visible()
    expect(coach.locator("#mode-history")).to_be_visible()
    coach.evaluate(NO_VALIDATION)
    coach.locator("#record-evaluation").click()
    coach.wait_for_selector(".errorlist, .errors")
    _open_details(coach)
    assert_fits_a_phone(coach, f"evaluation form refusing an empty outcome ({language})")
    coach.locator("#outcome-form textarea").first.fill(f"Het gaat beter met de overdracht. {LONG_WORD}")
    coach.locator("#outcome-form select").first.select_option("in_progress")
    coach.locator("#record-evaluation").click()
    expect(coach.locator("#outcomes")).to_be_visible()
    assert_fits_a_phone(coach, f"evaluation recorded ({language})")
    assert EvaluationOutcome.objects.count() == 1

    # Alice gives her input for the next evaluation on "Ons traject": refused empty, then kept.
    parent = phone(alice)
    check(parent, ours, "ons traject with the evaluation input")
    expect(parent.locator("#ask-list a[href='#evaluation']")).to_have_count(1)
    parent.evaluate(NO_VALIDATION)
    parent.locator("#evaluation-input").fill("   ")
    parent.locator("#give-evaluation-input").click()
    expect(parent.locator("#evaluation-input-errors")).to_be_visible()
    _open_details(parent)
    assert_fits_a_phone(parent, f"ons traject refusing empty input ({language})")
    parent.locator("#evaluation-input").fill(f"De overdracht gaat beter. {LONG_WORD}")
    parent.locator("#give-evaluation-input").click()
    expect(parent.locator("#my-evaluation-input")).to_contain_text("De overdracht gaat beter.")
    expect(parent.locator("#ask-list a[href='#evaluation']")).to_have_count(0)
    _open_details(parent)
    assert_fits_a_phone(parent, f"ons traject with input given ({language})")
    assert EvaluationInput.objects.get().author == alice

    # The practitioner writes a report on the pages: new, the draft (refusing to share unread),
    # shared.
    check(coach, f"/gezin/{family.pk}/traject/{evaluated.pk}/rapport/", "new report")
    coach.locator("input[name=reason][value=legal]").check()
    coach.locator("#report-start").click()
    coach.wait_for_load_state("load")
    _open_details(coach)
    assert_fits_a_phone(coach, f"draft report ({language})")
    coach.locator("#id_advice").fill(f"Blijf samen overleggen. {LONG_WORD}")
    coach.locator("#report-save").click()
    coach.wait_for_load_state("load")
    coach.evaluate(NO_VALIDATION)
    coach.locator("#report-share").click()  # without ticking "I read it": refused
    expect(coach.locator(".messages .message-error")).to_be_visible()
    assert_fits_a_phone(coach, f"draft report, sharing refused ({language})")
    coach.locator("#share_checked").check()
    coach.locator("#report-share").click()
    expect(coach.locator("#report-hash")).to_be_visible()
    assert_fits_a_phone(coach, f"shared report, practitioner ({language})")
    report = Report.objects.get()

    # Alice: "Ons traject" asks her to read the report; she opens it, an empty response is
    # refused, she responds; the ask is gone.
    check(parent, ours, "ons traject with a report to read")
    ask = parent.locator(f"#ask-list a[href$='/rapport/{report.pk}/']")
    expect(ask).to_have_count(1)
    ask.click()
    parent.wait_for_load_state("load")
    assert_fits_a_phone(parent, f"shared report, parent ({language})")
    parent.evaluate(NO_VALIDATION)
    parent.locator("#respond").click()
    parent.wait_for_load_state("load")
    expect(parent.locator(".errorlist, .errors").first).to_be_visible()
    assert_fits_a_phone(parent, f"shared report, empty response refused ({language})")
    parent.locator("#id_body").fill(f"Ik herken me er grotendeels in. {LONG_WORD}")
    parent.locator("#respond").click()
    expect(parent.locator("#responses")).to_contain_text("Ik herken me er grotendeels in.")
    assert_fits_a_phone(parent, f"shared report with a response ({language})")
    assert ReportResponse.objects.get().user == alice
    check(parent, ours, "ons traject, report read")
    expect(parent.locator(f"#ask-list a[href$='/rapport/{report.pk}/']")).to_have_count(0)
