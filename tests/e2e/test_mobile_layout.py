"""Key pages on a 360 px wide phone: nothing scrolls sideways, every field has a label, and
everything one taps is at least 44 px high."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

import pytest
from django.db import transaction
from django.urls import reverse

from families.models import Child, Role
from families.services import invitation_send
from messaging.models import Thread
from messaging.services import message_send, threads_ensure_for_family
from moderation.policy import alert_raise
from tests.factories import UserFactory

pytestmark = pytest.mark.e2e

VIEWPORT_WIDTH = 360
MIN_TAP_HEIGHT = 44

MEASURE = """minTapHeight => {
  const visible = el => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && getComputedStyle(el).visibility !== "hidden";
  };
  const describe = el => el.outerHTML.slice(0, 100);
  const fields = [...document.querySelectorAll("input, select, textarea")]
    .filter(el => el.type !== "hidden" && visible(el));
  const tappable = [...document.querySelectorAll(
    "button, .button, input:not([type=hidden]), select, textarea, summary, .site-nav a, .back-link, .toc a"
  )].filter(visible);
  return {
    scrollWidth: document.documentElement.scrollWidth,
    unlabelled: fields.filter(el => ![...el.labels].some(label => label.textContent.trim())).map(describe),
    // A checkbox or radio button is tapped through its label, which is what has to be big enough.
    tooSmall: tappable.filter(el => {
      const target = ["checkbox", "radio"].includes(el.type) && el.labels.length ? el.labels[0] : el;
      return target.getBoundingClientRect().height < minTapHeight;
    }).map(describe),
  };
}"""


def assert_fits_a_phone(page, name: str) -> None:
    """Nothing scrolls sideways, every field has a label, every tap target is 44 px high.

    Measured once the page has loaded: a click that navigates returns before the new page's
    stylesheet is in, and unstyled links are too small."""
    page.wait_for_load_state("load")
    measured = page.evaluate(MEASURE, MIN_TAP_HEIGHT)
    width = measured["scrollWidth"]
    assert width <= VIEWPORT_WIDTH, f"{name} scrolls sideways: {width} px wide"
    assert measured["unlabelled"] == [], f"{name}: fields without a label"
    assert measured["tooSmall"] == [], f"{name}: tap targets under {MIN_TAP_HEIGHT} px"


@dataclass
class Screen:
    who: str | None  # a persona fixture, "newcomer" (password only, no authenticator yet) or None
    path: str
    then: str | None = None  # "submit": send the form empty, to see the errors; "open": open every <details>
    long_words: bool = False  # an invitation to a very long e-mail address (one unbreakable word)
    wait_for: str | None = None  # a selector that shows the page has finished building itself
    also: str | None = None  # a persona fixture that must exist too (a relative, say)
    fill: tuple = ()  # (selector, value) pairs typed in before "submit" (a form valid as it comes)
    query: str = ""  # appended to the page's address


SCREENS = {
    "login": Screen(None, "accounts:login"),
    "login-with-errors": Screen(None, "accounts:login", then="submit"),
    "enrol": Screen("newcomer", "accounts:enrol", then="open"),
    "enrol-with-errors": Screen("newcomer", "accounts:enrol", then="submit"),
    "password-reset-with-errors": Screen(None, "accounts:password_reset", then="submit"),
    "password-reset-sent": Screen(None, "accounts:password_reset_done"),
    "home-practitioner": Screen("carol", "families:home"),
    "detail-coordinator": Screen("carol", "families:detail", then="open", long_words=True),
    "detail-parent": Screen("alice", "families:detail"),
    "invite-with-errors": Screen("carol", "families:invite", then="submit"),
    "child-add-with-errors": Screen("carol", "families:child_add", then="submit"),
    "child-edit": Screen("carol", "families:child_edit", then="open"),
    "access-log": Screen("carol", "families:access_log"),
    "security": Screen("alice", "accounts:security"),
    "password-change": Screen("alice", "accounts:password_change"),
    "chat": Screen("alice", "messaging:thread", wait_for="li.msg.mine"),
    "chat-practitioner": Screen("carol", "messaging:thread", then="open", wait_for="li.msg", also="rita"),
    "plan": Screen("alice", "parentingplan:plan", wait_for="#conn-state[data-state=online]"),
    "plan-coordinator": Screen("carol", "parentingplan:plan", then="open",
                               wait_for="#conn-state[data-state=online]"),
    "plan-parties": Screen("alice", "parentingplan:parties"),
    "plan-parties-with-errors": Screen("bob", "parentingplan:parties", then="submit"),
    "plan-approve": Screen("alice", "parentingplan:approve"),
    # A parent's held comment and dispute reason (moderated contact): her badges and the note on a
    # return; the practitioner's release/return forms.
    "plan-held-words": Screen("alice", "parentingplan:plan", also="held_plan_words",
                              wait_for="#conn-state[data-state=online]"),
    "plan-held-words-practitioner": Screen("carol", "parentingplan:plan", then="open", also="held_plan_words",
                                           wait_for="#conn-state[data-state=online]"),
    # The escalation policy with an open alert of each kind, and with its form's errors.
    "policy": Screen("carol", "moderation:policy"),
    "policy-with-errors": Screen("carol", "moderation:policy", then="submit",
                                 fill=(("#id_night_start_hour", "24"), ("#id_max_message_chars", "5"))),
    # Issue 10 item 6: the caseload with several families (signals, a trend, the archive open) and
    # the review queue with a held message, both for one thumb.
    "home-caseload": Screen("carol", "families:home", then="open", also="caseload",
                            wait_for=".caseload-row svg.tone-trend"),
    "home-caseload-filtered": Screen("carol", "families:home", also="caseload", query="?signal=red&q=a"),
    "review-queue": Screen("carol", "moderation:review_queue", also="held_message",
                           wait_for="li.review-item"),
}

CONVERSATION = [
    ("alice", "Kun jij Sem vrijdag om vijf uur ophalen?\nZijn tas staat klaar."),
    ("bob", "Ja. Zullen we het over <de vakantie> hebben? Eenheel-lang-woord-zonder-spaties-dat-niet-past."),
    ("bob", "Ik hoor het wel."),
]
# The longest first name the field takes, as one word: it wraps, it is never cut.
LONG_CHILD_NAME = "Maximiliaan-Alexander-Constantijn-Benedictus-Frederik-Willem"


def _conversation(family, alice, bob) -> Thread:
    """The parents' thread with a few messages, the last ones not yet read by Alice (an unread count)."""
    threads_ensure_for_family(family=family)
    thread = Thread.objects.get(family=family, kind=Thread.Kind.PARENTS)
    for who, body in CONVERSATION:
        sender = alice if who == "alice" else bob
        message_send(sender=sender, thread_id=thread.pk, body=body, client_id=uuid.uuid4())
    return thread


