import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import totp_now
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    parts = (part.strip().split() for part in policy.split(";") if part.strip())
    return {part[0]: part[1:] for part in parts}


@pytest.fixture(params=["anonymous", "password only", "verified"])
def visitor(request, anon_client, client_for):
    if request.param == "anonymous":
        return anon_client
    return client_for(request.getfixturevalue("alice"), verified=request.param == "verified")


PAGES = ["/", "/login/", "/login/code/", "/account/", "/account/password/", "/account/backup-codes/",
         "/account/authenticator/", "/account/authenticator/setup/", "/no-such-page/", "/healthz"]


@pytest.mark.parametrize("path", PAGES)
def test_every_response_carries_a_strict_content_security_policy(visitor, path):
    response = visitor.get(path)  # redirects too
    directives = _directives(response)
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-eval'" not in directives["script-src"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["default-src"] == ["'self'"]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_forbids_sniffing_framing_and_leaking_the_referrer(visitor, path):
    response = visitor.get(path, follow=True)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.parametrize("path", ["/", "/account/", "/account/password/", "/account/backup-codes/",
                                  "/account/authenticator/setup/", "/login/", "/login/code/"])
def test_private_pages_are_never_stored_by_a_browser_or_proxy(visitor, path):
    response = visitor.get(path, follow=True)
    assert response.status_code == 200
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"no-store", "private"} <= cache_control


def test_a_family_page_is_never_stored(client_for, alice, family):
    response = client_for(alice).get(reverse("families:detail", args=[family.pk]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_the_page_with_backup_codes_is_never_stored(client_for):
    dana = UserFactory(email="dana@example.org")
    client = client_for(dana, verified=False)
    client.get("/account/authenticator/setup/")
    code = totp_now(TOTPDevice.objects.get(user=dana))
    response = client.post("/account/authenticator/setup/", {"code": code})
    assert "<code>" in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def test_the_password_lockout_page_has_the_headers_too(anon_client, alice, settings):
    for n in range(settings.LOGIN_THROTTLE["pw:acct-addr"][0] + 1):  # past the free failures of an address
        response = anon_client.post(reverse("accounts:login"),
                                    {"email": alice.email, "password": f"wrong {n}"})
    assert response.status_code == 429
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert "no-store" in response["Cache-Control"]


def test_pages_carry_no_inline_script(client_for, alice):
    html = client_for(alice).get("/account/").content.decode()
    assert "<script>" not in html
    assert " on" + "click=" not in html


def test_the_manifest_may_be_cached_publicly(anon_client, db):
    response = anon_client.get(reverse("manifest"))
    assert response.status_code == 200
    assert "public" in response["Cache-Control"]
    assert "X-Content-Type-Options" in response


@pytest.mark.parametrize("path", PAGES)
def test_redirects_to_the_login_carry_the_same_headers_as_pages(visitor, path):
    response = visitor.get(path)  # not followed: the redirect itself
    assert response["X-Frame-Options"] == "DENY"
    if response.status_code in (301, 302):
        assert "no-store" in response["Cache-Control"]
