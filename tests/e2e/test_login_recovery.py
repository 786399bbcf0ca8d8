"""On a 360 x 740 phone in Dutch: linking the authenticator on the same phone through its
otpauth:// link (the key read from the page, the code computed as the app would), keeping the
backup codes (download and copy), and getting back in after a forgotten password through the link
in the e-mail (a server of its own that writes its mail to files)."""

from __future__ import annotations

import re
import time
from base64 import b32decode, b32encode
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from playwright.sync_api import expect

from tests.factories import UserFactory
from tests.processes import free_port, require_postgresql, start_daphne

pytestmark = pytest.mark.e2e

NEW_PASSWORD = "een nieuw wachtwoord voor de fiets"
FITS = "document.documentElement.scrollWidth <= window.innerWidth"


def app_code(secret: str, *, step_offset: int = 0) -> str:
    """What the authenticator app shows for this key now."""
    totp = TOTP(b32decode(secret + "=" * (-len(secret) % 8)), step=30, t0=0, digits=6, drift=0)
    totp.time = time.time() + 30 * step_offset
    return f"{totp.token():06d}"


def test_a_new_parent_links_the_app_on_her_phone_and_keeps_her_backup_codes(new_mobile_context, sign_in):
    dana = UserFactory(email="dana@example.org", display_name="Dana Ouder")
    context = sign_in(new_mobile_context(), dana, verified=False)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(reverse("accounts:enrol"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Tweede stap instellen")
    assert page.evaluate(FITS)

    # The key is on the page, visible, without opening anything.
    key = page.locator("#totp-secret")
    expect(key).to_be_visible()
    secret = key.get_attribute("data-secret")
    assert key.inner_text().replace(" ", "") == secret

    # The link the phone hands to the authenticator app carries that key.
    link = page.get_by_role("link", name="Open in je authenticator-app")
    expect(link).to_be_visible()
    href = link.get_attribute("href")
    parts = urlsplit(href)
    assert (parts.scheme, parts.netloc) == ("otpauth", "totp")
    assert parse_qs(parts.query)["secret"] == [secret]
    # (Not tapped here: this browser has no app for otpauth://, and Chromium's attempt to hand the
    # link to the system holds up the page's next navigations. The app would read what we read.)

    # The copy button copies the key.
    page.get_by_role("button", name="Kopieer de sleutel").click()
    expect(page.get_by_text("De sleutel is gekopieerd. Plak hem in je app.")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == secret

    # Letters are answered at once: a code is six digits.
    code_field = page.get_by_label("Code uit je app")
    code_field.fill("12ab")
    expect(page.get_by_text("De code bestaat uit zes cijfers, zonder letters.")).to_be_visible()
    code_field.fill(app_code(parse_qs(parts.query)["secret"][0]))
    expect(page.get_by_text("De code bestaat uit zes cijfers, zonder letters.")).to_be_hidden()
    page.get_by_role("button", name="Koppelen").click()

    # Ten backup codes: downloaded as a file, and copied.
    # (ten codes, each hashed on purpose slowly: give a busy machine time)
    expect(page.get_by_role("heading", level=1)).to_have_text("Je back-upcodes", timeout=30_000)
    assert page.evaluate(FITS)
    codes = page.get_by_role("list", name="Back-upcodes").get_by_role("listitem").all_inner_texts()
    assert len(codes) == 10
    with page.expect_download() as download:
        page.get_by_role("link", name="Download als bestand").click()
    assert download.value.suggested_filename == "kompas-back-upcodes.txt"
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert all(code in text for code in codes)
    page.get_by_role("button", name="Kopieer de codes").click()
    expect(page.get_by_text("De codes zijn gekopieerd. Plak ze op een veilige plek.")).to_be_visible()
    assert all(code in page.evaluate("navigator.clipboard.readText()") for code in codes)

    page.get_by_role("link", name="Ik heb ze bewaard, ga verder").click()
    expect(page.get_by_role("link", name="Account")).to_be_visible()


@pytest.fixture(scope="module")
def mail_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("mail")


@pytest.fixture(scope="module")
def mail_server(django_db_setup, mail_dir, tmp_path_factory):
    """A Daphne of this module's own that writes every e-mail to a file in `mail_dir`."""
    require_postgresql("end-to-end tests")
    port = free_port()
    server = start_daphne(tmp_path_factory.mktemp("daphne-mail") / "daphne.log", port=port,
                          env={"EMAIL_URL": f"filemail:///{mail_dir}", "SITE_URL": f"http://127.0.0.1:{port}"})
    try:
        yield server
    finally:
        server.stop()


def _mail_to(mail_dir: Path, address: str) -> str:
    for path in sorted(mail_dir.glob("*.log")):
        text = path.read_text(encoding="utf-8")
        if f"To: {address}" in text:
            return text
    raise AssertionError(f"no mail to {address} in {mail_dir}")


def test_a_parent_sets_a_new_password_through_the_email_link_and_still_gives_her_code(
    mail_server, mail_dir, new_mobile_context, sign_in, transactional_db, alice, family
):
    laptop = sign_in(new_mobile_context(base_url=mail_server.url), alice).new_page()
    laptop.goto(reverse("accounts:security"))
    expect(laptop.get_by_role("heading", level=1)).to_have_text("Je account")

    page = new_mobile_context(base_url=mail_server.url).new_page()
    page.goto(reverse("accounts:login"))
    page.get_by_role("link", name="Wachtwoord vergeten?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Wachtwoord vergeten")
    assert page.evaluate(FITS)
    page.get_by_label("Je e-mailadres").fill(alice.email)
    page.get_by_role("button", name="Stuur de link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kijk in je e-mail")
    assert page.evaluate(FITS)

    mail = _mail_to(mail_dir, alice.email)
    link = re.search(r"http://127\.0\.0\.1:\d+/login/reset/\S+/", mail.replace("=\n", "")).group(0)
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Kies een nieuw wachtwoord")
    assert "set-password" in page.url  # the token is out of the address bar (Django's flow)
    page.get_by_label("Nieuw wachtwoord", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Herhaal het nieuwe wachtwoord").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Opslaan").click()

    # The second factor is still asked.
    expect(page.get_by_role("heading", level=1)).to_have_text("Code invullen")
    expect(page.get_by_text("Je nieuwe wachtwoord is opgeslagen.")).to_be_visible()
    assert page.evaluate(FITS)
    device = alice.totpdevice_set.get()
    page.get_by_label("Code uit je app").fill(app_code(b32encode(device.bin_key).decode().rstrip("=")))
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(family.display_name)

    # Her other browser was logged out.
    laptop.goto(reverse("accounts:security"))
    expect(laptop.get_by_role("heading", level=1)).to_have_text("Inloggen")
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)

