"""Reads for moderation. Access checks stay with the caller (families.access)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import connection
from django.db.models import OuterRef, Prefetch, Q, Subquery
from django.utils import timezone

from families.access import can
from families.models import Membership
from moderation.models import ContactMode, ContactModeChange, Decision, Draft, EscalationPolicy


@dataclass(frozen=True)
class ModeState:
    mode: str
    since: datetime | None  # None: direct since the family began (never changed)
    review_on: date | None
    changed_by_id: int | None

    @property
    def review_due(self) -> bool:
        return self.review_on is not None and self.review_on <= timezone.localdate()


DIRECT_FROM_THE_START = ModeState(mode=ContactMode.DIRECT, since=None, review_on=None, changed_by_id=None)


def contact_mode(*, family_id: int) -> ModeState:
    """The family's contact mode now."""
    latest = ContactModeChange.objects.filter(family_id=family_id).order_by("-changed_at", "-pk").first()
    if latest is None:
        return DIRECT_FROM_THE_START
    return ModeState(mode=latest.mode, since=latest.changed_at, review_on=latest.review_on,
                     changed_by_id=latest.changed_by_id)


def contact_mode_history(*, family_id: int) -> list[ContactModeChange]:
    return list(ContactModeChange.objects.filter(family_id=family_id).select_related("changed_by")
                .order_by("-changed_at", "-pk"))


def family_state_sql(*, family: str, alias: str) -> tuple[list[str], str]:
    """A family's contact mode now and its escalation policy row, as SQL that another query reads
    along (SELECT expressions and a LEFT JOIN, given the family id's column `family` and a prefix
    `alias` for this part's own table aliases): the chat's send statement takes them in (through
    messaging.extensions, no round trip of its own) and so does modes_and_policies. The join
    matches at most one row per family (one policy per family). Read the values with
    family_state_of."""
    quote = connection.ops.quote_name
    modes_table, policy_table = ContactModeChange._meta.db_table, EscalationPolicy._meta.db_table
    c, p = f"{alias}c", f"{alias}p"
    # Only names (the models', the caller's column and aliases) are put into the text: no values.
    columns = [f"(SELECT {c}.mode FROM {quote(modes_table)} {c} WHERE {c}.family_id = {family}"  # noqa: S608
               f" ORDER BY {c}.changed_at DESC, {c}.id DESC LIMIT 1)"]
    columns += [f"{p}.{quote(field.column)}" for field in EscalationPolicy._meta.concrete_fields]
    return columns, f" LEFT JOIN {quote(policy_table)} {p} ON {p}.family_id = {family}"


@functools.cache
def _policy_loading() -> tuple[list[str], list]:
    """EscalationPolicy's field names and each field's database-value converter (or None), in the
    order of family_state_sql's columns: the same for every send, so worked out once."""
    fields = EscalationPolicy._meta.concrete_fields
    return ([field.attname for field in fields],
            [getattr(field, "from_db_value", None) for field in fields])


def family_state_of(family_id: int, values) -> tuple[str | None, EscalationPolicy]:
    """The contact mode (None: never changed, so direct) and the escalation policy (the defaults
    for a family without a row) from the values of family_state_sql's columns."""
    mode, *values = values
    if values[0] is None:  # no row: the defaults
        return mode, EscalationPolicy(family_id=family_id)
    names, converters = _policy_loading()
    values = [convert(value, None, connection) if convert else value
              for convert, value in zip(converters, values, strict=True)]
    return mode, EscalationPolicy.from_db(connection.alias, names, values)


