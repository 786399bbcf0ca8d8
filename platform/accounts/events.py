"""The account events: how accounts tells the feature apps that something about a user changed
that the people around them must see, without knowing those apps (platform/ imports no feature app).

As with families.events: only accounts' services send these, INSIDE their transaction (Signal.send,
not send_robust: a name that others were not told about must not be stored); receivers do database
work only and send anything that leaves the process through transaction.on_commit.
"""

from django.dispatch import Signal

display_name_changed = Signal()
"""A user changed the name others see them by (accounts.account_settings.name_change).

Keyword arguments:
    user: the User, with its new display_name.
    old_name: the name before the change.
"""
