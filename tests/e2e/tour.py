"""A screenshot of every page at 360 x 740 in Dutch, to look at after a layout change.

Not collected by a normal run (the file name does not start with test_); run it on purpose:

    make screens        # or: DJANGO_ALLOW_ASYNC_UNSAFE=true pytest tests/e2e/tour.py -p no:playwright

The pictures land in test-results/screens/ (or SCREENSHOT_DIR).
"""

from __future__ import annotations

import os
import re
import uuid
from datetime import date
from pathlib import Path

from django.core import mail
from django.test import Client
from django.urls import reverse

from families.models import Invitation, Role
from families.services import invitation_revoke, invitation_send
from messaging.models import ParticipantProposal, Thread
from messaging.services import message_send, messages_mark_read, threads_ensure_for_family
from tests.conftest import totp_now, verified_session
from tests.e2e.conftest import ARTIFACTS_DIR
from tests.factories import ChildFactory, UserFactory

SCREEN_DIR = Path(os.environ.get("SCREENSHOT_DIR") or ARTIFACTS_DIR / "screens")
CONVERSATION = [
    ("alice", "Hoi Bob, kun jij Sem vrijdag om vijf uur ophalen bij voetbal?"),
    ("bob", "Ja, dat lukt. Neemt hij zijn tas mee?"),
    ("alice", "Ja, en zijn inhaler zit in het voorvak.\nNoor heeft zaterdag een verjaardag, het cadeau ligt "
              "klaar."),
    ("bob", "Top. Ik breng ze zondag om zes uur terug."),
    ("bob", "Zullen we volgende week de vakantieplanning bespreken met <Carol>? "
            "Een heel-lang-woord-zonder-spaties-dat-niet-past-op-een-telefoon."),
]


def _shoot(page, name: str) -> None:
    SCREEN_DIR.mkdir(parents=True, exist_ok=True)
    page.wait_for_load_state("load")
    page.screenshot(path=SCREEN_DIR / f"{name}.png", full_page=True)


def _invitation_link(actor, family, email, role=Role.PARENT) -> str:
    invitation_send(actor=actor, family_id=family.pk, email=email, role=role)
    return re.search(r"/uitnodiging/[^/\s]+/", mail.outbox[-1].body).group(0)


