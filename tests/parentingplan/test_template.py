from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from audit import actions
from audit.models import AuditEntry
from core.errors import Invalid, PermissionDenied
from families.models import Family
from parentingplan import services, template
from parentingplan.models import Plan, Section
from parentingplan.selectors import access_plan, plan_state
from tests.parentingplan.conftest import agree, save, section_of

pytestmark = pytest.mark.django_db

LEGAL_KEYS = ["care", "information", "costs", "children"]


def test_a_new_plan_starts_with_the_legally_required_sections_first(plan):
    sections = list(Section.objects.filter(plan=plan))
    assert [s.key for s in sections[:4]] == LEGAL_KEYS
    assert all(s.required for s in sections[:4])
    assert not any(s.required for s in sections[4:])
    assert {"school", "holidays", "health", "evaluation", "disagreement"} <= {s.key for s in sections}
    assert [s.key for s in sections] == [row[0] for row in template.SECTIONS]
    assert section_of(plan, "care").kind == Section.Kind.CARE
    assert section_of(plan, "children").kind == Section.Kind.CHILDREN
    assert section_of(plan, "care").title == "Zorgregeling"
    assert all(s.status == Section.Status.OPEN and s.head_revision == 0 for s in sections)


def test_an_english_plan_gets_english_titles(db):
    family = Family.objects.create(reference="T-EN", display_name="English family")
    plan = services.plan_ensure(family=family, language="en")
    assert plan.language == "en"
    assert section_of(plan, "care").title == "Division of care"
    assert section_of(plan, "costs").title == "Costs of care and upbringing"
    assert template.hint_for("care", "en").startswith("Who do the children stay with")


def test_a_family_has_one_plan_however_often_it_is_ensured(family, plan):
    again = services.plan_ensure(family=family, language="en")
    assert again.pk == plan.pk and again.language == "nl"
    assert Plan.objects.filter(family=family).count() == 1
    assert Section.objects.filter(plan=plan).count() == len(template.SECTIONS)


def test_the_summary_names_required_parts_that_are_empty_or_not_agreed(plan, alice, bob):
    care = section_of(plan, "care")
    save(alice, care, "<p>Week om week.</p>")
    agree(alice, care)
    agree(bob, care)
    save(alice, section_of(plan, "costs"), "<p>Ieder betaalt de helft.</p>")
    summary = plan_state(access_plan(user=alice, plan_id=plan.pk))["summary"]
    assert summary["required_missing"] == [
        "Informeren en overleggen",
        "Kosten van verzorging en opvoeding",
        "Hoe de kinderen betrokken zijn",
    ]
    assert summary["agreed"] == 1 and summary["complete"] is False
    assert "Informeren en overleggen" in summary["open"] and "Zorgregeling" not in summary["open"]


def test_the_plan_page_warns_about_required_parts_not_yet_agreed(plan, alice, client_for):
    page = client_for(alice).get(f"/gezin/{plan.family_id}/plan/").content.decode()
    assert "Wettelijk verplicht en nog niet akkoord:" in page
    assert "Zorgregeling, Informeren en overleggen, Kosten van verzorging en opvoeding" in page


def test_a_practitioner_adds_renames_moves_and_hides_sections(plan, carol):
    added = services.section_manage(user=carol, plan_id=plan.pk, title="  Huisdieren  ")
    assert added.title == "Huisdieren" and not added.required
    assert list(Section.objects.filter(plan=plan))[-1].pk == added.pk

    services.section_manage(user=carol, plan_id=plan.pk, section_id=added.pk, title="Huisdieren en hobby's")
    services.section_manage(user=carol, plan_id=plan.pk, section_id=added.pk, move="up")
    keys = list(Section.objects.filter(plan=plan).values_list("key", flat=True))
    assert keys[-1] == "disagreement" and keys[-2] == added.key

    services.section_manage(user=carol, plan_id=plan.pk, section_id=added.pk, hidden=True)
    added.refresh_from_db()
    assert added.title == "Huisdieren en hobby's" and added.hidden
    assert AuditEntry.objects.filter(action=actions.PLAN_SECTIONS_CHANGED, actor=carol).count() == 4


def test_moving_the_first_section_up_changes_nothing(plan, carol):
    before = list(Section.objects.filter(plan=plan).values_list("key", flat=True))
    services.section_manage(user=carol, plan_id=plan.pk, section_id=section_of(plan, "care").pk, move="up")
    assert list(Section.objects.filter(plan=plan).values_list("key", flat=True)) == before


def test_a_required_section_cannot_be_hidden(plan, carol):
    with pytest.raises(Invalid):
        services.section_manage(
            user=carol, plan_id=plan.pk, section_id=section_of(plan, "costs").pk, hidden=True
        )
    assert not section_of(plan, "costs").hidden


def test_a_section_cannot_be_renamed_to_nothing(plan, carol):
    with pytest.raises(Invalid):
        services.section_manage(
            user=carol, plan_id=plan.pk, section_id=section_of(plan, "school").pk, title="  "
        )
    assert section_of(plan, "school").title == "School en opvang"


def test_a_parent_cannot_manage_sections(plan, alice):
    with pytest.raises(PermissionDenied):
        services.section_manage(user=alice, plan_id=plan.pk, title="Mijn eigen onderdeel")
    with pytest.raises(PermissionDenied):
        services.section_manage(
            user=alice, plan_id=plan.pk, section_id=section_of(plan, "school").pk, hidden=True
        )


def test_a_hidden_section_is_left_out_for_the_parents_but_not_for_practitioners(plan, alice, carol):
    school = section_of(plan, "school")
    services.section_manage(user=carol, plan_id=plan.pk, section_id=school.pk, hidden=True)
    parent_keys = [s["key"] for s in plan_state(access_plan(user=alice, plan_id=plan.pk))["sections"]]
    pro_keys = [s["key"] for s in plan_state(access_plan(user=carol, plan_id=plan.pk))["sections"]]
    assert "school" not in parent_keys and "school" in pro_keys


def test_an_evaluation_date_in_the_future_is_listed_as_upcoming(plan, alice, carol):
    today = timezone.localdate()
    evaluation, health = section_of(plan, "evaluation"), section_of(plan, "health")
    services.section_manage(
        user=carol, plan_id=plan.pk, section_id=evaluation.pk, evaluation_date=today + timedelta(days=90)
    )
    services.section_manage(
        user=carol, plan_id=plan.pk, section_id=health.pk, evaluation_date=today - timedelta(days=1)
    )
    state = plan_state(access_plan(user=alice, plan_id=plan.pk))
    assert state["evaluations"] == [
        {"section": evaluation.pk, "title": "Evaluatie", "date": (today + timedelta(days=90)).isoformat()}
    ]


def test_the_plan_page_lists_upcoming_evaluations(plan, alice, carol, client_for):
    when = timezone.localdate() + timedelta(days=30)
    services.section_manage(
        user=carol, plan_id=plan.pk, section_id=section_of(plan, "evaluation").pk, evaluation_date=when
    )
    page = client_for(alice).get(f"/gezin/{plan.family_id}/plan/").content.decode()
    assert f"Geplande evaluaties: Evaluatie ({when.isoformat()})" in page


def test_seed_demo_json_names_the_plan(db):
    out = io.StringIO()
    call_command("seed_demo", "--json", stdout=out)
    result = json.loads(out.getvalue())
    plan = Plan.objects.get(pk=result["plan"]["id"])
    assert plan.family_id == result["family"]["id"]
    assert plan.sections.count() == len(template.SECTIONS)
