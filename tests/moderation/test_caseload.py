"""Item 6: a practitioner's home is their caseload. Families with a signal light, most urgent first,
search and filters as GET parameters, closed cases in the archive, a tone trend per parent as an
escaped server-rendered SVG, a bounded number of queries for 30 families, nothing of it for
parents, and the queue's size live over a real socket (review.count)."""

from __future__ import annotations

import re
import uuid

import pytest
from django.urls import reverse

from families.models import Family, Role
from messaging.models import Thread
from messaging.services import message_send, threads_ensure_for_family
from moderation import caseload, services
from moderation.models import Alert
from moderation.policy import alert_raise
from parentingplan.models import Section
from parentingplan.services import plan_ensure
from tests.factories import FamilyFactory, MembershipFactory, UserFactory, confirmed_totp
from tests.moderation.conftest import new_id, set_mode

pytestmark = pytest.mark.django_db

HOSTILE = "Je bent een waardeloze vader en dat weet iedereen."
FRIENDLY = "Ik haal Noor vrijdag om vijf uur op bij school, is dat goed?"
HOME = reverse("families:home")


def _family(coordinator, name, *, reference=None, status=Family.Status.ACTIVE, parents=2):
    extra = {"reference": reference} if reference else {}
    family = FamilyFactory(display_name=name, status=status, **extra)
    MembershipFactory(user=coordinator, family=family, role=Role.COORDINATOR)
    made = []
    for i in range(parents):
        parent = _verified(UserFactory(display_name=f"Ouder {i + 1} van {name}"))
        MembershipFactory(user=parent, family=family, role=Role.PARENT)
        made.append(parent)
    threads_ensure_for_family(family=family)
    plan_ensure(family=family)
    family.parents = made
    return family


def _verified(user):
    confirmed_totp(user)
    return user


def _say(family, parent, body):
    thread = Thread.objects.get(family=family, kind=Thread.Kind.PARENTS)
    return message_send(sender=parent, thread_id=thread.pk, body=body, client_id=new_id())


def _rows(response) -> list[str]:
    """The family names of the caseload's rows, top to bottom."""
    html = response.content.decode()
    return re.findall(r'class="caseload-name">([^<]*)</a>', html)


def _main(response) -> str:
    return re.search(r"<main.*</main>", response.content.decode(), re.S).group(0)


@pytest.fixture
def practitioner(db):
    user = UserFactory(email="petra@example.org", display_name="Petra Begeleider", may_open_cases=True)
    confirmed_totp(user)
    return user


@pytest.fixture
def three(practitioner):
    """Green (A), amber (B: a night burst alert, level caution), red (C: repeated hostility)."""
    green = _family(practitioner, "Aalberts")
    amber = _family(practitioner, "Bakker")
    red = _family(practitioner, "Claassen")
    alert_raise(family_id=amber.pk, kind=Alert.Kind.NIGHT_BURST, level="caution", subject=amber.parents[0])
    alert_raise(family_id=red.pk, kind=Alert.Kind.HOSTILE_REPEATED, level="hostile", subject=red.parents[1])
    return {"green": green, "amber": amber, "red": red}


def test_the_most_urgent_family_comes_first_red_then_amber_then_green(practitioner, three, client_for):
    response = client_for(practitioner).get(HOME)
    assert _rows(response) == ["Claassen", "Bakker", "Aalberts"]
    html = _main(response)
    for colour, family in three.items():
        assert f'data-family="{family.pk}" data-signal="{colour}"' in html
    for colour in ("rood", "oranje", "groen"):
        assert f'<span class="visually-hidden">Signaal: </span>{colour}</span>' in html
    assert "1 open signaal" in html


def test_a_hostile_message_this_week_turns_a_quiet_family_amber_and_shows_in_its_trend(
        practitioner, client_for):
    family = _family(practitioner, "Aalberts")
    _family(practitioner, "Bakker")
    _say(family, family.parents[0], HOSTILE)
    _say(family, family.parents[1], FRIENDLY)
    response = client_for(practitioner).get(HOME)
    assert _rows(response) == ["Aalberts", "Bakker"]
    html = _main(response)
    assert f'data-family="{family.pk}" data-signal="amber"' in html
    # The text alternative: this week (week 8) of each parent, in words.
    assert "Ouder 1 van Aalberts<span class=\"visually-hidden\">: week 1 geen berichten" in html
    assert re.search(r"Ouder 1 van Aalberts<span[^>]*>:[^<]*week 8 vijandig</span>", html)
    assert re.search(r"Ouder 2 van Aalberts<span[^>]*>:[^<]*week 8 rustig</span>", html)


