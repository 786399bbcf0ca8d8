"""The chat export PDF, read back from the PDF itself: every character of every body is drawn,
and drawn inside the page's margins, however long a word or URL is; the header names the family
as it is written; times are local with their zone, the JSON keeps UTC; the verification text
stands on its own for a reader without the repository."""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import UTC, datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from messaging import services
from tests.pdf import MM, column_text, read_pdf, squeezed

# The export's @page margins (templates/messaging/export.html): top, right, bottom, left.
MARGIN_TOP, MARGIN_RIGHT, MARGIN_BOTTOM, MARGIN_LEFT = 18 * MM, 16 * MM, 20 * MM, 16 * MM
SLACK = 0.5  # points: glyph boxes are rounded

LONG_URL = "https://example.org/ouderavond/" + "/".join(f"stap{n:03d}-aanmelding" for n in range(18))
LONG_WORD = "kinderopvangtoeslagaanvraagformulier" * 6
MIXED = ("Goed 👍 we zien elkaar zaterdag 😀 bij de bieb, één café, ‘s middags ♥ — "
         "Noor’s rapport is binnen 📚🎒 geen zorgen ✔ " * 4).strip()
ALL_LONG = [LONG_URL, LONG_WORD, MIXED]
HEADERS = ["#", "Van", "Verstuurd", "Bericht", "Gelezen"]
AFTER_TABLE = "Alle tijden"  # the first words after the table


def send(sender, thread, body: str, *, at: datetime | None = None, monkeypatch=None) -> None:
    if at is not None:
        with monkeypatch.context() as patch:
            patch.setattr(timezone, "now", lambda: at)
            services.message_send(sender=sender, thread_id=thread.pk, body=body, client_id=uuid.uuid4())
        return
    services.message_send(sender=sender, thread_id=thread.pk, body=body, client_id=uuid.uuid4())


