"""What the feature apps show on the family pages, without families knowing them.

A feature registers, in its AppConfig.ready():
- a card for the family page: a template (included with the page's own context plus `card`) and a
  function (request, membership) -> the card's context, or None to leave the card out. Cards are
  shown in `order`, above the family's own sections.
- an unread counter for the home page: a function (user) -> {family_id: unread count}; the home
  page shows each family's sum over all counters.
- a panel for the home page (what needs the user today, say): a template (included with the
  page's context plus `panel`) and a function (request, memberships) -> the panel's context, or
  None to leave it out. Panels are shown in `order`, above the list of families.

- a caseload column for a practitioner's home (register_caseload_column): a template for its cell in
  a family's row (included with `fact`, `family` and `row`) and a function (user, memberships) ->
  {family_id: fact}, a small dict for each of the given families the column has something to say
  about. Every provider answers for ALL the families in ONE or two queries (never one per family):
  the home page of a practitioner with 30 families runs a bounded number of queries. A fact may
  carry "urgency" (an int: the row's urgency is the sum over all columns, most urgent first) and
  "filters" ({parameter: value}: what the row offers to the home page's filters, e.g.
  {"signal": "red"}); a column declares the filters it offers with `filters`:
  {parameter: [(value, label), ...]}.

The card, panel and column functions run on every family page and home page view: they must check what the
user may see themselves (through families.access or their own selectors) and stay cheap (a few
queries).
Registering a second, different card under a name already taken is an error at start.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class Card:
    name: str
    template_name: str
    context: Callable[..., dict[str, Any] | None]
    order: int


@dataclass(frozen=True)
class ShownCard:
    template_name: str
    context: dict[str, Any]


_cards: dict[str, Card] = {}
_unread_counters: dict[str, Callable[..., dict[int, int]]] = {}
_home_panels: dict[str, Card] = {}
_caseload_columns: dict[str, CaseloadColumn] = {}


@dataclass(frozen=True)
class CaseloadColumn:
    name: str
    template_name: str
    facts: Callable[..., dict[int, dict[str, Any]]]
    order: int
    filters: tuple = ()  # ((parameter, label, ((value, label), ...)), ...)


def register_card(*, name: str, template_name: str, context: Callable[..., dict[str, Any] | None],
                  order: int) -> None:
    """`context(request=..., membership=...)` returns the card's context, or None to hide it."""
    card = Card(name=name, template_name=template_name, context=context, order=order)
    if _cards.get(name, card) != card:
        raise ImproperlyConfigured(f"two family page cards are named {name!r}")
    _cards[name] = card


def register_unread_counter(*, name: str, count: Callable[..., dict[int, int]]) -> None:
    """`count(user=...)` returns {family_id: number of unread items} for the user's families."""
    if _unread_counters.get(name, count) != count:
        raise ImproperlyConfigured(f"two unread counters are named {name!r}")
    _unread_counters[name] = count


def register_home_panel(*, name: str, template_name: str, context: Callable[..., dict[str, Any] | None],
                        order: int) -> None:
    """`context(request=..., memberships=...)` (the user's active memberships) returns the panel's
    context, or None to hide it."""
    panel = Card(name=name, template_name=template_name, context=context, order=order)
    if _home_panels.get(name, panel) != panel:
        raise ImproperlyConfigured(f"two home page panels are named {name!r}")
    _home_panels[name] = panel


def home_panels_for(*, request, memberships) -> list[ShownCard]:
    shown = []
    for panel in sorted(_home_panels.values(), key=lambda c: (c.order, c.name)):
        context = panel.context(request=request, memberships=memberships)
        if context is not None:
            shown.append(ShownCard(template_name=panel.template_name, context=context))
    return shown


def cards_for(*, request, membership) -> list[ShownCard]:
    shown = []
    for card in sorted(_cards.values(), key=lambda c: (c.order, c.name)):
        context = card.context(request=request, membership=membership)
        if context is not None:
            shown.append(ShownCard(template_name=card.template_name, context=context))
    return shown


def unread_by_family(*, user) -> dict[int, int]:
    total: dict[int, int] = {}
    for count in _unread_counters.values():
        for family_id, unread in count(user=user).items():
            total[family_id] = total.get(family_id, 0) + unread
    return total


def register_caseload_column(*, name: str, template_name: str,
                             facts: Callable[..., dict[int, dict[str, Any]]], order: int,
                             filters: tuple = ()) -> None:
    """`facts(user=..., memberships=...)` (the user's active practitioner memberships, the family
    loaded) returns {family_id: fact dict}; it must check what the user may see itself. `filters`:
    ((parameter, label, ((value, label), ...)), ...) that the rows' facts fill in."""
    column = CaseloadColumn(name=name, template_name=template_name, facts=facts, order=order,
                            filters=tuple(filters))
    if _caseload_columns.get(name, column) != column:
        raise ImproperlyConfigured(f"two caseload columns are named {name!r}")
    params = {p for c in _caseload_columns.values() if c.name != name for p, _label, _values in c.filters}
    clash = params & {p for p, _label, _values in column.filters}
    if clash:
        raise ImproperlyConfigured(f"two caseload columns offer the filter {sorted(clash)[0]!r}")
    _caseload_columns[name] = column


@dataclass
class CaseloadRow:
    membership: Any
    cells: list[ShownCard]
    urgency: int
    filters: dict[str, str]

    @property
    def family(self):
        return self.membership.family


def caseload_columns() -> list[CaseloadColumn]:
    return sorted(_caseload_columns.values(), key=lambda c: (c.order, c.name))


def caseload_filters() -> list[tuple]:
    """Every filter the columns offer: (parameter, label, ((value, label), ...)), in column order."""
    return [f for column in caseload_columns() for f in column.filters]


def caseload_rows(*, user, memberships) -> list[CaseloadRow]:
    """One row per membership with every column's cell, most urgent first (then by name). Each
    column's provider runs once for all the families."""
    columns = caseload_columns()
    facts = {c.name: c.facts(user=user, memberships=memberships) for c in columns}
    rows = []
    for membership in memberships:
        cells, urgency, filters = [], 0, {}
        for column in columns:
            fact = facts[column.name].get(membership.family_id)
            if fact is None:
                continue
            urgency += int(fact.get("urgency", 0))
            filters.update(fact.get("filters", {}))
            cells.append(ShownCard(template_name=column.template_name, context=fact))
        rows.append(CaseloadRow(membership=membership, cells=cells, urgency=urgency, filters=filters))
    rows.sort(key=lambda r: (-r.urgency, r.family.display_name.casefold(), r.family.pk))
    return rows