def test_a_held_threat_turns_the_family_red(practitioner, client_for):
    calm = _family(practitioner, "Aalberts")
    family = _family(practitioner, "Zwart")
    set_mode(family, practitioner, "moderated")
    _say(family, family.parents[0], "ik weet waar je woont en je zult het merken")
    response = client_for(practitioner).get(HOME)
    assert _rows(response) == ["Zwart", "Aalberts"]
    html = _main(response)
    assert f'data-family="{family.pk}" data-signal="red"' in html
    assert f'data-family="{calm.pk}" data-signal="green"' in html
    queue = rf'data-queue-family="{family.pk}"[^>]*><span class="queue-size" data-queue-size>1</span>'
    assert re.search(queue, html)


def test_search_finds_a_family_by_name_or_reference(practitioner, client_for):
    _family(practitioner, "Aalberts", reference="KB-2026-001")
    _family(practitioner, "Bakker", reference="KB-2026-002")
    client = client_for(practitioner)
    assert _rows(client.get(HOME, {"q": "bakk"})) == ["Bakker"]
    assert _rows(client.get(HOME, {"q": "2026-001"})) == ["Aalberts"]
    nothing = client.get(HOME, {"q": "Verhoeven"})
    assert _rows(nothing) == []
    assert "Geen gezin past bij je zoekopdracht" in _main(nothing)
    assert 'value="Verhoeven"' in _main(nothing)


def test_the_filters_narrow_by_signal_and_by_mode(practitioner, three, client_for):
    set_mode(three["green"], practitioner, "indirect")
    client = client_for(practitioner)
    assert _rows(client.get(HOME, {"signal": "red"})) == ["Claassen"]
    assert _rows(client.get(HOME, {"signal": "amber"})) == ["Bakker"]
    assert _rows(client.get(HOME, {"mode": "indirect"})) == ["Aalberts"]
    assert _rows(client.get(HOME, {"mode": "direct", "signal": "green"})) == []
    # An unknown value filters nothing and is not a 500.
    response = client.get(HOME, {"signal": "<purple>", "mode": "x" * 5000})
    assert response.status_code == 200
    assert _rows(response) == ["Claassen", "Bakker", "Aalberts"]
    assert "&lt;purple&gt;" not in response.content.decode() and "<purple>" not in response.content.decode()


def test_closed_cases_are_in_the_archive_and_not_among_the_rows(practitioner, client_for):
    _family(practitioner, "Aalberts")
    closed = _family(practitioner, "Oud gezin", status=Family.Status.CLOSED)
    response = client_for(practitioner).get(HOME)
    assert _rows(response) == ["Aalberts"]
    html = _main(response)
    archive = re.search(r'<details class="caseload-archive">.*?</details>', html, re.S).group(0)
    assert "Archief: 1 afgesloten gezin" in archive
    assert reverse("families:detail", args=[closed.pk]) in archive
    assert "Oud gezin" in archive
    # Searching finds it in the archive too.
    found = _main(client_for(practitioner).get(HOME, {"q": "oud"}))
    assert "Oud gezin" in re.search(r'<details class="caseload-archive">.*?</details>', found, re.S).group(0)


def test_the_plan_progress_and_the_unread_messages_are_shown(practitioner, client_for):
    family = _family(practitioner, "Aalberts")
    sections = Section.objects.filter(plan__family=family, hidden=False)
    total = sections.count()
    Section.objects.filter(pk=sections.first().pk).update(status=Section.Status.AGREED)
    _say(family, family.parents[0], FRIENDLY)
    html = _main(client_for(practitioner).get(HOME))
    assert f"plan: 1 van {total} akkoord" in html
    assert "1 ongelezen bericht" in html
    assert "laatst " in html


def test_family_and_parent_names_are_escaped_in_the_rows_and_the_svg(practitioner, client_for):
    name = '<script>alert("x")</script>'
    family = _family(practitioner, name)
    _say(family, family.parents[0], HOSTILE)
    html = _main(client_for(practitioner).get(HOME))
    assert "<script>alert" not in html
    svg = re.search(r'<svg class="tone-trend".*?</svg>', html, re.S).group(0)
    assert 'role="img"' in svg
    assert f'aria-labelledby="tone-{family.pk}-title tone-{family.pk}-desc"' in svg
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in svg
    assert "<title" in svg and "<desc" in svg and "<polyline" not in svg  # one week: a dot, no line
    assert svg.count("<circle") == 1
    assert "style=" not in svg  # the strict CSP allows no style attributes


