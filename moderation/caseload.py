"""Moderation's part of a practitioner's caseload (families.features.register_caseload_column):
per family the contact mode (and a passed review date), the review queue's size, the open alerts,
a signal light and a tone trend per parent over the last 8 weeks as a small SVG.

Practitioners only: the facts are given for the families in which the user may moderate
(families.access), never to a parent; no page for parents reads MessageTone. Every fact comes from
a fixed number of queries for all the families together (six), never one per family.

The signal light:
- red: an open alert of level hostile or threat, or a threat in the last two weeks;
- amber: any other open alert, a parent's tone over the last two weeks at "caution" on average or
  worse, a hostile message in the last two weeks, or a passed review date of the contact mode;
- green: none of these.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db import transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import TruncWeek
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.broadcast import group_send_now
from core.groups import user_group
from families.access import Action, can
from families.models import PRACTITIONER_ROLES, Membership, Role
from moderation.models import (
    TONE_LEVELS,
    Alert,
    ContactMode,
    ContactModeChange,
    Decision,
    Draft,
    MessageTone,
)

WEEKS = 8
LEVEL_SCORE = {"ok": 0, "caution": 1, "hostile": 2, "threat": 3}
SIGNALS = (("red", gettext_lazy("rood")), ("amber", gettext_lazy("oranje")), ("green", gettext_lazy("groen")))
SIGNAL_URGENCY = {"red": 100_000, "amber": 50_000, "green": 0}
FILTERS = (
    ("signal", gettext_lazy("Signaal"), SIGNALS),
    ("mode", gettext_lazy("Contact"), tuple(ContactMode.choices)),
)


def week_starts(now=None) -> list:
    """The Mondays (local dates) of the last WEEKS weeks, oldest first, this week last."""
    today = timezone.localdate(now)
    this_monday = today - timedelta(days=today.weekday())
    return [this_monday - timedelta(weeks=WEEKS - 1 - i) for i in range(WEEKS)]


def _tone_counts(family_ids, since) -> dict:
    """(family, sender, week Monday) -> {level: n}, from delivered messages (MessageTone) and held
    drafts together: two queries."""
    counts: dict = {}
    delivered = (MessageTone.objects.filter(family_id__in=family_ids, sent_at__gte=since)
                 .annotate(week=TruncWeek("sent_at")).values_list("family_id", "sender_id", "week", "level")
                 .annotate(n=Count("pk")).order_by())
    held = (Draft.objects.filter(family_id__in=family_ids, held_at__gte=since)
            .annotate(week=TruncWeek("held_at")).values_list("family_id", "sender_id", "week", "tone_level")
            .annotate(n=Count("pk")).order_by())
    for rows in (delivered, held):
        for family_id, sender_id, week, level, n in rows:
            day = timezone.localtime(week).date() if timezone.is_aware(week) else week.date()
            per_level = counts.setdefault((family_id, sender_id, day), {})
            per_level[level] = per_level.get(level, 0) + n
    return counts


def _mean(per_level: dict | None) -> float | None:
    if not per_level:
        return None
    n = sum(per_level.values())
    return sum(LEVEL_SCORE.get(level, 0) * k for level, k in per_level.items()) / n


def level_word(score: float | None) -> str:
    if score is None:
        return _("geen berichten")
    level = "ok" if score < 0.5 else "caution" if score < 1.5 else "hostile" if score < 2.5 else "threat"
    return str(TONE_LEVELS[level])


def caseload_facts(*, user, memberships, now=None) -> dict[int, dict]:
    """{family_id: fact} for the families in which the user may moderate (see the module's doc).
    `now` is for tests that look ahead (a review date that will have passed)."""
    families = {m.family_id: m.family for m in memberships if can(m, Action.MODERATE)}
    ids = list(families)
    if not ids:
        return {}
    now = now or timezone.now()
    weeks = week_starts(now)
    since = timezone.make_aware(datetime.combine(weeks[0], time.min))
    recent = weeks[-2]  # the last two weeks: this one and the one before

    modes: dict[int, ContactModeChange] = {}
    changes = (ContactModeChange.objects.filter(family_id__in=ids).order_by("family_id", "-changed_at", "-pk")
               .only("family_id", "mode", "review_on", "changed_at"))
    for change in changes:
        modes.setdefault(change.family_id, change)

    # The queue: drafts without a decision, or whose newest decision is a declined rephrasing.
    queue: dict[int, int] = {}
    newest = Decision.objects.filter(draft=OuterRef("pk")).order_by("-seq").values("kind")[:1]
    for family_id in (Draft.objects.filter(family_id__in=ids).annotate(last_kind=Subquery(newest))
                      .filter(Q(last_kind__isnull=True) | Q(last_kind=Decision.Kind.DECLINE))
                      .values_list("family_id", flat=True)):
        queue[family_id] = queue.get(family_id, 0) + 1

    alerts: dict[int, list] = {}
    for family_id, level in (Alert.objects.filter(family_id__in=ids, acknowledgement__isnull=True)
                             .values_list("family_id", "level")):
        alerts.setdefault(family_id, []).append(level)

    parents: dict[int, list] = {}
    for m in (Membership.objects.active().filter(family_id__in=ids, role=Role.PARENT).select_related("user")
              .order_by("created_at", "pk")):
        parents.setdefault(m.family_id, []).append(m.user)

    tones = _tone_counts(ids, since)
    today = timezone.localdate(now)
    facts = {}
    for family_id, family in families.items():
        change = modes.get(family_id)
        mode = change.mode if change is not None else ContactMode.DIRECT
        review_due = change is not None and change.review_on is not None and change.review_on <= today
        series = []
        threat_recent = hostile_recent = caution_recent = False
        for parent in parents.get(family_id, []):
            points = [_mean(tones.get((family_id, parent.pk, day))) for day in weeks]
            series.append({"name": parent.display_name, "points": points,
                           "words": [level_word(p) for p in points]})
            last_two: dict = {}
            for day in weeks[-2:]:
                for level, n in (tones.get((family_id, parent.pk, day)) or {}).items():
                    last_two[level] = last_two.get(level, 0) + n
            threat_recent |= bool(last_two.get("threat"))
            hostile_recent |= bool(last_two.get("hostile"))
            mean = _mean(last_two)
            caution_recent |= mean is not None and mean >= 1
        open_alerts = alerts.get(family_id, [])
        if any(level in ("hostile", "threat") for level in open_alerts) or threat_recent:
            signal = "red"
        elif open_alerts or hostile_recent or caution_recent or review_due:
            signal = "amber"
        else:
            signal = "green"
        size = queue.get(family_id, 0)
        facts[family_id] = {
            "signal": signal,
            "signal_label": dict(SIGNALS)[signal],
            "mode": mode,
            "mode_label": ContactMode(mode).label,
            "review_due": review_due,
            "review_on": change.review_on if change is not None else None,
            "queue": size,
            "alerts": len(open_alerts),
            "trend": tone_trend_svg(family_id=family_id, family_name=family.display_name, series=series,
                                    weeks=weeks),
            "series": series,
            "has_trend": any(p is not None for parent in series for p in parent["points"]),
            "recent_since": recent,
            "urgency": SIGNAL_URGENCY[signal] + min(len(open_alerts), 9) * 1000 + min(size, 99) * 10,
            "filters": {"signal": signal, "mode": mode},
        }
    return facts


# -- the tone trend chart ----------------------------------------------------------------------------

WIDTH, HEIGHT = 168, 56
LEFT, STEP, BOTTOM, UNIT = 12, 20, 48, 12  # x of week 1, px per week, y of "ok", px per level


def _xy(i: int, score: float) -> tuple[str, str]:
    return f"{LEFT + i * STEP}", f"{BOTTOM - score * UNIT:.1f}"


def tone_trend_svg(*, family_id: int, family_name: str, series: list[dict], weeks: list) -> str:
    """A small inline SVG: one line per parent (the week's mean level, 0 = rustig .. 3 = dreigend),
    gaps where a parent wrote nothing. Every text is escaped (format_html); presentation by CSS
    classes only (the strict CSP allows no style attributes). role="img" with a title and a desc; the
    caller shows the numbers as text as well."""
    title_id, desc_id = f"tone-{family_id}-title", f"tone-{family_id}-desc"
    title = _("Toon per ouder in de laatste 8 weken: %(family)s") % {"family": family_name}
    desc = _("Een lijn per ouder; hoe hoger, hoe vijandiger de berichten van die week. "
             "Van links (8 weken geleden) naar rechts (deze week).")
    grid = format_html_join("", '<line class="tone-grid" x1="{}" x2="{}" y1="{}" y2="{}"/>', (
        (LEFT - 4, WIDTH - 4, _xy(0, level)[1], _xy(0, level)[1]) for level in range(4)))
    lines = []
    for index, parent in enumerate(series[:4]):
        css = f"tone-line tone-parent-{index + 1}"
        segments, current = [], []
        for i, score in enumerate(parent["points"]):
            if score is None:
                if current:
                    segments.append(current)
                current = []
            else:
                current.append(_xy(i, score))
        if current:
            segments.append(current)
        for segment in segments:
            if len(segment) > 1:
                lines.append(format_html('<polyline class="{}" points="{}"/>', css,
                                         " ".join(f"{x},{y}" for x, y in segment)))
        lines.append(format_html_join("", '<circle class="{}" cx="{}" cy="{}" r="2.5"/>', (
            (css, x, y) for segment in segments for x, y in segment)))
    return format_html(
        '<svg class="tone-trend" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" '
        'height="{h}" role="img" aria-labelledby="{tid} {did}" focusable="false">'
        '<title id="{tid}">{title}</title><desc id="{did}">{desc}</desc>{grid}{lines}</svg>',
        w=WIDTH, h=HEIGHT, tid=title_id, did=desc_id, title=title, desc=desc, grid=grid,
        lines=mark_safe("".join(lines)),  # noqa: S308 - every part built by format_html above
    )



# -- live queue counts -------------------------------------------------------------------------------


def queue_count_announce(*, family_id: int) -> None:
    """After commit (called in the transaction that changed the family's queue): every practitioner
    of the family gets {"type": "review.count", "family": ID, "size": N} on all their sockets, so the
    caseload on their home page shows the queue's size live. The size is read after the commit, so
    it is never older than the change; two changes at once may arrive in either order, which the
    next change or a reload sets right (the page's figure is a hint, the queue page is the truth)."""
    transaction.on_commit(lambda: _queue_count_send(family_id))


def _queue_count_send(family_id: int) -> None:
    from moderation.selectors import review_queue_size

    practitioners = list(Membership.objects.active().filter(family_id=family_id, role__in=PRACTITIONER_ROLES)
                         .values_list("user_id", flat=True))
    if not practitioners:
        return
    frame = {"type": "review.count", "family": family_id, "size": review_queue_size(family_id=family_id)}
    for user_id in practitioners:
        group_send_now(user_group(user_id), {"type": "review.count", "frame": frame})
