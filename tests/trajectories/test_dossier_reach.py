"""The dossier never reaches a parent (issue 12, item 7), beyond the pages and the AVG download that
tests/trajectories/test_dossier.py covers: not through any export a parent downloads (the chat
record as JSON and PDF, the agreed plan as PDF, the written consent, the calendar), and not in any
frame on a parent's or relative's socket while the practitioners write and read the dossier.

Each export and socket is checked to carry what it should (a message, the plan, a consent) so that
an empty answer cannot pass for a clean one."""

from __future__ import annotations

import json
import uuid

import pytest
from channels.db import database_sync_to_async
from django.urls import reverse
from django.utils import timezone

from messaging import services as messaging
from messaging.models import Thread
from parentingplan import services as plan_services
from tests.messaging.conftest import notice_jobs, open_socket, receive_type, send  # noqa: F401 - a fixture
from tests.moderation.test_moderated_socket import frames_until_pong
from tests.parentingplan.conftest import approve, fill_and_agree
from tests.pdf import read_pdf, squeezed
from tests.trajectories.conftest import start
from trajectories import consent, dossier

# Words that appear nowhere else in the product: a leak of any of them is a leak of the dossier.
SECRET = "Vader dreigde tijdens de intake met Zwaluwstaartvlinder; let op bij gezamenlijke gesprekken."
MARKERS = ("Zwaluwstaartvlinder", "dreigde")
MESSAGE = "Zaterdag haal ik Noor om tien uur op bij de bieb."


def _assert_clean(text: str, where: str) -> None:
    for marker in MARKERS:
        assert marker not in text, f"the dossier reached a parent through {where}"
        assert squeezed(marker) not in squeezed(text), f"the dossier reached a parent through {where}"


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.text for page in read_pdf(content))


@pytest.fixture
def records(people, family):
    """A KIES trajectory with both parents' consent, messages in the parents' thread and Alice's own
    thread, an agreed plan, and two dossier notes (one on the trajectory) that a practitioner read."""
    alice, bob, carol = people["alice"], people["bob"], people["carol"]
    trajectory = start(carol, family, "kies", started_on=timezone.localdate())
    for parent in (alice, bob):
        consent.consent_decide(actor=parent, family_id=family.pk, trajectory_id=trajectory.pk,
                               decision="given")
    messaging.threads_ensure_for_family(family=family)
    parents_thread = Thread.objects.get(family=family, kind="parents")
    own = Thread.objects.get(family=family, kind="private", owner=alice)
    messaging.message_send(sender=alice, thread_id=parents_thread.pk, body=MESSAGE, client_id=uuid.uuid4())
    messaging.message_send(sender=carol, thread_id=own.pk, body="Hoe ging de overdracht?",
                           client_id=uuid.uuid4())
    plan = plan_services.plan_ensure(family=family)
    fill_and_agree(plan, alice, [alice, bob])
    approve(alice, plan)
    approve(bob, plan)
    dossier.dossier_note_add(actor=carol, family_id=family.pk, body=SECRET, trajectory_id=trajectory.pk)
    dossier.dossier_note_add(actor=people["pim"], family_id=family.pk, body=f"Tweede notitie. {SECRET}")
    dossier.dossier_read(user=carol, family_id=family.pk)
    return {"trajectory": trajectory, "parents": parents_thread, "own": own, "plan": plan}


