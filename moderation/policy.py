"""The escalation policy (item 5): limits for parents, a threat held in any mode with the family
switched to moderated at once, alerts for repeated hostility and night bursts.

Inside the send (moderation.chat.ModerationChat.screen, threads' rows locked): the batch's families'
policies in one query, and, only when a family has a daily limit, the senders' counts of today in
one more query. The alert checks for hostility and bursts run after commit, only for batches that
had a hostile message or were sent at night: they never delay delivery of ordinary messages."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from audit import actions
from audit.services import audit_record
from core.broadcast import broadcast_on_commit
from core.errors import Invalid, NotFound, PermissionDenied
from core.groups import user_group
from families.access import Action, require
from families.models import Family, Membership, Role
from messaging.models import Message, Thread
from moderation.models import (
    Alert,
    AlertAcknowledgement,
    ContactMode,
    ContactModeChange,
    Draft,
    EscalationPolicy,
    MessageTone,
)

HOSTILE_LEVELS = ("hostile", "threat")
POLICY_FIELDS = ("threat_hold", "hostile_alert_count", "hostile_window_hours", "night_start_hour",
                 "night_end_hour", "night_burst_count", "night_burst_minutes", "daily_message_limit",
                 "max_message_chars")


def policies(*, family_ids) -> dict[int, EscalationPolicy]:
    """Each family's policy (the defaults for a family without a row), in one query."""
    found = {p.family_id: p for p in EscalationPolicy.objects.filter(family_id__in=family_ids)}
    return {fid: found.get(fid) or EscalationPolicy(family_id=fid) for fid in family_ids}


def sent_today(*, pairs: set[tuple[int, int]]) -> dict[tuple[int, int], int]:
    """(family, sender) -> messages and held drafts in the family's parents' thread since local
    midnight, in ONE query (a union of two counts)."""
    if not pairs:
        return {}
    midnight = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    families = {f for f, _u in pairs}
    senders = {u for _f, u in pairs}
    messages = (Message.objects.filter(thread__family_id__in=families, thread__kind=Thread.Kind.PARENTS,
                                       sender_id__in=senders, sent_at__gte=midnight)
                .values_list("thread__family_id", "sender_id").annotate(n=Count("id")).order_by())
    drafts = (Draft.objects.filter(family_id__in=families, sender_id__in=senders, held_at__gte=midnight)
              .values_list("family_id", "sender_id").annotate(n=Count("id")).order_by())
    counts: dict[tuple[int, int], int] = {}
    for family_id, sender_id, n in messages.union(drafts, all=True):
        counts[(family_id, sender_id)] = counts.get((family_id, sender_id), 0) + n
    return counts


def limit_refusal(policy: EscalationPolicy, *, chars: int, today: int) -> Exception | None:
    """A kind refusal when a send breaks the family's limits (nothing is stored), else None."""
    if policy.max_message_chars and chars > policy.max_message_chars:
        return Invalid(_("Je bericht is %(n)d tekens lang. In jullie gezin is een bericht hoogstens "
                         "%(max)d tekens; je begeleider heeft dat zo afgesproken. Maak het korter en "
                         "verstuur het opnieuw.") % {"n": chars, "max": policy.max_message_chars},
                       code="too_long")
    if policy.daily_message_limit is not None and today >= policy.daily_message_limit:
        limit = policy.daily_message_limit
        return PermissionDenied(ngettext(
            "Je hebt vandaag al %(max)d bericht gestuurd; meer kan in jullie gezin niet op één dag "
            "(afgesproken met je begeleider). Morgen kan het weer. Is het dringend? Schrijf je "
            "begeleider in je eigen gesprek.",
            "Je hebt vandaag al %(max)d berichten gestuurd; meer kan in jullie gezin niet op één dag "
            "(afgesproken met je begeleider). Morgen kan het weer. Is het dringend? Schrijf je "
            "begeleider in je eigen gesprek.", limit) % {"max": limit}, code="limit_reached")
    return None


