"""Moderation fixtures: the family of tests/conftest.py in a chosen contact mode, with its threads
(and messaging's notice-job guard, so that delivered messages' e-mail checks end with their test)."""

from __future__ import annotations

import uuid

import pytest

from moderation import services
from tests.messaging.conftest import notice_jobs, threads  # noqa: F401 - fixtures used here


def set_mode(family, coordinator, mode: str) -> None:
    services.contact_mode_change(actor=coordinator, family_id=family.pk, mode=mode, reason="Test: " + mode)


@pytest.fixture
def moderated(family, carol, threads):  # noqa: F811 - the imported fixture
    set_mode(family, carol, "moderated")
    return threads


@pytest.fixture
def indirect(family, carol, threads):  # noqa: F811
    set_mode(family, carol, "indirect")
    return threads


def new_id() -> str:
    return str(uuid.uuid4())
