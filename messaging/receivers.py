"""How messaging plugs into families: its receivers of the family events (connected in
MessagingConfig.ready) and what it shows on the family and home pages (registered there too).

The receivers run inside the families service's transaction (families.events): the threads they
make are stored with the family or membership, or not at all.
"""

from __future__ import annotations

from families.models import Role
from messaging.membership import entry_texts, thread_audience_follow, threads_announce_rename
from messaging.selectors import open_proposals, thread_list_for_user, threads_people
from messaging.services import threads_ensure_for_family


def on_family_created(*, family, **_kwargs) -> None:
    """Every family has its parents' thread from the start."""
    threads_ensure_for_family(family=family)


def on_membership_changed(*, membership, old_role, new_role, actor, **_kwargs) -> None:
    """A parent (new, or a member who became one) gets their private thread with the professionals.
    Every thread whose audience changed with this membership says so in a membership entry
    (messaging.membership.thread_audience_follow). Access itself is asked on every read and send, and
    the member's sockets re-check on access.changed (families.services broadcasts it)."""
    if new_role == Role.PARENT:
        threads_ensure_for_family(family=membership.family)
    thread_audience_follow(membership=membership, old_role=old_role, new_role=new_role, actor=actor)


def on_display_name_changed(*, user, old_name, **_kwargs) -> None:
    """Everyone in the user's threads is told of the new name where it happened (a membership entry;
    messaging.membership.threads_announce_rename)."""
    threads_announce_rename(user=user, old_name=old_name)


def threads_card(*, request, membership) -> dict | None:
    """The family page's card: the threads this user may read in this family, with unread counts,
    who takes part in each and who reads along (everyone, by name), and the proposals waiting for
    this user's answer."""
    threads = thread_list_for_user(user=request.user, family_id=membership.family_id)
    if not threads:
        return None
    people = threads_people(threads=[item["thread"] for item in threads])
    proposals = open_proposals(threads=[item["thread"] for item in threads])
    texts = entry_texts()
    for item in threads:
        found = people.get(item["thread"].pk, [])
        for person in found:
            person.role_word = texts.get(f"role.{person.role}", person.role)
        item["writers"] = [p for p in found if p.write]
        item["readers"] = [p for p in found if not p.write]
        item["proposals_for_me"] = [p for p in proposals.get(item["thread"].pk, []) if p.awaits(request.user)]
    return {"threads": threads}


def unread_by_family(*, user) -> dict[int, int]:
    unread: dict[int, int] = {}
    for item in thread_list_for_user(user=user):
        family_id = item["thread"].family_id
        unread[family_id] = unread.get(family_id, 0) + item["unread"]
    return unread


def caseload_facts(*, user, memberships) -> dict[int, dict]:
    """A practitioner's caseload (families.features): per family the user's unread messages and when
    the last message was written, in the threads the user may read. Two queries for all families."""
    from django.db.models import Max

    from messaging.models import Message

    wanted = {m.family_id for m in memberships}
    threads = [item for item in thread_list_for_user(user=user) if item["thread"].family_id in wanted]
    facts: dict[int, dict] = {fid: {"unread": 0, "last_activity": None} for fid in wanted}
    for item in threads:
        facts[item["thread"].family_id]["unread"] += item["unread"]
    last = (Message.objects.filter(thread_id__in=[item["thread"].pk for item in threads])
            .values_list("thread__family_id").annotate(last=Max("sent_at")).order_by())
    for family_id, when in last:
        facts[family_id]["last_activity"] = when
    for fact in facts.values():
        fact["urgency"] = min(fact["unread"], 99)
    return facts
