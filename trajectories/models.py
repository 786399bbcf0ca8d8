"""Trajectories: a practitioner's guided work with a family (types in trajectories.types), its
talks (appointments) and who takes part, the calendar feeds, the reminders, and the school
holidays an administrator enters.

Who may see which talk is not stored here but decided in trajectories.selectors (visible_talks):
a parent sees the talks they take part in and those without any adult of the family (a child's
talk, a practitioners' meeting), never the other parent's own talks.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from trajectories.types import TYPE_CHOICES, TYPES, TalkKind, TrajectoryType
from vault.fields import EncryptedTextField


class Region(models.TextChoices):
    """The school holiday regions of the Netherlands (rijksoverheid.nl, "regio-indeling")."""

    NORTH = "north", _("Noord")
    MIDDLE = "middle", _("Midden")
    SOUTH = "south", _("Zuid")


class Trajectory(models.Model):
    """One trajectory of one family, from one type. A family has at most one running at a time;
    the ones before it stay (phase 1, then phase 2; mediation, then parallel parenting)."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("loopt")
        COMPLETED = "completed", _("afgerond")
        STOPPED = "stopped", _("gestopt")

    family = models.ForeignKey("families.Family", on_delete=models.PROTECT, related_name="+")
    type_key = models.CharField(_("soort traject"), max_length=40, choices=TYPE_CHOICES)
    region = models.CharField(_("regio schoolvakanties"), max_length=10, choices=Region.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    started_on = models.DateField(_("begint op"))
    # The end the type gives (16 school weeks, 9 months, ...) as planned at the start. The end
    # shown (Trajectory.end_on in selectors) follows the talks when they move.
    planned_end_on = models.DateField()
    options = models.JSONField(default=dict, blank=True)
    # The practitioner who runs it: they take part in its talks and see it on their home page.
    practitioner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    previous = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Why it ended (or was switched): for the practitioners and the audit, never shown to parents.
    end_reason = EncryptedTextField(blank=True, default="")

    class Meta:
        ordering = ["family", "-started_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["family"], condition=Q(status="active"), name="one_active_trajectory_per_family"
            ),
        ]
        verbose_name = _("traject")
        verbose_name_plural = _("trajecten")

    def __str__(self):
        return f"{self.type_key} ({self.family_id}, {self.started_on})"

    @property
    def type(self) -> TrajectoryType:
        return TYPES[self.type_key]

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class Talk(models.Model):
    """An appointment in a trajectory."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("gepland")
        MOVED = "moved", _("verzet")
        HELD = "held", _("gehouden")
        CANCELLED = "cancelled", _("afgezegd")

    class Place(models.TextChoices):
        ONLINE = "online", _("online")
        PRACTICE = "practice", _("in de praktijk")
        HOME = "home", _("op huisbezoek")
        NEUTRAL = "neutral", _("op een neutrale plek")

    UPCOMING = (Status.PLANNED, Status.MOVED)

    trajectory = models.ForeignKey(Trajectory, on_delete=models.PROTECT, related_name="talks")
    family = models.ForeignKey("families.Family", on_delete=models.PROTECT, related_name="+")
    # The planned element of the type it came from ("" for a talk the practitioner added).
    element = models.CharField(max_length=40, blank=True)
    kind = models.CharField(_("soort gesprek"), max_length=20, choices=TalkKind.choices)
    number = models.PositiveSmallIntegerField(default=0)  # "Gezamenlijk gesprek 3"; 0: no number
    phase = models.CharField(max_length=40, blank=True)
    optional = models.BooleanField(default=False)
    starts_at = models.DateTimeField(_("begint om"))
    minutes = models.PositiveSmallIntegerField(_("duur in minuten"))
    place = models.CharField(_("plek"), max_length=10, choices=Place.choices, default=Place.PRACTICE)
    # The address or video link: shown only to those taking part (and the practitioners).
    address = EncryptedTextField(_("adres of link"), blank=True, default="")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    moved_from = models.DateTimeField(null=True, blank=True)  # the time before the last move
    # For calendars: a stable UID, and SEQUENCE raised at every change (RFC 5545).
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    changed_at = models.DateTimeField(default=timezone.now)
    held_at = models.DateTimeField(null=True, blank=True)
    held_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [
            models.Index(fields=["family", "starts_at"], name="talk_family_time"),
            models.Index(fields=["status", "starts_at"], name="talk_status_time"),
        ]
        verbose_name = _("gesprek")
        verbose_name_plural = _("gesprekken")

    def __str__(self):
        return f"talk {self.pk} ({self.kind}, {self.starts_at:%Y-%m-%d %H:%M})"

    @property
    def ends_at(self):
        return self.starts_at + timedelta(minutes=self.minutes)

    @property
    def is_upcoming(self) -> bool:
        return self.status in self.UPCOMING

    @property
    def title(self) -> str:
        """ "Gezamenlijk gesprek 3": the type's name for it (or the kind's), and its number."""
        planned = TYPES[self.trajectory.type_key].planned_element(self.element) if self.element else None
        label = str(planned.label) if planned is not None else str(TalkKind(self.kind).label)
        return f"{label} {self.number}" if self.number else label

    @property
    def place_label(self) -> str:
        return str(self.Place(self.place).label)

    @property
    def status_label(self) -> str:
        return str(self.Status(self.status).label)


class TalkParticipant(models.Model):
    """One who takes part in a talk: a member of the family (parent, relative, practitioner) or a
    child (children are not users)."""

    talk = models.ForeignKey(Talk, on_delete=models.PROTECT, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    child = models.ForeignKey(
        "families.Child", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False, child__isnull=True)
                | Q(user__isnull=True, child__isnull=False),
                name="participant_is_a_user_or_a_child",
            ),
            models.UniqueConstraint(fields=["talk", "user"], name="one_participation_per_user"),
            models.UniqueConstraint(fields=["talk", "child"], name="one_participation_per_child"),
        ]

    def __str__(self):
        who = f"user {self.user_id}" if self.user_id else f"child {self.child_id}"
        return f"talk {self.talk_id}: {who}"


class ReminderDue(models.Model):
    """A talk's reminder e-mails, due the day before (trajectories.reminders). One row per talk:
    written with the talk, moved when it moves, gone when it is cancelled or all were sent."""

    talk = models.OneToOneField(Talk, on_delete=models.CASCADE, related_name="+")
    due_at = models.DateTimeField(db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    def __str__(self):
        return f"reminder for talk {self.talk_id} due {self.due_at:%Y-%m-%d %H:%M}"


class ReminderSent(models.Model):
    """One reminder mailed to one person about a talk at one time: never twice for the same
    (talk, person, time). A talk that moves gets a reminder about its new time."""

    talk = models.ForeignKey(Talk, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["talk", "user", "starts_at"], name="one_reminder_per_time")
        ]

    def __str__(self):
        return f"reminder talk {self.talk_id} to user {self.user_id}"


class CalendarFeed(models.Model):
    """A user's private calendar feed: only a hash of the secret in its address is kept, so the
    address is shown once, when it is made; a new one replaces it (the old address then gives 404)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"calendar feed of user {self.user_id}"


