"""The caseload on a practitioner's phone (360 x 740, Dutch), against a real Daphne: the queue's
size of a family changes live when a parent's message is held and when it is released."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.test_chat import open_chat, send
from tests.e2e.test_moderation import LIVE, moderated_thread, open_queue  # noqa: F401 - a fixture

pytestmark = pytest.mark.e2e


def test_the_queue_count_on_the_home_page_follows_holds_and_releases_live(
        e2e_server, new_mobile_context, sign_in, family, moderated_thread, alice, bob, carol):  # noqa: F811
    context = new_mobile_context()
    sign_in(context, carol)
    home = context.new_page()
    home.goto(reverse("families:home"))
    expect(home.locator("#caseload")).to_have_attribute("data-live", "on", timeout=LIVE)
    count = home.locator(f'[data-queue-family="{family.pk}"] [data-queue-size]')
    expect(count).to_have_text("0")

    alice_page = open_chat(new_mobile_context, sign_in, alice, moderated_thread)
    send(alice_page, "Kun je zaterdag om 10:00 bij de bieb zijn met de kinderen?")
    expect(count).to_have_text("1", timeout=LIVE)
    expect(home.locator(f'[data-queue-family="{family.pk}"]')).to_have_class("fact fact-queue fact-waiting")

    queue = open_queue(new_mobile_context, sign_in, carol, family)
    queue.get_by_role("button", name="Doorlaten").first.click()
    expect(count).to_have_text("0", timeout=LIVE)
