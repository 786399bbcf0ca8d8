from __future__ import annotations

from dataclasses import dataclass, field

from django.db import DEFAULT_DB_ALIAS, OperationalError, connection, connections
from django.db.models import Count, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from core.errors import NotFound, PermissionDenied
from families.access import Located, ThreadRights, thread_consent_needed, thread_rights
from families.models import Membership, Role
from families.selectors import active_membership_join
from messaging import extensions
from messaging.models import Message, ParticipantProposal, Thread, ThreadCursor, ThreadParticipant

PAGE_SIZE = 100


@dataclass
class ThreadAccess:
    thread: Thread
    membership: Membership
    rights: ThreadRights
    # The first seq this user may see: 1, or for a relative added without the history, the entry
    # announcing they joined. Every read (history, scrolling back, read marks, exports) stops here.
    visible_from: int = 1
    # With threads_access(family=True): the values of the chat extensions' family_sql, by name.
    family: dict = field(default_factory=dict)


def _rights(thread: Thread, membership: Membership | None) -> ThreadRights:
    participant = None
    if membership is not None and membership.role == "relative":
        row = ThreadParticipant.objects.filter(thread=thread, user_id=membership.user_id).first()
        participant = row.can_write if row else None
    return thread_rights(membership, kind=thread.kind, owner_id=thread.owner_id,
                         participant_can_write=participant)


class ThreadBusy(Exception):
    """threads_access(lock=True, family=True) found a thread's row locked by another transaction:
    it does not wait (see there). Raised in the statement's transaction, which is then unusable."""


def _threads_sql(*, pairs: int, lock: bool, family: tuple[tuple[str, list[str], str], ...] = ()) -> str:
    """For each (thread, user) pair: the thread, the user's active membership of its family (the
    join is families', which owns that rule) and their participation in the thread, in one query.
    Every chat frame asks this; built with the ORM (a thread query, then a membership query) it
    cost a quarter of the process's time per message sent (tests/perf). `family`: the chat
    extensions' family_sql parts, read along (a send's screen needs them: one round trip less)."""
    # Only table names (from the models) are put into the text; every value is a parameter.
    thread, participant = (m._meta.db_table for m in (Thread, ThreadParticipant))
    values = ", ".join(["(%s, %s)"] * pairs)
    extra = "".join(f", {expression}" for _name, expressions, _join in family for expression in expressions)
    sql = (
        f"WITH r(thread_id, user_id) AS (VALUES {values})"  # noqa: S608
        " SELECT r.thread_id, r.user_id, t.family_id, t.kind, t.owner_id, t.last_seq, t.head_hash,"
        f" m.id, m.role, p.can_write, p.visible_from_seq{extra}"
        f" FROM r JOIN {thread} t ON t.id = r.thread_id"
        + active_membership_join(alias="m", family="t.family_id", user="r.user_id")
        + f" LEFT JOIN {participant} p ON p.thread_id = t.id AND p.user_id = r.user_id"
        + "".join(join for _name, _expressions, join in family)
        # Rows are locked in this order, so two writers locking several threads cannot deadlock.
        + " ORDER BY t.id"
    )
    # SQLite has no row locks (it takes one writer at a time); PostgreSQL locks the thread rows only.
    if lock and connection.features.has_select_for_update_of:
        sql += " FOR UPDATE OF t" + (" NOWAIT" if family else "")
    return sql


_LOCK_NOT_AVAILABLE = "55P03"  # PostgreSQL's SQLSTATE for NOWAIT finding a row locked
_THREAD_FIELDS = ("family_id", "kind", "owner_id", "last_seq", "head_hash")
_ACCESS_COLUMNS = 2 + len(_THREAD_FIELDS) + 4  # the pair, the thread's fields, membership and participation