def test_no_export_a_parent_downloads_carries_the_dossier(records, people, family, client_for):
    alice = client_for(people["alice"])
    for thread in (records["parents"], records["own"]):
        response = alice.get(reverse("messaging:export_json", args=[thread.pk]))
        assert response.status_code == 200
        _assert_clean(response.content.decode(), f"the JSON export of thread {thread.kind}")
        response = alice.get(reverse("messaging:export_pdf", args=[thread.pk]))
        assert response.status_code == 200
        _assert_clean(_pdf_text(response.content), f"the PDF export of thread {thread.kind}")
    export = alice.get(reverse("messaging:export_json", args=[records["parents"].pk])).content.decode()
    assert MESSAGE in export

    response = alice.get(reverse("parentingplan:version_pdf", args=[family.pk, 1]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    plan_text = _pdf_text(response.content)
    assert "Zorgregeling" in plan_text
    _assert_clean(plan_text, "the plan PDF")

    response = alice.get(reverse("trajectories:consent_pdf", args=[family.pk, records["trajectory"].pk]))
    consent_text = _pdf_text(response.content)
    assert squeezed("toestemming gegeven op") in squeezed(consent_text)
    _assert_clean(consent_text, "the consent PDF")


def test_no_calendar_a_parent_subscribes_to_carries_the_dossier(records, people, family, client_for):
    from trajectories import services

    token = services.calendar_feed_make(user=people["alice"])
    response = client_for(people["alice"]).get(reverse("trajectories:feed", args=[token]))
    assert response.status_code == 200
    feed = response.content.decode()
    assert "BEGIN:VEVENT" in feed
    _assert_clean(feed, "the calendar feed")


def test_no_page_of_a_parent_or_relative_carries_the_dossier(records, people, family, client_for):
    """Beyond the family page, "Ons traject" and the home (test_dossier.py): the threads, the plan and
    its version, the access log that tells the dossier was read, and the dossier address itself."""
    urls = [
        reverse("messaging:thread", args=[records["parents"].pk]),
        reverse("messaging:thread", args=[records["own"].pk]),
        reverse("parentingplan:plan", args=[family.pk]),
        reverse("parentingplan:version", args=[family.pk, 1]),
        reverse("families:access_log", args=[family.pk]),
        reverse("trajectories:family", args=[family.pk]),
    ]
    for who in ("alice", "bob"):
        client = client_for(people[who])
        for url in urls:
            response = client.get(url)
            if url.endswith(f"/gesprek/{records['own'].pk}/") and who == "bob":
                assert response.status_code == 404  # Alice's own thread
                continue
            assert response.status_code == 200, url
            _assert_clean(response.content.decode(), f"{url} as {who}")
        response = client.get(reverse("trajectories:dossier", args=[family.pk]))
        assert response.status_code == 403
        _assert_clean(response.content.decode(), f"the refused dossier page as {who}")
    log = client_for(people["alice"]).get(reverse("families:access_log", args=[family.pk])).content.decode()
    assert "las het vertrouwelijke dossier" in log
    rita = client_for(people["rita"])
    relative_urls = [reverse(name, args=[family.pk]) for name in ("families:detail", "trajectories:family")]
    for url in [*relative_urls, reverse("families:home")]:
        response = rita.get(url, follow=True)
        assert response.status_code == 200, url
        _assert_clean(response.content.decode(), f"{url} as the relative")


# -- frames --------------------------------------------------------------------------------------------


def _write_and_read_the_dossier(family, carol, pim, client_for):
    dossier.dossier_note_add(actor=carol, family_id=family.pk, body=f"Na het gesprek: {SECRET}")
    for practitioner in (carol, pim):
        page = client_for(practitioner).get(reverse("trajectories:dossier", args=[family.pk]))
        assert page.status_code == 200 and "Zwaluwstaartvlinder" in page.content.decode()


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_no_frame_on_a_parents_or_relatives_socket_carries_the_dossier(
    records, people, family, client_for
):
    alice, bob, rita, carol = people["alice"], people["bob"], people["rita"], people["carol"]
    plan_id = records["plan"].pk
    sockets = {}
    frames: dict[str, list[dict]] = {}
    for name, user, threads in (
        ("alice", alice, [records["parents"], records["own"]]),
        ("bob", bob, [records["parents"]]),
        ("rita", rita, []),
    ):
        sock = await open_socket(user)
        sockets[name] = sock
        got = frames.setdefault(name, [])
        for thread in threads:
            await send(sock, {"type": "thread.join", "thread": thread.pk, "after": 0})
            got.append(await receive_type(sock, "thread.history"))
        if name != "rita":
            await send(sock, {"type": "plan.join", "plan": plan_id})
            got.append(await receive_type(sock, "plan.state"))

    # The practitioners write in the dossier and read it, then Alice writes in the parents' thread
    # (which both parents' sockets must show: they were listening all along).
    await database_sync_to_async(_write_and_read_the_dossier)(family, carol, people["pim"], client_for)
    words = "Volgende week ruilen we het weekend, zoals afgesproken."
    await database_sync_to_async(messaging.message_send)(
        sender=alice, thread_id=records["parents"].pk, body=words, client_id=uuid.uuid4()
    )
    for name in ("alice", "bob"):
        new = await receive_type(sockets[name], "message.new")
        assert new["message"]["body"] == words
        frames[name].append(new)
    for name, sock in sockets.items():
        frames[name] += await frames_until_pong(sock)
        await sock.disconnect()

    assert MESSAGE in json.dumps(frames["alice"][0], ensure_ascii=False)  # the history was sent
    for name, got in frames.items():
        _assert_clean(json.dumps(got, ensure_ascii=False), f"a frame on {name}'s socket")
