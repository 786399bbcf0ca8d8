"""The WebSocket stack every consumer gets.

Django's and django-otp's middleware are HTTP only. This mirrors them for sockets: check the
Origin, load the session user, and accept only a user whose session holds a verified,
confirmed django-otp device and is within the session time limits. Anything else is refused
at the handshake (Daphne answers HTTP 403).
"""

from __future__ import annotations

from channels.auth import AuthMiddlewareStack, get_user
from channels.db import database_sync_to_async
from channels.middleware import BaseMiddleware
from channels.security.websocket import AllowedHostsOriginValidator, WebsocketDenier
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.models import Device


def _verified_device(session, user):
    from accounts.sessions import session_is_current

    if not session_is_current(session):
        return None
    persistent_id = session.get(DEVICE_ID_SESSION_KEY)
    if not persistent_id:
        return None
    device = Device.from_persistent_id(persistent_id)
    if device is None or device.user_id != user.pk or not device.confirmed:
        return None
    return device


class VerifiedUserMiddleware(BaseMiddleware):
    async def __call__(self, scope, receive, send):
        session = scope.get("session")
        user = await get_user(scope) if session is not None else None
        device = None
        if user is not None and user.is_authenticated and user.is_active:
            device = await database_sync_to_async(_verified_device)(session, user)
        if device is None:
            return await WebsocketDenier()(scope, receive, send)
        scope = dict(scope, user=user, otp_device=device)
        return await super().__call__(scope, receive, send)


def PlatformSocketStack(inner):  # noqa: N802 - reads like the Channels stacks it wraps
    return AllowedHostsOriginValidator(AuthMiddlewareStack(VerifiedUserMiddleware(inner)))
