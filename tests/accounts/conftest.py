"""Helpers for the account tests: log in through the real forms, pick a code the phone does not show,
and age stored throttling timestamps instead of waiting."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import F
from django.test import Client
from django.urls import reverse

from tests.conftest import totp_now
from tests.factories import PASSWORD


def log_in_with_password(client: Client, user, *, password: str = PASSWORD, next_url: str | None = None,
                         **extra):
    url = reverse("accounts:login")
    if next_url is not None:
        url = f"{url}?{urlencode({'next': next_url})}"
    return client.post(url, {"email": user.email, "password": password, "next": next_url or ""}, **extra)


def enter_code(client: Client, code: str, *, next_url: str | None = None):
    url = reverse("accounts:verify")
    if next_url is not None:
        url = f"{url}?{urlencode({'next': next_url})}"
    return client.post(url, {"code": code, "next": next_url or ""})


def wrong_code(device) -> str:
    """Six digits the device accepts at no step inside its tolerance window."""
    accepted = {totp_now(device, offset_steps=n) for n in range(-device.tolerance - 1, device.tolerance + 2)}
    return next(code for code in (f"{n:06d}" for n in range(123456, 10**6)) if code not in accepted)


def session_key(client: Client) -> str | None:
    cookie = client.cookies.get(settings.SESSION_COOKIE_NAME)
    return cookie.value if cookie is not None and cookie.value else None


def age_device_throttle(device, *, seconds: int = 3600) -> None:
    """Move the device's last failure back in time, as if the user had waited."""
    type(device).objects.filter(pk=device.pk, throttling_failure_timestamp__isnull=False).update(
        throttling_failure_timestamp=F("throttling_failure_timestamp") - timedelta(seconds=seconds)
    )