class WayUpDismissal(models.Model):
    """A practitioner decided not to switch to parallel parenting now: the suggestion rests until
    `until` (and shows again if the family is still in moderated contact then)."""

    trajectory = models.ForeignKey(Trajectory, on_delete=models.PROTECT, related_name="+")
    dismissed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    dismissed_at = models.DateTimeField(default=timezone.now)
    until = models.DateField()
    note = EncryptedTextField(blank=True, default="")

    def __str__(self):
        return f"way up rests for trajectory {self.trajectory_id} until {self.until}"


class SchoolHoliday(models.Model):
    """A school holiday period entered by an administrator. When a region has periods for a school
    year here, they replace the library's dates for that school year (trajectories.schoolholidays)."""

    region = models.CharField(_("regio"), max_length=10, choices=Region.choices)
    name = models.CharField(_("naam"), max_length=60, help_text=_("Bijvoorbeeld: Herfstvakantie"))
    first_day = models.DateField(_("eerste dag"), help_text=_("Meestal een zaterdag."))
    last_day = models.DateField(_("laatste dag"), help_text=_("Meestal een zondag."))
    school_year = models.PositiveSmallIntegerField(_("schooljaar (beginjaar)"), editable=False)
    source = models.CharField(
        _("bron"),
        max_length=200,
        blank=True,
        help_text=_("Waar de data vandaan komen, bijvoorbeeld rijksoverheid.nl."),
    )

    class Meta:
        ordering = ["region", "first_day"]
        constraints = [
            models.CheckConstraint(
                condition=Q(first_day__lte=models.F("last_day")), name="holiday_ends_after_it_begins"
            )
        ]
        verbose_name = _("schoolvakantie")
        verbose_name_plural = _("schoolvakanties")

    def __str__(self):
        return f"{self.name} {self.get_region_display()} {self.first_day}–{self.last_day}"

    def save(self, *args, **kwargs):
        from trajectories.schoolholidays import school_year_of

        # Derived, so that a school year's rows are found together (they replace the library's).
        self.school_year = school_year_of(self.first_day)
        super().save(*args, **kwargs)

    def clean(self):
        if self.first_day and self.last_day:
            if self.last_day < self.first_day:
                raise ValidationError(gettext("De laatste dag ligt voor de eerste dag."))
            if (self.last_day - self.first_day).days > 70:
                raise ValidationError(
                    gettext("Een schoolvakantie duurt hooguit tien weken. Controleer de data.")
                )


