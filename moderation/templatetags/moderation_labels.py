"""Readable names for moderation codes in templates (the PDF export)."""

from django import template

from moderation.models import TONE_LEVELS, ReturnReason

register = template.Library()


@register.filter
def reason_label(code) -> str:
    return str(dict(ReturnReason.choices).get(code, code or ""))


@register.filter
def tone_label(level) -> str:
    return str(TONE_LEVELS.get(level, level or ""))
