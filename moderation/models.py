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