# -- the trajectory's records (issue 12) ----------------------------------------------------------------


class Consent(models.Model):
    """One consent given or withdrawn, by a parent for themselves or recorded by a practitioner for
    a child (children are not users). Append-only in the database (audit.appendonly): the latest
    row per person and trajectory is that person's consent now; the rows before stay as the record
    of who said what and when. Which consents a child's talk needs: trajectories.consent."""

    class Decision(models.TextChoices):
        GIVEN = "given", _("gegeven")
        WITHDRAWN = "withdrawn", _("ingetrokken")

    trajectory = models.ForeignKey(Trajectory, on_delete=models.PROTECT, related_name="+")
    family = models.ForeignKey("families.Family", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    child = models.ForeignKey(
        "families.Child", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision = models.CharField(max_length=10, choices=Decision.choices)
    at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False, child__isnull=True)
                | Q(user__isnull=True, child__isnull=False),
                name="consent_is_of_a_user_or_a_child",
            ),
        ]
        indexes = [models.Index(fields=["trajectory", "at"], name="consent_trajectory_time")]

    def __str__(self):
        who = f"user {self.user_id}" if self.user_id else f"child {self.child_id}"
        return f"consent {self.decision} by {who} for trajectory {self.trajectory_id}"


class DossierNote(models.Model):
    """A note in the practitioners' confidential dossier of a family (and, when given, about one
    of its trajectories). Encrypted at rest; append-only (a later note corrects an earlier one);
    only families.access.Action.VIEW_DOSSIER may read it, and every read is audited."""

    family = models.ForeignKey("families.Family", on_delete=models.PROTECT, related_name="+")
    trajectory = models.ForeignKey(
        Trajectory, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    body = EncryptedTextField()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["family", "created_at"], name="dossier_family_time")]

    def __str__(self):
        return f"dossier note {self.pk} of family {self.family_id}"


# -- working goals, the agreement and the practice's code of conduct (issue 12, item 1) ----------------


class Goal(models.Model):
    """A working goal the practitioner writes for a trajectory. Append-only: a goal's wording is
    not changed afterwards (the parents confirmed that wording); a goal that no longer fits is
    stopped (a GoalUpdate) and a new one written. Its status is its latest GoalUpdate."""

    trajectory = models.ForeignKey(Trajectory, on_delete=models.PROTECT, related_name="+")
    family = models.ForeignKey("families.Family", on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["trajectory", "created_at"], name="goal_trajectory_time")]

    def __str__(self):
        return f"goal {self.pk} of trajectory {self.trajectory_id}"


