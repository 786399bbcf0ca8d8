"""The family events: the feature apps hear of a new case and of every membership change inside the
service's transaction (so their writes stand or fall with it), and the member's open sockets hear
access.changed after commit."""

from __future__ import annotations

import asyncio

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer

from audit import actions
from audit.models import AuditEntry
from core.errors import PermissionDenied
from core.groups import user_group
from families import events, services
from families.models import Family, Membership, Role
from messaging.models import Thread
from parentingplan.models import Plan
from tests.factories import UserFactory

PASSWORD = "een lange zin als wachtwoord 77"


@pytest.fixture
def heard():
    """Every family event sent during the test: (event name, its arguments)."""
    log = []

    def listener(name):
        def receive(signal, sender, **kwargs):
            log.append((name, kwargs))
        return receive

    receivers = {name: listener(name) for name in ("family_created", "membership_changed")}
    for name, receiver in receivers.items():
        getattr(events, name).connect(receiver, dispatch_uid=f"test.heard.{name}")
    yield log
    for name in receivers:
        getattr(events, name).disconnect(dispatch_uid=f"test.heard.{name}")


@pytest.fixture
def professional(db):
    """Someone who may open cases and belongs to no family yet."""
    return UserFactory(email="nora@example.org", display_name="Nora Nieuw", may_open_cases=True,
                       language="en")


def _membership(family, user) -> Membership:
    return Membership.objects.active().get(family=family, user=user)


@pytest.mark.django_db
def test_opening_a_family_announces_the_family_and_then_its_coordinator(professional, heard):
    family = services.family_create(actor=professional, display_name="Familie Nieuw")

    coordinator = Membership.objects.get(family=family)
    assert heard == [
        ("family_created", {"family": family, "actor": professional}),
        ("membership_changed", {"membership": coordinator, "old_role": None, "new_role": Role.COORDINATOR,
                                "actor": professional}),
    ]


@pytest.mark.django_db
def test_a_new_family_has_its_parents_thread_and_its_plan_in_the_professionals_language(professional):
    family = services.family_create(actor=professional, display_name="Familie Nieuw")

    assert list(Thread.objects.filter(family=family).values_list("kind", "owner")) == [("parents", None)]
    plan = Plan.objects.get(family=family)
    assert plan.language == "en"
    assert plan.sections.exists()


@pytest.mark.django_db
def test_a_receiver_that_fails_takes_the_new_family_back_with_it(professional):
    def refuse(**kwargs):
        raise RuntimeError("a feature could not set up the family")

    events.family_created.connect(refuse, dispatch_uid="test.refuse")
    try:
        with pytest.raises(RuntimeError):
            services.family_create(actor=professional, display_name="Familie Nieuw")
    finally:
        events.family_created.disconnect(dispatch_uid="test.refuse")

    assert not Family.objects.exists()
    assert not Membership.objects.exists()
    assert not Thread.objects.exists()
    assert not Plan.objects.exists()
    assert not AuditEntry.objects.filter(action=actions.FAMILY_CREATED).exists()


@pytest.mark.django_db
def test_accepting_an_invitation_as_a_parent_announces_the_membership_and_makes_the_private_thread(
    carol, family, heard
):
    _invitation, token = services.invitation_create(actor=carol, family_id=family.pk,
                                                    email="nina@example.org", role=Role.PARENT)
    nina = services.invitation_accept_new_user(token=token, display_name="Nina Nieuw", password=PASSWORD)

    assert heard == [("membership_changed", {"membership": _membership(family, nina), "old_role": None,
                                             "new_role": Role.PARENT, "actor": nina})]
    assert Thread.objects.filter(family=family, kind="private", owner=nina).count() == 1


@pytest.mark.django_db
def test_a_relative_who_becomes_a_parent_gets_a_private_thread(carol, rita, family, heard):
    target = _membership(family, rita)

    services.membership_role_change(actor=carol, family_id=family.pk, membership_id=target.pk,
                                    role=Role.PARENT)

    assert heard == [("membership_changed", {"membership": target, "old_role": Role.RELATIVE,
                                             "new_role": Role.PARENT, "actor": carol})]
    assert Thread.objects.filter(family=family, kind="private", owner=rita).count() == 1


@pytest.mark.django_db
def test_an_ended_membership_is_announced_with_the_role_it_had(carol, bob, family, heard):
    target = _membership(family, bob)

    services.membership_end(actor=carol, family_id=family.pk, membership_id=target.pk)

    [(name, arguments)] = heard
    assert name == "membership_changed"
    assert arguments == {"membership": target, "old_role": Role.PARENT, "new_role": None, "actor": carol}
    assert arguments["membership"].ended_at is not None
    assert Membership.objects.get(pk=target.pk).ended_at == arguments["membership"].ended_at


@pytest.mark.django_db
def test_a_refused_change_announces_nothing(pim, bob, family, heard):
    target = _membership(family, bob)

    with pytest.raises(PermissionDenied):
        services.membership_end(actor=pim, family_id=family.pk, membership_id=target.pk)
    with pytest.raises(PermissionDenied):
        services.membership_role_change(actor=pim, family_id=family.pk, membership_id=target.pk,
                                        role=Role.RELATIVE)

    assert heard == []


# The member's open sockets: access.changed on their user group, after commit.


async def _listen(user):
    layer = get_channel_layer()
    channel = await layer.new_channel()
    await layer.group_add(user_group(user.pk), channel)
    return layer, channel


async def _next_event(layer, channel) -> dict:
    return await asyncio.wait_for(layer.receive(channel), 5)


def _accept_as_existing_user(carol, family, user):
    _invitation, token = services.invitation_create(actor=carol, family_id=family.pk, email=user.email,
                                                    role=Role.RELATIVE)
    services.invitation_accept_existing(token=token, user=user)


def _change_role(carol, family, user):
    target = _membership(family, user)
    services.membership_role_change(actor=carol, family_id=family.pk, membership_id=target.pk,
                                    role=Role.RELATIVE)


def _end(carol, family, user):
    target = _membership(family, user)
    services.membership_end(actor=carol, family_id=family.pk, membership_id=target.pk)


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("change", [_accept_as_existing_user, _change_role, _end])
async def test_every_membership_change_tells_the_members_open_sockets(carol, bob, family, change):
    if change is _accept_as_existing_user:
        await database_sync_to_async(_end)(carol, family, bob)
    layer, channel = await _listen(bob)

    await database_sync_to_async(change)(carol, family, bob)

    assert await _next_event(layer, channel) == {"type": "access.changed"}
    await layer.group_discard(user_group(bob.pk), channel)


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_a_refused_change_tells_no_socket(pim, bob, family):
    layer, channel = await _listen(bob)

    with pytest.raises(PermissionDenied):
        await database_sync_to_async(_end)(pim, family, bob)
    await layer.group_send(user_group(bob.pk), {"type": "test.marker"})

    assert await _next_event(layer, channel) == {"type": "test.marker"}  # and no access.changed before it
    await layer.group_discard(user_group(bob.pk), channel)
