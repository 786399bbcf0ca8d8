"""The parenting plan (ouderschapsplan): one per family, made of sections; every save is a
revision; parents agree per section and approve the plan as a whole; agreed versions freeze."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from vault.fields import EncryptedTextField


class Plan(models.Model):
    family = models.OneToOneField("families.Family", on_delete=models.PROTECT, related_name="plan")
    language = models.CharField(max_length=5, default="nl")
    created_at = models.DateTimeField(auto_now_add=True)
    # The version being worked on; versions below it are frozen (PlanVersion).
    version = models.PositiveIntegerField(default=1)

    def __str__(self):
        return f"plan {self.family.reference} v{self.version}"


class Section(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("open")
        PROPOSED = "proposed", _("voorgesteld")
        AGREED = "agreed", _("akkoord")
        DISPUTED = "disputed", _("oneens")

    class Kind(models.TextChoices):
        TEXT = "text", _("tekst")
        CARE = "care", _("zorgregeling met rooster")
        CHILDREN = "children", _("betrekken van de kinderen")

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="sections")
    key = models.SlugField(max_length=40)
    title = models.CharField(max_length=120)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.TEXT)
    position = models.PositiveIntegerField(default=0)
    # Required by law (art. 815 Rv; art. 1:247a BW): a plan without it is incomplete.
    required = models.BooleanField(default=False)
    hidden = models.BooleanField(default=False)
    shared_with_relatives = models.BooleanField(default=False)
    evaluation_date = models.DateField(null=True, blank=True)
    # Optimistic concurrency: a save names the revision it was based on and succeeds only if
    # that is still the head (UPDATE ... WHERE head_revision = base).
    head_revision = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["plan", "key"], name="one_section_per_key")]

    def __str__(self):
        return self.title


class SectionRevision(models.Model):
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="revisions")
    number = models.PositiveIntegerField()
    base_number = models.PositiveIntegerField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    content = EncryptedTextField()  # sanitised HTML (parentingplan.content)
    schedule = EncryptedTextField(blank=True, default="")  # JSON, care section only
    restored_from = models.PositiveIntegerField(null=True, blank=True)
    client_id = models.UUIDField(null=True, blank=True)

    class Meta:
        ordering = ["section", "number"]
        constraints = [
            models.UniqueConstraint(fields=["section", "number"], name="one_revision_number"),
            models.UniqueConstraint(fields=["section", "author", "client_id"],
                                    name="idempotent_section_save"),
        ]

    def __str__(self):
        return f"section {self.section_id} r{self.number}"


class WordsTo(models.TextChoices):
    """Where a parent's words on the plan went when they were written (families.access WORDS_*)."""

    FAMILY = "family", _("voor het gezin")
    HELD = "held", _("wacht op de begeleider")
    PRACTITIONERS = "practitioners", _("alleen voor de begeleiders")


class SectionAgreement(models.Model):
    """A parent agrees to (or disputes) one revision of a section: their opinion as it stands now.
    Every change of it is also kept, append-only, as a SectionOpinion."""

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="agreements")
    revision = models.PositiveIntegerField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agrees = models.BooleanField(default=True)
    # Why the parent does not agree (required then, shown to the family); empty when they agree.
    reason = EncryptedTextField(blank=True, default="")
    at = models.DateTimeField(auto_now=True)
    # The append-only opinion this row now stands for: who may read its reason is that record's.
    opinion = models.ForeignKey("SectionOpinion", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["section", "revision", "user"], name="one_opinion")]

    def __str__(self):
        opinion = "agrees" if self.agrees else "disputes"
        return f"section {self.section_id} r{self.revision}: user {self.user_id} {opinion}"


class SectionOpinion(models.Model):
    """Append-only: each time a parent agreed or disagreed with a revision, with their reason for
    disagreeing. The history page shows them; SectionAgreement holds only the latest."""

    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="opinions")
    revision = models.PositiveIntegerField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agrees = models.BooleanField()
    reason = EncryptedTextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    # Who reads the reason, by the contact mode when it was written; a held reason also needs a
    # release (WordsDecision). The tone assessment of the reason ({} for none).
    reason_to = models.CharField(max_length=15, choices=WordsTo.choices, default=WordsTo.FAMILY)
    tone = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["section", "created_at", "pk"]

    def __str__(self):
        opinion = "agrees" if self.agrees else "disagrees"
        return f"section {self.section_id} r{self.revision}: user {self.user_id} {opinion}"


