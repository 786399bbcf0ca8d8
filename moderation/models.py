"""Moderation records. Every row here is append-only (the database refuses UPDATE and DELETE):
a family's contact mode is the newest of its changes, and the changes are its history."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vault.fields import EncryptedTextField


class ContactMode(models.TextChoices):
    DIRECT = "direct", _("direct contact")
    MODERATED = "moderated", _("contact met meelezen")
    INDIRECT = "indirect", _("contact via de begeleider")


class ContactModeChange(models.Model):
    """One change of a family's contact mode: who, when, why, and when to look at it again.
    A family without any row is in direct contact."""

    family = models.ForeignKey("families.Family", on_delete=models.PROTECT, related_name="+")
    mode = models.CharField(max_length=10, choices=ContactMode.choices)
    # The practitioner's reason: for the practitioners and the audit, not shown to parents.
    reason = EncryptedTextField()
    review_on = models.DateField(null=True, blank=True)
    # Null when the escalation policy changed it (moderation.policy), not a person.
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ["family", "-changed_at", "-pk"]
        indexes = [models.Index(fields=["family", "-changed_at", "-id"], name="mode_newest_first")]

    def __str__(self):
        return f"family {self.family_id}: {self.mode} since {self.changed_at:%Y-%m-%d %H:%M}"


class Draft(models.Model):
    """A message held for review (moderated mode). It is NOT a message of the thread: it has no seq
    and is not in the thread's hash chain, so every member's view of the thread stays gap-free. It
    keeps the sender's words exactly as sent, their tone assessment and when it was held, with a hash
    of its own (moderation.records). What became of it is its decisions; a release appends a message
    to the thread, and the release decision links that message (its thread, seq and chain hash)."""

    family = models.ForeignKey("families.Family", on_delete=models.PROTECT, related_name="+")
    thread = models.ForeignKey("messaging.Thread", on_delete=models.PROTECT, related_name="+")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    client_id = models.UUIDField()
    body = EncryptedTextField()
    tone_level = models.CharField(max_length=10)
    tone_reasons = models.JSONField(default=list)
    tone_version = models.CharField(max_length=40)
    held_at = models.DateTimeField()
    # The thread's last seq when it was held: where it stands in the sender's own view of the chat.
    after_seq = models.PositiveBigIntegerField()
    hash = models.CharField(max_length=64)

    class Meta:
        constraints = [
            # A resend after a reconnect finds the held draft instead of holding it twice.
            models.UniqueConstraint(fields=["thread", "sender", "client_id"], name="idempotent_hold"),
        ]
        indexes = [
            models.Index(fields=["family", "held_at"], name="draft_family_queue"),
            models.Index(fields=["held_at"], name="draft_held_at"),  # the alert worker's step
            models.Index(fields=["thread", "sender", "held_at"], name="draft_sender_view"),
        ]

    def __str__(self):
        return f"draft {self.pk} in thread {self.thread_id}"


# How the tone check's levels and reason tags read for practitioners (moderation.tone documents them).
TONE_LEVELS = {"ok": _("rustig"), "caution": _("let op"), "hostile": _("vijandig"), "threat": _("dreigend")}
TONE_TAGS = {
    "insult": _("belediging"), "profanity": _("grof taalgebruik"), "threat": _("dreiging"),
    "shouting": _("hoofdletters"), "exclamations": _("uitroeptekens"), "absolutes": _("altijd/nooit"),
    "blame": _("verwijt"), "sarcasm": _("sarcasme"), "child_pressure": _("druk via de kinderen"),
    "contempt": _("minachting"), "demand": _("eisen"),
}


class ReturnReason(models.TextChoices):
    """Why a practitioner returned a message (or proposed another wording): fixed codes."""

    BLAME = "blame", _("Verwijt")
    CHILD_PRESSURE = "child_pressure", _("Druk via de kinderen")
    OFF_TOPIC = "off_topic", _("Niet ter zake")
    TOO_LONG = "too_long", _("Te lang")
    INSULT = "insult", _("Belediging")
    THREAT = "threat", _("Dreiging")
    OTHER = "other", _("Iets anders")


class Decision(models.Model):
    """One step in what became of a draft: a practitioner's release, return or rephrasing, or the
    sender's accept or decline of a rephrasing. Numbered per draft (1, 2, ...) and chained: each
    hash covers the previous one (the draft's own hash for the first), so the draft's story cannot be
    changed, shortened or reordered unseen."""

    class Kind(models.TextChoices):
        RELEASE = "release", _("doorgelaten")
        RETURN = "return", _("teruggestuurd")
        REPHRASE = "rephrase", _("herschrijving voorgesteld")
        ACCEPT = "accept", _("herschrijving aanvaard")
        DECLINE = "decline", _("herschrijving afgewezen")

    draft = models.ForeignKey(Draft, on_delete=models.PROTECT, related_name="decisions")
    seq = models.PositiveIntegerField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    reason = models.CharField(max_length=20, choices=ReturnReason.choices, blank=True)
    note = EncryptedTextField(blank=True)
    proposal = EncryptedTextField(blank=True)
    # The message a release or an accepted rephrasing appended to the thread.
    message = models.OneToOneField("messaging.Message", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["draft", "seq"]
        constraints = [models.UniqueConstraint(fields=["draft", "seq"], name="one_decision_per_step")]

    def __str__(self):
        return f"draft {self.draft_id} step {self.seq}: {self.kind}"


class Relay(models.Model):
    """A practitioner's message to a parent on the other parent's behalf (indirect mode): the message
    itself is in the recipient's private thread (state "relayed"); this record links the messages it
    passes on (their thread, seq and chain hash), for practitioners only, with a hash over both."""

    message = models.OneToOneField("messaging.Message", on_delete=models.PROTECT, related_name="+")
    thread = models.ForeignKey("messaging.Thread", on_delete=models.PROTECT, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # [{"id", "thread", "seq", "hash"}, ...] of the source messages, in thread and seq order.
    sources = models.JSONField()
    hash = models.CharField(max_length=64)

    def __str__(self):
        return f"relay of message {self.message_id}"


class MessageTone(models.Model):
    """The tone assessment of a message a parent or relative wrote in the parents' thread and that
    was delivered directly (a held message's assessment is its draft's). A table of its own, keyed by
    the message, and not columns on messaging's Message: messaging knows nothing of tone, the
    message's hash does not cover it, and no frame, page or export for parents reads this table.
    Written in the send's transaction, one INSERT per batch (moderation.chat.ModerationChat.delivered);
    append-only."""

    # No database FK constraint: messages are append-only by their own trigger, and a message removed
    # by someone with DDL rights must show up in verify_records as a gap in the chain, not be kept
    # from view by this side record (tests/messaging/test_records.py does exactly that).
    message = models.OneToOneField("messaging.Message", primary_key=True, on_delete=models.DO_NOTHING,
                                   related_name="+", db_constraint=False)
    # Copied from the message so the trend and the policy read one table without a join.
    family = models.ForeignKey("families.Family", on_delete=models.PROTECT, related_name="+")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField()
    level = models.CharField(max_length=10)
    reasons = models.JSONField(default=list)
    version = models.CharField(max_length=40)

    class Meta:
        indexes = [
            models.Index(fields=["family", "sender", "sent_at"], name="tone_family_sender"),
            # The alert worker's step: who wrote since its last look (moderation.policy.alerts_scan).
            models.Index(fields=["sent_at"], name="tone_sent_at"),
        ]

    def __str__(self):
        return f"tone of message {self.message_id}: {self.level}"


class EscalationPolicy(models.Model):
    """A family's escalation policy and limits for parents (item 5). A family without a row has the
    defaults (these fields' defaults). The row is a setting, changed by practitioners on a page; every
    change is in the audit log with the old and new values."""

    family = models.OneToOneField("families.Family", on_delete=models.PROTECT, related_name="+")
    threat_hold = models.BooleanField(default=True)  # a threat is held and the family goes moderated
    hostile_alert_count = models.PositiveSmallIntegerField(default=3)  # 0: never
    hostile_window_hours = models.PositiveSmallIntegerField(default=24)
    night_start_hour = models.PositiveSmallIntegerField(default=23)  # local time, inclusive
    night_end_hour = models.PositiveSmallIntegerField(default=6)  # local time, exclusive
    night_burst_count = models.PositiveSmallIntegerField(default=5)  # 0: never
    night_burst_minutes = models.PositiveSmallIntegerField(default=30)
    daily_message_limit = models.PositiveIntegerField(null=True, blank=True)  # None: no limit
    max_message_chars = models.PositiveIntegerField(null=True, blank=True)  # None: the chat's own limit
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                                   related_name="+")
    changed_at = models.DateTimeField(null=True)

    def __str__(self):
        return f"policy of family {self.family_id}"

    def is_night(self, hour: int) -> bool:
        if self.night_start_hour == self.night_end_hour:
            return False
        if self.night_start_hour < self.night_end_hour:
            return self.night_start_hour <= hour < self.night_end_hour
        return hour >= self.night_start_hour or hour < self.night_end_hour


class Alert(models.Model):
    """A signal for the family's practitioners (append-only): what happened and about whom, never
    the words. Acknowledged by an AlertAcknowledgement row."""

    class Kind(models.TextChoices):
        THREAT = "threat", _("dreiging vastgehouden")
        HOSTILE_REPEATED = "hostile_repeated", _("herhaald vijandige berichten")
        NIGHT_BURST = "night_burst", _("veel berichten 's nachts")

    family = models.ForeignKey("families.Family", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    level = models.CharField(max_length=10)  # "threat", "hostile", "caution"
    subject = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["family", "-created_at"], name="alert_family_newest")]

    def __str__(self):
        return f"alert {self.pk}: {self.kind}"


class AlertAcknowledgement(models.Model):
    alert = models.OneToOneField(Alert, on_delete=models.PROTECT, related_name="acknowledgement")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    def __str__(self):
        return f"alert {self.alert_id} acknowledged"


class AlertScan(models.Model):
    """The alert worker's place (one row, pk 1): it has looked at every tone row and held draft up
    to `checked_until` (moderation.policy.alerts_scan). Not a record: losing it costs one look back
    of SCAN_FIRST. The worker that holds its row lock is the only one looking."""

    checked_until = models.DateTimeField()

    def __str__(self):
        return f"alerts checked until {self.checked_until:%Y-%m-%d %H:%M:%S}"
