"""The parenting plan, live, on two phones in Dutch: two parents write at the same time and see
each other's work appear; one disagrees with a reason the other reads; they agree on every section,
approve the plan through its confirmation page, and download the frozen version as a PDF. When both
edit the same section, the second save is not lost: it comes back as a conflict with what changed,
and the parent's own text stays in the editor. A section too long to save says so, with the limit,
and keeps the text, also when the server is the one refusing it."""

from __future__ import annotations

import os
import re
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import expect

from parentingplan import services
from parentingplan.models import PlanVersion
from tests.e2e.conftest import ARTIFACTS_DIR

pytestmark = pytest.mark.e2e

LIVE = 10_000  # ms: a frame from the other phone, through Daphne and Redis
SCREEN_DIR = Path(os.environ.get("SCREENSHOT_DIR") or ARTIFACTS_DIR / "screens")

INFO_TEXT = "We mailen elkaar elke zondag over school en gezondheid."
COSTS_TEXT = "Bob betaalt 300 euro per maand op de kinderrekening."
CARE_TEXT = "Week om week, wisselen op vrijdag na school."
CHILDREN_TEXT = "Sem en Noor hebben met de mediator gepraat."


def _shoot(page, name: str) -> None:
    """A screenshot to look at after a layout change (test-results/ is not committed)."""
    SCREEN_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREEN_DIR / f"plan-{name}.png", full_page=True)


@pytest.fixture
def plan(family, alice, bob, carol, monkeypatch):
    """The family's plan with only the four sections the law asks for.

    Set up before any page is open, so the live frames these writes send have no one to reach
    (and could not be sent from here anyway: sync Playwright runs an event loop in this thread)."""
    monkeypatch.setattr("core.broadcast.get_channel_layer", lambda: None)
    plan = services.plan_ensure(family=family)
    for section in plan.sections.filter(required=False):
        services.section_manage(user=carol, plan_id=plan.pk, section_id=section.pk, hidden=True)
    return plan


@pytest.fixture
def open_plan(new_mobile_context, sign_in, family, plan):
    """open_plan(user) -> a phone of its own with the plan open and the live connection up."""

    def open_(user):
        context = new_mobile_context()
        sign_in(context, user)
        page = context.new_page()
        page.goto(f"/gezin/{family.pk}/plan/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Ouderschapsplan")
        expect(page.locator("#conn-state")).to_have_text("Verbonden")
        return page

    return open_


def _section(page, plan, key):
    return page.locator(f'[data-section="{plan.sections.get(key=key).pk}"]')


def _write(section, text):
    section.locator("[data-edit]").click()
    editable = section.locator("[data-editable]")
    expect(editable).to_be_visible()
    editable.fill(text)