class Comment(models.Model):
    class Visibility(models.TextChoices):
        FAMILY = "family", _("zichtbaar voor het gezin")
        PRACTITIONERS = "practitioners", _("alleen begeleiders")

    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = EncryptedTextField()
    visibility = models.CharField(max_length=15, choices=Visibility.choices, default=Visibility.FAMILY)
    created_at = models.DateTimeField(auto_now_add=True)
    # Where a parent's comment went by the contact mode (a parent's comment in indirect contact has
    # visibility "practitioners"; its author reads it too). Held: waits for a practitioner's release.
    held = models.BooleanField(default=False)
    tone = models.JSONField(default=dict, blank=True)  # the tone assessment; {} for none

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"comment {self.pk} on section {self.section_id}"

    @property
    def words_to(self) -> str:
        if self.visibility == self.Visibility.PRACTITIONERS:
            return WordsTo.PRACTITIONERS
        return WordsTo.HELD if self.held else WordsTo.FAMILY


class WordsDecision(models.Model):
    """A practitioner's decision on a parent's held words on the plan (a comment, or the reason of
    an opinion): released to the family, or returned to the author with a note. Append-only, like
    the words themselves: the author's words are never changed or lost."""

    class Kind(models.TextChoices):
        RELEASE = "release", _("doorgelaten")
        RETURN = "return", _("teruggestuurd")

    comment = models.ForeignKey(Comment, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="decisions")
    opinion = models.ForeignKey(SectionOpinion, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="decisions")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    note = EncryptedTextField(blank=True, default="")  # to the author, on a return

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(comment__isnull=False, opinion__isnull=True)
                | models.Q(comment__isnull=True, opinion__isnull=False),
                name="words_decision_one_subject"),
            # One decision per held words: the first practitioner decides, a second gets Conflict.
            models.UniqueConstraint(fields=["comment"], name="one_decision_per_comment"),
            models.UniqueConstraint(fields=["opinion"], name="one_decision_per_opinion"),
        ]

    def __str__(self):
        subject = f"comment {self.comment_id}" if self.comment_id else f"opinion {self.opinion_id}"
        return f"{self.kind} of {subject}"


class ChildWish(models.Model):
    """How and when a child was heard, and what they said (courts refuse boilerplate)."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="child_wishes")
    child = models.ForeignKey("families.Child", on_delete=models.PROTECT, related_name="+")
    heard_on = models.DateField()
    how = models.CharField(max_length=200)
    said = EncryptedTextField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["child", "heard_on", "pk"]

    def __str__(self):
        return f"child {self.child_id} heard on {self.heard_on}"


class PlanApproval(models.Model):
    """A parent approves the whole plan as it stands: the exact set of section revisions."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="approvals")
    version = models.PositiveIntegerField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    revision_set = models.JSONField()  # {"<section id>": revision number}
    approved_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["approved_at"]

    def __str__(self):
        return f"plan {self.plan_id} v{self.version}: approved by user {self.user_id}"


class PlanVersion(models.Model):
    """A frozen, agreed version: read-only, with its approvers and a hash of its content."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    frozen_at = models.DateTimeField(auto_now_add=True)
    snapshot = EncryptedTextField()  # JSON: sections with their agreed content and schedule
    content_hash = models.CharField(max_length=64)
    approvers = models.JSONField()  # [{"id", "name", "approved_at"}]

    class Meta:
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="one_frozen_version_number")]

    def __str__(self):
        return f"plan {self.plan_id} v{self.number} (frozen)"


class ParentDetails(models.Model):
    """What a parent states about themself for the plan's first page, next to their name: their
    birth date. Only that parent sets it; a version frozen afterwards keeps a copy in its snapshot."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="parent_details")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    birth_date = models.DateField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["plan", "user"], name="one_details_per_parent")]

    def __str__(self):
        return f"plan {self.plan_id}: details of user {self.user_id}"
