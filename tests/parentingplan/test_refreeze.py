import uuid

import pytest

from core.errors import Invalid
from parentingplan import services
from parentingplan.models import PlanVersion, Section

pytestmark = pytest.mark.django_db


def _agree_everything(plan, parents):
    for section in Section.objects.filter(plan=plan, hidden=False):
        extra = {}
        if section.kind == Section.Kind.CARE:
            extra["schedule"] = {"pattern": "week_on_week_off", "start": "2026-11-23", "handover_day": 4,
                                 "handover_time": "18:00",
                                 "parent_a": parents[0].pk, "parent_b": parents[1].pk}
        saved = services.section_save(user=parents[0], section_id=section.pk,
                                      base_revision=section.head_revision,
                                      content=f"<p>{section.title}: afgesproken</p>", client_id=uuid.uuid4(),
                                      **extra)
        for parent in parents:
            services.section_agree(user=parent, section_id=section.pk, revision=saved.section["revision"])


@pytest.fixture
def frozen_plan(family, alice, bob, carol):
    plan = services.plan_ensure(family=family)
    for section in Section.objects.filter(plan=plan, required=False):
        services.section_manage(user=carol, plan_id=plan.pk, section_id=section.pk, hidden=True)
    _agree_everything(plan, [alice, bob])
    for parent in (alice, bob):
        services.plan_approve(user=parent, plan_id=plan.pk, version=1)
    plan.refresh_from_db()
    assert plan.version == 2
    return plan


def test_an_unchanged_plan_cannot_be_approved_again_as_a_new_version(frozen_plan, alice):
    with pytest.raises(Invalid):
        services.plan_approve(user=alice, plan_id=frozen_plan.pk, version=2)
    assert PlanVersion.objects.filter(plan=frozen_plan).count() == 1


def test_after_a_change_the_next_version_can_be_agreed_and_frozen(frozen_plan, alice, bob):
    section = Section.objects.get(plan=frozen_plan, key="costs")
    saved = services.section_save(user=bob, section_id=section.pk, base_revision=section.head_revision,
                                  content="<p>Kosten: nieuwe afspraak</p>", client_id=uuid.uuid4())
    for parent in (alice, bob):
        services.section_agree(user=parent, section_id=section.pk, revision=saved.section["revision"])
    for parent in (alice, bob):
        services.plan_approve(user=parent, plan_id=frozen_plan.pk, version=2)
    assert list(PlanVersion.objects.filter(plan=frozen_plan).values_list("number", flat=True)) == [1, 2]


def test_the_plan_page_says_the_version_is_frozen_instead_of_offering_approval(
    frozen_plan, alice, family, client_for
):
    body = client_for(alice).get(f"/gezin/{family.pk}/plan/").content.decode()
    assert "Versie 1 is vastgelegd" in body
    assert f'id="approve" href="/gezin/{family.pk}/plan/goedkeuren/" hidden' in body


def test_a_care_section_with_only_a_rotation_can_be_agreed(family, alice, bob):
    plan = services.plan_ensure(family=family)
    care = Section.objects.get(plan=plan, key="care")
    schedule = {"pattern": "2-2-3", "start": "2026-11-23", "handover_day": 0, "handover_time": "09:00",
                "parent_a": alice.pk, "parent_b": bob.pk}
    saved = services.section_save(user=alice, section_id=care.pk, base_revision=0, content="",
                                  client_id=uuid.uuid4(), schedule=schedule)
    assert saved.section["status"] == "proposed"
    for parent in (alice, bob):
        status = services.section_agree(user=parent, section_id=care.pk, revision=1)
    assert status["status"] == "agreed"


def test_a_resent_save_answers_with_the_revision_it_made_not_a_later_one(family, alice, bob):
    plan = services.plan_ensure(family=family)
    costs = Section.objects.get(plan=plan, key="costs")
    first_id = uuid.uuid4()
    services.section_save(user=alice, section_id=costs.pk, base_revision=0, content="<p>Een</p>",
                          client_id=first_id)
    services.section_save(user=bob, section_id=costs.pk, base_revision=1, content="<p>Twee</p>",
                          client_id=uuid.uuid4())
    again = services.section_save(user=alice, section_id=costs.pk, base_revision=0, content="<p>Een</p>",
                                  client_id=first_id)
    assert again.saved and again.section["revision"] == 1 and again.section["content"] == "<p>Een</p>"
