"""The one rule for the free texts of a trajectory's records (a goal and its notes, a parent's
evaluation input and the outcome, a report's sections and the responses to it, why no report is
needed): trimmed, a browser's CRLF line ends made LF (a shared report's hash covers the text as
stored), refused when empty where a text is required, and when longer than its maximum with a
message that says by how much. Reasons for ending or switching a trajectory keep their own wording
(services._check_reason)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.errors import Invalid


def clean_text(value: str | None, *, max_chars: int, empty: str = "") -> str:
    """`value` cleaned; Invalid(`empty`) when it is empty and `empty` is given (a required text)."""
    value = (value or "").replace("\r\n", "\n").strip()
    if not value and empty:
        raise Invalid(empty)
    if len(value) > max_chars:
        raise Invalid(
            _("De tekst is te lang (%(n)d tekens, maximaal %(max)d). Maak hem korter.")
            % {"n": len(value), "max": max_chars}
        )
    return value
