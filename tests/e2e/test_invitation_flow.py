"""A parent's first visit, on a phone in Dutch: from the invitation e-mail to the family page,
and back in the next day with password and a fresh code."""

from __future__ import annotations

import re
import time
from base64 import b32decode

import pytest
from django.core import mail
from django_otp.oath import TOTP
from playwright.sync_api import expect

from families.models import Role
from families.services import invitation_send

pytestmark = pytest.mark.e2e

TOTP_STEP = 30
NEW_PARENT_EMAIL = "dana@example.org"
NEW_PARENT_PASSWORD = "zeven groene appels op de fiets"


class Authenticator:
    """What the parent's phone app does with the key it was given."""

    def __init__(self, secret: str):
        self.key = b32decode(secret + "=" * (-len(secret) % 8))
        self.last_step: int | None = None

    def code_at_step(self, step: int) -> str:
        totp = TOTP(self.key, step=TOTP_STEP, t0=0, digits=6, drift=0)
        totp.time = step * TOTP_STEP
        self.last_step = step
        return f"{totp.token():06d}"

    def current_code(self) -> str:
        return self.code_at_step(int(time.time()) // TOTP_STEP)

    def fresh_code(self) -> str:
        """A code from a later time step than the last one used: the server refuses a code twice
        (replay), so wait for the next step to begin (at most one step)."""
        step = max(int(time.time()) // TOTP_STEP, (self.last_step or 0) + 1)
        wait = step * TOTP_STEP - time.time()
        assert wait <= TOTP_STEP + 1, "the authenticator would have to wait more than one step"
        if wait > 0:
            time.sleep(wait + 0.2)
        return self.code_at_step(step)


def test_an_invited_parent_sets_up_their_account_and_logs_in_again(
    e2e_server, mobile_page, carol, family, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation_send(actor=carol, family_id=family.pk, email=NEW_PARENT_EMAIL, role=Role.PARENT)
    assert len(mail.outbox) == 1
    link = re.search(r"/uitnodiging/[^/\s]+/", mail.outbox[0].body).group(0)
    page = mobile_page

    # The invitation: a name and a password.
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Uitnodiging voor {family.display_name}")
    expect(page.get_by_text("Carol Coördinator, begeleider van")).to_be_visible()
    expect(page.get_by_text(NEW_PARENT_EMAIL)).to_be_visible()
    page.get_by_label("Je naam").fill("Dana Ouder")
    page.get_by_label("Kies een wachtwoord").fill(NEW_PARENT_PASSWORD)
    page.get_by_label("Herhaal het wachtwoord").fill(NEW_PARENT_PASSWORD)
    page.get_by_role("button", name="Account maken").click()

    # The second factor: the key is typed over from the page, as someone without a camera would.
    expect(page.get_by_role("heading", level=1)).to_have_text("Tweede stap instellen")
    expect(page.get_by_text("Je account is gemaakt. Stel nu je tweede stap in.")).to_be_visible()
    secret = page.locator("#totp-secret")
    expect(secret).to_be_visible()
    app = Authenticator(secret.get_attribute("data-secret"))
    page.get_by_label("Code uit je app").fill(app.current_code())
    page.get_by_role("button", name="Koppelen").click()

    # Ten backup codes, shown once.
    expect(page.get_by_role("heading", level=1)).to_have_text("Je back-upcodes")
    expect(page.get_by_text("Gelukt: je tweede stap is ingesteld.")).to_be_visible()
    codes = page.get_by_role("list", name="Back-upcodes").get_by_role("listitem")
    expect(codes).to_have_count(10)
    page.get_by_role("link", name="Ik heb ze bewaard, ga verder").click()

    # The family page.
    expect(page.get_by_role("heading", level=1)).to_have_text(family.display_name)
    expect(page.get_by_text("jouw rol: ouder")).to_be_visible()

    page.get_by_role("button", name="Uitloggen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen")
    expect(page.get_by_text("Je bent uitgelogd op dit apparaat.")).to_be_visible()

    # Back in: password, then a code from a later time step than the one used when enrolling.
    page.get_by_label("E-mailadres").fill(NEW_PARENT_EMAIL)
    page.get_by_label("Wachtwoord", exact=True).fill(NEW_PARENT_PASSWORD)
    page.get_by_role("button", name="Verder").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Code invullen")
    page.get_by_label("Code uit je app").fill(app.fresh_code())
    page.get_by_role("button", name="Inloggen").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(family.display_name)
    expect(page).to_have_url(re.compile(rf"/gezin/{family.pk}/$"))
