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
