"""The family page's feature cards come from the feature apps (families.features), and platform/
knows no feature app."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from families import features
from messaging.services import threads_ensure_for_family

PLATFORM = Path(__file__).resolve().parents[2] / "platform"
FEATURE_APPS = {"messaging", "parentingplan", "moderation", "trajectories", "demo"}


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def test_no_module_under_platform_but_the_composition_root_imports_a_feature_app():
    offenders = []
    for path in sorted(PLATFORM.rglob("*.py")):
        if path.relative_to(PLATFORM).parts[0] == "config":
            continue  # the composition root sees every app
        for module in _imported_modules(path):
            if module.split(".")[0] in FEATURE_APPS:
                offenders.append(f"{path.relative_to(PLATFORM)}: {module}")
    assert offenders == []


@pytest.fixture
def own_registry(monkeypatch):
    """The cards and counters registered in this test are gone after it."""
    monkeypatch.setattr(features, "_cards", dict(features._cards))
    monkeypatch.setattr(features, "_unread_counters", dict(features._unread_counters))
    monkeypatch.setattr(features, "_home_panels", dict(features._home_panels))
    monkeypatch.setattr(features, "_caseload_columns", dict(features._caseload_columns))


def _no_card(*, request, membership):
    return None


def test_a_second_card_under_a_name_already_taken_fails_at_start(own_registry):
    features.register_card(name="test.card", template_name="test/a.html", context=_no_card, order=1)
    with pytest.raises(ImproperlyConfigured):
        features.register_card(name="test.card", template_name="test/b.html", context=_no_card, order=1)


def test_registering_the_same_card_twice_is_harmless(own_registry):
    for _ in range(2):
        features.register_card(name="test.card", template_name="test/a.html", context=_no_card, order=1)
    assert [c.template_name for c in features._cards.values()].count("test/a.html") == 1


def test_a_second_unread_counter_under_a_name_already_taken_fails_at_start(own_registry):
    features.register_unread_counter(name="test.counter", count=lambda *, user: {})
    with pytest.raises(ImproperlyConfigured):
        features.register_unread_counter(name="test.counter", count=lambda *, user: {1: 1})


def test_a_second_home_panel_under_a_name_already_taken_fails_at_start(own_registry):
    features.register_home_panel(name="test.panel", template_name="test/a.html",
                                 context=lambda *, request, memberships: None, order=1)
    with pytest.raises(ImproperlyConfigured):
        features.register_home_panel(name="test.panel", template_name="test/b.html",
                                     context=lambda *, request, memberships: None, order=1)


def test_a_second_caseload_column_or_filter_under_a_name_already_taken_fails_at_start(own_registry):
    def facts(*, user, memberships):
        return {}

    features.register_caseload_column(name="test.column", template_name="test/a.html", facts=facts, order=1,
                                      filters=(("colour", "Kleur", (("red", "rood"),)),))
    with pytest.raises(ImproperlyConfigured):
        features.register_caseload_column(name="test.column", template_name="test/b.html", facts=facts,
                                          order=1)
    with pytest.raises(ImproperlyConfigured):
        features.register_caseload_column(name="test.other", template_name="test/c.html", facts=facts,
                                          order=2,
                                          filters=(("colour", "Kleur", (("blue", "blauw"),)),))


def test_caseload_rows_sum_the_columns_urgency_and_ask_each_provider_once(own_registry):
    from types import SimpleNamespace

    calls = []

    def first(*, user, memberships):
        calls.append("first")
        return {1: {"urgency": 5, "filters": {"colour": "red"}}, 2: {"urgency": 1}}

    def second(*, user, memberships):
        calls.append("second")
        return {2: {"urgency": 10}}

    features._caseload_columns.clear()
    features.register_caseload_column(name="a", template_name="a.html", facts=first, order=1)
    features.register_caseload_column(name="b", template_name="b.html", facts=second, order=2)
    members = [SimpleNamespace(family_id=i, family=SimpleNamespace(pk=i, display_name=f"Gezin {i}"))
               for i in (1, 2, 3)]
    rows = features.caseload_rows(user=None, memberships=members)
    assert [(r.family.pk, r.urgency) for r in rows] == [(2, 11), (1, 5), (3, 0)]
    assert rows[1].filters == {"colour": "red"}
    assert [len(r.cells) for r in rows] == [2, 1, 0]
    assert calls == ["first", "second"]


@pytest.mark.django_db
def test_a_home_panel_is_shown_with_its_context_and_left_out_when_it_returns_nothing(
    own_registry, carol, family, client_for, tmp_path, settings
):
    (tmp_path / "test").mkdir()
    (tmp_path / "test" / "panel.html").write_text("<p>Paneel voor {{ panel.families }} gezin(nen)</p>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}]
    features.register_home_panel(
        name="test.shown", template_name="test/panel.html", order=1,
        context=lambda *, request, memberships: {"families": len(memberships)})
    features.register_home_panel(name="test.hidden", template_name="test/missing.html",
                                 context=lambda *, request, memberships: None, order=2)

    body = client_for(carol).get(reverse("families:home")).content.decode()

    assert "<p>Paneel voor 1 gezin(nen)</p>" in body


@pytest.mark.django_db
def test_the_family_page_shows_the_conversations_then_the_plan_then_the_children(
    alice, bob, carol, family, client_for
):
    threads_ensure_for_family(family=family)
    body = client_for(alice).get(reverse("families:detail", args=[family.pk])).content.decode()

    conversations, plan, children = (body.index(t) for t in ("Gesprekken", "Ouderschapsplan", "Kinderen"))
    assert conversations < plan < children
    assert "Ouders samen" in body
    assert "Jij en de begeleiders" in body
    assert reverse("parentingplan:plan", args=[family.pk]) in body


@pytest.mark.django_db
def test_a_member_without_a_conversation_sees_no_conversations_card_but_the_plan(rita, family, client_for):
    threads_ensure_for_family(family=family)
    body = client_for(rita).get(reverse("families:detail", args=[family.pk])).content.decode()

    assert "Gesprekken" not in body
    assert reverse("parentingplan:plan", args=[family.pk]) in body


@pytest.mark.django_db
def test_a_card_that_returns_nothing_is_left_out_and_a_card_with_context_is_shown_in_order(
    own_registry, alice, family, client_for, tmp_path, settings
):
    (tmp_path / "test").mkdir()
    (tmp_path / "test" / "card.html").write_text("<p>Kaart van {{ card.who }}</p>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}]
    features.register_card(name="test.hidden", template_name="test/missing.html", context=_no_card, order=1)
    features.register_card(name="test.shown", template_name="test/card.html",
                           context=lambda *, request, membership: {"who": membership.user.display_name},
                           order=15)

    body = client_for(alice).get(reverse("families:detail", args=[family.pk])).content.decode()

    assert "Kaart van Alice Ouder" in body
    assert body.index("Kaart van Alice Ouder") < body.index("Ouderschapsplan")
