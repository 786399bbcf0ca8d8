"""The family's plan and small helpers for saving, agreeing and approving it."""

from __future__ import annotations

import uuid

import pytest

from parentingplan import services
from parentingplan.models import Section


@pytest.fixture
def plan(family, alice, bob):
    return services.plan_ensure(family=family)


def section_of(plan, key: str) -> Section:
    return Section.objects.get(plan=plan, key=key)


def save(user, section: Section, content: str, *, base: int | None = None, schedule=None, client_id=None):
    """One save as the editor sends it; `base` defaults to the section's current head."""
    if base is None:
        base = Section.objects.get(pk=section.pk).head_revision
    return services.section_save(
        user=user,
        section_id=section.pk,
        base_revision=base,
        content=content,
        client_id=client_id or str(uuid.uuid4()),
        schedule=schedule,
    )


def agree(user, section: Section, *, agrees: bool = True, reason: str | None = None) -> dict:
    """Agree with the head revision, or (agrees=False) disagree, with a reason as the page asks."""
    head = Section.objects.get(pk=section.pk).head_revision
    if reason is None:
        reason = "" if agrees else "Dit klopt niet voor de kinderen."
    return services.section_agree(user=user, section_id=section.pk, revision=head, agrees=agrees,
                                  reason=reason)


def fill_and_agree(plan, author, parents) -> None:
    """Write every visible section that is still empty, and let every parent agree to each head."""
    for section in Section.objects.filter(plan=plan, hidden=False):
        if section.head_revision == 0:
            save(author, section, f"<p>Afspraak over {section.title}.</p>")
        for parent in parents:
            agree(parent, section)


def approve(user, plan) -> dict:
    plan.refresh_from_db()
    return services.plan_approve(user=user, plan_id=plan.pk, version=plan.version)


@pytest.fixture
def sent(monkeypatch):
    """The live events handed to the channel layer after commit, as (group, frame) pairs."""
    events: list[tuple[str, dict]] = []
    monkeypatch.setattr(
        "core.broadcast.group_send_now", lambda group, event: events.append((group, event["frame"]))
    )
    return events