def test_tour(e2e_server, new_mobile_context, sign_in, alice, bob, carol, pim, rita, family, settings):
    sem = ChildFactory(family=family, first_name="Sem", birth_date=date(2016, 4, 2))
    ChildFactory(family=family, first_name="Noor", birth_date=date(2019, 11, 20))
    # Some history for the access log, made through the app.
    for user in (alice, carol):
        client = verified_session(Client(HTTP_HOST="localhost"), user)
        client.get(reverse("families:detail", args=[family.pk]))

    anon = new_mobile_context().new_page()
    anon.goto("/login/")
    _shoot(anon, "01-login")
    anon.get_by_role("button", name="Verder").click()
    _shoot(anon, "01b-login-errors")

    half = new_mobile_context()
    sign_in(half, alice, verified=False)
    page = half.new_page()
    page.goto(reverse("accounts:verify"))
    _shoot(page, "02-verify")
    page.get_by_label("Code uit je app").fill("000000")
    page.get_by_role("button", name="Inloggen").click()
    _shoot(page, "02b-verify-error")

    newcomer = UserFactory(email="eva@example.org", display_name="Eva Nieuw")
    enrolling = new_mobile_context()
    sign_in(enrolling, newcomer, verified=False)
    page = enrolling.new_page()
    page.goto(reverse("accounts:enrol"))
    _shoot(page, "03-enrol")
    _shoot(page, "03b-enrol-secret")
    device = newcomer.totpdevice_set.get(confirmed=False)
    page.get_by_label("Code uit je app").fill(totp_now(device))
    page.get_by_role("button", name="Koppelen").click()
    _shoot(page, "04-backup-codes")

    coordinator = new_mobile_context()
    sign_in(coordinator, carol)
    page = coordinator.new_page()
    page.goto("/")
    _shoot(page, "05-home-practitioner")
    page.goto(reverse("families:detail", args=[family.pk]))
    _invitation_link(carol, family, "opa@example.org")
    page.reload()
    _shoot(page, "06-detail-coordinator")
    page.locator("details.member-manage summary").first.click()
    _shoot(page, "06b-detail-manage-open")
    page.goto(reverse("families:invite", args=[family.pk]))
    _shoot(page, "07-invite")
    page.get_by_role("button", name="Uitnodiging versturen").click()
    _shoot(page, "07b-invite-errors")
    page.goto(reverse("families:child_add", args=[family.pk]))
    _shoot(page, "07c-child-add")
    page.goto(reverse("families:child_edit", args=[family.pk, sem.pk]))
    page.locator("main details.confirm > summary").click()
    _shoot(page, "07d-child-edit")
    page.goto(reverse("families:access_log", args=[family.pk]))
    _shoot(page, "08-access-log")
    page.goto(reverse("accounts:security"))
    _shoot(page, "09-security")
    page.goto(reverse("accounts:password_change"))
    _shoot(page, "10-password-change")
    page.goto(reverse("accounts:backup_codes"))
    _shoot(page, "10b-backup-codes-regenerate")
    page.goto(reverse("accounts:replace_authenticator"))
    _shoot(page, "10c-replace-authenticator")

    # Chat: a conversation with Bob's latest messages not yet read by Alice.
    threads_ensure_for_family(family=family)
    thread = Thread.objects.get(family=family, kind=Thread.Kind.PARENTS)
    for sender, body in CONVERSATION:
        message_send(sender=alice if sender == "alice" else bob, thread_id=thread.pk, body=body,
                     client_id=uuid.uuid4())
    messages_mark_read(user=alice, thread_id=thread.pk, seq=len(CONVERSATION) - 2)

    parent = new_mobile_context()
    sign_in(parent, alice)
    page = parent.new_page()
    page.goto("/")
    _shoot(page, "11-detail-parent")
    page.goto(reverse("messaging:thread", args=[thread.pk]))
    page.wait_for_selector("#conn-state[data-state=online]")
    page.wait_for_selector("li.msg")
    _shoot(page, "15-chat")
    page.get_by_label("Je bericht").fill("Een bericht dat nog verstuurd moet worden")
    _shoot(page, "15b-chat-typing")
    page.goto(reverse("parentingplan:plan", args=[family.pk]))
    _shoot(page, "16-plan")
    page = coordinator.new_page()
    page.goto(reverse("parentingplan:plan", args=[family.pk]))
    page.wait_for_selector("#conn-state[data-state=online]")
    for summary in page.locator("main details > summary").all():
        summary.click()
    _shoot(page, "17-plan-coordinator")
    page = coordinator.new_page()
    page.goto(reverse("messaging:thread", args=[thread.pk]))
    page.wait_for_selector("li.msg")
    page.locator("main details.participants > summary").click()
    page.get_by_label(rita.display_name).select_option("read")
    page.get_by_label("alleen de berichten vanaf nu").check()
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_selector(".participants[open]")  # open: a proposal waits for the parents
    _shoot(page, "15c-chat-coordinator-relatives")
    proposal = ParticipantProposal.objects.get(user=rita)
    page = parent.new_page()
    page.goto(reverse("messaging:proposal", args=[thread.pk, proposal.pk]))
    _shoot(page, "15d-proposal-parent")

    invited = new_mobile_context().new_page()
    invited.goto(_invitation_link(carol, family, "dana@example.org"))
    _shoot(invited, "12-invitation-accept")
    invited.get_by_role("button", name="Account maken").click()
    _shoot(invited, "12b-invitation-accept-errors")
    invited.goto("/uitnodiging/bestaat-niet/")
    _shoot(invited, "13-invitation-invalid")
    relative_link = _invitation_link(carol, family, "oma.jansen@example.org", role=Role.RELATIVE)
    invited.goto(relative_link)
    _shoot(invited, "12c-invitation-accept-relative")
    invitation_revoke(actor=carol, family_id=family.pk,
                      invitation_id=Invitation.objects.get(email="oma.jansen@example.org").pk)
    invited.goto(relative_link)
    _shoot(invited, "13b-invitation-withdrawn")

    # With DEBUG on the server shows Django's technical 404; the site's own page is what users see.
    settings.DEBUG = False
    html = Client(HTTP_HOST="localhost").get("/bestaat-niet/").content.decode()
    invited.goto("/login/")
    invited.set_content(html)
    invited.wait_for_load_state("load")
    _shoot(invited, "14-not-found")