def threads_access(*, pairs, lock: bool = False, family: bool = False) -> dict[tuple[int, int], ThreadAccess]:
    """For (thread id, user) pairs: the access of each user who may read that thread, keyed by
    (thread id, user id); pairs missing from the answer may not read (or the thread does not
    exist). lock=True locks each thread's row until the transaction ends. family=True also reads
    what the chat extensions want to know about each thread's family (ThreadAccess.family; see
    messaging.extensions.family_sql). One query for any number of pairs; the rules are
    families.access.thread_rights.

    With lock and family together the lock does not wait: a thread whose row another transaction
    holds raises ThreadBusy. A statement reads the database as it was when it began, so values read
    by a statement that waited for a lock are as of before the wait, and a send must see a contact
    mode change committed while it waited (moderation's threat hold commits one inside another
    send's transaction). The caller then locks without family and lets the extensions read it
    after the lock (messaging.services)."""
    wanted = {}
    for thread_id, user in pairs:
        if 0 < thread_id < 2**63 and getattr(user, "is_authenticated", False) and user.is_active:
            wanted[(thread_id, user.pk)] = user
    if not wanted:
        return {}
    db = connections[DEFAULT_DB_ALIAS]  # the thread's connection itself: the proxy looks it up each time
    parts = extensions.family_sql(family="t.family_id") if family else ()
    with db.cursor() as cursor:
        try:
            cursor.execute(_threads_sql(pairs=len(wanted), lock=lock, family=parts),
                           [v for pair in wanted for v in pair])
        except OperationalError as exc:
            if lock and parts and getattr(exc.__cause__, "sqlstate", None) == _LOCK_NOT_AVAILABLE:
                raise ThreadBusy() from exc
            raise
        rows = cursor.fetchall()
    threads: dict[int, Thread] = {}
    found = {}
    for row in rows:
        thread_id, user_id, *thread_values, membership_id, role, can_write, visible_from = (
            row[:_ACCESS_COLUMNS])
        thread = threads.get(thread_id)
        if thread is None:  # the other fields load when used
            thread = threads[thread_id] = Thread.from_db(db.alias, ("id", *_THREAD_FIELDS),
                                                         (thread_id, *thread_values))
        membership = None
        if membership_id is not None:
            # from_db takes the values in the order of the model's fields
            membership = Membership.from_db(db.alias, ("id", "user_id", "family_id", "role"),
                                            (membership_id, user_id, thread.family_id, role))
            membership.user = wanted[(thread_id, user_id)]
        participant = None if can_write is None else bool(can_write)
        rights = thread_rights(membership, kind=thread.kind, owner_id=thread.owner_id,
                               participant_can_write=participant)
        if rights.read:
            found[(thread_id, user_id)] = ThreadAccess(
                thread=thread, membership=membership, rights=rights,
                visible_from=(visible_from or 1) if membership.role == Role.RELATIVE else 1,
                family=_family_values(parts, row[_ACCESS_COLUMNS:]))
    return found


def _family_values(parts, values) -> dict:
    """The extensions' family_sql values of one row, by extension name."""
    family, start = {}, 0
    for name, expressions, _join in parts:
        family[name] = values[start:start + len(expressions)]
        start += len(expressions)
    return family


