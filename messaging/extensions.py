"""How another app takes part in the chat without messaging importing it.

Moderation registers one `ChatExtension` in its AppConfig.ready(); messaging calls the registered
extensions at a few fixed points and knows nothing else about them:

- `family_sql(family, alias)`: what the extension wants to know about a send's family, as SELECT
  expressions and a LEFT JOIN matching at most one row per family, read in the send's own access
  statement (no round trip of its own; moderation: the contact mode and the escalation policy).
  The values reach `screen` as `ScreenedSend.family[name]`; a send whose access statement would
  have waited for its thread's lock comes without them (the extension reads them itself, after
  the lock: messaging.selectors.threads_access says why).
- `screen(sends)`: inside the send transaction, with the threads' rows locked, for the sends that
  passed the access check: deliver (None), keep back (`Held`: the extension stored it its own way and
  the sender's ack carries `Held.frame`) or refuse (a DomainError, raised for that send). ONE call
  per batch of sends: it must cost a bounded number of queries for the whole batch (moderation reads
  the contact modes of the batch's families together), and nothing for sends it does not care about.
- `delivered(sends, messages)`: inside the same transaction, for the batch's plain sends, about to
  be stored as `messages` (in the order of `sends`; not stored yet, so without their ids): ONE call
  per batch, which runs no query and returns the rows the extension keeps about them, as
  (row, field, message) with `field` the row's one-to-one primary key to its message. They are
  stored in the same statement as the messages (core.db.insert_rows: no round trip of their own;
  moderation keeps each parent's message's tone assessment, worked out in `screen`, in its own
  table). Nothing the extension stores here may reach the frames.
- `resent(...)`: a send hit the unique client_id and no message has it: the extension's own record
  of that send, if any (a held message sent again after a reconnect).
- `history(...)`: extra keys for the `thread.history` frame (the sender's own held messages).
- `export(...)` / `export_templates()`: extra keys for a thread export, and the templates that show
  them in the PDF (drafts, decisions, relays, as far as the member may see them).
- `page(...)`: what the extension adds to the thread page (a banner, a form), as panels.
- `verify(thread)`: problems found in the extension's records of a thread (verify_records).

Why a registered hook and not an import: moderation is built on messaging (a release appends a
message through messaging.services.message_append), so messaging importing moderation would be a
cycle, and messaging must work and be tested on its own; a hook also keeps the chat's hot path
under messaging's control (one call per batch, not per message).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ImproperlyConfigured


@dataclass
class Held:
    """A send an extension kept back: not a message of the thread (it has no seq)."""

    frame: dict


@dataclass
class ScreenedSend:
    sender: Any
    thread: Any  # messaging.models.Thread, its row locked (last_seq and head_hash as read under the lock)
    membership: Any  # the sender's active membership of the thread's family
    body: str
    client_id: Any  # uuid.UUID
    # What an extension worked out in screen() and wants again in delivered() (moderation: the tone
    # assessment), by extension name. Lives only as long as the batch.
    notes: dict = field(default_factory=dict)
    # The values of each extension's family_sql columns, read with the access check, by extension
    # name (absent where the caller did not read them: the extension then reads them itself).
    family: dict = field(default_factory=dict)


class ChatExtension:
    """The points an extension may take part in; each does nothing unless overridden."""

    name = ""

    def family_sql(self, *, family: str, alias: str) -> tuple[list[str], str] | None:
        """SELECT expressions and a LEFT JOIN (matching at most one row per family) about the family
        whose id is the SQL expression `family`, with table aliases that start with `alias`: read in
        the send's access statement, handed to screen() as ScreenedSend.family[name]."""
        return None

    def screen(self, sends: list[ScreenedSend]) -> list[Held | Exception | None]:
        return [None] * len(sends)

    def delivered(self, sends: list[ScreenedSend], messages: list) -> list[tuple[Any, str, Any]]:
        return []

    def resent(self, *, thread_id: int, sender, client_id) -> Held | None:
        return None

    def history(self, *, user, access, messages) -> dict:
        return {}

    def export(self, *, membership, thread, messages) -> dict:
        return {}

    def export_templates(self) -> list[str]:
        return []

    def page(self, *, request, access) -> dict:
        """{"panels": [{"slot": "head" | "foot", "template": name, ...}], "compose_blocked": bool}"""
        return {}

    def verify(self, thread) -> list[str]:
        return []


_extensions: dict[str, ChatExtension] = {}
_family_sql_parts: dict[str, tuple] = {}  # family_sql's answers, by `family` expression


def register(extension: ChatExtension) -> None:
    known = _extensions.get(extension.name)
    if known is not None and type(known) is not type(extension):
        raise ImproperlyConfigured(f"two chat extensions are named {extension.name!r}")
    _extensions[extension.name] = extension
    _family_sql_parts.clear()


def registered() -> list[ChatExtension]:
    return list(_extensions.values())


def family_sql(*, family: str) -> tuple[tuple[str, list[str], str], ...]:
    """The registered extensions' family_sql parts, (name, expressions, join) each. Built once per
    `family` expression (every send asks: the text depends only on what is registered)."""
    parts = _family_sql_parts.get(family)
    if parts is None:
        parts = _family_sql_parts[family] = tuple(
            (extension.name, *sql) for n, extension in enumerate(_extensions.values())
            if (sql := extension.family_sql(family=family, alias=f"x{n}")) is not None)
    return parts


def screen(sends: list[ScreenedSend]) -> list[Held | Exception | None]:
    """Each send's outcome: the first extension that keeps back or refuses a send decides it."""
    outcomes: list = [None] * len(sends)
    for extension in _extensions.values():
        open_ = [i for i, outcome in enumerate(outcomes) if outcome is None]
        if not open_:
            break
        for i, outcome in zip(open_, extension.screen([sends[i] for i in open_]), strict=True):
            outcomes[i] = outcome
    return outcomes


def delivered(sends: list[ScreenedSend], messages: list) -> list[tuple[Any, str, Any]]:
    """The rows the extensions keep about the sends being delivered, each as its message (same
    order), to store with the messages: (row, field, message) each."""
    return [linked for extension in _extensions.values() for linked in extension.delivered(sends, messages)]


def resent(*, thread_id: int, sender, client_id) -> Held | None:
    for extension in _extensions.values():
        held = extension.resent(thread_id=thread_id, sender=sender, client_id=client_id)
        if held is not None:
            return held
    return None


def history(*, user, access, messages) -> dict:
    extra: dict = {}
    for extension in _extensions.values():
        extra.update(extension.history(user=user, access=access, messages=messages))
    return extra


def export(*, membership, thread, messages) -> dict:
    extra: dict = {}
    for extension in _extensions.values():
        extra.update(extension.export(membership=membership, thread=thread, messages=messages))
    return extra


def export_templates() -> list[str]:
    return [name for extension in _extensions.values() for name in extension.export_templates()]


def page(*, request, access) -> dict:
    panels, blocked = [], False
    for extension in _extensions.values():
        extra = extension.page(request=request, access=access)
        panels += extra.get("panels", [])
        blocked = blocked or bool(extra.get("compose_blocked"))
    return {"chat_panels": panels, "compose_blocked": blocked}


def verify(thread) -> list[str]:
    return [problem for extension in _extensions.values() for problem in extension.verify(thread)]
