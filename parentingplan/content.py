"""Section text: a small, safe subset of HTML (paragraphs, line breaks, lists, bold, italic).

Everything that comes in is cleaned with nh3 (the Rust `ammonia` sanitiser): any other tag is
dropped with its attributes, script and style elements with their content, so stored content
can be shown as HTML and no script ever runs. Diffs are word-level (difflib), rendered as
escaped text inside <ins>/<del>.
"""

from __future__ import annotations

import difflib
import html
import re

import nh3

ALLOWED_TAGS = {"p", "br", "ul", "ol", "li", "strong", "b", "em", "i"}
MAX_CONTENT_CHARS = 50_000

_BLOCK_END = re.compile(r"</(p|li|ul|ol)>|<br\s*/?>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")
_WORDS = re.compile(r"\s+|[^\s]+")


def sanitise(raw: str) -> str:
    cleaned = nh3.clean(raw, tags=ALLOWED_TAGS, attributes={}, clean_content_tags={"script", "style"},
                        strip_comments=True, link_rel=None)
    return cleaned.strip()


def to_text(content: str) -> str:
    """Readable plain text of sanitised content (for diffs, search, e-mails)."""
    text = _BLOCK_END.sub("\n", content)
    text = _TAG.sub("", text)
    text = html.unescape(text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def is_empty(content: str) -> bool:
    return not to_text(content).strip()


def word_diff(old: str, new: str) -> str:
    """HTML showing what changed from `old` to `new` (both sanitised content), word by word."""
    a, b = _WORDS.findall(to_text(old)), _WORDS.findall(to_text(new))
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(html.escape("".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(f"<del>{html.escape(''.join(a[i1:i2]))}</del>")
        if j2 > j1:
            out.append(f"<ins>{html.escape(''.join(b[j1:j2]))}</ins>")
    return "".join(out)
