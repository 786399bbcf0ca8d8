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



PHONE_UA = ("Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/124.0 Mobile Safari/537.36")
LAPTOP_UA = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"


def browser(address: str = "192.0.2.10", user_agent: str = PHONE_UA) -> Client:
    """A browser of its own (cookies), at a client address of its own."""
    return Client(HTTP_HOST="localhost", REMOTE_ADDR=address, HTTP_USER_AGENT=user_agent)


def next_code(device) -> str:
    """The code the phone shows in the next time step: django-otp accepts each step once, so a
    second login in one test waits for a new step; here the step used last is forgotten instead."""
    type(device).objects.filter(pk=device.pk).update(last_t=-1)
    return totp_now(device)


def full_login(client: Client, user, *, password: str = PASSWORD) -> Client:
    """Both factors through the real pages: afterwards the browser is a trusted device of `user`."""
    response = log_in_with_password(client, user, password=password)
    assert response.status_code == 302, response.content.decode()[:500]
    response = enter_code(client, next_code(user.totpdevice_set.get()))
    assert response.status_code == 302 and response["Location"] == reverse("families:home"), response
    assert client.cookies[settings.TRUSTED_DEVICE_COOKIE_NAME].value
    return client


def age_throttles(*, seconds: int) -> None:
    """As if `seconds` had passed since every counted failure (and every wait had run that long)."""
    from accounts.models import LoginThrottle

    LoginThrottle.objects.filter(blocked_until__isnull=False).update(
        blocked_until=F("blocked_until") - timedelta(seconds=seconds))
    LoginThrottle.objects.filter(last_failure_at__isnull=False).update(
        last_failure_at=F("last_failure_at") - timedelta(seconds=seconds))


def is_verified_page(client: Client) -> bool:
    """The account page opens: a session past both factors."""
    return client.get(reverse("accounts:security")).status_code == 200
