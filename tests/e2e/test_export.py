"""A parent on a 360 px phone sends a message with a very long URL and downloads the chat
export: every character of it is on the PDF's page, inside the margins, with the read column."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from messaging.models import Message, Thread
from messaging.services import threads_ensure_for_family
from tests.pdf import MM, column_text, read_pdf, squeezed

pytestmark = pytest.mark.e2e

LONG_URL = "https://www.rechtspraak.nl/formulieren/" + "ouderschapsplan-wijziging-" * 12 + "bijlage.pdf"
LONG_WORD = "Kinderopvangtoeslagaanvraagformulierbijlage" * 4


@pytest.fixture
def parents_thread(family, alice, bob, carol):
    threads_ensure_for_family(family=family)
    return Thread.objects.get(family=family, kind=Thread.Kind.PARENTS)


def test_a_long_message_sent_on_a_phone_is_whole_in_the_downloaded_pdf(
    e2e_server, new_mobile_context, sign_in, parents_thread, alice
):
    context = new_mobile_context(accept_downloads=True)
    sign_in(context, alice)
    page = context.new_page()
    page.goto(reverse("messaging:thread", args=[parents_thread.pk]))
    expect(page.locator("#conn-state")).to_have_text("Verbonden")
    body = f"Het formulier: {LONG_URL} en {LONG_WORD} 👍"
    page.get_by_label("Je bericht").fill(body)
    page.get_by_role("button", name="Versturen").click()
    # Stored once the server acknowledged it: the pending bubble is then replaced by the stored one.
    stored = page.locator("li.msg.mine:not(.pending) .msg-body").filter(has_text="Het formulier")
    expect(stored).to_be_visible(timeout=15_000)
    # The phone's page does not scroll sideways either.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert Message.objects.get(thread=parents_thread).body == body

    with page.expect_download() as download:
        page.locator(f'a[href="{reverse("messaging:export_pdf", args=[parents_thread.pk])}"]').click()
    pdf = read_pdf(Path(download.value.path()).read_bytes())

    for sheet in pdf:
        for char in sheet.chars:
            if char.text.strip():
                assert char.x0 >= 16 * MM - 0.5 and char.x1 <= sheet.width - 16 * MM + 0.5, char
    bodies = column_text(pdf, ["#", "Van", "Verstuurd", "Bericht", "Gelezen"], "Bericht",
                         until="Alle tijden", top_margin=18 * MM)
    assert squeezed(body) in squeezed(bodies)