def access_thread(*, user, thread_id, write: bool = False, lock: bool = False, family: bool = False
                  ) -> ThreadAccess:
    """The thread if the user may read it (and write, with write=True); lock=True locks its row
    until the transaction ends; family=True as in threads_access. A thread the user may not see
    raises NotFound whether or not it exists: nothing about it is revealed."""
    try:
        thread_id = int(thread_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    access = threads_access(pairs=[(thread_id, user)], lock=lock, family=family).get(
        (thread_id, getattr(user, "pk", None)))
    if access is None:
        raise NotFound()
    if write and not access.rights.write:
        raise PermissionDenied(_("Je kunt in dit gesprek meelezen, maar niet schrijven."))
    return access


def thread_located(thread_id) -> Located:
    """For the denial records (families.access.denials_recorded): the family a thread id belongs
    to (None when there is no such thread) and the id as asked."""
    try:
        thread_id_int = int(thread_id)
    except (TypeError, ValueError):
        thread_id_int = 0
    family_id = None
    if 0 < thread_id_int < 2**63:
        family_id = Thread.objects.filter(pk=thread_id_int).values_list("family_id", flat=True).first()
    return family_id, {"thread": str(thread_id)[:32]}


def readable_thread_ids_many(*, checks: list[dict]) -> list[set[int]]:
    """For many ({"user", "thread_ids"}): those of each one's thread ids the user may read now, with
    one access query for all (sockets re-checking their joined threads go together, core.db.Batched)."""
    allowed = threads_access(pairs=[(t, check["user"]) for check in checks for t in check["thread_ids"]])
    return [{t for t in check["thread_ids"] if (t, check["user"].pk) in allowed} for check in checks]


def thread_list_for_user(*, user, family_id: int | None = None) -> list[dict]:
    """Every thread the user may read (in one family, or in all of theirs), with how many
    messages from others they have not read yet: one query for the threads and their counts."""
    memberships = Membership.objects.active().filter(user=user).select_related("family")
    if family_id is not None:
        memberships = memberships.filter(family_id=family_id)
    by_family = {m.family_id: m for m in memberships}
    read_seq = Coalesce(Subquery(ThreadCursor.objects.filter(thread=OuterRef("pk"), user=user)
                                 .values("read_seq")[:1]), Value(0))
    threads = (
        Thread.objects.filter(family_id__in=by_family)
        .select_related("owner", "family")
        .annotate(read_seq=read_seq)
        .annotate(unread=Count("messages",
                               filter=Q(messages__seq__gt=F("read_seq")) & ~Q(messages__sender=user)))
        .order_by("family_id", "kind", "id")
    )
    result = []
    for thread in threads:
        rights = _rights(thread, by_family[thread.family_id])
        if rights.read:
            result.append({"thread": thread, "rights": rights, "unread": thread.unread})
    return result


def messages_after(*, thread: Thread, after: int, limit: int = PAGE_SIZE) -> tuple[list[Message], bool]:
    rows = list(Message.objects.filter(thread=thread, seq__gt=after).select_related("sender")
                .order_by("seq")[: limit + 1])
    return rows[:limit], len(rows) > limit


def messages_before(*, thread: Thread, before: int, limit: int = PAGE_SIZE,
                    visible_from: int = 1) -> tuple[list[Message], bool]:
    rows = list(Message.objects.filter(thread=thread, seq__lt=before, seq__gte=visible_from)
                .select_related("sender").order_by("-seq")[: limit + 1])
    page = list(reversed(rows[:limit]))
    return page, len(rows) > limit


def thread_relatives(*, thread: Thread, proposals=()) -> list[dict]:
    """The family's relatives with what each may do in `thread` ("none", "read" or "write"), from
    which record on they see it, and the open proposal about them (one of `proposals`, the thread's
    OpenProposals), for the practitioner who decides it."""
    taking_part = {p.user_id: p for p in ThreadParticipant.objects.filter(thread=thread)}
    proposed = {p.proposal.user_id: p for p in proposals}
    relatives = (Membership.objects.active().filter(family_id=thread.family_id, role="relative")
                 .select_related("user").order_by("user__display_name"))
    found = []
    for m in relatives:
        row = taking_part.get(m.user_id)
        participation = "none" if row is None else "write" if row.can_write else "read"
        found.append({"user": m.user, "participation": participation,
                      "visible_from": row.visible_from_seq if row else None,
                      "proposal": proposed.get(m.user_id)})
    return found


def thread_rights_for(*, thread: Thread, memberships) -> dict[int, ThreadRights]:
    """What each of `memberships` (active members of the thread's family) may do in `thread`, keyed
    by user id: families.access.thread_rights, with the relatives' participation read in one query
    (none when there are no relatives)."""
    relatives = [m.user_id for m in memberships if m.role == "relative"]
    taking_part = dict(ThreadParticipant.objects.filter(thread=thread, user_id__in=relatives)
                       .values_list("user_id", "can_write")) if relatives else {}
    return {m.user_id: thread_rights(m, kind=thread.kind, owner_id=thread.owner_id,
                                     participant_can_write=taking_part.get(m.user_id))
            for m in memberships}


# -- who is in a thread -----------------------------------------------------------------------

# Parents first, then relatives, then the professionals; by name within each.
_ROLE_ORDER = {"parent": 0, "relative": 1, "coordinator": 2, "practitioner": 2}


@dataclass
class Person:
    """Someone who may read a thread now, and whether they may write in it."""

    user: object
    role: str
    write: bool


def threads_people(*, threads) -> dict[int, list[Person]]:
    """Everyone who may read each of `threads` now (families.access.thread_rights over the active
    members of its family and the relatives taking part), writers and readers alike: what a thread
    page and the family page show, so that nobody reads along unseen. Two queries for any number
    of threads."""
    threads = list(threads)
    if not threads:
        return {}
    members = list(Membership.objects.active().filter(family_id__in={t.family_id for t in threads})
                   .select_related("user"))
    taking_part = {(thread_id, user_id): can_write for thread_id, user_id, can_write in
                   ThreadParticipant.objects.filter(thread__in=threads)
                   .values_list("thread_id", "user_id", "can_write")}
    people: dict[int, list[Person]] = {}
    for thread in threads:
        found = []
        for member in members:
            if member.family_id != thread.family_id:
                continue
            rights = thread_rights(member, kind=thread.kind, owner_id=thread.owner_id,
                                   participant_can_write=taking_part.get((thread.pk, member.user_id)))
            if rights.read:
                found.append(Person(user=member.user, role=member.role, write=rights.write))
        found.sort(key=lambda p: (_ROLE_ORDER.get(p.role, 3), p.user.display_name.casefold(), p.user.pk))
        people[thread.pk] = found
    return people


def consenting_parents(*, thread: Thread) -> list[Membership]:
    """The active members whose consent a proposal in this thread needs (families.access)."""
    members = Membership.objects.active().filter(family_id=thread.family_id).select_related("user")
    needed = [m for m in members if thread_consent_needed(m, kind=thread.kind, owner_id=thread.owner_id)]
    return sorted(needed, key=lambda m: m.user.display_name.casefold())


@dataclass
class Answer:
    user: object
    accepted: bool | None  # None: not answered yet
    at: object = None


@dataclass
class OpenProposal:
    proposal: ParticipantProposal
    answers: list[Answer]  # one per consenting parent

    def awaits(self, user) -> bool:
        return any(a.user.pk == user.pk and a.accepted is None for a in self.answers)

    @property
    def waiting_for(self) -> list:
        return [a.user for a in self.answers if a.accepted is None]

    @property
    def accepted_by(self) -> list:
        return [a.user for a in self.answers if a.accepted]


def open_proposals(*, threads) -> dict[int, list[OpenProposal]]:
    """The open proposals of each thread, with every consenting parent's answer so far."""
    threads = {t.pk: t for t in threads}
    found: dict[int, list[OpenProposal]] = {}
    proposals = list(ParticipantProposal.objects.filter(thread_id__in=threads, status="open")
                     .select_related("user", "proposed_by").prefetch_related("answers")
                     .order_by("proposed_at", "pk"))
    needed: dict[int, list[Membership]] = {}
    for proposal in proposals:
        if proposal.thread_id not in needed:
            needed[proposal.thread_id] = consenting_parents(thread=threads[proposal.thread_id])
        answered = {a.user_id: a for a in proposal.answers.all()}
        found.setdefault(proposal.thread_id, []).append(OpenProposal(proposal=proposal, answers=[
            Answer(m.user, answered[m.user_id].accepted, answered[m.user_id].answered_at)
            if m.user_id in answered else Answer(m.user, None) for m in needed[proposal.thread_id]]))
    return found


def access_proposal(*, user, proposal_id) -> tuple[ThreadAccess, ParticipantProposal, OpenProposal]:
    """A proposal of a thread the user may read, with every consenting parent's answer: for the
    thread's parents and practitioners. NotFound for everyone else, and for relatives (the one it
    is about included): a proposal is the parents' decision, not theirs to watch."""
    try:
        pk = int(proposal_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    proposal = (ParticipantProposal.objects.select_related("user", "proposed_by", "closed_by")
                .filter(pk=pk).first() if 0 < pk < 2**63 else None)
    if proposal is None:
        raise NotFound()
    access = access_thread(user=user, thread_id=proposal.thread_id)
    if access.membership.role == "relative" or proposal.user_id == user.pk:
        raise NotFound()
    answered = {a.user_id: a for a in proposal.answers.select_related("user").order_by("answered_at", "pk")}
    needed = [m.user for m in consenting_parents(thread=access.thread)]
    # Parents who answered but no longer need to (they left) are still shown: what was said stays.
    users = needed + [a.user for uid, a in answered.items() if uid not in {u.pk for u in needed}]
    answers = [Answer(u, answered[u.pk].accepted, answered[u.pk].answered_at) if u.pk in answered
               else Answer(u, None) for u in users]
    return access, proposal, OpenProposal(proposal=proposal, answers=answers)