def test_the_svg_draws_one_line_per_parent_with_gaps_where_nobody_wrote():
    weeks = caseload.week_starts()
    svg = caseload.tone_trend_svg(family_id=7, family_name="A & B", weeks=weeks, series=[
        {"name": "a", "points": [0, 1, None, 2, 3, None, None, 0]},
        {"name": "b", "points": [None] * 8},
    ])
    assert "A &amp; B" in svg
    assert svg.count("<polyline") == 2  # weeks 1-2 and 4-5; week 8 alone is a dot
    assert svg.count("<circle") == 5
    assert 'points="12,48.0 32,36.0"' in svg


def test_thirty_families_take_a_bounded_number_of_queries(practitioner, client_for,
                                                          django_assert_max_num_queries):
    families = [_family(practitioner, f"Gezin {i:02d}") for i in range(30)]
    for family in families[:10]:
        _say(family, family.parents[0], HOSTILE)
        _say(family, family.parents[1], FRIENDLY)
    for family in families[10:15]:
        set_mode(family, practitioner, "moderated")
        _say(family, family.parents[0], HOSTILE)
    alert_raise(family_id=families[20].pk, kind=Alert.Kind.NIGHT_BURST, level="caution",
                subject=families[20].parents[0])
    client = client_for(practitioner)
    with django_assert_max_num_queries(25):
        response = client.get(HOME)
    assert len(_rows(response)) == 30
    # A trend where parents wrote in the last 8 weeks (15 families); none for the quiet ones.
    assert response.content.decode().count('<svg class="tone-trend"') == 15


def test_a_parent_keeps_their_family_page_and_sees_no_caseload_or_tone(practitioner, client_for):
    family = _family(practitioner, "Aalberts")
    _say(family, family.parents[0], HOSTILE)
    parent = family.parents[1]
    client = client_for(parent)
    response = client.get(HOME)
    assert response.status_code == 302
    assert response.url == reverse("families:detail", args=[family.pk])
    page = client.get(response.url).content.decode()
    for word in ("tone-trend", "Signaal", "vijandig", "caseload", "te beoordelen"):
        assert word not in page


def test_a_parent_in_two_families_sees_plain_cards_and_no_tone_of_either(practitioner, client_for):
    first = _family(practitioner, "Aalberts")
    second = _family(practitioner, "Bakker")
    parent = first.parents[0]
    MembershipFactory(user=parent, family=second, role=Role.PARENT)
    _say(first, first.parents[1], HOSTILE)
    html = _main(client_for(parent).get(HOME))
    assert "Aalberts" in html and "Bakker" in html
    for word in ("tone-trend", "Signaal", "vijandig", "caseload-row", "te beoordelen"):
        assert word not in html


def test_a_practitioner_sees_only_the_families_they_follow(practitioner, client_for):
    _family(practitioner, "Aalberts")
    other = _verified(UserFactory(email="olga@example.org", display_name="Olga", may_open_cases=True))
    _family(other, "Geheim gezin")
    html = _main(client_for(practitioner).get(HOME, {"q": "geheim"}))
    assert "Geheim gezin" not in html
    assert _rows(client_for(practitioner).get(HOME)) == ["Aalberts"]


def test_the_facts_leave_out_families_in_which_the_user_is_a_parent(practitioner):
    family = _family(practitioner, "Aalberts")
    membership = family.memberships.get(user=family.parents[0])
    assert caseload.caseload_facts(user=family.parents[0], memberships=[membership]) == {}


def test_a_passed_review_date_of_the_contact_mode_turns_the_family_amber_with_a_reminder(
        practitioner, client_for):
    from datetime import timedelta

    from django.utils import timezone

    family = _family(practitioner, "Aalberts")
    services.contact_mode_change(actor=practitioner, family_id=family.pk, mode="moderated", reason="Spanning",
                                 review_on=timezone.localdate() + timedelta(days=1))
    html = _main(client_for(practitioner).get(HOME))
    assert f'data-family="{family.pk}" data-signal="green"' in html and "evaluatie was" not in html
    later = timezone.now() + timedelta(days=2)
    facts = caseload.caseload_facts(user=practitioner, memberships=list(
        family.memberships.filter(user=practitioner).select_related("family")), now=later)
    assert facts[family.pk]["signal"] == "amber" and facts[family.pk]["review_due"]


