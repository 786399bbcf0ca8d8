"""The chat part of the AVG download (accounts.personal_data): every thread the user may read now,
with its messages exactly as the thread page gives them to the user (services.thread_history, the
socket's own path, so any rule of who sees which messages applies here too), and when they read
each. Never a thread they may not read (the other parent's thread with the practitioners), and
never someone else's message that is held for review or was returned to its sender."""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.errors import NotFound
from messaging.models import Message, MessageRead, Thread
from messaging.selectors import thread_list_for_user
from messaging.services import thread_history

# Someone else's words in these states were never given to the thread (moderation).
NOT_RELEASED = {Message.State.HELD, Message.State.RETURNED}


def collect(*, user) -> list[dict]:
    from accounts.personal_data import iso

    result = []
    for item in thread_list_for_user(user=user):
        thread = item["thread"]
        try:
            messages = _messages(user=user, thread=thread)
        except NotFound:
            continue  # access ended meanwhile
        my_reads = dict(MessageRead.objects.filter(user=user, message__thread=thread)
                        .values_list("message__seq", "read_at"))
        their_reads: dict[int, list] = {}
        for seq, name, read_at in (MessageRead.objects.filter(message__thread=thread, message__sender=user)
                                   .exclude(user=user).order_by("read_at")
                                   .values_list("message__seq", "user__display_name", "read_at")):
            their_reads.setdefault(seq, []).append({"name": name, "first_read_at": iso(read_at)})
        result.append({
            "family": thread.family.reference,
            "thread": thread.pk,
            "kind": thread.kind,
            "about": _thread_title(thread, user),
            "chain_head": thread.head_hash,
            "messages": [
                {
                    "seq": m["seq"],
                    "from": m["sender"]["name"],
                    "mine": m["sender"]["id"] == user.pk,
                    "sent_at": m["sent_at"],
                    "body": m["body"],
                    "state": m["state"],
                    "hash": m["hash"],
                    **({"read_by": their_reads.get(m["seq"], [])} if m["sender"]["id"] == user.pk
                       else {"i_read_at": iso(my_reads.get(m["seq"]))}),
                }
                for m in messages
            ],
        })
    return result


def _messages(*, user, thread: Thread) -> list[dict]:
    messages, after = [], 0
    while True:
        frame = thread_history(user=user, thread_id=thread.pk, after=after)
        if frame["type"] != "thread.history" or not frame["messages"]:
            return messages
        messages += [m for m in frame["messages"]
                     if m["sender"]["id"] == user.pk or m["state"] not in NOT_RELEASED]
        if not frame["has_more"]:
            return messages
        after = frame["messages"][-1]["seq"]


def _thread_title(thread: Thread, user) -> str:
    if thread.kind == Thread.Kind.PARENTS:
        return _("het gesprek van de ouders")
    if thread.owner_id == user.pk:
        return _("jouw gesprek met de begeleiders")
    return _("het gesprek van %(name)s met de begeleiders") % {"name": thread.owner.display_name}
