"""Personas and helpers shared by every test.

The family: Alice and Bob are its parents, Carol its coordinating practitioner, Pim a second
practitioner, Rita a relative (grandmother). Charlie is a parent in another family (an outsider
to Alice's family). Every persona already has a confirmed authenticator.
"""

from __future__ import annotations

import time

import pytest
from django.conf import settings
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP

from accounts.sessions import session_started
from families.models import Role
from tests.factories import PASSWORD, FamilyFactory, MembershipFactory, UserFactory, confirmed_totp


def totp_now(device, *, offset_steps: int = 0) -> str:
    """The code the user's phone shows now (or `offset_steps` periods later)."""
    gen = TOTP(device.bin_key, device.step, device.t0, device.digits, 0)
    gen.time = time.time() + offset_steps * device.step
    return f"{gen.token():0{device.digits}d}"


def _persona(email: str, name: str, *, may_open_cases: bool = False):
    user = UserFactory(email=email, display_name=name, may_open_cases=may_open_cases)
    confirmed_totp(user)
    return user


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Argon2's deliberate slowness only costs test time. The browser tests override this: their
    server process checks passwords with the real settings."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def family(db):
    return FamilyFactory(reference="T-ALICE", display_name="Familie Alice en Bob")


@pytest.fixture
def other_family(db):
    return FamilyFactory(reference="T-OTHER", display_name="Ander gezin")


@pytest.fixture
def alice(family):
    user = _persona("alice@example.org", "Alice Ouder")
    MembershipFactory(user=user, family=family, role=Role.PARENT)
    return user


@pytest.fixture
def bob(family):
    user = _persona("bob@example.org", "Bob Ouder")
    MembershipFactory(user=user, family=family, role=Role.PARENT)
    return user


@pytest.fixture
def carol(family):
    user = _persona("carol@example.org", "Carol Coördinator", may_open_cases=True)
    MembershipFactory(user=user, family=family, role=Role.COORDINATOR)
    return user


@pytest.fixture
def pim(family):
    user = _persona("pim@example.org", "Pim Professional", may_open_cases=True)
    MembershipFactory(user=user, family=family, role=Role.PRACTITIONER)
    return user


@pytest.fixture
def rita(family):
    user = _persona("rita@example.org", "Rita Oma")
    MembershipFactory(user=user, family=family, role=Role.RELATIVE)
    return user


@pytest.fixture
def charlie(other_family):
    user = _persona("charlie@example.org", "Charlie Buitenstaander")
    MembershipFactory(user=user, family=other_family, role=Role.PARENT)
    return user


def verified_session(client: Client, user) -> Client:
    """Log `user` in with both factors, the way the login views leave the session."""
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    device = user.totpdevice_set.filter(confirmed=True).first()
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session_started(session)
    session.save()
    return client


def password_only_session(client: Client, user) -> Client:
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session_started(session)
    session.save()
    return client


@pytest.fixture
def client_for(db):
    """client_for(user) -> a Django test client logged in with both factors."""

    def make(user, *, verified: bool = True) -> Client:
        client = Client(HTTP_HOST="localhost")
        return verified_session(client, user) if verified else password_only_session(client, user)

    return make


@pytest.fixture
def anon_client():
    return Client(HTTP_HOST="localhost")


def session_cookie_header(client: Client) -> tuple[bytes, bytes]:
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    return (b"cookie", f"{settings.SESSION_COOKIE_NAME}={cookie}".encode())


@pytest.fixture(autouse=True)
def no_remembered_alerts():
    """moderation.policy remembers raised alerts per process; the test database is emptied between
    tests, so what one test raised must not keep another test's check from counting."""
    from moderation.policy import alerts_memo_clear

    yield
    alerts_memo_clear()


@pytest.fixture(autouse=True)
def dutch_by_default():
    """Every test starts in the default language (Dutch), whatever an earlier test or request left
    active in this thread: a page asked in English must not make the next test's texts English."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
