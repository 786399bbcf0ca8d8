"""Item 5: the escalation policy through the real socket and services: a threat is held in direct
mode and the family goes moderated at once (alert.new to practitioners, an e-mail without content to
the coordinator); limits refuse kindly and store nothing; repeated hostility raises an alert; only
practitioners see and handle the policy page and the alerts."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from django.core import mail

from audit import actions
from audit.models import AuditEntry
from messaging.models import Message
from messaging.services import message_send
from moderation.models import Alert, AlertScan, ContactModeChange, Draft, EscalationPolicy
from moderation.policy import alerts_scan
from moderation.selectors import contact_mode
from tests.conftest import verified_session
from tests.messaging.conftest import open_socket, receive, receive_type, send
from tests.moderation.conftest import new_id

THREAT = "ik weet waar je woont"
HOSTILE = "Je bent een waardeloze vader en dat weet iedereen."


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_a_threat_in_direct_mode_is_held_the_family_goes_moderated_and_practitioners_are_alerted(
        family, threads, alice, bob, carol):
    parents = threads["parents"]
    a, b, c = await open_socket(alice), await open_socket(bob), await open_socket(carol)
    for sock in (a, b):
        await send(sock, {"type": "thread.join", "thread": parents.pk, "after": 0})
        await receive_type(sock, "thread.history")
    client_id = new_id()
    await send(a, {"type": "message.send", "thread": parents.pk, "client_id": client_id, "body": THREAT})
    ack = await receive_type(a, "message.ack")
    assert ack["message"]["state"] == "held" and ack["message"]["seq"] is None
    alert = await receive_type(c, "alert.new")
    assert alert["family"] == family.pk and set(alert["alert"]) == {"id", "kind", "level", "created_at"}
    assert alert["alert"]["kind"] == "threat" and alert["alert"]["level"] == "threat"
    mode = await receive_type(b, "family.mode")
    assert mode["mode"] == "moderated"
    await send(b, {"type": "ping"})
    while (frame := await receive(b))["type"] != "pong":
        assert frame["type"] not in ("message.new", "alert.new")

    def stored():
        change = ContactModeChange.objects.get(family=family)
        return (change.changed_by_id, contact_mode(family_id=family.pk).mode,
                Message.objects.filter(thread=parents).count(), Draft.objects.get().body)
    assert await database_sync_to_async(stored)() == (None, "moderated", 0, THREAT)
    to_carol = [m for m in mail.outbox if carol.email in m.to]
    assert to_carol and all(THREAT not in m.body and THREAT not in m.subject for m in to_carol)
    for sock in (a, b, c):
        await sock.disconnect()


@pytest.mark.django_db(transaction=True)
def test_limits_refuse_kindly_and_store_nothing(family, threads, alice):
    EscalationPolicy.objects.create(family=family, daily_message_limit=2, max_message_chars=30)
    parents = threads["parents"]
    with pytest.raises(Exception) as too_long:
        message_send(sender=alice, thread_id=parents.pk, body="x" * 31, client_id=new_id())
    assert too_long.value.code == "too_long" and "30" in str(too_long.value.detail)
    for body in ("Hoi, vrijdag om vijf?", "Prima, tot dan."):
        message_send(sender=alice, thread_id=parents.pk, body=body, client_id=new_id())
    with pytest.raises(Exception) as limit:
        message_send(sender=alice, thread_id=parents.pk, body="Nog iets.", client_id=new_id())
    assert limit.value.code == "limit_reached" and "2" in str(limit.value.detail)
    assert Message.objects.filter(thread=parents).count() == 2


@pytest.mark.django_db(transaction=True)
def test_three_hostile_messages_in_a_day_raise_one_alert(family, threads, alice, carol):
    for _ in range(4):
        message_send(sender=alice, thread_id=threads["parents"].pk, body=HOSTILE, client_id=new_id())
    assert not Alert.objects.exists()  # not on the send path: the alert worker's next look raises it
    assert alerts_scan() == 1
    alerts = list(Alert.objects.filter(kind="hostile_repeated"))
    assert len(alerts) == 1 and alerts[0].subject == alice
    alerts_scan()
    assert Alert.objects.count() == 1


def test_night_hours_wrap_midnight():
    policy = EscalationPolicy(night_start_hour=23, night_end_hour=6)
    assert policy.is_night(23) and policy.is_night(2) and not policy.is_night(6) and not policy.is_night(12)


@pytest.mark.django_db
def test_only_practitioners_see_the_policy_and_acknowledge_alerts(family, threads, alice, carol, client):
    from django.db import transaction

    from moderation import policy
    with transaction.atomic():
        alert = policy.alert_raise(family_id=family.pk, kind="threat", level="threat", subject=alice)
    url = f"/gezin/{family.pk}/beleid/"
    ack_url = f"/gezin/{family.pk}/signalen/{alert.pk}/afgehandeld/"
    parent = verified_session(client, alice)
    assert parent.get(url).status_code in (403, 404)
    assert parent.post(ack_url).status_code in (403, 404)
    assert not Alert.objects.filter(acknowledgement__isnull=False).exists()
    practitioner = verified_session(client, carol)
    page = practitioner.get(url)
    assert page.status_code == 200 and f'data-alert="{alert.pk}"' in page.content.decode()
    assert practitioner.post(ack_url).status_code == 302
    assert AuditEntry.objects.filter(action=actions.ALERT_ACKNOWLEDGED, actor=carol).count() == 1
    assert f'data-alert="{alert.pk}"' not in practitioner.get(url).content.decode()


@pytest.fixture
def dutch_afterwards():
    """A request in English activates English for the thread (the locale middleware): later tests
    expect the default again."""
    from django.conf import settings
    from django.utils import translation
    yield
    translation.activate(settings.LANGUAGE_CODE)


POLICY_PAGE_DUTCH = [
    "Afspraken bij escalatie", "Hier staat wat er gebeurt", "Open signalen", "Gezien en afgehandeld",
    "Afspraken voor dit gezin", "dreiging vastgehouden", "herhaald vijandige berichten",
    "veel berichten 's nachts", "Een mogelijke dreiging vasthouden", "Signaal bij zoveel",
    "binnen zoveel", "Nacht begint", "Nacht eindigt", "Hoogstens zoveel", "Geldt in elke manier",
    "Plaatselijke tijd", "Een ouder die de grens", "Een te lang bericht", "Kies een uur", "Kies 1 tot",
    "Kies minstens",
]


@pytest.mark.django_db
def test_the_policy_page_alerts_and_form_errors_are_all_english_for_an_english_practitioner(
        family, threads, alice, carol, client, dutch_afterwards):
    import html

    from django.db import transaction

    from moderation import policy
    with transaction.atomic():
        for kind, level in (("threat", "threat"), ("hostile_repeated", "hostile"),
                            ("night_burst", "caution")):
            policy.alert_raise(family_id=family.pk, kind=kind, level=level, subject=alice)
    carol.language = "en"
    carol.save(update_fields=["language"])
    practitioner = verified_session(client, carol)
    url = f"/gezin/{family.pk}/beleid/"
    page = practitioner.post(url, {
        "threat_hold": "on", "hostile_alert_count": "3", "hostile_window_hours": "200",
        "night_start_hour": "24", "night_end_hour": "6", "night_burst_count": "5",
        "night_burst_minutes": "0", "daily_message_limit": "0", "max_message_chars": "5"})
    text = html.unescape(page.content.decode())
    assert page.status_code == 200
    assert [dutch for dutch in POLICY_PAGE_DUTCH if dutch in text] == []
    for english in ("Escalation policy", "Open alerts", "threat held", "repeated hostile messages",
                    "many messages at night", "Seen and handled", "Choose an hour from 0 to 23.",
                    "Choose 1 to 168 hours.", "Choose 1 to 360 minutes.", "Choose at least 20 characters.",
                    "Choose at least 1 message, or leave it empty.", "Night starts at (hour)"):
        assert english in text, english
    assert not EscalationPolicy.objects.exists()  # the refused form stored nothing


@pytest.mark.django_db(transaction=True)
def test_the_send_limits_and_the_coordinators_mail_speak_english(family, threads, alice, carol):
    from django.utils import translation
    EscalationPolicy.objects.create(family=family, daily_message_limit=2, max_message_chars=30)
    carol.language = "en"
    carol.save(update_fields=["language"])
    parents = threads["parents"]
    with translation.override("en"):
        with pytest.raises(Exception) as too_long:
            message_send(sender=alice, thread_id=parents.pk, body="x" * 31, client_id=new_id())
        for body in ("Hoi, vrijdag om vijf?", "Prima."):
            message_send(sender=alice, thread_id=parents.pk, body=body, client_id=new_id())
        with pytest.raises(Exception) as limit:
            message_send(sender=alice, thread_id=parents.pk, body="Nog iets.", client_id=new_id())
        assert str(too_long.value.detail).startswith("Your message is 31 characters long.")
        assert str(limit.value.detail).startswith("You have already sent 2 messages today")
    EscalationPolicy.objects.filter(family=family).update(daily_message_limit=None)
    mail.outbox.clear()
    message_send(sender=alice, thread_id=parents.pk, body=THREAT, client_id=new_id())
    # Only the alert mail: a notice of the earlier messages may arrive in between (its own job).
    to_carol = [m for m in mail.outbox if carol.email in m.to and "alert" in m.body]
    assert len(to_carol) == 1 and to_carol[0].subject.endswith("threat held")
    assert to_carol[0].body.startswith("There is an alert for a family you support (threat held).")


@pytest.mark.django_db(transaction=True)
def test_after_a_threat_the_later_sends_of_the_same_batch_are_held_too(family, threads, alice, bob, carol):
    from messaging.extensions import Held
    from messaging.services import messages_send
    parents = threads["parents"]
    bodies = [(alice, "Hoi, vrijdag om vijf?"), (alice, THREAT), (bob, "Prima, tot vrijdag."),
              (alice, "En neem zijn jas mee.")]
    results = messages_send(sends=[{"sender": who, "thread_id": parents.pk, "body": body,
                                    "client_id": new_id()} for who, body in bodies])
    held = [isinstance(r[0], Held) for r in results]  # (message or Held, created) each
    assert held == [False, True, True, True]
    assert list(Message.objects.filter(thread=parents).values_list("body", flat=True)) == [
        "Hoi, vrijdag om vijf?"]
    assert sorted(Draft.objects.values_list("body", flat=True)) == sorted(b for _w, b in bodies[1:])
    assert ContactModeChange.objects.filter(family=family).count() == 1
    assert contact_mode(family_id=family.pk).mode == "moderated"


@pytest.mark.django_db(transaction=True)
def test_two_threats_in_one_batch_switch_the_family_once_and_alert_about_each_parent(
        family, threads, alice, bob, carol):
    from messaging.services import messages_send
    parents = threads["parents"]
    messages_send(sends=[{"sender": who, "thread_id": parents.pk, "body": THREAT, "client_id": new_id()}
                         for who in (alice, bob)])
    assert ContactModeChange.objects.filter(family=family).count() == 1
    assert sorted(Alert.objects.filter(kind="threat").values_list("subject_id", flat=True)) == sorted(
        [alice.pk, bob.pk])
    assert Draft.objects.count() == 2 and not Message.objects.filter(thread=parents).exists()


def _night_now(family, **limits) -> EscalationPolicy:
    """Night hours around the current local hour (no clock is mocked: the policy is chosen so that
    now is night), with the burst count and window given."""
    from django.utils import timezone
    hour = timezone.localtime().hour
    return EscalationPolicy.objects.create(family=family, night_start_hour=(hour - 1) % 24,
                                           night_end_hour=(hour + 2) % 24, **limits)


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_a_night_burst_raises_one_alert_live_for_practitioners_only(family, threads, alice, bob, carol):
    await database_sync_to_async(_night_now)(family, night_burst_count=3, night_burst_minutes=30)
    parents = threads["parents"]
    a, b, c = await open_socket(alice), await open_socket(bob), await open_socket(carol)
    await send(a, {"type": "thread.join", "thread": parents.pk, "after": 0})
    await receive_type(a, "thread.history")
    for n in range(5):
        await send(a, {"type": "message.send", "thread": parents.pk, "client_id": new_id(),
                       "body": f"Bericht {n + 1} over de overdracht van zaterdag."})
        await receive_type(a, "message.ack")
    await database_sync_to_async(alerts_scan)()  # the alert worker's look
    alert = await receive_type(c, "alert.new")
    assert alert["family"] == family.pk and alert["alert"]["kind"] == "night_burst"
    assert alert["alert"]["level"] == "caution"
    for sock in (c, b, a):  # no second alert for the same window; parents get none at all
        await send(sock, {"type": "ping"})
        while (frame := await receive(sock))["type"] != "pong":
            assert frame["type"] != "alert.new"

    def stored():
        return list(Alert.objects.values_list("kind", "subject_id"))
    assert await database_sync_to_async(stored)() == [("night_burst", alice.pk)]
    to_carol = [m for m in mail.outbox if carol.email in m.to]
    assert len(to_carol) == 1 and "Bericht" not in to_carol[0].body
    for sock in (a, b, c):
        await sock.disconnect()


@pytest.mark.django_db(transaction=True)
def test_a_night_burst_alerts_once_per_window_and_not_below_the_count(family, threads, alice, carol):
    _night_now(family, night_burst_count=3, night_burst_minutes=30)
    parents = threads["parents"]
    for n in range(2):
        message_send(sender=alice, thread_id=parents.pk, body=f"Vraag {n}", client_id=new_id())
    alerts_scan()
    assert not Alert.objects.exists()
    for n in range(4):
        message_send(sender=alice, thread_id=parents.pk, body=f"Nog een vraag {n}", client_id=new_id())
        alerts_scan()
    assert list(Alert.objects.values_list("kind", flat=True)) == ["night_burst"]


@pytest.mark.django_db(transaction=True)
def test_no_night_burst_alert_outside_the_night_hours(family, threads, alice, carol):
    from django.utils import timezone
    hour = timezone.localtime().hour
    EscalationPolicy.objects.create(family=family, night_start_hour=(hour + 3) % 24,
                                    night_end_hour=(hour + 5) % 24, night_burst_count=2)
    for n in range(4):
        message_send(sender=alice, thread_id=threads["parents"].pk, body=f"Vraag {n}", client_id=new_id())
    alerts_scan()
    assert not Alert.objects.exists()


def _family_page(client, family) -> str:
    from django.urls import reverse
    response = client.get(reverse("families:detail", args=[family.pk]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_the_family_card_leads_practitioners_to_the_policy_with_the_open_alert_count(
        request, family, threads, alice, client_for):
    from django.db import transaction
    from django.urls import reverse

    from moderation import policy
    url = reverse("moderation:policy", args=[family.pk])
    for who in ("carol", "pim"):
        body = _family_page(client_for(request.getfixturevalue(who)), family)
        assert f'href="{url}" data-open-alerts="0"' in body and "open signa" not in body
    with transaction.atomic():
        first = policy.alert_raise(family_id=family.pk, kind="threat", level="threat", subject=alice)
        policy.alert_raise(family_id=family.pk, kind="night_burst", level="caution", subject=alice)
    for who in ("carol", "pim"):
        body = _family_page(client_for(request.getfixturevalue(who)), family)
        assert 'data-open-alerts="2"' in body and "(2 open signalen)" in body
    policy.alert_acknowledge(actor=request.getfixturevalue("carol"), family_id=family.pk, alert_id=first.pk)
    assert "(1 open signaal)" in _family_page(client_for(request.getfixturevalue("pim")), family)


@pytest.mark.parametrize("who", ["alice", "bob", "rita"])
@pytest.mark.django_db
def test_parents_and_relatives_never_see_the_policy_link_or_the_alerts(request, family, threads, alice,
                                                                       client_for, who):
    from django.db import transaction
    from django.urls import reverse

    from moderation import policy
    with transaction.atomic():
        policy.alert_raise(family_id=family.pk, kind="threat", level="threat", subject=alice)
    body = _family_page(client_for(request.getfixturevalue(who)), family)
    assert reverse("moderation:policy", args=[family.pk]) not in body
    assert "data-open-alerts" not in body and "open signa" not in body and "Signalen en afspraken" not in body


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_the_limits_come_as_error_frames_with_their_codes_and_the_socket_stays_open(
        family, threads, alice):
    await database_sync_to_async(EscalationPolicy.objects.create)(
        family=family, daily_message_limit=1, max_message_chars=30)
    parents = threads["parents"]
    a = await open_socket(alice)
    await send(a, {"type": "thread.join", "thread": parents.pk, "after": 0})
    await receive_type(a, "thread.history")
    long_id = new_id()
    await send(a, {"type": "message.send", "thread": parents.pk, "client_id": long_id, "body": "x" * 31})
    error = await receive_type(a, "error")
    assert (error["code"], error["ref"]) == ("too_long", long_id) and "30" in error["detail"]
    await send(a, {"type": "message.send", "thread": parents.pk, "client_id": new_id(), "body": "Hoi."})
    await receive_type(a, "message.ack")
    last_id = new_id()
    await send(a, {"type": "message.send", "thread": parents.pk, "client_id": last_id, "body": "Nog iets."})
    error = await receive_type(a, "error")
    assert (error["code"], error["ref"]) == ("limit_reached", last_id) and "Morgen" in error["detail"]
    await send(a, {"type": "ping"})
    await receive_type(a, "pong")
    count = await database_sync_to_async(Message.objects.filter(thread=parents).count)()
    assert count == 1
    await a.disconnect()


@pytest.mark.django_db(transaction=True)
def test_a_daily_limit_of_one_says_one_message(family, threads, alice):
    EscalationPolicy.objects.create(family=family, daily_message_limit=1)
    parents = threads["parents"]
    message_send(sender=alice, thread_id=parents.pk, body="Hoi, vrijdag om vijf?", client_id=new_id())
    with pytest.raises(Exception) as limit:
        message_send(sender=alice, thread_id=parents.pk, body="Nog iets.", client_id=new_id())
    assert str(limit.value.detail).startswith("Je hebt vandaag al 1 bericht gestuurd;")


@pytest.mark.django_db(transaction=True)
def test_after_a_night_burst_alert_the_senders_next_messages_are_not_counted_again(
        family, threads, alice, carol):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _night_now(family, night_burst_count=3, night_burst_minutes=30)
    for n in range(3):
        message_send(sender=alice, thread_id=threads["parents"].pk, body=f"Vraag {n}", client_id=new_id())
    alerts_scan()
    assert list(Alert.objects.values_list("kind", flat=True)) == ["night_burst"]
    message_send(sender=alice, thread_id=threads["parents"].pk, body="Nog een", client_id=new_id())
    with CaptureQueriesContext(connection) as queries:
        assert alerts_scan() == 1
    # The look finds Alice and her policy, and counts nothing: her alert of this window is known.
    counted = [q["sql"] for q in queries if '"sent_at" >=' in q["sql"] and '"family_id" IN' in q["sql"]]
    assert counted == []
    assert not [q for q in queries if '"moderation_alert"' in q["sql"]]
    assert Alert.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_send_path_asks_nothing_about_alerts_even_at_night(family, threads, alice):
    """A parent's message at night costs the send no query about alerts or earlier messages: the
    alert worker looks later, for everyone at once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _night_now(family, night_burst_count=2, night_burst_minutes=30)
    message_send(sender=alice, thread_id=threads["parents"].pk, body=HOSTILE, client_id=new_id())
    with CaptureQueriesContext(connection) as queries:
        message_send(sender=alice, thread_id=threads["parents"].pk, body=HOSTILE, client_id=new_id())
    assert not [q for q in queries if '"moderation_alert' in q["sql"] or "COUNT(" in q["sql"].upper()]
    assert alerts_scan() == 1
    assert sorted(Alert.objects.values_list("kind", flat=True)) == ["night_burst"]


