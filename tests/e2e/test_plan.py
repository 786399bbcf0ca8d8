"""The parenting plan, live, on two phones in Dutch: two parents write at the same time and see
each other's work appear; they agree on every section, approve the plan, and download the frozen
version as a PDF. And when both edit the same section, the second save is not lost: it comes back
as a conflict with what changed, and the parent's own text stays in the editor."""

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

    # The care section: a rotation (starting Monday 5 January 2026) and a few words.
    care = _section(alice_page, plan, "care")
    _write(care, CARE_TEXT)
    care.get_by_label("Soort rooster").select_option(label="week om week")
    care.get_by_label("Eerste week begint op").fill("2026-01-05")
    care.locator("[data-save]").click()
    for page in (alice_page, bob_page):
        care = _section(page, plan, "care")
        expect(care.locator("[data-content]")).to_have_text(CARE_TEXT, timeout=LIVE)
        expect(care.locator("table.cal")).to_be_visible(timeout=LIVE)
        expect(care.locator("table.cal td")).to_have_count(28)
        expect(care.locator(".legend")).to_contain_text("Alice Ouder")
    _shoot(bob_page, "care-calendar")

    # The children section, by Bob.
    children = _section(bob_page, plan, "children")
    _write(children, CHILDREN_TEXT)
    children.locator("[data-save]").click()
    expect(_section(alice_page, plan, "children").locator("[data-content]")).to_have_text(CHILDREN_TEXT,
                                                                                         timeout=LIVE)

    # Both agree to every section: agreed only once both have.
    keys = ["care", "information", "costs", "children"]
    for key in keys:
        _section(alice_page, plan, key).locator("[data-agree]").click()
    for key in keys:
        # Alice sees she agreed; but Alice alone is not enough.
        alice_section, bob_section = _section(alice_page, plan, key), _section(bob_page, plan, key)
        expect(alice_section.locator("[data-agree]")).to_have_attribute("aria-pressed", "true")
        expect(bob_section.locator("[data-agree]")).to_have_attribute("aria-pressed", "false")
        expect(bob_section.locator("[data-status]")).to_have_text("voorgesteld")
    expect(alice_page.locator("#approve")).to_be_hidden()
    for key in keys:
        _section(bob_page, plan, key).locator("[data-agree]").click()
    for page in (alice_page, bob_page):
        for key in keys:
            expect(_section(page, plan, key).locator("[data-status]")).to_have_text("akkoord", timeout=LIVE)
        expect(page.locator("#summary-agreed")).to_have_text("4")
        expect(page.get_by_text("Wettelijk verplicht en nog niet akkoord")).to_be_hidden()

    _shoot(alice_page, "agreed")

    # Both approve the whole plan: frozen as version 1.
    alice_page.get_by_role("button", name="Ik keur het hele plan goed").click()
    waiting = alice_page.get_by_text("Je hebt deze versie goedgekeurd. We wachten op de andere ouder.")
    expect(waiting).to_be_visible(timeout=LIVE)
    bob_page.get_by_role("button", name="Ik keur het hele plan goed").click()
    for page in (alice_page, bob_page):  # the page reloads: work goes on as version 2
        expect(page.get_by_role("link", name="versie 1", exact=True)).to_be_visible(timeout=LIVE)
        expect(page.get_by_role("heading", name="Versie 2 in de maak")).to_be_visible()
    _shoot(alice_page, "frozen")
    version = PlanVersion.objects.get(plan=plan, number=1)
    assert [a["name"] for a in version.approvers] == ["Alice Ouder", "Bob Ouder"]

    # The frozen version: who approved it, its content hash, the rotation; and the PDF.
    page = bob_page
    page.get_by_role("link", name="versie 1", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ouderschapsplan, versie 1")
    for name in ("Alice Ouder", "Bob Ouder"):  # with when they approved, in words and local time
        expect(page.get_by_role("listitem").filter(has_text=name)).to_have_text(
            re.compile(rf"^{name} · \d{{1,2}} [a-z]+ \d{{4}} \d{{2}}:\d{{2}}$"))
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