def export_pdf(client_for, user, thread, language="nl") -> bytes:
    """The PDF as `user` downloads it, with their language set to `language`."""
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    response = client_for(user).get(reverse("messaging:export_pdf", args=[thread.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    return response.content


def column(pages, header: str, *, headers=HEADERS, after=AFTER_TABLE) -> str:
    return column_text(pages, headers, header, until=after, top_margin=MARGIN_TOP)


def assert_inside_the_margins(pages) -> None:
    for page in pages:
        for char in page.chars:
            if not char.text.strip():
                continue  # white space draws nothing
            where = f"{char.text!r} on page {page.number} at x {char.x0:.1f}-{char.x1:.1f}, y {char.y0:.1f}"
            assert char.x0 >= MARGIN_LEFT - SLACK, where
            assert char.x1 <= page.width - MARGIN_RIGHT + SLACK, where
            assert char.y0 >= 0 and char.y1 <= page.height, where


@pytest.fixture
def thread(threads):
    return threads["parents"]


def test_every_character_of_long_words_urls_and_emoji_is_on_the_page(client_for, alice, bob, thread):
    for body in ALL_LONG:
        send(alice, thread, body)
    send(bob, thread, "Prima")
    services.messages_mark_read(user=bob, thread_id=thread.pk, seq=3)

    pages = read_pdf(export_pdf(client_for, alice, thread))

    assert_inside_the_margins(pages)
    bodies = squeezed(column(pages, "Bericht"))
    for body in [*ALL_LONG, "Prima"]:
        assert squeezed(body) in bodies, body[:40]
    # The read column is still there, whole, next to the long messages.
    assert squeezed(column(pages, "Gelezen")).startswith("BobOuder:")


def test_a_longest_message_of_one_unbroken_word_runs_on_over_pages_without_losing_a_character(
    client_for, alice, thread
):
    body = "".join(chr(ord("a") + n % 26) for n in range(services.MAX_BODY_CHARS))
    lines = "\n".join(f"regel {n}: {LONG_WORD[:40]}" for n in range(70))
    send(alice, thread, body)
    send(alice, thread, lines)

    pages = read_pdf(export_pdf(client_for, alice, thread))

    assert len(pages) >= 3
    assert_inside_the_margins(pages)
    bodies = squeezed(column(pages, "Bericht"))
    assert squeezed(body) in bodies and squeezed(lines) in bodies
    # A worked example of 4,000 characters would not help anyone: the JSON export has it.
    assert "Voorbeeld, bericht 1" not in "".join(page.text for page in pages)
    # Nothing drawn into the bottom margin but the page number.
    for page in pages:
        low = [c.text for c in page.chars if c.y0 < MARGIN_BOTTOM - SLACK and c.text.strip()]
        assert squeezed("".join(low)) in {squeezed(f"Pagina {page.number} van {len(pages)}")}, low


def test_a_long_sender_name_wraps_inside_its_column(client_for, alice, bob, thread):
    alice.display_name = "Alexandra-Wilhelmina-Catharina-Josephina-van-Oud-Beijerland-Zuid"
    alice.save(update_fields=["display_name"])
    send(alice, thread, "Hoi")
    services.messages_mark_read(user=bob, thread_id=thread.pk, seq=1)
    pages = read_pdf(export_pdf(client_for, bob, thread))
    assert_inside_the_margins(pages)
    assert squeezed(alice.display_name) in squeezed(column(pages, "Van"))


@pytest.mark.parametrize("reference", ["DEMO-0001", "T-ALICE", "Zaak 12/3 \"A\" & B"])
def test_the_header_shows_the_family_reference_as_written(client_for, alice, thread, reference):
    thread.family.reference = reference
    thread.family.save(update_fields=["reference"])
    send(alice, thread, "Hoi")
    pages = read_pdf(export_pdf(client_for, alice, thread))
    header = pages[0].lines()[0]
    assert header == f"{reference} · gesprek {thread.pk}"
    assert "u002D" not in "".join(page.text for page in pages)


def test_times_are_local_with_their_zone_in_winter_and_summer_and_utc_in_the_json(
    client_for, alice, bob, thread, monkeypatch
):
    send(alice, thread, "Winter", at=datetime(2026, 1, 15, 14, 41, 7, tzinfo=UTC), monkeypatch=monkeypatch)
    send(bob, thread, "Zomer", at=datetime(2026, 7, 15, 13, 41, 7, tzinfo=UTC), monkeypatch=monkeypatch)
    with monkeypatch.context() as patch:
        patch.setattr(timezone, "now", lambda: datetime(2026, 7, 15, 20, 5, tzinfo=UTC))
        services.messages_mark_read(user=bob, thread_id=thread.pk, seq=1)

    pages = read_pdf(export_pdf(client_for, alice, thread))
    sent = " ".join(column(pages, "Verstuurd").split())
    assert sent == "15 januari 2026 15:41 CET 15 juli 2026 15:41 CEST"
    read = " ".join(column(pages, "Gelezen").split())
    assert read == "Bob Ouder: 15 juli 2026 22:05 CEST –"
    english = read_pdf(export_pdf(client_for, alice, thread, "en"))
    sent = " ".join(column(english, "Sent", headers=["#", "From", "Sent", "Message", "Read"],
                           after="All times").split())
    assert sent == "15 January 2026 15:41 CET 15 July 2026 15:41 CEST"

    exported = json.loads(client_for(bob).get(reverse("messaging:export_json", args=[thread.pk])).content)
    assert [m["sent_at"] for m in exported["messages"]] == ["2026-01-15T14:41:07.000Z",
                                                            "2026-07-15T13:41:07.000Z"]
    assert exported["messages"][0]["read_by"][0]["first_read_at"] == "2026-07-15T20:05:00.000Z"


def test_the_verification_text_stands_on_its_own_and_its_example_recomputes(client_for, alice, thread):
    send(alice, thread, "Hoi Bob, één vraag 👍")
    pages = read_pdf(export_pdf(client_for, alice, thread))
    text = " ".join("\n".join(page.text for page in pages).split())
    assert "docs/VERIFYING.md" not in text and "verify_export" not in text
    for words in ("SHA-256", "volgnummer", "afzender", "tijdstip", "JSON-export", "64 nullen",
                  "kop van de keten", "Wat dit niet bewijst"):
        assert words in text, words
    # The worked example is the exact text whose SHA-256 is message 1's code: anyone can redo it.
    thread.refresh_from_db()
    first_hash = thread.messages.get(seq=1).hash
    exported = json.loads(client_for(alice).get(reverse("messaging:export_json", args=[thread.pk])).content)
    first = exported["messages"][0]
    canonical = json.dumps({"thread": thread.pk, "seq": 1, "sender": first["sender"]["id"],
                            "sent_at": first["sent_at"], "body": first["body"]},
                           sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert hashlib.sha256(("0" * 64 + "\n" + canonical).encode()).hexdigest() == first_hash
    assert squeezed(canonical) in squeezed(text)
    assert text.count(first_hash) >= 2  # under the message and as the example's outcome


def test_the_english_pdf_explains_the_check_in_english(client_for, alice, thread):
    send(alice, thread, "Hoi")
    text = " ".join("\n".join(p.text for p in read_pdf(export_pdf(client_for, alice, thread, "en"))).split())
    assert "How to check this record" in text and "What this does not prove" in text
    assert "Hoe je dit verslag" not in text
