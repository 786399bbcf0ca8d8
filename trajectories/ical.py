"""iCalendar (RFC 5545) for talks, built with the `icalendar` library: a user's private feed (every
talk they may see, in every family they are an active member of), and one talk as a file.

Each talk is an event with a stable UID and a SEQUENCE raised at every change, so a calendar that
subscribed updates a moved talk in place and removes a cancelled one (STATUS:CANCELLED). Times
are in UTC. What an event carries: the talk's name ("Gezamenlijk gesprek 2"), its time, its place,
the address only for those taking part, a link to the trajectory page; for practitioners the
family's case number (not its name). Never more: the feed may end up in a calendar on someone's
phone or with a calendar provider.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from families.models import Membership
from trajectories.models import Talk
from trajectories.selectors import practitioner_ids, takes_part, visible_talks

FEED_PAST_DAYS = 120  # talks this long ago still appear in the feed
PRODID = "-//Kompas//Trajecten//NL"


def _calendar(name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-published-ttl", "PT1H")
    return cal


def talk_event(talk: Talk, *, membership: Membership, reference: str) -> Event:
    event = Event()
    event.add("uid", f"{talk.uid}@{settings.SITE_NAME.lower()}")
    event.add("sequence", talk.sequence)
    event.add("dtstamp", talk.changed_at.astimezone(UTC))
    event.add("dtstart", talk.starts_at.astimezone(UTC))
    event.add("dtend", talk.ends_at.astimezone(UTC))
    summary = talk.title
    if membership.is_practitioner:
        summary = f"{summary} – {reference}"
    else:
        summary = f"{summary} ({settings.SITE_NAME})"
    if talk.status == Talk.Status.CANCELLED:
        summary = _("Gaat niet door: %(talk)s") % {"talk": summary}
    event.add("summary", summary)
    location = talk.place_label
    if talk.address and (membership.is_practitioner or takes_part(membership, talk)):
        location = f"{location}, {talk.address}"
    event.add("location", location)
    event.add("status", "CANCELLED" if talk.status == Talk.Status.CANCELLED else "CONFIRMED")
    link = settings.SITE_URL.rstrip("/") + reverse("trajectories:talk", args=[talk.family_id, talk.pk])
    event.add("url", link)
    event.add("description", _("Meer zie je als je inlogt: %(link)s") % {"link": link})
    return event


def feed_for_user(user, *, now: datetime | None = None) -> bytes:
    """The user's feed: the talks of every family they are an active member of that they may see
    (trajectories.selectors.visible_talks), from FEED_PAST_DAYS ago on."""
    now = now or timezone.now()
    with translation.override(user.language or settings.LANGUAGE_CODE):
        cal = _calendar(_("%(site)s – afspraken") % {"site": settings.SITE_NAME})
        memberships = Membership.objects.active().filter(user=user).select_related("family")
        for membership in memberships:
            talks = (
                Talk.objects.filter(
                    family_id=membership.family_id, starts_at__gte=now - timedelta(days=FEED_PAST_DAYS)
                )
                .select_related("trajectory")
                .order_by("starts_at", "pk")
            )
            shown = visible_talks(
                membership=membership,
                talks=talks,
                practitioners=practitioner_ids(family_id=membership.family_id),
            )
            for talk in shown:
                cal.add_component(
                    talk_event(talk, membership=membership, reference=membership.family.reference)
                )
        return cal.to_ical()


def talk_file(talk: Talk, *, membership: Membership, user) -> bytes:
    with translation.override(user.language or settings.LANGUAGE_CODE):
        cal = _calendar(settings.SITE_NAME)
        cal.add_component(talk_event(talk, membership=membership, reference=membership.family.reference))
        return cal.to_ical()