def threat_escalate(*, family_id: int, sender, policy: EscalationPolicy, mode: str) -> None:
    """A threat was held (in the send's transaction): an alert, and a family in direct contact goes
    to moderated at once (changed_by None: the policy, not a person; the reason says so)."""
    alert_raise(family_id=family_id, kind=Alert.Kind.THREAT, level="threat", subject=sender)
    if mode != ContactMode.DIRECT:
        return
    from moderation import services  # the mode frame and the parents' e-mail

    family = Family.objects.select_for_update().get(pk=family_id)
    change = ContactModeChange.objects.create(
        family=family, mode=ContactMode.MODERATED, changed_by=None, changed_at=timezone.now(),
        reason=str(_("Automatisch door het beleid: een bericht met een mogelijke dreiging is "
                     "vastgehouden.")))
    audit_record(action=actions.CONTACT_MODE_CHANGED, family=family, target=change,
                 details={"old": mode, "new": ContactMode.MODERATED, "by_policy": True})
    members = list(Membership.objects.active().filter(family=family).select_related("user"))
    frame = services.family_mode_frame(family_id=family.pk, mode=ContactMode.MODERATED,
                                       since=change.changed_at)
    for member in members:
        broadcast_on_commit(user_group(member.user_id), {"type": "family.mode", "frame": frame})
    parents = [m.user for m in members if m.role == Role.PARENT]
    transaction.on_commit(lambda: services._mail_parents(family, ContactMode.MODERATED, parents))


def alert_frame(alert: Alert) -> dict:
    return {"type": "alert.new", "family": alert.family_id,
            "alert": {"id": alert.pk, "kind": alert.kind, "level": alert.level,
                      "created_at": alert.created_at.isoformat()}}


def alert_raise(*, family_id: int, kind: str, level: str, subject) -> Alert:
    """Store an alert (in the caller's transaction); after commit the family's practitioners' open
    sockets get alert.new and the coordinators an e-mail without any content."""
    alert = Alert.objects.create(family_id=family_id, kind=kind, level=level, subject=subject,
                                 created_at=timezone.now())
    audit_record(action=actions.ALERT_RAISED, family=Family(pk=family_id), subject_user=subject, target=alert,
                 details={"kind": kind, "level": level})
    practitioners = list(Membership.objects.active().filter(
        family_id=family_id, role__in=(Role.COORDINATOR, Role.PRACTITIONER)).select_related("user"))
    frame = alert_frame(alert)
    for member in practitioners:
        broadcast_on_commit(user_group(member.user_id), {"type": "alert.new", "frame": frame})
    coordinators = [m.user for m in practitioners if m.role == Role.COORDINATOR]
    transaction.on_commit(lambda: _mail_coordinators(alert, coordinators))
    return alert


def _mail_coordinators(alert: Alert, coordinators) -> None:
    link = settings.SITE_URL.rstrip("/") + reverse("moderation:policy", args=[alert.family_id])
    for user in coordinators:
        with translation.override(user.language or settings.LANGUAGE_CODE):
            send_mail(
                subject=_("Signaal in %(site)s: %(kind)s") % {"site": settings.SITE_NAME,
                                                              "kind": alert.get_kind_display()},
                message=_("Er is een signaal voor een gezin dat je begeleidt (%(kind)s). Wat er precies "
                          "is gebeurd, lees je na het inloggen:\n%(link)s")
                % {"kind": alert.get_kind_display(), "link": link},
                from_email=None, recipient_list=[user.email])


def alerts_check(*, family_id: int, sender_id: int, policy: EscalationPolicy, hostile: bool,
                 night: bool) -> None:
    """After commit, for one sender whose batch had a hostile message or was sent at night: raise
    hostile_repeated or night_burst when the policy's count is reached, once per window."""
    now = timezone.now()
    with transaction.atomic():
        if hostile and policy.hostile_alert_count:
            window = timedelta(hours=policy.hostile_window_hours)
            if not _raised_within(family_id, sender_id, Alert.Kind.HOSTILE_REPEATED, window, now):
                since = now - window
                n = (MessageTone.objects.filter(family_id=family_id, sender_id=sender_id, sent_at__gte=since,
                                                level__in=HOSTILE_LEVELS).count()
                     + Draft.objects.filter(family_id=family_id, sender_id=sender_id, held_at__gte=since,
                                            tone_level__in=HOSTILE_LEVELS).count())
                if n >= policy.hostile_alert_count:
                    alert = alert_raise(family_id=family_id, kind=Alert.Kind.HOSTILE_REPEATED,
                                        level="hostile", subject=_user(sender_id))
                    _raised(alert, window)
        if night and policy.night_burst_count:
            window = NIGHT_BURST_ALERT_EVERY
            if not _raised_within(family_id, sender_id, Alert.Kind.NIGHT_BURST, window, now):
                since = now - timedelta(minutes=policy.night_burst_minutes)
                n = (Message.objects.filter(thread__family_id=family_id, thread__kind=Thread.Kind.PARENTS,
                                            sender_id=sender_id, sent_at__gte=since).count()
                     + Draft.objects.filter(family_id=family_id, sender_id=sender_id,
                                            held_at__gte=since).count())
                if n >= policy.night_burst_count:
                    _raised(alert_raise(family_id=family_id, kind=Alert.Kind.NIGHT_BURST, level="caution",
                                        subject=_user(sender_id)), window)


