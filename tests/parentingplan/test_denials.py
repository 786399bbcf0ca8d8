"""Refused plan frames and refused plan pages are recorded: one ACCESS_DENIED entry each, as for
chat. A member's refusal is linked to the family (its people see it in the access log); an
outsider's keeps only the id of the family the plan belongs to. Nothing is revealed to either."""

from __future__ import annotations

import uuid

import pytest
from channels.db import database_sync_to_async

from audit import actions
from audit.models import AuditEntry
from parentingplan import services
from parentingplan.models import Section
from tests.factories import ChildFactory
from tests.messaging.conftest import open_socket, receive_type, send
from tests.parentingplan.conftest import save, section_of


def _denials():
    return list(AuditEntry.objects.filter(action=actions.ACCESS_DENIED).order_by("pk"))


def _frame(frame_type, plan, section):
    """A well-formed frame of each type, as the editor sends it."""
    return {
        "plan.join": {"type": "plan.join", "plan": plan.pk},
        "section.save": {"type": "section.save", "section": section.pk, "base_revision": 1,
                         "content": "<p>Mijn versie.</p>", "client_id": str(uuid.uuid4())},
        "section.agree": {"type": "section.agree", "section": section.pk, "revision": 1},
        "section.restore": {"type": "section.restore", "section": section.pk, "revision": 1},
        "comment.add": {"type": "comment.add", "section": section.pk, "body": "Goed zo."},
        "comment.note": {"type": "comment.add", "section": section.pk, "body": "Alleen voor jou.",
                         "visibility": "practitioners"},
        "plan.approve": {"type": "plan.approve", "plan": plan.pk, "version": 1},
    }[frame_type]


# (frame type, who sends it, the error they get, what the entry says they wanted)
# fmt: off
REFUSED_FRAMES = [
    ("section.save",    "carol",   "forbidden", "edit_plan"),
    ("section.save",    "charlie", "not_found", "edit_plan"),
    ("section.agree",   "carol",   "forbidden", "approve_plan"),
    ("section.agree",   "charlie", "not_found", "approve_plan"),
    ("section.restore", "carol",   "forbidden", "edit_plan"),
    ("section.restore", "charlie", "not_found", "edit_plan"),
    ("comment.note",    "alice",   "forbidden", "comment_plan"),  # a parent: no practitioners' notes
    ("comment.add",     "charlie", "not_found", "comment_plan"),
    ("plan.approve",    "carol",   "forbidden", "approve_plan"),
    ("plan.approve",    "charlie", "not_found", "approve_plan"),
    ("plan.join",       "rita",    None,        None),  # relatives may open the plan: no refusal
    ("plan.join",       "charlie", "not_found", "read_plan"),
]
# fmt: on


@pytest.fixture
def written(plan, alice):
    section = section_of(plan, "information")
    save(alice, section, "<p>We delen alles.</p>")
    return section


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("frame_type", "who", "code", "wanted"), REFUSED_FRAMES,
                         ids=[f"{f}-{w}" for f, w, _c, _x in REFUSED_FRAMES])
async def test_each_refused_plan_frame_is_recorded_once_with_the_plans_family(
    plan, written, alice, bob, carol, rita, charlie, frame_type, who, code, wanted
):
    user = {"alice": alice, "carol": carol, "rita": rita, "charlie": charlie}[who]
    sock = await open_socket(user)
    await send(sock, _frame(frame_type, plan, written))
    if code is None:
        assert (await receive_type(sock, "plan.state"))["plan"] == plan.pk
    else:
        error = await receive_type(sock, "error")
        assert error["code"] == code
        assert plan.family.display_name not in str(error)
    await sock.disconnect()

    denials = await database_sync_to_async(_denials)()
    if code is None:
        assert denials == []
        return
    assert len(denials) == 1
    entry = denials[0]
    assert (entry.actor_id, entry.result) == (user.pk, AuditEntry.Result.DENIED)
    assert entry.details["wanted"] == wanted
    if who == "charlie":
        assert entry.family_id is None and str(entry.details["family_id"]) == str(plan.family_id)
    else:
        assert entry.family_id == plan.family_id
        assert entry.acting_role == {"alice": "parent"}.get(who, "coordinator")
    stored = await database_sync_to_async(
        lambda: Section.objects.get(pk=written.pk).revisions.count())()
    assert stored == 1


@pytest.mark.django_db
def test_a_refusal_inside_a_service_is_recorded_once_even_though_its_transaction_rolled_back(
    plan, written, carol
):
    from core.errors import PermissionDenied

    # section_restore runs section_save inside its own transaction: two scopes, one entry.
    with pytest.raises(PermissionDenied):
        services.section_restore(user=carol, section_id=written.pk, revision=1)
    assert [(e.family_id, e.details["wanted"], e.details["section"]) for e in _denials()] == [
        (plan.family_id, "edit_plan", str(written.pk))]