@pytest.mark.django_db(transaction=True)
def test_a_message_committed_just_after_a_look_is_still_counted(family, threads, alice, carol):
    """The look goes back SCAN_OVERLAP before its last one: a send stored (its sent_at) before a look
    but committed after it is not missed."""
    from datetime import timedelta

    from django.utils import timezone

    _night_now(family, night_burst_count=3, night_burst_minutes=30)
    for n in range(3):
        message_send(sender=alice, thread_id=threads["parents"].pk, body=f"Vraag {n}", client_id=new_id())
    AlertScan.objects.create(pk=1, checked_until=timezone.now() + timedelta(seconds=3))
    assert alerts_scan() == 1
    assert list(Alert.objects.values_list("kind", flat=True)) == ["night_burst"]


@pytest.mark.django_db(transaction=True)
def test_one_process_looks_at_a_time_and_the_other_skips(family, threads, alice, carol):
    """Two workers (two processes in production): while one holds the look, the other's look does
    nothing, so no alert is raised twice."""
    import threading

    from django.db import close_old_connections, transaction

    from tests.processes import require_postgresql

    require_postgresql("row locks between processes")  # SQLite (the demo) runs one process
    for _ in range(3):
        message_send(sender=alice, thread_id=threads["parents"].pk, body=HOSTILE, client_id=new_id())
    alerts_scan()  # creates the row and raises the hostility alert (three messages are no night burst)
    assert Alert.objects.count() == 1
    message_send(sender=alice, thread_id=threads["parents"].pk, body=HOSTILE, client_id=new_id())
    holding, release, other = threading.Event(), threading.Event(), []

    def hold():
        try:
            with transaction.atomic():
                AlertScan.objects.select_for_update().get(pk=1)
                holding.set()
                release.wait(10)
        finally:
            close_old_connections()

    thread = threading.Thread(target=hold)
    thread.start()
    holding.wait(10)
    other.append(alerts_scan())
    release.set()
    thread.join()
    assert other == [0]
    assert Alert.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_watch_alerts_once_raises_what_is_due(family, threads, alice, carol):
    from io import StringIO

    from django.core.management import call_command

    for _ in range(3):
        message_send(sender=alice, thread_id=threads["parents"].pk, body=HOSTILE, client_id=new_id())
    out = StringIO()
    call_command("watch_alerts", "--once", stdout=out)
    assert out.getvalue().strip() == "1 sender(s) checked"
    assert list(Alert.objects.values_list("kind", flat=True)) == ["hostile_repeated"]


