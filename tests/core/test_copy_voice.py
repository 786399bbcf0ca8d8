"""One voice on every page (issue 9, item 10): "je", never "u"; and one word for the practitioner
role, "begeleider" (the role's own name, families.models.Role). Checked on the source of every
template and every Dutch string in the code that reaches a page or an e-mail."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
APP_DIRS = [ROOT / "platform", ROOT / "messaging", ROOT / "parentingplan", ROOT / "moderation", ROOT / "demo"]
# The tone check's word lists read what parents write (which may say "u"): not copy.
NOT_COPY = ("/tone/", "/migrations/", "/management/")
FORMAL = re.compile(r"(?<![\w{%.\-/])(?:[Uu]|[Uu]w)\b(?![\w}\-]|\.\w)")
OTHER_WORDS = re.compile(r"professional|hulpverlener|behandelaar|mediator", re.I)
COMMENTS = re.compile(r"\{#.*?#\}|\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}", re.S)
CODE = re.compile(
    r"\{\{.*?\}\}|\{%\s*(?:load|url|include|static|with|for|if|elif|else|end\w*|block|extends|csrf_token)\b.*?%\}",
    re.S)
GETTEXT = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext", "pgettext_lazy"}
# Only administrators read this one (the admin's help text for the right to open cases); changing
# it needs a migration of its own.
ADMIN_ONLY: tuple[str, ...] = ()


def _template_texts():
    for path in sorted((ROOT / "templates").rglob("*")):
        if path.suffix in {".html", ".txt"}:
            text = COMMENTS.sub("", path.read_text("utf-8"))
            # Template variables and tags are code, not copy.
            yield str(path.relative_to(ROOT)), CODE.sub(" ", text)


def _code_msgids():
    for base in APP_DIRS:
        for path in sorted(base.rglob("*.py")):
            if any(part in str(path) for part in NOT_COPY):
                continue
            tree = ast.parse(path.read_text("utf-8"))
            for node in ast.walk(tree):
                if not isinstance(node, ast.Call):
                    continue
                if getattr(node.func, "id", getattr(node.func, "attr", None)) in GETTEXT:
                    for arg in node.args:
                        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                            yield f"{path.relative_to(ROOT)}:{node.lineno}", arg.value


def test_no_page_or_message_says_u_or_uw():
    found = [(where, FORMAL.findall(text)) for where, text in [*_template_texts(), *_code_msgids()]
             if FORMAL.search(text)]
    assert found == []


def test_the_practitioner_role_has_one_name():
    found = [(where, text[:80]) for where, text in [*_template_texts(), *_code_msgids()]
             if OTHER_WORDS.search(text) and not text.startswith(ADMIN_ONLY)]
    assert found == []


# -- the Dutch catalogues: the project's own, and Django's messages as they reach a page ----------

LOCALE_NL = ROOT / "locale" / "nl" / "LC_MESSAGES" / "django.mo"
# Django's Dutch that never reaches a page of this project: its CSRF page (CSRF_FAILURE_VIEW is the
# project's own, templates/403_csrf.html), its debug pages (never with DEBUG off), the admin's help
# text for is_active (administrators only) and the formset management form (no formsets).
NOT_ON_A_PAGE = ("If you are using the <meta", "If you have configured your browser", "You are seeing this",
                 "Designates whether this user", "ManagementForm data")


def _catalogue(path: Path) -> dict:
    import gettext

    with path.open("rb") as handle:
        return gettext.GNUTranslations(handle)._catalog


def test_the_dutch_catalogue_says_je():
    found = [(key, value) for key, value in _catalogue(LOCALE_NL).items()
             if isinstance(value, str) and FORMAL.search(value)]
    assert found == []


def test_djangos_own_messages_speak_dutch_with_je_on_every_page():
    """Every Django message (forms, validators, auth) whose bundled Dutch says "u" or "uw" is
    carried in the project's voice in locale/nl: drop one override and this fails."""
    import django
    from django.utils import translation

    base = Path(django.__file__).parent
    formal = set()
    for mo in (base / "conf/locale/nl/LC_MESSAGES/django.mo",
               base / "contrib/auth/locale/nl/LC_MESSAGES/django.mo"):
        for key, value in _catalogue(mo).items():
            msgid = key[0] if isinstance(key, tuple) else key
            if msgid and FORMAL.search(value) and not msgid.startswith(NOT_ON_A_PAGE):
                formal.add(key if isinstance(key, tuple) else msgid)
    assert formal  # the check still finds Django's formal Dutch (else it tests nothing)
    with translation.override("nl"):
        shown = {}
        for key in formal:
            if isinstance(key, tuple):
                singular = key[0]
                plural = _plural_of(base, singular)
                text = translation.ngettext(singular, plural, 1 if key[1] == 0 else 5)
            else:
                text = translation.gettext(key)
            if FORMAL.search(text):
                shown[key] = text
    assert shown == {}


def _plural_of(base: Path, singular: str) -> str:
    """The msgid_plural of a plural message in Django's English catalogue sources."""
    for po in (base / "conf/locale/nl/LC_MESSAGES/django.po",
               base / "contrib/auth/locale/nl/LC_MESSAGES/django.po"):
        text = po.read_text("utf-8")
        match = re.search(r'msgid "' + re.escape(singular) + r'"\nmsgid_plural "((?:[^"\\]|\\.)*)"', text)
        if match:
            return match.group(1)
    raise AssertionError(f"no plural for {singular!r}")


# The exact problems named in issue 9, item 10: none may come back, in any template, in any message
# of the code, or in the Dutch catalogue.
KNOWN_PROBLEMS = [
    "This password is too short. It must contain at least",
    "op de e-mailadres",
    "Uw oude wachtwoord is niet juist ingevoerd",
    "Zorg dat deze waarde ten minste",
    "Verslag downloaden: PDF JSON",
]


def test_none_of_the_known_problems_is_in_the_sources_or_the_dutch_catalogue():
    catalogue = [(str(key), value) for key, value in _catalogue(LOCALE_NL).items()]
    found = [(where, problem) for where, text in [*_template_texts(), *_code_msgids(), *catalogue]
             for problem in KNOWN_PROBLEMS if problem in text]
    assert found == []


def test_djangos_length_and_password_messages_are_the_projects_dutch():
    from django import forms
    from django.contrib.auth.forms import PasswordChangeForm
    from django.contrib.auth.password_validation import MinimumLengthValidator
    from django.core.exceptions import ValidationError
    from django.utils import translation

    class Code(forms.Form):
        code = forms.CharField(min_length=6)

    with translation.override("nl"):
        assert Code({"code": "12"}).errors["code"] == ["Vul minstens 6 tekens in (nu 2)."]
        try:
            MinimumLengthValidator(min_length=10).validate("kort")
        except ValidationError as exc:
            assert exc.messages == ["Dit wachtwoord is te kort. Kies er een van minstens 10 tekens."]
        assert str(PasswordChangeForm.error_messages["password_incorrect"]) == (
            "Je huidige wachtwoord klopt niet. Vul het opnieuw in.")
