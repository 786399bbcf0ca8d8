from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Family(models.Model):
    """A case: one family followed by one or more practitioners."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("actief")
        PAUSED = "paused", _("gepauzeerd")
        CLOSED = "closed", _("afgesloten")

    reference = models.CharField(_("dossiernummer"), max_length=32, unique=True)
    display_name = models.CharField(_("naam"), max_length=120)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("gezin")
        verbose_name_plural = _("gezinnen")
        ordering = ["display_name"]

    def __str__(self):
        return f"{self.display_name} ({self.reference})"


class Role(models.TextChoices):
    PARENT = "parent", _("ouder")
    PRACTITIONER = "practitioner", _("begeleider")
    COORDINATOR = "coordinator", _("coördinerend begeleider")
    RELATIVE = "relative", _("familielid")


PRACTITIONER_ROLES = (Role.PRACTITIONER, Role.COORDINATOR)


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(ended_at__isnull=True)


class Membership(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memberships")
    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("rol"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "family"], condition=Q(ended_at__isnull=True), name="one_active_membership"
            ),
            # One coordinating practitioner per family (the research: one coordinator per family).
            models.UniqueConstraint(
                fields=["family"],
                condition=Q(role="coordinator", ended_at__isnull=True),
                name="one_coordinator_per_family",
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} – {self.family.reference}"

    @property
    def is_practitioner(self) -> bool:
        return self.role in PRACTITIONER_ROLES


# A family case is about children under the care of their parents; older than this is a typing error
# (a year off), not a child in the case. The form and the service say so in these words.
CHILD_MAX_AGE_YEARS = 25


def child_birth_date_problem(value: date, *, today: date | None = None) -> str | None:
    """Why `value` cannot be a child's birth date, in words for the form; None when it can."""
    today = today or timezone.localdate()
    if value > today:
        return gettext("De geboortedatum ligt in de toekomst. Vul de datum in waarop het kind geboren is.")
    if value < child_birth_date_earliest(today=today):
        return gettext("Deze geboortedatum ligt meer dan %(years)d jaar terug. Controleer het jaartal: "
                       "een kind in een gezinsdossier is jonger.") % {"years": CHILD_MAX_AGE_YEARS}
    return None


def child_birth_date_earliest(*, today: date | None = None) -> date:
    today = today or timezone.localdate()
    try:
        return today.replace(year=today.year - CHILD_MAX_AGE_YEARS)
    except ValueError:  # 29 February
        return today.replace(year=today.year - CHILD_MAX_AGE_YEARS, day=28)


class PresentChildManager(models.Manager):
    """Children still part of the case. The default manager, so every list of a family's children
    (family.children, Child.objects) leaves a removed child out without each caller remembering to.
    Records that refer to a removed child (a child's voice in the plan, audit entries, frozen plan
    versions) keep finding it: a foreign key is followed through the base manager, which filters
    nothing, and Child.all_objects lists every child ever entered."""

    def get_queryset(self):
        return super().get_queryset().filter(removed_at__isnull=True)


class Child(models.Model):
    """A child of the family. Removing one (families.services.child_remove) only marks it removed:
    the plan's record of how the child was heard refers to it, and records are never cut."""

    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="children")
    first_name = models.CharField(_("voornaam"), max_length=60)
    birth_date = models.DateField(_("geboortedatum"))
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    all_objects = models.Manager()
    objects = PresentChildManager()

    class Meta:
        ordering = ["birth_date", "first_name"]
        verbose_name = _("kind")
        verbose_name_plural = _("kinderen")
        default_manager_name = "objects"
        base_manager_name = "all_objects"

    def __str__(self):
        return self.first_name

    @property
    def age(self) -> int:
        today = timezone.localdate()
        b = self.birth_date
        return today.year - b.year - ((today.month, today.day) < (b.month, b.day))


class Invitation(models.Model):
    """A single-use link to join a family. Only a hash of the token is stored."""

    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="invitations")
    email = models.EmailField(_("e-mailadres"))
    role = models.CharField(_("rol"), max_length=20, choices=Role.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Ended before use: withdrawn by someone who may invite (revoked_by), or replaced by a newer
    # invitation to the same address (replaced_by: a resend, or a new invitation).
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    replaced_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.email} → {self.family.reference}"

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > timezone.now()

    @property
    def is_pending(self) -> bool:
        """Neither used nor ended by anyone: it can be withdrawn or sent again (also once expired)."""
        return self.accepted_at is None and self.revoked_at is None

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()