@pytest.mark.django_db(transaction=True)
def test_alerts_of_one_look_reach_the_coordinator_in_one_mail_without_words(
        family, threads, alice, bob, carol):
    """Both parents reach the hostility count before the worker looks: two alerts, each audited and
    on the policy page, and Carol gets one e-mail saying two, with no words of any message."""
    for sender in (alice, bob, alice, bob, alice, bob):
        message_send(sender=sender, thread_id=threads["parents"].pk, body=HOSTILE, client_id=new_id())
    mail.outbox.clear()
    alerts_scan()
    alerts = set(Alert.objects.values_list("kind", "subject_id"))
    assert alerts == {("hostile_repeated", alice.pk), ("hostile_repeated", bob.pk)}
    assert AuditEntry.objects.filter(action=actions.ALERT_RAISED).count() == 2
    to_carol = [m for m in mail.outbox if carol.email in m.to]
    assert len(to_carol) == 1
    assert to_carol[0].subject.startswith("2 signalen in ")
    assert to_carol[0].body.startswith("Er zijn 2 nieuwe signalen voor gezinnen die je begeleidt (1 gezin).")
    assert "waardeloze" not in to_carol[0].body and "waardeloze" not in to_carol[0].subject


@pytest.mark.django_db(transaction=True)
def test_the_mail_for_several_alerts_speaks_english_to_an_english_coordinator(
        family, threads, alice, bob, carol):
    carol.language = "en"
    carol.save(update_fields=["language"])
    for sender in (alice, bob, alice, bob, alice, bob):
        message_send(sender=sender, thread_id=threads["parents"].pk, body=HOSTILE, client_id=new_id())
    mail.outbox.clear()
    alerts_scan()
    to_carol = [m for m in mail.outbox if carol.email in m.to]
    assert len(to_carol) == 1 and to_carol[0].subject.startswith("2 alerts in ")
    assert to_carol[0].body.startswith("There are 2 new alerts for families you support (1 family).")
