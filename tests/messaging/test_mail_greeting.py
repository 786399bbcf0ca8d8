"""Every e-mail greets its reader by their first name (issue 9, item 10: "Hallo Anouk", never
"Hallo Anouk Bakker"): the mails of messaging and moderation. The account mails are checked in
tests/accounts (test_account_settings, test_password_reset), the second-factor reset in
tests/families/test_second_factor_reset.py."""

from __future__ import annotations

import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from messaging import notices, services
from moderation import services as moderation_services

pytestmark = pytest.mark.django_db

NOON = datetime(2026, 11, 23, 12, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))  # outside quiet hours


def test_a_message_notice_greets_the_reader_by_first_name(threads, alice, bob):
    message, _new = services.message_send(sender=alice, thread_id=threads["parents"].pk, body="Hoi",
                                          client_id=uuid.uuid4())
    notices.message_notices_send(message_id=message.pk, now=NOON)
    [notice] = [m for m in mail.outbox if m.to == [bob.email]]
    assert notice.body.startswith("Hallo Bob,\n")
    assert "Bob Ouder" not in notice.body.splitlines()[0]


def test_the_contact_mode_mail_greets_each_parent_by_first_name(family, alice, bob, carol,
                                                                django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        moderation_services.contact_mode_change(actor=carol, family_id=family.pk, mode="moderated",
                                                reason="Even rustiger aan.")
    greetings = sorted(m.body.splitlines()[0] for m in mail.outbox)
    assert greetings == ["Hallo Alice,", "Hallo Bob,"]
