"""Threads and their records. Messages are never edited or deleted: the table refuses UPDATE
(except re-encryption of the body by rotate_keys) and DELETE in the database itself, and each
thread's messages form a hash chain (vault.hashing) that anyone can verify from an export."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vault.fields import EncryptedTextField
from vault.hashing import GENESIS


class Thread(models.Model):
    class Kind(models.TextChoices):
        PARENTS = "parents", _("ouders samen")
        PRIVATE = "private", _("ouder en begeleiders")

    family = models.ForeignKey("families.Family", on_delete=models.PROTECT, related_name="threads")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # The parent a private thread belongs to (with the family's practitioners).
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # Updated under a row lock by message_send: seq is gap-free per thread.
    last_seq = models.PositiveBigIntegerField(default=0)
    head_hash = models.CharField(max_length=64, default=GENESIS)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["family"], condition=Q(kind="parents"),
                                    name="one_parents_thread"),
            models.UniqueConstraint(fields=["family", "owner"], condition=Q(kind="private"),
                                    name="one_private_thread_per_parent"),
            models.CheckConstraint(
                condition=(Q(kind="parents", owner__isnull=True) | Q(kind="private", owner__isnull=False)),
                name="private_threads_have_an_owner",
            ),
        ]

    def __str__(self):
        return f"{self.family.reference} {self.kind} {self.owner_id or ''}".strip()


class ThreadParticipant(models.Model):
    """A relative taking part in a thread (relatives take part only where added: a practitioner
    proposes, the thread's parents consent, messaging.membership)."""

    thread = models.ForeignKey(Thread, on_delete=models.PROTECT, related_name="participants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    can_write = models.BooleanField(default=False)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)
    # The first record this participant may see: 1 for the whole history, else the seq of the entry
    # announcing that they joined. Every read path (history, scrolling back, read marks, exports)
    # stops here.
    visible_from_seq = models.PositiveBigIntegerField(default=1)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["thread", "user"], name="one_participation")]

    def __str__(self):
        return f"thread {self.thread_id}: user {self.user_id}"


class Message(models.Model):
    """A record of a thread: a message someone wrote, or an entry saying that someone joined or
    left the thread (kind "membership"; its body is the change as canonical JSON, see
    messaging.membership). Both are links of one hash chain, numbered by one seq."""

    class Kind(models.TextChoices):
        MESSAGE = "message", _("bericht")
        MEMBERSHIP = "membership", _("wie er meedoet")

    class State(models.TextChoices):
        DELIVERED = "delivered", _("afgeleverd")
        HELD = "held", _("wacht op beoordeling")
        RETURNED = "returned", _("teruggestuurd")
        RELAYED = "relayed", _("doorgegeven")

    thread = models.ForeignKey(Thread, on_delete=models.PROTECT, related_name="messages")
    seq = models.PositiveBigIntegerField()
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    client_id = models.UUIDField(default=uuid.uuid4)
    body = EncryptedTextField()
    sent_at = models.DateTimeField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.DELIVERED)
    hash = models.CharField(max_length=64)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.MESSAGE)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["thread", "seq"], name="gap_free_seq"),
            models.UniqueConstraint(fields=["thread", "sender", "client_id"], name="idempotent_send"),
        ]
        ordering = ["thread", "seq"]

    def __str__(self):
        return f"{self.thread_id}#{self.seq}"


class ParticipantProposal(models.Model):
    """A practitioner's proposal to let a relative take part in a thread (or, for one who reads
    along, also write). The relative is added only when every parent who writes in the thread
    accepted (families.access.thread_consent_needed); one "no" ends it. The answers are rows of
    their own, never changed (ProposalAnswer)."""

    class Status(models.TextChoices):
        OPEN = "open", _("wacht op de ouders")
        ADDED = "added", _("toegevoegd")
        DECLINED = "declined", _("afgewezen")
        WITHDRAWN = "withdrawn", _("ingetrokken")
        LAPSED = "lapsed", _("vervallen")

    thread = models.ForeignKey(Thread, on_delete=models.PROTECT, related_name="proposals")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    can_write = models.BooleanField(default=False)
    # Whether the relative sees the records from before they joined (chosen by the practitioner).
    with_history = models.BooleanField()
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["thread", "user"], condition=Q(status="open"),
                                    name="one_open_proposal_per_relative"),
            models.CheckConstraint(condition=Q(status="open", closed_at__isnull=True)
                                   | (~Q(status="open") & Q(closed_at__isnull=False)),
                                   name="closed_proposals_have_a_time"),
        ]

    def __str__(self):
        return f"thread {self.thread_id}: proposal for user {self.user_id} ({self.status})"


class ProposalAnswer(models.Model):
    """One parent's answer to a proposal, with its time: stored once, never changed."""

    proposal = models.ForeignKey(ParticipantProposal, on_delete=models.PROTECT, related_name="answers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    accepted = models.BooleanField()
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["proposal", "user"], name="one_answer_per_parent")]

    def __str__(self):
        return f"proposal {self.proposal_id}: user {self.user_id} {'yes' if self.accepted else 'no'}"


class MessageRead(models.Model):
    """When a recipient first read a message: stored once, never changed."""

    message = models.ForeignKey(Message, on_delete=models.PROTECT, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    read_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["message", "user"], name="first_read_once")]

    def __str__(self):
        return f"message {self.message_id}: read by user {self.user_id}"


class ThreadCursor(models.Model):
    """How far a user has read in a thread (for unread counts) and when they were last mailed."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="cursors")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_seq = models.PositiveBigIntegerField(default=0)
    notified_at = models.DateTimeField(null=True, blank=True)
    # The newest message the user was mailed about: a notice waiting out someone else's quiet hours
    # is checked again later, and must not mail those who were told already a second time.
    notified_seq = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["thread", "user"], name="one_cursor")]

    def __str__(self):
        return f"thread {self.thread_id}: user {self.user_id} read to #{self.read_seq}"


class Presence(models.Model):
    """An open socket. Rows of a process that died are ignored once `seen_at` is stale."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    channel_name = models.CharField(max_length=200, unique=True)
    seen_at = models.DateTimeField()

    def __str__(self):
        return f"socket of user {self.user_id}"


class NoticeDue(models.Model):
    """A thread's pending e-mail notice check (messaging.notices): written in the transaction that
    stores the thread's messages, so a restart loses none; deleted when the check is done.

    One row per thread: a thread's messages arriving before its check share the check, which looks
    at the newest (`seq`). A process claims a row by moving `due_at` a lease ahead and counting the
    attempt; a check that did not finish (mail refused, process killed) is due again then."""

    thread = models.OneToOneField(Thread, on_delete=models.CASCADE, related_name="+")
    seq = models.PositiveBigIntegerField()
    due_at = models.DateTimeField(db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    def __str__(self):
        return f"{self.thread_id}#{self.seq} at {self.due_at:%Y-%m-%d %H:%M:%S}"