# At most one night-burst alert per sender in this time.
NIGHT_BURST_ALERT_EVERY = timedelta(hours=12)

# (family, sender, kind, window) -> the moment the newest such alert leaves its window. Until then
# the policy raises no other of that kind, so a check needs no query at all. Only a shortcut: a
# process that does not know of an alert asks the database, once (tests/perf at night: every
# message of a burst counted its sender's messages, a third of the server's time).
_quiet_until: dict[tuple, datetime] = {}
_QUIET_KEEP = 50_000


def _raised_within(family_id: int, sender_id: int, kind: str, window: timedelta, now: datetime) -> bool:
    key = (family_id, sender_id, kind, window)
    until = _quiet_until.get(key)
    if until is not None and now < until:
        return True
    last = (Alert.objects.filter(family_id=family_id, subject_id=sender_id, kind=kind,
                                 created_at__gte=now - window)
            .order_by("-created_at").values_list("created_at", flat=True).first())
    if last is None:
        _quiet_until.pop(key, None)
        return False
    _remember(key, last + window)
    return True


def _raised(alert: Alert, window: timedelta) -> None:
    """Remember the alert once it is committed (a rolled-back alert was never raised)."""
    key = (alert.family_id, alert.subject_id, alert.kind, window)
    transaction.on_commit(lambda: _remember(key, alert.created_at + window))


def alerts_memo_clear() -> None:
    """Forget what this process remembers of raised alerts (tests: a database emptied between tests)."""
    _quiet_until.clear()


def _remember(key: tuple, until: datetime) -> None:
    if len(_quiet_until) >= _QUIET_KEEP:
        _quiet_until.clear()  # a memo, not a record: forgetting costs one query per sender
    _quiet_until[key] = until


def _user(user_id):
    from django.contrib.auth import get_user_model
    return get_user_model().objects.get(pk=user_id)


# -- the practitioners' page ------------------------------------------------------------------------


def policy_update(*, actor, family_id: int, values: dict, request=None) -> EscalationPolicy:
    """A practitioner of the family changes its policy; the old and new values are audited."""
    membership = require(user=actor, family_id=family_id, action=Action.MODERATE, request=request)
    with transaction.atomic():
        Family.objects.select_for_update().get(pk=membership.family_id)
        policy = policies(family_ids=[membership.family_id])[membership.family_id]
        old = {f: getattr(policy, f) for f in POLICY_FIELDS}
        for name in POLICY_FIELDS:
            setattr(policy, name, values[name])
        new = {f: getattr(policy, f) for f in POLICY_FIELDS}
        if old == new:
            return policy
        policy.changed_by, policy.changed_at = actor, timezone.now()
        policy.save()
        audit_record(action=actions.POLICY_CHANGED, actor=actor, acting_role=membership.role,
                     family=membership.family, target=membership.family,
                     details={"changed": {f: [old[f], new[f]] for f in POLICY_FIELDS if old[f] != new[f]}},
                     request=request)
    return policy


def alert_acknowledge(*, actor, family_id: int, alert_id: int, request=None) -> AlertAcknowledgement:
    membership = require(user=actor, family_id=family_id, action=Action.MODERATE, request=request)
    with transaction.atomic():
        alert = Alert.objects.select_for_update().filter(pk=alert_id, family_id=membership.family_id).first()
        if alert is None:
            raise NotFound()
        if AlertAcknowledgement.objects.filter(alert=alert).exists():
            raise Invalid(_("Dit signaal is al afgehandeld."), code="conflict")
        ack = AlertAcknowledgement.objects.create(alert=alert, by=actor, at=timezone.now())
        audit_record(action=actions.ALERT_ACKNOWLEDGED, actor=actor, acting_role=membership.role,
                     family=membership.family, subject_user=alert.subject, target=alert,
                     details={"kind": alert.kind}, request=request)
    return ack


def open_alerts(*, family_id: int) -> list[Alert]:
    return list(Alert.objects.filter(family_id=family_id, acknowledgement__isnull=True)
                .select_related("subject").order_by("-created_at"))


def open_alert_counts(*, family_ids) -> dict[int, int]:
    return dict(Alert.objects.filter(family_id__in=family_ids, acknowledgement__isnull=True)
                .values_list("family_id").annotate(n=Count("id")).order_by())

