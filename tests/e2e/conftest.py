"""End-to-end fixtures: the app served by a real Daphne process, and a real Chromium.

Run these tests in their own pytest invocation (tools/test.sh does): sync Playwright keeps an
asyncio loop alive in the main thread, which later asyncio tests in the same process trip over,
and which makes Django refuse ORM calls from the test body unless DJANGO_ALLOW_ASYNC_UNSAFE is set.

The server is a separate process, so it only sees committed data: tests use `e2e_server`, which
pulls in `transactional_db`. That also means PostgreSQL: an SQLite test database cannot be shared
with another process, so the e2e tests are skipped there.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from tests.conftest import password_only_session, verified_session
from tests.processes import REPO_ROOT, LiveServer, require_postgresql, start_daphne

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 360, "height": 740}
LOCALE = "nl-NL"
ARTIFACTS_DIR = REPO_ROOT / "test-results"


@pytest.fixture(autouse=True)
def fast_password_hashing():
    """The real hashers: the Daphne process under test checks passwords with its own settings."""


@pytest.fixture(scope="session")
def _daphne(django_db_setup, tmp_path_factory) -> Iterator[LiveServer]:
    """One Daphne process for the whole run, started once the test database exists and stopped
    before pytest-django drops it (its connections would block the DROP)."""
    require_postgresql("end-to-end tests")
    server = start_daphne(tmp_path_factory.mktemp("daphne") / "daphne.log")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def e2e_server(_daphne, transactional_db) -> LiveServer:
    """The running server; the test's data is committed, so the server sees it."""
    if _daphne.process.poll() is not None:
        pytest.fail(f"Daphne is no longer running:\n{_daphne.log_tail()}")
    return _daphne


@pytest.fixture(scope="session")
def chromium_browser():
    """Debian's Chromium driven by sync Playwright (Playwright's own browser download does not
    work on these machines)."""
    from playwright.sync_api import sync_playwright

    executable = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(executable).exists():
        pytest.skip(f"no Chromium at {executable} (set CHROMIUM_PATH)")
    # Sync Playwright runs an event loop in this thread for as long as it is started; without this
    # Django would refuse every ORM call made by the test body meanwhile.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"e2e_report_{report.when}", report)
    return report


@pytest.fixture
def new_mobile_context(request, chromium_browser, e2e_server) -> Iterator[Callable]:
    """new_mobile_context(**overrides) -> a fresh browser context on the server: a 360 x 740 phone
    in Dutch. Contexts are closed after the test; when the test failed, a screenshot of each open
    page goes to test-results/."""
    contexts = []

    def make(**overrides):
        options = {
            "base_url": e2e_server.url,
            "viewport": VIEWPORT,
            "screen": VIEWPORT,
            "device_scale_factor": 1,
            "is_mobile": True,
            "has_touch": True,
            "locale": LOCALE,
            "timezone_id": "Europe/Amsterdam",
            **overrides,
        }
        context = chromium_browser.new_context(**options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context

    yield make
    report = getattr(request.node, "e2e_report_call", None)
    failed = report is not None and report.failed
    for number, context in enumerate(contexts):
        if failed:
            ARTIFACTS_DIR.mkdir(exist_ok=True)
            for page_number, page in enumerate(context.pages):
                name = f"{request.node.name}-{number}-{page_number}.png".replace("/", "_")
                # A screenshot is a courtesy: the failure itself is reported anyway.
                with contextlib.suppress(Exception):
                    page.screenshot(path=ARTIFACTS_DIR / name, full_page=True)
        context.close()


@pytest.fixture
def mobile_page(new_mobile_context):
    """A page in a fresh 360 x 740 Dutch context."""
    return new_mobile_context().new_page()


@pytest.fixture
def sign_in(e2e_server):
    """sign_in(context, user, verified=True): give the browser a session past both factors (or past
    the password only), without going through the login pages (those have their own test). The
    session is made the way the login views leave it."""

    def attach(context, user, *, verified: bool = True):
        make_session = verified_session if verified else password_only_session
        client = make_session(Client(HTTP_HOST="127.0.0.1"), user)
        context.add_cookies([{
            "name": settings.SESSION_COOKIE_NAME,
            "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
            "url": e2e_server.url,
        }])
        return context

    return attach
