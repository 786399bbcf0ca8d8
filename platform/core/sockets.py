"""Socket features: what a feature app adds to the one socket, declared, not mixed in.

A feature is a class with one instance per open socket. It declares the client frames it handles
(`@frame("thread.join", Schema(...))`) and the channel-layer events it receives (`@event("message.new")`),
and it must say what happens when the user's access may have changed (`access_check`): it is called
on every `access.changed` event and on the socket's periodic check, and it stops every live frame the
user may no longer see. config.routing composes the socket from a list of features; two features
claiming one frame or event type is an error at start (ImproperlyConfigured), never a silent override.

    class ChatFeature(SocketFeature):
        name = "chat"

        @frame("thread.join", Schema("thread.join", thread=Id(), after=Seq(default=0)))
        async def join(self, fields): ...

        @event("message.new")
        async def message_new(self, event): ...      # no database, no rules

        async def access_check(self): ...
"""

from __future__ import annotations

import abc
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured

from core.frames import Schema


def frame(frame_type: str, schema: Schema | None = None):
    """Marks a feature method as the handler of client frame `frame_type`; it gets the fields
    `schema` parsed (the whole frame when there is no schema)."""

    def mark(method):
        method.socket_frame = (frame_type, schema)
        return method

    return mark


def event(event_type: str):
    """Marks a feature method as the handler of channel-layer event `event_type`."""

    def mark(method):
        method.socket_event = event_type
        return method

    return mark


class SocketFeature(abc.ABC):
    """One feature of one open socket. `self.socket` is the consumer: `self.socket.user`,
    `send_json`, `channel_layer`, `channel_name`, `close`."""

    name: str = ""

    def __init__(self, socket):
        self.socket = socket

    async def opened(self) -> None:  # noqa: B027 - an optional hook
        """The socket was accepted."""

    async def closed(self) -> None:  # noqa: B027 - an optional hook
        """The socket closed: leave every group joined."""

    async def pinged(self) -> None:  # noqa: B027 - an optional hook
        """The client sent its keep-alive ping."""

    @abc.abstractmethod
    async def access_check(self) -> None:
        """The user's access may have changed (a membership ended or changed role, a practitioner
        took them out of something, or simply the periodic check): ask the selectors again what the
        user may still see, and stop the live frames of everything else, telling the client."""


@dataclass(frozen=True)
class Route:
    feature: int  # index into the socket's features
    method: str
    schema: Schema | None = None


@dataclass(frozen=True)
class Routes:
    features: tuple[type[SocketFeature], ...]
    frames: dict[str, Route]
    events: dict[str, Route]


def build_routes(features: list[type[SocketFeature]], *, reserved_frames=(), reserved_events=()) -> Routes:
    """The frame and event tables of a socket made of `features`; a type claimed twice (or one the
    platform handles itself) raises ImproperlyConfigured."""
    frames: dict[str, Route] = {}
    events: dict[str, Route] = {}
    owners: dict[str, str] = {t: "platform" for t in (*reserved_frames, *reserved_events)}
    names = set()
    for index, feature in enumerate(features):
        if not feature.name or feature.name in names:
            raise ImproperlyConfigured(f"socket feature {feature.__qualname__} needs a unique name")
        names.add(feature.name)
        if getattr(feature.access_check, "__isabstractmethod__", False):
            raise ImproperlyConfigured(f"socket feature {feature.name} must implement access_check")
        for attribute in dir(feature):
            method: Callable | None = getattr(feature, attribute, None)
            for table, mark, reserved in ((frames, "socket_frame", reserved_frames),
                                          (events, "socket_event", reserved_events)):
                declared = getattr(method, mark, None)
                if declared is None:
                    continue
                kind, schema = declared if mark == "socket_frame" else (declared, None)
                key = f"{mark}:{kind}"
                if kind in table or kind in reserved or key in owners:
                    other = owners.get(key) or owners.get(kind, "platform")
                    raise ImproperlyConfigured(
                        f"{'frame' if mark == 'socket_frame' else 'event'} type {kind!r} is claimed by both "
                        f"{other} and {feature.name}")
                owners[key] = feature.name
                table[kind] = Route(index, attribute, schema)
    return Routes(tuple(features), frames, events)