def test_two_parents_write_agree_approve_and_download_the_pdf(open_plan, plan, alice, bob):
    alice_page, bob_page = open_plan(alice), open_plan(bob)
    expect(alice_page.locator("[data-section]")).to_have_count(4)
    expect(bob_page.locator("[data-section]")).to_have_count(4)
    expect(alice_page.get_by_text("Wettelijk verplicht en nog niet akkoord")).to_contain_text(
        "Zorgregeling, Informeren en overleggen, Kosten van verzorging en opvoeding, "
        "Hoe de kinderen betrokken zijn")

    # Both editors open at once, on different sections; each sees where the other is.
    _write(_section(alice_page, plan, "information"), INFO_TEXT)
    _write(_section(bob_page, plan, "costs"), COSTS_TEXT)
    bob_here = _section(alice_page, plan, "costs").locator("[data-presence]")
    alice_here = _section(bob_page, plan, "information").locator("[data-presence]")
    expect(bob_here).to_have_text("Bob Ouder is hier", timeout=LIVE)
    expect(alice_here).to_have_text("Alice Ouder is hier", timeout=LIVE)
    _shoot(alice_page, "editor-open")

    # Both save; each sees the other's words appear without reloading.
    _section(alice_page, plan, "information").locator("[data-save]").click()
    _section(bob_page, plan, "costs").locator("[data-save]").click()
    for page in (alice_page, bob_page):
        information, costs = _section(page, plan, "information"), _section(page, plan, "costs")
        expect(information.locator("[data-content]")).to_have_text(INFO_TEXT, timeout=LIVE)
        expect(costs.locator("[data-content]")).to_have_text(COSTS_TEXT, timeout=LIVE)
        expect(information.locator("[data-status]")).to_have_text("voorgesteld")
        expect(costs.locator("[data-status]")).to_have_text("voorgesteld")
    expect(bob_here).to_have_text("", timeout=LIVE)
    expect(alice_here).to_have_text("", timeout=LIVE)
    expect(_section(alice_page, plan, "information").locator("[data-editor]")).to_be_hidden()

    # The care section: week on, week off from Friday 9 January 2026, handover Friday 18:00 (the
    # form's default), and a few words. The labels are plain words, not "Ouder a / Ouder b".
    care = _section(alice_page, plan, "care")
    _write(care, CARE_TEXT)
    care.get_by_label("Soort rooster").select_option(label="Week om week")
    care.get_by_label("Het rooster begint op").fill("2026-01-05")
    expect(care.get_by_label("Eerste week bij")).to_have_value(str(alice.pk))
    expect(care.get_by_label("Week erna bij")).to_have_value(str(bob.pk))
    care.get_by_label("Soort rooster").select_option(label="Eigen rooster: per dag kiezen")
    expect(care.get_by_label("De ene ouder")).to_be_visible()
    expect(care.get_by_label("Wisseldag")).to_be_hidden()  # every change of parent is a handover there
    expect(care.locator("[data-custom-days] select")).to_have_count(14)
    assert alice_page.evaluate("document.documentElement.scrollWidth") <= 360
    care.get_by_label("De ene ouder").scroll_into_view_if_needed()
    _shoot(alice_page, "custom-rotation")
    care.get_by_label("Soort rooster").select_option(label="Week om week")
    expect(care.locator("[data-custom-days]")).to_be_hidden()
    care.locator("[data-save]").click()
    for page in (alice_page, bob_page):
        care = _section(page, plan, "care")
        expect(care.locator("[data-content]")).to_have_text(CARE_TEXT, timeout=LIVE)
        expect(care.locator("table.cal")).to_be_visible(timeout=LIVE)
        expect(care.locator("table.cal td")).to_have_count(28)
        expect(care.locator(".legend")).to_contain_text("A = Alice Ouder")
        expect(care.locator(".calendar-text")).to_have_text(
            "Week om week: de kinderen zijn de ene week bij Alice Ouder en de week erna bij Bob Ouder. "
            "Ze wisselen elke vrijdag om 18:00.")
        # The blocks switch on Friday, the day the parents chose: one handover a week, on Fridays.
        expect(care.locator("table.cal td.handover")).to_have_count(4)
        expect(care.locator("table.cal tr td:nth-child(5).handover")).to_have_count(4)
    _shoot(bob_page, "care-calendar")

    # The children section, by Bob.
    children = _section(bob_page, plan, "children")
    _write(children, CHILDREN_TEXT)
    children.locator("[data-save]").click()
    expect(_section(alice_page, plan, "children").locator("[data-content]")).to_have_text(CHILDREN_TEXT,
                                                                                         timeout=LIVE)

    # Bob disagrees with the costs, and has to say why; Alice reads it live.
    costs = _section(bob_page, plan, "costs")
    costs.get_by_role("button", name="Niet mee eens").click()
    reason = costs.get_by_label("Waarom ben je het er niet mee eens?")
    expect(reason).to_be_focused()
    assert bob_page.evaluate("document.documentElement.scrollWidth") <= 360
    costs.get_by_role("button", name="Versturen").click()
    expect(costs.locator("[data-dispute-error]")).to_have_text(
        "Schrijf kort waarom je het er niet mee eens bent.")
    reason.fill("Liever naar inkomen: ik verdien minder.")
    costs.get_by_role("button", name="Versturen").click()
    expect(costs.locator("[data-dispute-form]")).to_be_hidden(timeout=LIVE)
    alice_costs = _section(alice_page, plan, "costs")
    expect(alice_costs.locator("[data-status]")).to_have_text("oneens", timeout=LIVE)
    expect(alice_costs.locator("[data-disputes]")).to_have_text(
        "Bob Ouder is het er niet mee eens: Liever naar inkomen: ik verdien minder.")
    expect(alice_page.get_by_text("Oneens over:")).to_be_visible()
    _shoot(alice_page, "disagreed")

    # Both agree to every section: agreed only once both have.
    keys = ["care", "information", "costs", "children"]
    for key in keys:
        _section(alice_page, plan, key).locator("[data-agree]").click()
    for key in keys:
        # Alice sees she agreed.
        alice_section, bob_section = _section(alice_page, plan, key), _section(bob_page, plan, key)
        expect(alice_section.locator("[data-agree]")).to_have_attribute("aria-pressed", "true")
        expect(bob_section.locator("[data-agree]")).to_have_attribute("aria-pressed", "false")
        # Alice alone is not enough; and Bob still disagrees with the costs.
        status = "oneens" if key == "costs" else "voorgesteld"
        expect(bob_section.locator("[data-status]")).to_have_text(status)
    expect(alice_page.locator("#approve")).to_be_hidden()
    for key in keys:
        _section(bob_page, plan, key).locator("[data-agree]").click()
    for page in (alice_page, bob_page):
        for key in keys:
            expect(_section(page, plan, key).locator("[data-status]")).to_have_text("akkoord", timeout=LIVE)
        expect(page.locator("#summary-agreed")).to_have_text("4")
        expect(page.get_by_text("Wettelijk verplicht en nog niet akkoord")).to_be_hidden()
    expect(alice_costs.locator("[data-disputes]")).to_have_text("")

    _shoot(alice_page, "agreed")

    # Approving the whole plan: a page that says what it means and asks to confirm.
    alice_page.get_by_role("link", name="Het hele plan goedkeuren").click()
    expect(alice_page.get_by_role("heading", level=1)).to_have_text("Het hele plan goedkeuren")
    expect(alice_page.get_by_role("heading", name="Wat goedkeuren betekent")).to_be_visible()
    expect(alice_page.get_by_text("Je kunt een goedkeuring niet intrekken.")).to_be_visible()
    assert alice_page.evaluate("document.documentElement.scrollWidth") <= 360
    _shoot(alice_page, "approve-confirm")
    assert not plan.approvals.exists()  # reading the page approves nothing
    alice_page.get_by_role("button", name="Ja, ik keur versie 1 goed").click()
    waiting = "Je hebt versie 1 goedgekeurd. We wachten op Bob Ouder."
    expect(alice_page.locator("[data-approve-done]")).to_have_text(waiting)
    expect(alice_page.locator(".messages")).to_have_text(waiting)
    expect(alice_page.get_by_text("in de maak")).to_have_count(0)
    # Bob is told at once, on the page he has open.
    expect(bob_page.locator("[data-approve-other]")).to_have_text(
        "Alice Ouder heeft versie 1 goedgekeurd. Lees het plan na; ben je het met alles eens, "
        "keur het dan ook goed.", timeout=LIVE)
    _shoot(bob_page, "other-approved")

    # Bob approves too: frozen as version 1; Alice's page shows it without her doing anything.
    bob_page.get_by_role("link", name="Het hele plan goedkeuren").click()
    expect(bob_page.get_by_text("Alice Ouder heeft versie 1 al goedgekeurd.")).to_be_visible()
    bob_page.get_by_role("button", name="Ja, ik keur versie 1 goed").click()
    expect(bob_page.locator(".messages")).to_have_text(
        "Jullie hebben allebei goedgekeurd. Het plan is vastgelegd als versie 1.")
    frozen_note = alice_page.get_by_text("Versie 1 is door jullie allebei goedgekeurd en vastgelegd.")
    expect(frozen_note).to_be_visible(timeout=LIVE)
    expect(alice_page.get_by_role("link", name="Bekijk versie 1")).to_be_visible()
    _shoot(alice_page, "frozen")
    version = PlanVersion.objects.get(plan=plan, number=1)
    assert [a["name"] for a in version.approvers] == ["Alice Ouder", "Bob Ouder"]

    # The frozen version: who approved it, its content hash, the rotation; and the PDF.
    page = bob_page
    expect(page.get_by_role("heading", level=1)).to_have_text("Ouderschapsplan, versie 1")
    for name in ("Alice Ouder", "Bob Ouder"):  # with when they approved, in words and local time
        expect(page.get_by_role("listitem").filter(has_text=name)).to_have_text(
            re.compile(rf"^{name} · \d{{1,2}} [a-z]+ \d{{4}}, \d{{2}}:\d{{2}}$"))
    expect(page.locator("code.hash")).to_have_text(version.content_hash)
    expect(page.locator("table.cal")).to_be_visible()
    for text in (CARE_TEXT, INFO_TEXT, COSTS_TEXT, CHILDREN_TEXT):
        expect(page.get_by_text(text)).to_be_visible()
    _shoot(page, "version")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="PDF downloaden (Nederlands)").click()
    download = download_info.value
    assert download.suggested_filename == "ouderschapsplan-T-ALICE-v1.pdf"
    assert Path(download.path()).read_bytes().startswith(b"%PDF")