@pytest.fixture
def caseload(family, carol, alice, bob):
    """Carol follows several families: one red (a hostile alert, long names), one amber, quiet
    ones, and a closed case in the archive."""
    from moderation.models import Alert
    from moderation.policy import alert_raise
    from parentingplan.services import plan_ensure
    from tests.factories import FamilyFactory, MembershipFactory

    plan_ensure(family=family)
    message_send(sender=alice, thread_id=Thread.objects.get(family=family, kind=Thread.Kind.PARENTS).pk,
                 body="Je bent een waardeloze vader en dat weet iedereen.", client_id=uuid.uuid4())
    alert_raise(family_id=family.pk, kind=Alert.Kind.HOSTILE_REPEATED, level="hostile", subject=alice)
    names = ["Familie Van Oldenbarnevelt-Wittebrood-Schimmelpenninck", "Bakker", "De Vries", "Jansen"]
    for i, name in enumerate(names):
        other = FamilyFactory(display_name=name, reference=f"KB-2026-{i:03d}")
        MembershipFactory(user=carol, family=other, role=Role.COORDINATOR)
        parent = UserFactory(email=f"ouder{i}@example.org", display_name=f"Ouder {name}")
        MembershipFactory(user=parent, family=other, role=Role.PARENT)
        threads_ensure_for_family(family=other)
        plan_ensure(family=other)
        if i == 1:
            alert_raise(family_id=other.pk, kind=Alert.Kind.NIGHT_BURST, level="caution", subject=parent)
    closed = FamilyFactory(display_name="Afgesloten gezin", status="closed")
    MembershipFactory(user=carol, family=closed, role=Role.COORDINATOR)


