"""Trusted devices and the account page's list of sessions: who is logged in where, and signing
one device out.

A trusted device is a browser in which the user completed both factors (accounts.models
.TrustedDevice). Its cookie holds "<id>.<random token>"; only the token's digest is stored. It
exempts the device from failures typed elsewhere (accounts.throttle) and groups its sessions on the
account page; it never skips a factor.

Signing a device out (or one session without a device) deletes its sessions' rows, so its pages
send it to the login at the next request, and tells the user's open sockets to check their session
at once (`session.check`): the sockets of the deleted sessions close (core.consumers), the others
stay. A user can only sign out their own sessions: everything is looked up under their user id, and
anything else is NotFound.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django_otp import DEVICE_ID_SESSION_KEY

from accounts.models import TrustedDevice, User, UserSession
from accounts.session_store import DEVICE_SESSION_KEY
from accounts.sessions import LOGIN_AT, SEEN_AT, auth_hash_matches, session_is_current
from audit import actions
from audit.services import audit_record
from core.broadcast import broadcast_on_commit
from core.errors import Invalid, NotFound
from core.groups import user_group

COOKIE_SEPARATOR = "."


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def device_label(user_agent: str) -> str:
    """"Chrome|Android" (browser|system, either may be empty): enough to recognise one's own phone
    or laptop in a list; TrustedDevice.display_label words it in the reader's language."""
    ua = user_agent or ""
    browsers = [("Edg/", "Edge"), ("SamsungBrowser", "Samsung Internet"), ("Firefox/", "Firefox"),
                ("FxiOS", "Firefox"), ("CriOS", "Chrome"), ("Chrome/", "Chrome"), ("Chromium", "Chromium"),
                ("Safari/", "Safari")]
    systems = [("iPhone", "iPhone"), ("iPad", "iPad"), ("Android", "Android"), ("Windows", "Windows"),
               ("Mac OS X", "macOS"), ("CrOS", "ChromeOS"), ("Linux", "Linux")]
    browser = next((name for marker, name in browsers if marker in ua), "")
    system = next((name for marker, name in systems if marker in ua), "")
    return f"{browser}|{system}"


def _cookie_parts(request) -> tuple[int, str] | None:
    raw = request.COOKIES.get(settings.TRUSTED_DEVICE_COOKIE_NAME, "")
    pk, _sep, token = raw.partition(COOKIE_SEPARATOR)
    if not pk.isdigit() or not re.fullmatch(r"[A-Za-z0-9_-]{20,100}", token) or int(pk) >= 2**63:
        return None
    return int(pk), token


def trusted_device_from_request(request, *, user_id: int | None = None, email: str | None = None
                                ) -> TrustedDevice | None:
    """The trusted device whose cookie this browser sent, if it is valid (not revoked, used within
    TRUSTED_DEVICE_DAYS) and belongs to the account asked about (by id or by e-mail address)."""
    parts = _cookie_parts(request)
    if parts is None:
        return None
    since = timezone.now() - timedelta(days=settings.TRUSTED_DEVICE_DAYS)
    device = TrustedDevice.objects.select_related("user").filter(
        pk=parts[0], revoked_at__isnull=True, last_login_at__gt=since).first()
    if device is None or not hmac.compare_digest(device.token_digest, _token_digest(parts[1])):
        return None
    if user_id is not None and device.user_id != user_id:
        return None
    if email is not None and device.user.email != User.objects.normalize_email(email):
        return None
    return device


def trusted_device_remember(*, request, user: User) -> str:
    """After a full two-factor login: this browser is (still) a trusted device of `user`. Returns
    the cookie value to set (a new device gets a new token; a known one keeps its cookie)."""
    device = trusted_device_from_request(request, user_id=user.pk)
    now = timezone.now()
    if device is not None:
        TrustedDevice.objects.filter(pk=device.pk).update(last_login_at=now)
        value = request.COOKIES[settings.TRUSTED_DEVICE_COOKIE_NAME]
    else:
        token = secrets.token_urlsafe(32)
        device = TrustedDevice.objects.create(
            user=user, token_digest=_token_digest(token),
            label=device_label(request.META.get("HTTP_USER_AGENT", "")), created_at=now, last_login_at=now,
        )
        value = f"{device.pk}{COOKIE_SEPARATOR}{token}"
        audit_record(action=actions.DEVICE_TRUSTED, actor=user, subject_user=user, request=request,
                     details={"device": device.pk, "label": device.label})
    request.session[DEVICE_SESSION_KEY] = device.pk
    return value


def trusted_device_cookie_set(response, value: str) -> None:
    response.set_cookie(
        settings.TRUSTED_DEVICE_COOKIE_NAME, value,
        max_age=settings.TRUSTED_DEVICE_DAYS * 24 * 3600,
        secure=settings.SESSION_COOKIE_SECURE, httponly=True, samesite="Lax",
    )


# -- the account page's list ------------------------------------------------------------------