def test_a_save_on_a_changed_section_comes_back_as_a_conflict(open_plan, plan, alice, bob):
    information = plan.sections.get(key="information")
    services.section_save(user=alice, section_id=information.pk, base_revision=0,
                          content="<p>We bellen elkaar elke week.</p>", client_id=str(uuid.uuid4()))
    alice_page, bob_page = open_plan(alice), open_plan(bob)

    alice_section = _section(alice_page, plan, "information")
    bob_section = _section(bob_page, plan, "information")
    _write(alice_section, "We mailen elkaar elke week.")
    _write(bob_section, "We bellen elkaar om de week op zondag.")
    expect(alice_section.locator("[data-presence]")).to_have_text("Bob Ouder is hier", timeout=LIVE)
    expect(bob_section.locator("[data-presence]")).to_have_text("Alice Ouder is hier", timeout=LIVE)

    alice_section.locator("[data-save]").click()
    expect(alice_section.locator("[data-content]")).to_have_text("We mailen elkaar elke week.", timeout=LIVE)
    # The time that arrives live reads as the page's own dates and times do (one format per kind).
    expect(alice_section.locator("[data-updated]")).to_have_text(
        re.compile(r"^Bijgewerkt door Alice Ouder · \d{1,2} [a-z]+ \d{4}, \d{2}:\d{2}$"), timeout=LIVE)
    # Bob is told while he types, but his text is untouched.
    expect(bob_section.locator("[data-save-state]")).to_have_text("Bijgewerkt door Alice Ouder", timeout=LIVE)
    expect(bob_section.locator("[data-editable]")).to_have_text("We bellen elkaar om de week op zondag.")

    bob_section.locator("[data-save]").click()
    conflict = bob_section.locator("[data-conflict]")
    expect(conflict).to_be_visible(timeout=LIVE)
    expect(conflict).to_contain_text("Iemand anders heeft dit onderdeel net gewijzigd.")
    expect(conflict.locator("del")).to_have_text("bellen")
    expect(conflict.locator("ins")).to_have_text("mailen")
    expect(bob_section.locator("[data-editable]")).to_have_text("We bellen elkaar om de week op zondag.")
    expect(bob_section.locator("[data-editor]")).to_be_visible()
    _shoot(bob_page, "conflict")

    # Bob keeps his text and saves again: now it is stored, and Alice sees it.
    bob_section.locator("[data-save]").click()
    expect(bob_section.locator("[data-editor]")).to_be_hidden(timeout=LIVE)
    expect(bob_section.locator("[data-content]")).to_have_text("We bellen elkaar om de week op zondag.")
    expect(alice_section.locator("[data-content]")).to_have_text("We bellen elkaar om de week op zondag.",
                                                                 timeout=LIVE)
    assert information.revisions.count() == 3

    # The history page shows the three versions and what changed last.
    bob_page.goto(f"/plan/onderdeel/{information.pk}/geschiedenis/")
    expect(bob_page.get_by_role("heading", level=1)).to_have_text("Informeren en overleggen: geschiedenis")
    expect(bob_page.locator(".revisions > li")).to_have_count(3)
    _shoot(bob_page, "history")