def modes_and_policies(*, family_ids) -> tuple[dict[int, str], dict[int, EscalationPolicy]]:
    """Each family's contact mode now and its escalation policy (the defaults for a family without a
    row), in ONE round trip. Families that never changed mode are absent from the modes (direct).
    The chat's sends usually have these already, read with their access check (family_state_sql)."""
    ids = sorted(set(family_ids))
    if not ids:
        return {}, {}
    columns, join = family_state_sql(family="f.id", alias="s")
    sql = (f"WITH f(id) AS (VALUES {', '.join(['(%s)'] * len(ids))}) "  # noqa: S608 - model names; values are parameters
           f"SELECT f.id, {', '.join(columns)} FROM f{join}")
    with connection.cursor() as cursor:
        cursor.execute(sql, ids)
        rows = cursor.fetchall()
    modes: dict[int, str] = {}
    policies: dict[int, EscalationPolicy] = {}
    for family_id, *values in rows:
        mode, policies[family_id] = family_state_of(family_id, values)
        if mode is not None:
            modes[family_id] = mode
    return modes, policies


# -- drafts ----------------------------------------------------------------------------------------

HELD = "held"
REPHRASE_PROPOSED = "rephrase_proposed"
RETURNED = "returned"
DELIVERED = "delivered"

# A draft's state is what its newest decision made of it (no decision: held).
STATE_AFTER = {None: HELD, "decline": HELD, "rephrase": REPHRASE_PROPOSED, "return": RETURNED,
               "release": DELIVERED, "accept": DELIVERED}


def _with_last_decision(drafts):
    newest = Decision.objects.filter(draft=OuterRef("pk")).order_by("-seq")
    return drafts.annotate(last_kind=Subquery(newest.values("kind")[:1]),
                           last_at=Subquery(newest.values("at")[:1]))


def draft_state(draft) -> str:
    """The state of one draft (annotated by _with_last_decision, or read now)."""
    if hasattr(draft, "last_kind"):
        return STATE_AFTER[draft.last_kind]
    last = draft.decisions.order_by("-seq").values_list("kind", flat=True).first()
    return STATE_AFTER[last]


def review_queue_drafts(*, family_id: int):
    """The family's drafts waiting for a practitioner (held, or back after a declined rephrasing),
    oldest first."""
    drafts = _with_last_decision(Draft.objects.filter(family_id=family_id).select_related("sender"))
    return list(drafts.filter(Q(last_kind__isnull=True) | Q(last_kind="decline")).order_by("held_at", "pk"))


def review_queue_size(*, family_id: int) -> int:
    return (_with_last_decision(Draft.objects.filter(family_id=family_id))
            .filter(Q(last_kind__isnull=True) | Q(last_kind="decline")).count())


RECENT_OUTCOMES_DAYS = 14


def sender_drafts(*, thread_id: int, sender_id: int) -> list:
    """What the sender sees of their own drafts in a thread: every one still open (held, or a
    rephrasing waiting for their answer) and those decided in the last RECENT_OUTCOMES_DAYS days
    (returned with the note, or delivered), oldest first, with their decisions."""
    since = timezone.now() - timedelta(days=RECENT_OUTCOMES_DAYS)
    drafts = _with_last_decision(Draft.objects.filter(thread_id=thread_id, sender_id=sender_id))
    drafts = drafts.filter(Q(last_kind__isnull=True) | Q(last_kind__in=["decline", "rephrase"])
                           | Q(last_at__gte=since))
    return list(drafts.select_related("sender").prefetch_related(
        Prefetch("decisions", queryset=Decision.objects.select_related("message").order_by("seq")))
        .order_by("held_at", "pk"))


def families_allowing(*, user, family_ids, action) -> set[int]:
    """Those of `family_ids` in which the user may do `action` now (one query; families.access)."""
    if not getattr(user, "is_active", False):
        return set()
    memberships = Membership.objects.active().filter(user=user, family_id__in=family_ids)
    return {m.family_id for m in memberships if can(m, action)}


def alerts_raised(*, family_id: int, since) -> int:
    """How many alerts the escalation policy raised for the family since `since` (acknowledged or
    not): the trajectories app counts them for the way up to parallel parenting."""
    from moderation.models import Alert

    return Alert.objects.filter(family_id=family_id, created_at__gte=since).count()