@pytest.mark.django_db
def test_a_section_that_does_not_exist_is_recorded_without_a_family(alice):
    from core.errors import NotFound

    with pytest.raises(NotFound):
        services.comment_add(user=alice, section_id=10**12, body="Hallo")
    [entry] = _denials()
    assert entry.family_id is None and "family_id" not in entry.details
    assert entry.details["section"] == str(10**12)


@pytest.mark.django_db
def test_rechecking_access_records_nothing(plan, charlie):
    """An open socket asks access_plan again when access changes: that is no attempt."""
    from core.errors import NotFound
    from parentingplan.selectors import access_plan

    with pytest.raises(NotFound):
        access_plan(user=charlie, plan_id=plan.pk)
    assert _denials() == []


# -- pages ------------------------------------------------------------------------------------


def _pages(plan, section, hidden, child):
    """(who, method, url, data, status, wanted) for refused plan pages."""
    family_id = plan.family_id
    return [
        ("charlie", "get", f"/gezin/{family_id}/plan/", None, 404, "read_plan"),
        ("charlie", "get", f"/plan/onderdeel/{section.pk}/geschiedenis/", None, 404, "read_plan"),
        ("rita", "get", f"/plan/onderdeel/{hidden.pk}/geschiedenis/", None, 404, "read_plan"),
        ("alice", "get", f"/plan/onderdeel/{hidden.pk}/geschiedenis/", None, 404, "read_plan"),
        ("charlie", "get", f"/gezin/{family_id}/plan/versie/1/", None, 404, "read_plan"),
        ("alice", "post", f"/gezin/{family_id}/plan/onderdeel/", {"title": "Van mij"}, 403, "manage_plan"),
        ("charlie", "post", f"/gezin/{family_id}/plan/onderdeel/", {"title": "Van mij"}, 404, "manage_plan"),
        ("alice", "post", f"/plan/onderdeel/{section.pk}/beheer/", {"title": "Van mij"}, 403, "manage_plan"),
        ("carol", "post", f"/plan/onderdeel/{section.pk}/terugzetten/", {"revision": 1}, 403, "edit_plan"),
        ("charlie", "post", f"/plan/onderdeel/{section.pk}/terugzetten/", {"revision": 1}, 404, "edit_plan"),
        ("alice", "post", f"/gezin/{family_id}/plan/kind/",
         {"child": child.pk, "heard_on": "2025-01-01", "how": "gesprek", "said": "ja"}, 403,
         "record_child_voice"),
        ("carol", "get", f"/plan/onderdeel/{section.pk}/terugzetten/?revision=1", None, 403, "edit_plan"),
        ("carol", "get", f"/gezin/{family_id}/plan/goedkeuren/", None, 403, "approve_plan"),
        ("rita", "post", f"/gezin/{family_id}/plan/goedkeuren/", {"version": 1}, 403, "approve_plan"),
        ("charlie", "get", f"/gezin/{family_id}/plan/goedkeuren/", None, 404, "approve_plan"),
    ]


PAGE_IDS = ["plan-outsider", "history-outsider", "hidden-history-relative", "hidden-history-parent",
            "version-outsider", "section-add-parent", "section-add-outsider", "section-edit-parent",
            "restore-practitioner", "restore-outsider", "child-voice-parent", "restore-page-practitioner",
            "approve-page-practitioner", "approve-relative", "approve-page-outsider"]


@pytest.mark.django_db
@pytest.mark.parametrize("index", range(len(PAGE_IDS)), ids=PAGE_IDS)
def test_each_refused_plan_page_is_recorded_once_with_the_plans_family(
    plan, written, alice, bob, carol, rita, charlie, client_for, index
):
    hidden = section_of(plan, "moving")
    services.section_manage(user=carol, plan_id=plan.pk, section_id=hidden.pk, hidden=True)
    child = ChildFactory(family=plan.family)
    people = {"alice": alice, "carol": carol, "rita": rita, "charlie": charlie}
    who, method, url, data, status, wanted = _pages(plan, written, hidden, child)[index]
    client = client_for(people[who])
    response = getattr(client, method)(url, data or {})
    assert response.status_code == status
    assert plan.family.display_name not in response.content.decode()
    [entry] = _denials()
    assert (entry.actor, entry.details["wanted"]) == (people[who], wanted)
    assert entry.client_address  # the page's request is known
    if who == "charlie":
        assert entry.family_id is None and str(entry.details["family_id"]) == str(plan.family_id)
    else:
        assert entry.family_id == plan.family_id