def test_a_section_too_long_to_save_says_so_with_the_limit_and_keeps_the_text(open_plan, plan, alice):
    """The issue: a section over 64 KiB stayed on "Opslaan…" for ever."""
    page = open_plan(alice)
    section = _section(page, plan, "information")
    editable, state = section.locator("[data-editable]"), section.locator("[data-save-state]")
    long_text = " ".join(["Afspraken over school, zorg en vakanties."] * 1600)  # 67,199 characters
    _write(section, long_text)
    section.locator("[data-save]").click()
    # Checked before sending: a clear error with the limit, the text still in the editor.
    expect(state).to_contain_text("Dit onderdeel is te lang om op te slaan:")
    expect(state).to_contain_text("er passen er 50.000 in (opmaak meegeteld). Je tekst staat nog in het vak.")
    expect(state).to_have_attribute("role", "alert")
    expect(section.locator("[data-editor]")).to_be_visible()
    assert editable.text_content() == long_text
    state.scroll_into_view_if_needed()
    SCREEN_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREEN_DIR / "plan-too-long.png")  # the screen only: the page is very long now

    # Should the server be the one to refuse (a client with other limits), the editor says so too:
    # first the service's limit, then the socket's 64 KiB, after which the socket closes and
    # comes back. The text stays in the editor every time.
    page.evaluate("() => { const root = document.getElementById('plan');"
                  " root.dataset.maxChars = '1000000000'; root.dataset.maxFrameBytes = '1000000000'; }")
    _replace(editable, long_text[:60_000])
    section.locator("[data-save]").click()
    expect(state).to_contain_text("Er is niets opgeslagen.", timeout=LIVE)
    expect(state).to_contain_text("er passen er 50.000 in")
    _replace(editable, long_text)
    section.locator("[data-save]").click()
    expect(state).to_have_text(
        "Niet opgeslagen: de server nam dit onderdeel niet aan, omdat het te groot is. Je tekst staat nog "
        "in het vak. Maak hem korter of verdeel hem over meer onderdelen.", timeout=LIVE)
    assert editable.text_content() == long_text
    expect(page.locator("#conn-state")).to_have_text("Verbonden", timeout=LIVE)
    assert not plan.sections.get(key="information").revisions.exists()

    # Shortened, it saves.
    _replace(editable, "Afspraken over school, zorg en vakanties.")
    section.locator("[data-save]").click()
    expect(section.locator("[data-editor]")).to_be_hidden(timeout=LIVE)
    expect(section.locator("[data-content]")).to_have_text("Afspraken over school, zorg en vakanties.")
    assert plan.sections.get(key="information").revisions.count() == 1


def _replace(editable, text):
    editable.fill(text)
    expect(editable).to_have_text(text)
