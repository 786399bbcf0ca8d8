"""The family events: how the platform tells the feature apps that a case or a membership changed,
without knowing them (platform/ imports no feature app).

Only families.services sends these, INSIDE its transaction: a receiver's writes commit or roll back
together with the change, and an exception in a receiver rolls the change back (Signal.send, not
send_robust: a family without its threads or plan must not come into being). Receivers therefore
do database work only; anything that leaves the process (a broadcast, a mail) goes through
transaction.on_commit. Each feature app connects its receivers in its AppConfig.ready(), with a
dispatch_uid, and keeps them idempotent (the demo and a retried request may repeat an event).

The live event "access.changed" to the member's open sockets is not one of these: families.services
broadcasts it after commit for every membership_changed, so no receiver has to.

What these events do NOT give: an order between receivers of different apps (each must stand on
its own), or a notice of changes made outside families.services (a shell, a raw SQL update).
"""

from django.dispatch import Signal

family_created = Signal()
"""A case was opened (families.services.family_create).

Keyword arguments:
    family: the new Family.
    actor: the User who opened it; they are its coordinating practitioner from now on (their
        membership is announced right after, as membership_changed with old_role None).
"""

membership_changed = Signal()
"""A membership began, changed role or ended (invitation accepted, family opened, role changed,
member removed).

Keyword arguments:
    membership: the Membership as it is now (its user and family loaded; ended_at set when it ended).
    old_role: the role before the change, or None when the membership just began.
    new_role: the role after the change, or None when the membership just ended.
    actor: the User who made the change (for an accepted invitation: the person who accepted).
"""