class GoalUpdate(models.Model):
    """A goal's status and progress note at a moment (written at an evaluation, or between).
    Append-only: the latest row is the goal's status now."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        IN_PROGRESS = "in_progress", _("bezig")
        REACHED = "reached", _("bereikt")
        STOPPED = "stopped", _("gestopt")

    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=12, choices=Status.choices)
    note = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"goal {self.goal_id} {self.status}"


class AgreementConfirmation(models.Model):
    """A parent confirmed the agreement (the goals as they were then). Append-only. goals_hash is
    trajectories.goals.goals_hash at that moment: when the goals change, the hash no longer
    matches and the parent is asked again."""

    trajectory = models.ForeignKey(Trajectory, on_delete=models.PROTECT, related_name="+")
    family = models.ForeignKey("families.Family", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    goals_hash = models.CharField(max_length=64)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["trajectory", "user"], name="agreement_trajectory_user")]

    def __str__(self):
        return f"agreement confirmed by user {self.user_id} for trajectory {self.trajectory_id}"


class CodeOfConduct(models.Model):
    """The practice's code of conduct (a PDF), kept in the database. Append-only: a new upload is
    a new row and the latest is the current document; the old ones stay, so that a receipt always
    points at the document the parent received."""

    name = models.CharField(max_length=200)
    content = models.BinaryField()
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self):
        return f"code of conduct {self.pk} ({self.name})"


class CodeOfConductReceipt(models.Model):
    """A parent acknowledged receiving (a version of) the code of conduct. Append-only."""

    document = models.ForeignKey(CodeOfConduct, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    family = models.ForeignKey("families.Family", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["document", "user"], name="one_receipt_per_document_and_user")
        ]

    def __str__(self):
        return f"user {self.user_id} received code of conduct {self.document_id}"


# -- evaluations (issue 12, item 3) ---------------------------------------------------------------------


class EvaluationInput(models.Model):
    """A parent's own input before an evaluation (a talk of kind evaluation), for the practitioners
    only: the other parent and the relatives never see it. Encrypted at rest; append-only (a parent
    adds more input, never changes or removes what they gave)."""

    talk = models.ForeignKey(Talk, on_delete=models.PROTECT, related_name="+")
    trajectory = models.ForeignKey(Trajectory, on_delete=models.PROTECT, related_name="+")
    family = models.ForeignKey("families.Family", on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = EncryptedTextField()
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["talk", "at"], name="evaluation_input_talk_time")]

    def __str__(self):
        return f"evaluation input {self.pk} by user {self.author_id} for talk {self.talk_id}"


class EvaluationOutcome(models.Model):
    """What the practitioner recorded at an evaluation: the outcome, the date of the next one, and
    whether the parents may read the outcome (`shared`; by default they may not). Encrypted at
    rest; append-only: a later row adds to an earlier one (the first makes the evaluation held)."""

    talk = models.ForeignKey(Talk, on_delete=models.PROTECT, related_name="+")
    trajectory = models.ForeignKey(Trajectory, on_delete=models.PROTECT, related_name="+")
    family = models.ForeignKey("families.Family", on_delete=models.PROTECT, related_name="+")
    text = EncryptedTextField()
    next_on = models.DateField(null=True, blank=True)
    shared = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["talk", "at"], name="evaluation_outcome_talk_time")]

    def __str__(self):
        return f"evaluation outcome {self.pk} for talk {self.talk_id}"
class Report(models.Model):
    """A report the family's practitioners write at the end of a phase or trajectory, or when a
    legal procedure starts (issue 12, item 5). This row is the draft: the practitioners edit it
    (`version` guards against two of them overwriting each other) and parents never see it.
    Sharing freezes it into a ReportShare (append-only, with the content hash) and empties the
    draft's texts: from then on the shared row is the report (trajectories.reports)."""

    class Reason(models.TextChoices):
        PHASE_END = "phase_end", _("einde van een fase")
        TRAJECTORY_END = "trajectory_end", _("einde van het traject")
        LEGAL = "legal", _("begin van een juridische procedure")
        OTHER = "other", _("andere reden")

    trajectory = models.ForeignKey(Trajectory, on_delete=models.PROTECT, related_name="+")
    family = models.ForeignKey("families.Family", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("aanleiding"), max_length=20, choices=Reason.choices)
    phase = models.CharField(_("fase"), max_length=40, blank=True)  # a phase key of the type
    goals = EncryptedTextField(_("doelen en resultaten"), blank=True, default="")
    talks = EncryptedTextField(_("gehouden gesprekken"), blank=True, default="")
    agreements = EncryptedTextField(_("afspraken"), blank=True, default="")
    children = EncryptedTextField(_("de stem van de kinderen"), blank=True, default="")
    advice = EncryptedTextField(_("advies of nazorg"), blank=True, default="")
    # The frozen plan version the agreements were taken from, when there was one.
    plan_version = models.PositiveIntegerField(null=True, blank=True)
    plan_hash = models.CharField(max_length=64, blank=True, default="")
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["trajectory", "created_at"], name="report_trajectory_time")]

    def __str__(self):
        return f"report {self.pk} of trajectory {self.trajectory_id}"