def test_the_caseload_in_english(practitioner, three, client_for):
    from django.conf import settings
    from django.utils import translation

    practitioner.language = "en"
    practitioner.save(update_fields=["language"])
    _say(three["green"], three["green"].parents[0], HOSTILE)
    try:
        html = _main(client_for(practitioner).get(HOME))
    finally:
        translation.activate(settings.LANGUAGE_CODE)
    assert "Search by name or case number" in html
    assert "3 families shown (of 3), the most urgent first." in html
    assert '<span class="visually-hidden">Signal: </span>red</span>' in html
    assert "1 open alert" in html and "to review" in html
    assert "Tone per parent over the last 8 weeks: Aalberts" in html
    assert re.search(r"week 8 hostile", html)


# -- live: review.count --------------------------------------------------------------------------------


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_the_queue_count_reaches_the_practitioners_home_socket_live_and_never_a_parent():
    from channels.db import database_sync_to_async

    from tests.messaging.conftest import assert_still_open, open_socket, receive, receive_type, send

    def setup():
        petra = UserFactory(email="petra2@example.org", display_name="Petra", may_open_cases=True)
        confirmed_totp(petra)
        family = _family(petra, "Aalberts")
        set_mode(family, petra, "moderated")
        thread = Thread.objects.get(family=family, kind=Thread.Kind.PARENTS)
        return petra, family, thread

    petra, family, thread = await database_sync_to_async(setup)()
    alice, bob = family.parents
    home = await open_socket(petra)
    sender = await open_socket(alice)
    other = await open_socket(bob)
    try:
        await send(sender, {"type": "message.send", "thread": thread.pk, "client_id": str(uuid.uuid4()),
                            "body": HOSTILE})
        ack = await receive_type(sender, "message.ack")
        assert ack["message"]["state"] == "held"
        assert await receive_type(home, "review.count") == {"type": "review.count", "family": family.pk,
                                                             "size": 1}
        await database_sync_to_async(services.review_decide)(actor=petra, item_id=ack["message"]["item"],
                                                             decision="return", reason="insult", note="")
        assert await receive_type(home, "review.count") == {"type": "review.count", "family": family.pk,
                                                             "size": 0}
        # Neither parent ever hears of the queue.
        for sock in (sender, other):
            await send(sock, {"type": "ping"})
            while (frame := await receive(sock))["type"] != "pong":
                assert frame["type"] != "review.count"
        await assert_still_open(home)
    finally:
        for sock in (home, sender, other):
            await sock.disconnect()


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_a_practitioner_taken_off_the_case_gets_no_more_queue_counts():
    from channels.db import database_sync_to_async

    from families.services import membership_end
    from tests.messaging.conftest import open_socket, receive, receive_type, send

    def setup():
        petra = _verified(UserFactory(email="petra3@example.org", display_name="Petra", may_open_cases=True))
        pim = _verified(UserFactory(email="pim3@example.org", display_name="Pim", may_open_cases=True))
        family = _family(petra, "Aalberts")
        pims = MembershipFactory(user=pim, family=family, role=Role.PRACTITIONER)
        set_mode(family, petra, "moderated")
        return petra, pim, pims.pk, family, Thread.objects.get(family=family, kind=Thread.Kind.PARENTS)

    petra, pim, pims, family, thread = await database_sync_to_async(setup)()
    petra_home, pim_home = await open_socket(petra), await open_socket(pim)
    sender = await open_socket(family.parents[0])
    try:
        await database_sync_to_async(membership_end)(actor=petra, family_id=family.pk, membership_id=pims)
        await send(sender, {"type": "message.send", "thread": thread.pk, "client_id": str(uuid.uuid4()),
                            "body": HOSTILE})
        assert (await receive_type(sender, "message.ack"))["message"]["state"] == "held"
        assert (await receive_type(petra_home, "review.count"))["size"] == 1
        await send(pim_home, {"type": "ping"})
        while (frame := await receive(pim_home))["type"] != "pong":
            assert frame["type"] != "review.count"
    finally:
        for sock in (petra_home, pim_home, sender):
            await sock.disconnect()
