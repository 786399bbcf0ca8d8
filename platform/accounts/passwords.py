"""Password rules that Django's own validators leave out.

The other parent knows your name and your e-mail address: a password built from them is the first
thing they would try. Django's UserAttributeSimilarityValidator compares the whole password with
each attribute and lets "Anouk2024!" pass for Anouk Bakker; this one refuses any password that
contains a part of the name or of the e-mail address's local part, however it is written (capitals,
accents, digits or signs in between). A part of four letters or more counts anywhere in the
password; a short name ("Eva", "Bas") only as a word of its own, so "evaluatie" stays allowed.
"""

from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_MIN_PART = 3
_MIN_ANYWHERE = 4


def _letters(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(ch for ch in decomposed.casefold() if ch.isalpha())


def _parts(user) -> set[str]:
    sources = [getattr(user, "display_name", "") or ""]
    email = getattr(user, "email", "") or ""
    sources.append(email.split("@", 1)[0])
    parts = set()
    for source in sources:
        for word in re.split(r"[\W_\d]+", source):
            letters = _letters(word)
            if len(letters) >= _MIN_PART:
                parts.add(letters)
    return parts


class NameInPasswordValidator:
    """Refuse a password that contains the user's own name or e-mail name."""

    def validate(self, password, user=None):
        if user is None:
            return
        flat = _letters(password)
        words = {_letters(word) for word in re.split(r"[\W_\d]+", password or "")}
        if any(part in flat if len(part) >= _MIN_ANYWHERE else part in words for part in _parts(user)):
            raise ValidationError(
                _("Je wachtwoord bevat je naam of je e-mailadres. Kies een wachtwoord zonder je naam."),
                code="password_contains_name",
            )

    def get_help_text(self):
        return _("Je wachtwoord mag je naam of e-mailadres niet bevatten.")