class ReportShare(models.Model):
    """A report as it was shared with the parents: frozen. `content` is the canonical JSON the
    hash covers (docs/VERIFYING.md), encrypted at rest; append-only in the database (only its
    ciphertext may be re-encrypted, and the hash covers the plaintext)."""

    report = models.OneToOneField(Report, on_delete=models.PROTECT, related_name="share")
    trajectory = models.ForeignKey(Trajectory, on_delete=models.PROTECT, related_name="+")
    family = models.ForeignKey("families.Family", on_delete=models.PROTECT, related_name="+")
    content = EncryptedTextField()
    content_hash = models.CharField(max_length=64)
    shared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    shared_at = models.DateTimeField()

    class Meta:
        ordering = ["shared_at", "pk"]

    def __str__(self):
        return f"report {self.report_id} shared {self.shared_at:%Y-%m-%d %H:%M}"


class ReportResponse(models.Model):
    """A parent's written response to a shared report, kept with it: append-only, numbered per
    report (seq) and hashed in a chain that starts at the report's hash (docs/VERIFYING.md)."""

    share = models.ForeignKey(ReportShare, on_delete=models.PROTECT, related_name="responses")
    family = models.ForeignKey("families.Family", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    by_name = models.CharField(max_length=150)  # the parent's name when they wrote it (in the hash)
    seq = models.PositiveIntegerField()
    body = EncryptedTextField()
    at = models.DateTimeField()
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["share", "seq"]
        constraints = [models.UniqueConstraint(fields=["share", "seq"], name="one_response_per_seq")]

    def __str__(self):
        return f"response {self.seq} to report {self.share_id} by user {self.user_id}"


class ReportRead(models.Model):
    """When a parent first opened a shared report (its page or its PDF): "Ons traject" asks them
    to read a report until they did, as a message keeps its "first read at" per recipient. One
    row per parent and report; append-only. Not audited: reading one's own report is no access
    to anything of someone else's (trajectories.reports)."""

    share = models.ForeignKey(ReportShare, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["share", "user"], name="one_report_read_per_parent")]

    def __str__(self):
        return f"report {self.share_id} first opened by user {self.user_id}"


class ReportNotice(models.Model):
    """The e-mail telling one parent that a report is ready (trajectories.mails): written with the
    share, in its transaction, so a restart loses nothing; sent when due (at once, or when the
    parent's quiet hours end) by the share's commit or by the reminder worker. done_at: sent, or
    given up (no longer a parent of the family, no address, refused too often)."""

    share = models.ForeignKey(ReportShare, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    due_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["share", "user"], name="one_report_notice_per_parent")]
        indexes = [models.Index(fields=["done_at", "due_at"], name="report_notice_due")]

    def __str__(self):
        return f"report notice {self.share_id} to user {self.user_id}"


class ReportWaiver(models.Model):
    """A practitioner decided that no report is needed for the end of a trajectory (phase "") or of
    one of its phases (a phase key of the type): the practitioners' home stops asking for it
    (trajectories.reports_due). With the reason, for the practitioners only (encrypted at rest,
    never shown to parents); the decision itself is audited. Append-only: one per trajectory and
    phase; a report can still be written and shared afterwards."""

    trajectory = models.ForeignKey(Trajectory, on_delete=models.PROTECT, related_name="+")
    family = models.ForeignKey("families.Family", on_delete=models.PROTECT, related_name="+")
    phase = models.CharField(max_length=40, blank=True)
    reason = EncryptedTextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["trajectory", "phase"], name="one_report_waiver_per_phase")
        ]

    def __str__(self):
        return f"no report needed for trajectory {self.trajectory_id} {self.phase or 'end'}"
