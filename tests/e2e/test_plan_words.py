"""A parent's comment on the plan in moderated contact, on three phones: while Alice types, the tone
hint of the chat warns her; her comment waits for the practitioner (she reads so, Bob sees nothing),
Carol sees it live and releases it on the plan page, and then it appears on Bob's phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from moderation import services as moderation
from tests.e2e.test_plan import LIVE, _section, open_plan, plan  # noqa: F401 - fixtures used here

pytestmark = pytest.mark.e2e

WORDS = "Jij betaalt NOOIT op tijd!!! Idioot."
LATER = "Carol: ik kom er woensdag op terug."


def test_a_held_comment_waits_for_the_practitioner_and_reaches_the_other_parent_once_released(
        open_plan, plan, family, alice, bob, carol):  # noqa: F811 - the imported fixtures
    moderation.contact_mode_change(actor=carol, family_id=family.pk, mode="moderated", reason="Spanning")
    alice_page, bob_page, carol_page = open_plan(alice), open_plan(bob), open_plan(carol)

    costs = _section(alice_page, plan, "costs")
    costs.locator("summary", has_text="Een opmerking plaatsen").click()
    expect(costs.get_by_text("Je begeleider leest je opmerking eerst.")).to_be_visible()
    box = costs.get_by_label("Opmerking")
    box.fill(WORDS)
    expect(costs.locator(".tone-hint")).to_be_visible(timeout=LIVE)  # the chat's warning, before sending
    costs.get_by_role("button", name="Plaatsen").click()
    mine = costs.locator("[data-comments] .comment", has_text="Idioot")
    expect(mine).to_contain_text("wacht op de begeleider", timeout=LIVE)

    carols = _section(carol_page, plan, "costs").locator("[data-comments] .comment", has_text="Idioot")
    expect(carols).to_contain_text("wacht op de begeleider", timeout=LIVE)
    # Bob: a later comment of Carol's reaches him; Alice's words never did.
    _section(carol_page, plan, "costs").locator("summary", has_text="Een opmerking plaatsen").click()
    _section(carol_page, plan, "costs").get_by_label("Opmerking").fill(LATER)
    _section(carol_page, plan, "costs").get_by_role("button", name="Plaatsen").click()
    bobs = _section(bob_page, plan, "costs").locator("[data-comments]")
    expect(bobs).to_contain_text(LATER, timeout=LIVE)
    expect(bobs).not_to_contain_text("Idioot")

    carol_page.reload()
    _section(carol_page, plan, "costs").get_by_role("button", name="Doorlaten naar het gezin").click()
    expect(carol_page.get_by_text("Doorgelaten naar het gezin.")).to_be_visible()
    expect(bobs).to_contain_text("Idioot", timeout=LIVE)
    expect(mine).not_to_contain_text("wacht op de begeleider", timeout=LIVE)
    assert bob_page.evaluate("document.documentElement.scrollWidth") <= 360
