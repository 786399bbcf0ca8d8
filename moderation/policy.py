"""The escalation policy (item 5): limits for parents, a threat held in any mode with the family
switched to moderated at once, alerts for repeated hostility and night bursts.

Inside the send (moderation.chat.ModerationChat.screen, threads' rows locked): the batch's families'
policies in one query, and, only when a family has a daily limit, the senders' counts of today in
one more query. A threat's alert is raised in the send itself. The alerts for repeated hostility and
night bursts are not: the alert worker (`alerts_scan`, every SCAN_SECONDS, in a process of its own in
production: manage.py watch_alerts) looks at everyone who wrote since its last look, in a few
queries for all of them, so nothing of it runs on the chat's send path."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from audit import actions
from audit.services import audit_entry, audit_record, audit_records
from core.broadcast import broadcast_many_on_commit, broadcast_on_commit
from core.errors import Invalid, NotFound, PermissionDenied
from core.groups import user_group
from core.workers import PollingWorker, SingleWorker
from families.access import Action, require
from families.models import Family, Membership, Role
from messaging.models import Message, Thread
from moderation.models import (
    Alert,
    AlertAcknowledgement,
    AlertScan,
    ContactMode,
    ContactModeChange,
    Draft,
    EscalationPolicy,
    MessageTone,
)

HOSTILE_LEVELS = ("hostile", "threat")
# At most one night-burst alert per sender in this time.
NIGHT_BURST_ALERT_EVERY = timedelta(hours=12)
ALERT_LEVELS = {Alert.Kind.HOSTILE_REPEATED: "hostile", Alert.Kind.NIGHT_BURST: "caution"}
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
    """Store one alert (in the caller's transaction: a held threat); see `alerts_raise`."""
    return alerts_raise([(family_id, kind, level, subject)])[0]


def alerts_raise(wanted: list[tuple[int, str, str, object]]) -> list[Alert]:
    """Store alerts, each (family id, kind, level, subject), in the caller's transaction: one INSERT
    for the alerts and one for their audit rows. After commit every open socket of the families'
    practitioners gets alert.new for each, and each coordinator ONE e-mail without any content for
    all of theirs (a night of bursts in many families is one mail, not one per alert)."""
    now = timezone.now()
    alerts = Alert.objects.bulk_create([Alert(family_id=family_id, kind=kind, level=level, subject=subject,
                                              created_at=now) for family_id, kind, level, subject in wanted])
    audit_records([audit_entry(action=actions.ALERT_RAISED, family=Family(pk=alert.family_id),
                               subject_user=alert.subject, target=alert,
                               details={"kind": alert.kind, "level": alert.level}) for alert in alerts])
    practitioners: dict[int, list[Membership]] = {}
    for member in Membership.objects.active().filter(
            family_id__in={alert.family_id for alert in alerts},
            role__in=(Role.COORDINATOR, Role.PRACTITIONER)).select_related("user"):
        practitioners.setdefault(member.family_id, []).append(member)
    mails: dict[int, tuple] = {}  # coordinator's id -> (coordinator, their alerts)
    events = []
    for alert in alerts:
        frame = alert_frame(alert)
        for member in practitioners.get(alert.family_id, ()):
            events.append((user_group(member.user_id), {"type": "alert.new", "frame": frame}))
            if member.role == Role.COORDINATOR:
                mails.setdefault(member.user_id, (member.user, []))[1].append(alert)
    broadcast_many_on_commit(events)
    if mails:
        transaction.on_commit(lambda: _mail_coordinators(list(mails.values())))
    return alerts


def _mail_coordinators(mails: list[tuple]) -> None:
    site = settings.SITE_URL.rstrip("/")
    for user, alerts in mails:
        with translation.override(user.language or settings.LANGUAGE_CODE):
            if len(alerts) == 1:
                alert = alerts[0]
                subject = _("Signaal in %(site)s: %(kind)s") % {"site": settings.SITE_NAME,
                                                                 "kind": alert.get_kind_display()}
                body = (_("Er is een signaal voor een gezin dat je begeleidt (%(kind)s). Wat er precies "
                          "is gebeurd, lees je na het inloggen:\n%(link)s")
                        % {"kind": alert.get_kind_display(),
                           "link": site + reverse("moderation:policy", args=[alert.family_id])})
            else:
                families = len({alert.family_id for alert in alerts})
                subject = _("%(n)d signalen in %(site)s") % {"n": len(alerts), "site": settings.SITE_NAME}
                body = (ngettext(
                    "Er zijn %(n)d nieuwe signalen voor gezinnen die je begeleidt (%(families)d gezin). "
                    "Wat er precies is gebeurd, lees je na het inloggen; je overzicht toont welke "
                    "gezinnen het zijn:\n%(link)s",
                    "Er zijn %(n)d nieuwe signalen voor gezinnen die je begeleidt (%(families)d gezinnen). "
                    "Wat er precies is gebeurd, lees je na het inloggen; je overzicht toont welke "
                    "gezinnen het zijn:\n%(link)s", families)
                    % {"n": len(alerts), "families": families, "link": site + reverse("families:home")})
            send_mail(subject=subject, message=body, from_email=None, recipient_list=[user.email])


# -- alerts for repeated hostility and night bursts: a worker, off the send path ---------------------

# Rows stored a little before the last look but committed after it are still seen: a send's
# transaction takes milliseconds, this is seconds.
SCAN_OVERLAP = timedelta(seconds=5)
# A first look (a new database, a lost AlertScan row) goes back this far.
SCAN_FIRST = timedelta(minutes=15)
# How often the worker looks: an alert reaches the practitioners within about this time. Each look
# counts for everyone who wrote since the one before (and SCAN_OVERLAP): looking less often costs
# less per message (tests/perf: every 2 s, the looks took a tenth of a core at 100 messages a second).
SCAN_SECONDS = 5.0


def alerts_scan(*, now: datetime | None = None) -> int:
    """One look of the alert worker: every sender with a tone row (a delivered message in the parents'
    thread) or a held draft since the last look is checked against their family's policy, and
    hostile_repeated or night_burst is raised when its count is reached, once per window. A few
    queries for all of them together, whatever their number; returns how many senders were checked.

    Not on the send path: before, each batch's commit counted its senders' messages in its own
    thread (three queries a sender), and at night every parent of tests/perf was counted on every
    message. One process looks at a time (the AlertScan row, locked with SKIP LOCKED)."""
    now = now or timezone.now()
    with transaction.atomic():
        scan = AlertScan.objects.select_for_update(skip_locked=True).filter(pk=1).first()
        if scan is None:
            if AlertScan.objects.filter(pk=1).exists():
                return 0  # another process is looking now
            AlertScan.objects.bulk_create([AlertScan(pk=1, checked_until=now - SCAN_FIRST)],
                                          ignore_conflicts=True)
            scan = AlertScan.objects.select_for_update(skip_locked=True).filter(pk=1).first()
            if scan is None:
                return 0
        active = _active_senders(since=scan.checked_until - SCAN_OVERLAP)
        due = _reached(active, now)
        if due:
            users = get_user_model().objects.in_bulk({sender_id for (_f, sender_id), _k, _w in due})
            alerts = alerts_raise([(family_id, kind, ALERT_LEVELS[kind], users[sender_id])
                                   for (family_id, sender_id), kind, _w in due])
            for alert, (_pair, _kind, window) in zip(alerts, due, strict=True):
                _raised(alert, window)
        scan.checked_until = now
        scan.save(update_fields=["checked_until"])
    return len(active)


def _active_senders(*, since: datetime) -> dict[tuple[int, int], tuple[bool, datetime]]:
    """(family, sender) -> (wrote something hostile, their latest row) for what was sent or held
    since `since`, in one query."""
    hostile = Q(level__in=HOSTILE_LEVELS)
    tones = (MessageTone.objects.filter(sent_at__gte=since).values_list("family_id", "sender_id")
             .annotate(h=Count("pk", filter=hostile), latest=Max("sent_at")).order_by())
    drafts = (Draft.objects.filter(held_at__gte=since).values_list("family_id", "sender_id")
              .annotate(h=Count("pk", filter=Q(tone_level__in=HOSTILE_LEVELS)), latest=Max("held_at"))
              .order_by())
    active: dict[tuple[int, int], tuple[bool, datetime]] = {}
    for family_id, sender_id, h, latest in tones.union(drafts, all=True):
        was_hostile, was_latest = active.get((family_id, sender_id), (False, latest))
        active[(family_id, sender_id)] = (was_hostile or h > 0, max(was_latest, latest))
    return active


def _reached(active: dict[tuple[int, int], tuple[bool, datetime]], now: datetime):
    """The alerts due: ((family, sender), kind, window) for each sender whose count reached their
    family's policy and who has no such alert in its window yet."""
    rules = policies(family_ids={family_id for family_id, _s in active})
    # (family, sender, kind) -> since when to count
    wanted: dict[tuple[int, int, str], datetime] = {}
    windows: dict[tuple[int, int, str], timedelta] = {}
    for (family_id, sender_id), (hostile, latest) in active.items():
        rule = rules[family_id]
        if hostile and rule.hostile_alert_count:
            key = (family_id, sender_id, Alert.Kind.HOSTILE_REPEATED)
            windows[key] = timedelta(hours=rule.hostile_window_hours)
            wanted[key] = now - windows[key]
        if rule.night_burst_count and rule.is_night(timezone.localtime(latest).hour):
            key = (family_id, sender_id, Alert.Kind.NIGHT_BURST)
            windows[key] = NIGHT_BURST_ALERT_EVERY
            wanted[key] = now - timedelta(minutes=rule.night_burst_minutes)
    _drop_alerted(wanted, windows, now)
    if not wanted:
        return []
    counts = _counts(wanted)
    due = []
    for (family_id, sender_id, kind), _since in wanted.items():
        rule = rules[family_id]
        need = rule.hostile_alert_count if kind == Alert.Kind.HOSTILE_REPEATED else rule.night_burst_count
        if counts.get((family_id, sender_id, kind), 0) >= need:
            due.append(((family_id, sender_id), kind, windows[(family_id, sender_id, kind)]))
    return due


def _drop_alerted(wanted: dict, windows: dict, now: datetime) -> None:
    """Leave out of `wanted` what already has its alert in the window: from this process's memo,
    else from one query for all the rest."""
    for key in list(wanted):
        until = _quiet_until.get((*key, windows[key]))
        if until is not None and now < until:
            del wanted[key]
    if not wanted:
        return
    newest = (Alert.objects.filter(family_id__in={k[0] for k in wanted},
                                   subject_id__in={k[1] for k in wanted}, kind__in={k[2] for k in wanted},
                                   created_at__gte=now - max(windows[k] for k in wanted))
              .values_list("family_id", "subject_id", "kind").annotate(last=Max("created_at")).order_by())
    for family_id, subject_id, kind, last in newest:
        key = (family_id, subject_id, kind)
        if key in wanted and last + windows[key] > now:
            _remember((*key, windows[key]), last + windows[key])
            del wanted[key]


def _counts(wanted: dict[tuple[int, int, str], datetime]) -> dict[tuple[int, int, str], int]:
    """(family, sender, kind) -> messages and held drafts that count for the alert since its `since`:
    hostile ones for hostile_repeated, all for night_burst. One query (a union) per distinct pair of
    windows, so one for families on the same policy."""
    groups: dict[tuple, list[tuple[int, int]]] = {}
    sinces: dict[tuple[int, int], dict[str, datetime]] = {}
    for (family_id, sender_id, kind), since in wanted.items():
        sinces.setdefault((family_id, sender_id), {})[kind] = since
    for pair, by_kind in sinces.items():
        groups.setdefault((by_kind.get(Alert.Kind.HOSTILE_REPEATED), by_kind.get(Alert.Kind.NIGHT_BURST)),
                          []).append(pair)
    never = timezone.now() + timedelta(days=1)  # a since after every row: this kind is not counted
    counts: dict[tuple[int, int, str], int] = {}
    for (hostile_since, night_since), pairs in groups.items():
        h_since, n_since = hostile_since or never, night_since or never
        start = min(h_since, n_since)
        # Only the families in the query (each family's senders are few): the pairs are picked out
        # below, and a list of every sender as well cost more to build than the rows it saved.
        families = {f for f, _s in pairs}
        tones = (MessageTone.objects.filter(family_id__in=families, sent_at__gte=start)
                 .values_list("family_id", "sender_id")
                 .annotate(h=Count("pk", filter=Q(level__in=HOSTILE_LEVELS, sent_at__gte=h_since)),
                           n=Count("pk", filter=Q(sent_at__gte=n_since))).order_by())
        drafts = (Draft.objects.filter(family_id__in=families, held_at__gte=start)
                  .values_list("family_id", "sender_id")
                  .annotate(h=Count("pk", filter=Q(tone_level__in=HOSTILE_LEVELS, held_at__gte=h_since)),
                            n=Count("pk", filter=Q(held_at__gte=n_since))).order_by())
        wanted_pairs = set(pairs)
        for family_id, sender_id, h, n in tones.union(drafts, all=True):
            if (family_id, sender_id) not in wanted_pairs:
                continue
            for kind, add in ((Alert.Kind.HOSTILE_REPEATED, h), (Alert.Kind.NIGHT_BURST, n)):
                key = (family_id, sender_id, kind)
                counts[key] = counts.get(key, 0) + add
    return counts


def AlertWorker(*, poll_seconds: float = SCAN_SECONDS) -> PollingWorker:  # noqa: N802 - reads as a class
    """Runs `alerts_scan` every `poll_seconds` (core.workers): in a thread of its own (config/asgi.py,
    with NOTICE_WORKER) or in the foreground (manage.py watch_alerts)."""
    return PollingWorker(send_due=alerts_scan, name="alerts-worker", batch=10**9, poll_seconds=poll_seconds)


_worker = SingleWorker(AlertWorker)


def worker_start() -> PollingWorker:
    """This process's alert worker, started on the first call."""
    return _worker.start()


# (family, sender, kind, window) -> the moment the newest such alert leaves its window. Until then
# the policy raises no other of that kind, so the worker's look needs no query for that sender. Only
# a shortcut: a process that does not know of an alert asks the database, once.
_quiet_until: dict[tuple, datetime] = {}
_QUIET_KEEP = 50_000


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

