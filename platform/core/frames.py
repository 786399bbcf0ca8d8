"""Frame fields, declared once per frame type and parsed in one place.

    SEND = Schema("message.send", thread=Id(), client_id=ClientId(), body=Text(max_chars=4000))
    fields = SEND.parse(content)        # {"thread": 3, "client_id": "...", "body": "..."}

Every feature's frames (chat, plan, moderation) use these fields, so every malformed field gets
the same answer: `Invalid` with a detail that names the field and says what it must be. The checks
are the ones a frame can break the server with if they are missing:
- integers outside 64 bits (PostgreSQL refuses them, SQLite overflows, a group name gets too long);
- booleans posing as integers (`true` is an int in Python);
- lone surrogates ("\\ud800" is valid JSON but cannot be encoded as UTF-8: the database driver, the
  hash and the socket's own send would fail later and close the socket with 1011);
- a JSON number as a client id (str() of a 32-digit number is a valid UUID).

A small helper of our own rather than pydantic: a frame has a handful of flat fields, and the
chat's hot path parses one per message (this costs a few microseconds).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.utils.translation import gettext as _

from core.errors import Invalid

INT64 = range(-(2**63), 2**63)
MISSING = object()


def has_lone_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def clean_json_value(value, *, depth: int = 0):
    """A free-form JSON value (an object inside a frame) without lone surrogates or huge integers."""
    if depth > 8:
        raise ValueError("too deep")
    if isinstance(value, str):
        if has_lone_surrogate(value):
            raise ValueError("lone surrogate")
    elif isinstance(value, bool) or value is None or isinstance(value, float):
        pass
    elif isinstance(value, int):
        if value not in INT64:
            raise ValueError("integer out of range")
    elif isinstance(value, list):
        for item in value:
            clean_json_value(item, depth=depth + 1)
    elif isinstance(value, dict):
        for key, item in value.items():
            clean_json_value(key, depth=depth + 1)
            clean_json_value(item, depth=depth + 1)
    return value


class Field:
    """One field of a frame. `default` makes it optional; `nullable` lets it be JSON null."""

    def __init__(self, *, default=MISSING, nullable: bool = False):
        self.default, self.nullable = default, nullable

    def parse(self, name: str, value):
        if value is MISSING:
            if self.default is MISSING:
                raise Invalid(_('Het veld "%(key)s" ontbreekt.') % {"key": name})
            return self.default
        if value is None and self.nullable:
            return None
        return self.check(name, value)

    def check(self, name: str, value):
        return value


class Int(Field):
    def __init__(self, *, minimum: int = -(2**63), maximum: int = 2**63 - 1, **kwargs):
        super().__init__(**kwargs)
        self.minimum, self.maximum = minimum, maximum

    def check(self, name, value):
        if isinstance(value, bool) or not isinstance(value, int):
            raise Invalid(_('Het veld "%(key)s" moet een geheel getal zijn.') % {"key": name})
        if not self.minimum <= value <= self.maximum:
            raise Invalid(_('Het veld "%(key)s" moet een geheel getal van %(min)s tot en met %(max)s zijn.')
                          % {"key": name, "min": self.minimum, "max": self.maximum})
        return value


def Id(**kwargs) -> Int:  # noqa: N802 - reads like a field class
    """A database id: 1 up to the largest 64-bit integer."""
    return Int(minimum=1, **kwargs)


def Seq(**kwargs) -> Int:  # noqa: N802
    """A sequence number or revision: 0 up to the largest 64-bit integer."""
    return Int(minimum=0, **kwargs)


class Bool(Field):
    def check(self, name, value):
        if not isinstance(value, bool):
            raise Invalid(_('Het veld "%(key)s" moet true of false zijn.') % {"key": name})
        return value


class Text(Field):
    """A string of at most `max_chars` characters, without lone surrogates. The length is checked
    by the service where it has a message of its own (a chat body: "too long, n of max")."""

    def __init__(self, *, max_chars: int, **kwargs):
        super().__init__(**kwargs)
        self.max_chars = max_chars

    def check(self, name, value):
        if not isinstance(value, str):
            raise Invalid(_('Het veld "%(key)s" moet tekst zijn.') % {"key": name})
        if has_lone_surrogate(value):
            raise Invalid(_('Het veld "%(key)s" bevat tekens die geen geldige tekst zijn.') % {"key": name})
        if len(value) > self.max_chars:
            raise Invalid(_('Het veld "%(key)s" is te lang (maximaal %(max)d tekens).')
                          % {"key": name, "max": self.max_chars})
        return value


class ClientId(Field):
    """A UUID chosen by the client, as a string. The value is kept as the client spelled it: answers
    echo it so that the client can match them (upper case, without hyphens, ...)."""

    def check(self, name, value):
        if not isinstance(value, str) or len(value) > 64 or has_lone_surrogate(value):
            raise Invalid(_('Het veld "%(key)s" moet een UUID zijn (tekst).') % {"key": name})
        try:
            uuid.UUID(value)
        except ValueError:
            raise Invalid(_('Het veld "%(key)s" moet een UUID zijn (tekst).') % {"key": name}) from None
        return value


class Choice(Field):
    def __init__(self, choices: Iterable[str], **kwargs):
        super().__init__(**kwargs)
        self.choices = tuple(choices)

    def check(self, name, value):
        if not isinstance(value, str) or value not in self.choices:
            raise Invalid(_('Het veld "%(key)s" moet een van deze zijn: %(choices)s.')
                          % {"key": name, "choices": ", ".join(self.choices)})
        return value


class Ids(Field):
    """A list of database ids (each 1 up to the largest 64-bit integer), at most `max_items`."""

    def __init__(self, *, max_items: int, **kwargs):
        super().__init__(**kwargs)
        self.max_items = max_items

    def check(self, name, value):
        if not isinstance(value, list):
            raise Invalid(_('Het veld "%(key)s" moet een lijst van ids zijn.') % {"key": name})
        if len(value) > self.max_items:
            raise Invalid(_('Het veld "%(key)s" mag hoogstens %(max)d ids bevatten.')
                          % {"key": name, "max": self.max_items})
        for item in value:
            if isinstance(item, bool) or not isinstance(item, int) or not 1 <= item < 2**63:
                raise Invalid(_('Het veld "%(key)s" moet een lijst van ids zijn.') % {"key": name})
        return value


class Object(Field):
    """A JSON object passed on to a service that checks its meaning (the care schedule)."""

    def check(self, name, value):
        if not isinstance(value, dict):
            raise Invalid(_('Het veld "%(key)s" moet een object zijn.') % {"key": name})
        try:
            return clean_json_value(value)
        except ValueError:
            raise Invalid(_('Het veld "%(key)s" bevat waarden die niet kloppen.') % {"key": name}) from None


class Schema:
    """The fields of one frame type. `parse(content)` returns a dict with every declared field
    (defaults filled in); fields the schema does not declare are ignored, so that a newer client's
    extra fields do not break an older server."""

    def __init__(self, frame_type: str, **fields: Field):
        self.frame_type, self.fields = frame_type, fields

    def parse(self, content: dict) -> dict:
        return {name: field.parse(name, content.get(name, MISSING)) for name, field in self.fields.items()}


def safe_ref(content) -> str | None:
    """The frame's client_id when it can be sent back as it came (a string that is valid text), so
    that an error frame names the frame it answers; else None."""
    client_id = content.get("client_id") if isinstance(content, dict) else None
    if isinstance(client_id, str) and len(client_id) <= 64 and not has_lone_surrogate(client_id):
        return client_id
    return None
