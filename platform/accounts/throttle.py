"""Slowing down guesses without handing anyone the power to lock a parent out.

The scheme (docs/ARCHITECTURE.md, "Login throttling", says why):

- A browser in which the user completed a full two-factor login is a *trusted device*
  (accounts.devices: a cookie with a random token). Wrong passwords and codes typed there count
  only against that device; nothing typed anywhere else ever blocks it.
- Everywhere else (an *unknown device*) failures count per account and address, per account, and
  (passwords) per address; each key has a few free failures, then a wait that doubles with every
  further failure up to a cap. Someone hammering one account from one address slows only that
  address first; the account-wide count needs many addresses and still never touches a trusted
  device.
- A session that came in through a password-reset link (proof of the mailbox) has its own code
  counter too.

Every key is stored as an HMAC digest in accounts.LoginThrottle. A blocked key is refused before
the password or code is checked, and a refused attempt is not counted (a wait cannot be stretched
by hammering during it). The counts are updated under row locks, so parallel guesses all count.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import formats, timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import LoginThrottle

Key = tuple[str, str]  # (kind, value), e.g. ("pw:acct", "alice@example.org")


@dataclass(frozen=True)
class Policy:
    free: int  # failures without any wait
    first_wait: int  # seconds, after the first failure past the free ones; doubles after each next
    longest_wait: int  # seconds: the cap
    forget_after: int  # seconds without a failure after which the count starts again


def policy(kind: str) -> Policy:
    return Policy(*settings.LOGIN_THROTTLE[kind])


def _digest(key: Key) -> str:
    kind, value = key
    return salted_hmac("accounts.throttle", f"{kind}\n{value}", algorithm="sha256").hexdigest()


def blocked_until(keys: list[Key]) -> datetime | None:
    """The end of the longest wait among `keys`, or None when none of them is blocked now."""
    now = timezone.now()
    ends = LoginThrottle.objects.filter(
        digest__in=[_digest(key) for key in keys], blocked_until__gt=now
    ).values_list("blocked_until", flat=True)
    return max(ends, default=None)


@dataclass(frozen=True)
class Hit:
    until: datetime | None  # the longest wait now running among the keys, if any
    started: list[str]  # kinds of the keys whose first wait began with this failure
    left: int | None  # failures left before the first wait (the least over the keys); None if waiting


def failure(keys: list[Key]) -> Hit:
    """Count one failure against every key. Call it outside the caller's own transaction, or the
    count rolls back with whatever refused the attempt."""
    now = timezone.now()
    started, ends, left = [], [], []
    with transaction.atomic():
        for key in sorted(keys):  # one lock order everywhere: no deadlocks between parallel tries
            kind = key[0]
            rule = policy(kind)
            digest = _digest(key)
            LoginThrottle.objects.get_or_create(digest=digest, defaults={"kind": kind})
            row = LoginThrottle.objects.select_for_update().get(digest=digest)
            if row.last_failure_at is None or (now - row.last_failure_at).total_seconds() > rule.forget_after:
                row.failures = 0
            row.failures += 1
            row.last_failure_at = now
            over = row.failures - rule.free
            if over > 0:
                wait = min(rule.first_wait * 2 ** min(over - 1, 30), rule.longest_wait)
                row.blocked_until = now + timedelta(seconds=wait)
                ends.append(row.blocked_until)
                if over == 1:
                    started.append(kind)
            else:
                left.append(-over)
            row.save(update_fields=["failures", "last_failure_at", "blocked_until"])
        # Rows untouched for long are of no use any more; clean up as we go.
        stale = now - timedelta(days=settings.LOGIN_THROTTLE_KEEP_DAYS)
        LoginThrottle.objects.filter(last_failure_at__lt=stale).delete()
    until = max(ends, default=None)
    return Hit(until=until, started=started, left=None if until else min(left, default=0))


def success(keys: list[Key]) -> None:
    """A right password or code: the streak of these keys is over."""
    LoginThrottle.objects.filter(digest__in=[_digest(key) for key in keys]).delete()


def wait_text(until: datetime) -> str:
    """"over 4 minuten (om 14:32)": how long, and until when in the user's local time."""
    seconds = max(1, math.ceil((until - timezone.now()).total_seconds()))
    if seconds < 60:
        span = ngettext("%(n)d seconde", "%(n)d seconden", seconds) % {"n": seconds}
    elif seconds < 5400:
        minutes = math.ceil(seconds / 60)
        span = ngettext("%(n)d minuut", "%(n)d minuten", minutes) % {"n": minutes}
    else:
        hours = math.ceil(seconds / 3600)
        span = ngettext("%(n)d uur", "%(n)d uur", hours) % {"n": hours}
    clock = formats.time_format(timezone.localtime(until), "H:i")
    return _("over %(span)s (om %(clock)s)") % {"span": span, "clock": clock}


# -- the keys of each kind of attempt ----------------------------------------------------------


def password_keys(*, email: str, address: str | None, device_id: int | None) -> list[Key]:
    if device_id is not None:
        return [("pw:device", str(device_id))]
    address = address or "-"
    return [("pw:acct-addr", f"{email}\n{address}"), ("pw:acct", email), ("pw:addr", address)]


def password_success_keys(*, email: str, address: str | None, device_id: int | None) -> list[Key]:
    """What a right password clears: this device's or this address's count for the account, never
    the account-wide count (anyone who knows the password could otherwise reset it)."""
    if device_id is not None:
        return [("pw:device", str(device_id))]
    return [("pw:acct-addr", f"{email}\n{address or '-'}")]


def code_keys(*, user_id: int, address: str | None, device_id: int | None, mail_nonce: str | None
              ) -> list[Key]:
    if device_id is not None:
        return [("otp:device", str(device_id))]
    if mail_nonce:
        return [("otp:mail", mail_nonce)]
    return [("otp:acct-addr", f"{user_id}\n{address or '-'}"), ("otp:acct", str(user_id))]


def reset_mail_keys(*, email: str, address: str | None, device_id: int | None) -> list[Key]:
    """Password-reset mails (against flooding someone's inbox). A trusted device of the account
    asks on its own count, so a stranger's flood cannot stop the parent's own request."""
    if device_id is not None:
        return [("mail:device", str(device_id))]
    return [("mail:acct", email), ("mail:addr", address or "-")]