@pytest.fixture
def held_plan_words(family, carol, alice):
    from moderation.services import contact_mode_change
    from parentingplan import services as plan_services
    from parentingplan.models import Comment

    plan = plan_services.plan_ensure(family=family)
    costs = plan.sections.get(key="costs")
    plan_services.section_save(user=alice, section_id=costs.pk, base_revision=0, client_id=str(uuid.uuid4()),
                               content="<p>Ieder betaalt de helft.</p>")
    contact_mode_change(actor=carol, family_id=family.pk, mode="moderated", reason="Spanning")
    plan_services.section_agree(
        user=alice, section_id=costs.pk, revision=1, agrees=False,
        reason="De woensdagmiddag-opvang-kosten-zonder-spaties moeten eerlijker verdeeld.")
    for body in ("Kunnen we de sportclub apart afspreken?", "Jij betaalt nooit op tijd, dat weet iedereen."):
        plan_services.comment_add(user=alice, section_id=costs.pk, body=body)
    plan_services.plan_words_decide(actor=carol, comment_id=Comment.objects.order_by("pk").last().pk,
                                    decision="return", note="Schrijf wat je voorstelt, zonder verwijt.")


@pytest.fixture
def held_message(family, carol, alice):
    from moderation.services import contact_mode_change

    contact_mode_change(actor=carol, family_id=family.pk, mode="moderated", reason="Spanning")
    message_send(sender=alice, thread_id=Thread.objects.get(family=family, kind=Thread.Kind.PARENTS).pk,
                 body="Je bent een waardeloze vader en dat weet iedereen.", client_id=uuid.uuid4())


@pytest.mark.parametrize("name", SCREENS)
def test_the_page_fits_a_phone_and_labels_every_field(name, request, e2e_server, new_mobile_context, sign_in,
                                                      family, carol, alice, bob):
    screen = SCREENS[name]
    thread = _conversation(family, alice, bob)
    child = Child.objects.create(family=family, first_name=LONG_CHILD_NAME, birth_date=date(2016, 1, 1))
    if screen.long_words:
        invitation_send(actor=carol, family_id=family.pk, role=Role.RELATIVE,
                        email="grootmoeder.van.moederskant.wilhelmina@gemeente-voorbeeldstad.example.org")
    if screen.also:
        request.getfixturevalue(screen.also)
    if screen.path == "moderation:policy":
        with transaction.atomic():
            for kind, level in (("threat", "threat"), ("hostile_repeated", "hostile"),
                                ("night_burst", "caution")):
                alert_raise(family_id=family.pk, kind=kind, level=level, subject=alice)
    context = new_mobile_context()
    if screen.who == "newcomer":
        sign_in(context, UserFactory(email="eva@example.org"), verified=False)
    elif screen.who:
        sign_in(context, request.getfixturevalue(screen.who))
    page = context.new_page()
    if screen.path == "messaging:thread":
        args = [thread.pk]
    elif screen.path == "families:child_edit":
        args = [family.pk, child.pk]
    elif (screen.path.startswith(("families:", "parentingplan:", "moderation:"))
          and screen.path != "families:home"):
        args = [family.pk]
    else:
        args = []
    page.goto(reverse(screen.path, args=args) + screen.query)
    if screen.wait_for:
        page.wait_for_selector(screen.wait_for)
    assert page.locator("h1").count() == 1, page.content()

    if screen.then == "submit":
        for selector, value in screen.fill:
            page.fill(selector, value)
        page.locator("main form button[type=submit]").last.click()
        page.wait_for_selector(".errors")
        page.wait_for_load_state("load")  # the answer's stylesheet too, before measuring
    elif screen.then == "open":
        for summary in page.locator("main details > summary").all():
            summary.click()

    assert_fits_a_phone(page, name)