def session_ref(session_key: str) -> str:
    """How the page names a session: never its key (a bearer secret), a keyed digest of it."""
    return salted_hmac("accounts.devices.session_ref", session_key, algorithm="sha256").hexdigest()[:24]


@dataclass
class SessionInfo:
    ref: str
    login_at: datetime | None
    seen_at: datetime | None
    verified: bool
    current: bool


@dataclass
class DeviceInfo:
    device: TrustedDevice
    sessions: list[SessionInfo] = field(default_factory=list)

    @property
    def current(self) -> bool:
        return any(session.current for session in self.sessions)


def _when(timestamp) -> datetime | None:
    try:
        return datetime.fromtimestamp(float(timestamp), tz=UTC)
    except (TypeError, ValueError, OverflowError):
        return None


def _live_sessions(user: User) -> list[tuple[UserSession, dict]]:
    """The user's sessions that still hold (time limits, the same password and session epoch)."""
    user.refresh_from_db(fields=["password", "session_epoch"])
    rows = UserSession.objects.filter(user=user, expire_date__gt=timezone.now())
    live = []
    for row in rows:
        data = row.get_decoded()
        if (session_is_current(data) and str(data.get(SESSION_KEY)) == str(user.pk)
                and auth_hash_matches(data.get(HASH_SESSION_KEY, ""), user)):
            live.append((row, data))
    return live


def account_sessions(*, user: User, current_key: str | None) -> tuple[list[DeviceInfo], list[SessionInfo]]:
    """The user's trusted devices (with their open sessions) and their open sessions on no trusted
    device (a login that stopped after the password, in a browser never trusted), newest first."""
    since = timezone.now() - timedelta(days=settings.TRUSTED_DEVICE_DAYS)
    devices = {d.pk: DeviceInfo(device=d) for d in TrustedDevice.objects.filter(
        user=user, revoked_at__isnull=True, last_login_at__gt=since)}
    loose = []
    for row, data in _live_sessions(user):
        info = SessionInfo(ref=session_ref(row.session_key), login_at=_when(data.get(LOGIN_AT)),
                           seen_at=_when(data.get(SEEN_AT)), verified=bool(data.get(DEVICE_ID_SESSION_KEY)),
                           current=row.session_key == current_key)
        if row.device_id in devices:
            devices[row.device_id].sessions.append(info)
        else:
            loose.append(info)
    epoch = datetime.min.replace(tzinfo=UTC)
    for info in devices.values():
        info.sessions.sort(key=lambda s: s.login_at or epoch, reverse=True)
    ordered = sorted(devices.values(), key=lambda d: (not d.current, -d.device.last_login_at.timestamp()))
    loose.sort(key=lambda s: s.login_at or epoch, reverse=True)
    return ordered, loose


# -- signing out ------------------------------------------------------------------------------


def _parse_id(value) -> int | None:
    text = str(value or "")
    return int(text) if text.isdigit() and int(text) < 2**63 else None


def device_sign_out(*, request, user: User, device_id) -> TrustedDevice:
    """End every session of one of the user's trusted devices and stop trusting it; its open
    sockets close after commit. Not the device the request comes from (that is "Uitloggen")."""
    pk = _parse_id(device_id)
    with transaction.atomic():
        device = TrustedDevice.objects.select_for_update().filter(
            pk=pk, user=user, revoked_at__isnull=True).first() if pk is not None else None
        if device is None:
            raise NotFound(_("Dit apparaat staat niet (meer) in je lijst. Kijk in de lijst hieronder."))
        if request.session.get(DEVICE_SESSION_KEY) == device.pk:
            raise Invalid(_("Dit is het apparaat dat je nu gebruikt. Om hier uit te loggen, "
                            "gebruik je ‘Uitloggen’ bovenaan."))
        ended, _by_model = UserSession.objects.filter(user=user, device=device).delete()
        TrustedDevice.objects.filter(pk=device.pk).update(revoked_at=timezone.now())
        audit_record(action=actions.DEVICE_SIGNED_OUT, actor=user, subject_user=user, request=request,
                     details={"device": device.pk, "label": device.label, "sessions": ended})
        broadcast_on_commit(user_group(user.pk), {"type": "session.check"})
    return device


def session_sign_out(*, request, user: User, ref: str) -> None:
    """End one of the user's sessions, named by session_ref (the page offers it for sessions on no
    trusted device: a login that stopped after the password in a browser never trusted)."""
    with transaction.atomic():
        target = next((row for row in UserSession.objects.select_for_update().filter(user=user)
                       if hmac.compare_digest(session_ref(row.session_key), str(ref or ""))), None)
        if target is None:
            raise NotFound(_("Deze sessie is al afgesloten. Kijk in de lijst hieronder."))
        if target.session_key == request.session.session_key:
            raise Invalid(_("Dit is de sessie die je nu gebruikt. Om hier uit te loggen, "
                            "gebruik je ‘Uitloggen’ bovenaan."))
        target.delete()
        audit_record(action=actions.SESSION_SIGNED_OUT, actor=user, subject_user=user, request=request)
        broadcast_on_commit(user_group(user.pk), {"type": "session.check"})
