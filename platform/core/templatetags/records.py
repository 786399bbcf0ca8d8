"""How the records (the chat export, the plan PDF) show things to people.

`record_time`: one format for every moment in an export, local time with its zone, e.g.
"3 december 2026 15:41 CET" (CEST in summer time; in English "3 December 2026 15:41 CET").
The JSON exports keep UTC in ISO 8601; this is only how a person reads it.

`css_string`: a value inside a CSS string (an @page header), escaped the CSS way. Django's
escapejs writes JavaScript escapes (\\u002D), which CSS prints literally.
"""

from __future__ import annotations

from datetime import datetime

from django import template
from django.utils import formats, timezone

register = template.Library()

RECORD_TIME_FORMAT = "j F Y H:i T"


def record_time(value) -> str:
    if value in (None, ""):
        return ""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    if timezone.is_naive(moment):
        raise ValueError("record_time needs an aware datetime")
    return formats.date_format(timezone.localtime(moment), RECORD_TIME_FORMAT)


def css_string(value) -> str:
    """Every character but letters, digits and spaces as a CSS escape (`\\2d ` for "-"), so a value
    can never end the string or the rule it is in."""
    return "".join(ch if (ch.isascii() and ch.isalnum()) or ch == " " else f"\\{ord(ch):x} "
                   for ch in str(value))


register.filter("record_time", record_time)
register.filter("css_string", css_string)
