"""One date format per kind (issue 9, item 10): a date reads "3 december 2026", a date and time
"3 december 2026, 15:41", on every page and in the text that arrives live. The formats live in
config/formats/{nl,en}/formats.py; templates name them instead of spelling out their own."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import formats, timezone, translation

from families import services as family_services
from families.models import Invitation, Role

ROOT = Path(settings.BASE_DIR)
TEMPLATES = ROOT / "templates"

# The care calendar names weekdays and day numbers in its cells: not a date or a date and time.
CALENDAR = {"D", "j", "l j F"}


def _date_filters():
    for path in sorted(TEMPLATES.rglob("*")):
        if path.suffix not in {".html", ".txt"}:
            continue
        for fmt in re.findall(r'\|date:["\']([^"\']*)["\']', path.read_text(encoding="utf-8")):
            yield path.relative_to(ROOT), fmt


def test_every_template_names_a_shared_format_instead_of_spelling_one_out():
    spelled_out = [
        (str(path), fmt) for path, fmt in _date_filters()
        if fmt not in {"DATE_FORMAT", "DATETIME_FORMAT", "c"}
        and not (path.name == "_calendar.html" and fmt in CALENDAR)
    ]
    assert spelled_out == []


def test_live_times_in_chat_and_plan_use_the_page_format():
    for script in ("chat.js", "plan.js"):
        source = (ROOT / "static" / "js" / script).read_text(encoding="utf-8")
        assert 'from "./dates.js"' in source
        assert "toLocaleString(locale, { dateStyle" not in source and 'month: "short"' not in source
    dates = (ROOT / "static" / "js" / "dates.js").read_text(encoding="utf-8")
    assert "`${p.day} ${p.month} ${p.year}, ${p.hour}:${p.minute}`" in dates


@pytest.mark.django_db
def test_the_pages_say_the_time_zone_live_times_are_shown_in(client_for, alice):
    page = client_for(alice).get("/", follow=True).content.decode()
    assert f'<meta name="time-zone" content="{settings.TIME_ZONE}">' in page


@pytest.mark.django_db
def test_an_invitation_is_valid_until_a_date_with_its_year(family, carol, client_for, mailoutbox):
    invitation = family_services.invitation_send(
        actor=carol, family_id=family.pk, email="oma@example.org", role=Role.RELATIVE)
    invitation = Invitation.objects.get(pk=invitation.pk)
    page = client_for(carol).get(f"/gezin/{family.pk}/").content.decode()
    with translation.override("nl"):
        until = formats.date_format(timezone.localtime(invitation.expires_at), "DATETIME_FORMAT")
    assert re.search(r"\d{1,2} \w+ 20\d\d, \d\d:\d\d", until)
    assert f"geldig tot {until}" in page
