from __future__ import annotations

from datetime import date, timedelta

import pytest
import weasyprint
from django.utils import formats, timezone, translation

from parentingplan import services
from parentingplan.models import ChildWish, PlanVersion, Section
from tests.factories import ChildFactory
from tests.parentingplan.conftest import approve, fill_and_agree, save, section_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def frozen(plan, family, alice, bob, carol):
    """Version 1 agreed by both parents, with a rotation and a child's words in it."""
    monday = timezone.localdate() - timedelta(days=timezone.localdate().weekday())
    save(
        alice,
        section_of(plan, "care"),
        "<p>Week om week.</p>",
        schedule={
            "pattern": "2-2-3",
            "start": monday.isoformat(),
            "handover_day": 4,
            "handover_time": "18:00",
            "parent_a": alice.pk,
            "parent_b": bob.pk,
        },
    )
    noor = ChildFactory(family=family, first_name="Noor")
    services.child_wish_add(
        user=carol,
        plan_id=plan.pk,
        child_id=noor.pk,
        heard_on=date(2025, 3, 4),
        how="KIES-gesprek",
        said="Ik wil mijn fiets bij beide huizen.",
    )
    fill_and_agree(plan, alice, [alice, bob])
    approve(alice, plan)
    approve(bob, plan)
    return PlanVersion.objects.get(plan=plan, number=1)


@pytest.fixture
def pdf_sources(monkeypatch):
    """The HTML each PDF was made from: what the reader sees, before it is typeset."""
    sources: list[str] = []
    real = weasyprint.HTML

    def recording(*args, string=None, **kwargs):
        sources.append(string)
        return real(*args, string=string, **kwargs)

    monkeypatch.setattr(weasyprint, "HTML", recording)
    return sources


def test_the_plan_page_shows_each_section_with_its_status(plan, alice, bob, client_for):
    save(alice, section_of(plan, "costs"), "<p>Ieder de helft.</p>")
    response = client_for(bob).get(f"/gezin/{plan.family_id}/plan/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Stand van het plan" in page and "in de maak" not in page
    costs = section_of(plan, "costs")
    block = page.split(f'id="section-{costs.pk}"', 1)[1].split("</section>", 1)[0]
    assert '<span class="status status-proposed" data-status>voorgesteld</span>' in block
    assert "<p>Ieder de helft.</p>" in block and "Bijgewerkt door Alice Ouder" in block
    assert "data-edit" in block and "data-agree" in block


def test_the_plan_shows_when_a_section_was_changed_as_a_date_and_time(plan, alice, bob, client_for):
    save(alice, section_of(plan, "costs"), "<p>Ieder de helft.</p>")
    costs = section_of(plan, "costs")
    costs.refresh_from_db()
    page = client_for(bob).get(f"/gezin/{plan.family_id}/plan/").content.decode()
    with translation.override("nl"):
        when = formats.date_format(timezone.localtime(costs.updated_at), "DATETIME_FORMAT")
    assert "Bijgewerkt door Alice Ouder · <time" in page and f">{when}</time>" in page
    assert timezone.localtime(costs.updated_at).strftime("%d-%m-%Y") not in page


def test_the_approve_button_appears_only_when_every_section_is_agreed(plan, alice, bob, client_for):
    # The button is always in the page for the live editor, and hidden until it may be used.
    client = client_for(alice)
    assert f'id="approve" href="/gezin/{plan.family_id}/plan/goedkeuren/" hidden>' in (
        client.get(f"/gezin/{plan.family_id}/plan/").content.decode()
    )
    fill_and_agree(plan, alice, [alice, bob])
    ready = client.get(f"/gezin/{plan.family_id}/plan/").content.decode()
    assert f'id="approve" href="/gezin/{plan.family_id}/plan/goedkeuren/">' in ready
    approve(alice, plan)
    page = client.get(f"/gezin/{plan.family_id}/plan/").content.decode()
    assert f'id="approve" href="/gezin/{plan.family_id}/plan/goedkeuren/" hidden>' in page
    assert ('<p class="alert alert-success" data-approve-done>Je hebt versie 1 goedgekeurd. '
            'We wachten op Bob Ouder.</p>') in page


def test_a_practitioner_sees_the_management_forms_and_a_parent_does_not(plan, alice, carol, client_for):
    assert "Onderdeel beheren" in client_for(carol).get(f"/gezin/{plan.family_id}/plan/").content.decode()
    parent_page = client_for(alice).get(f"/gezin/{plan.family_id}/plan/").content.decode()
    assert "Onderdeel beheren" not in parent_page and "Onderdeel toevoegen" not in parent_page


def test_a_practitioner_adds_and_renames_sections_through_the_page(plan, carol, client_for):
    client = client_for(carol)
    response = client.post(f"/gezin/{plan.family_id}/plan/onderdeel/", {"title": "Sport en clubs"})
    assert response.status_code == 302
    added = Section.objects.get(plan=plan, title="Sport en clubs")
    when = timezone.localdate() + timedelta(days=60)
    client.post(
        f"/plan/onderdeel/{added.pk}/beheer/",
        {"title": "Sport", "evaluation_date": when.isoformat(), "shared": "on"},
    )
    added.refresh_from_db()
    assert (added.title, added.evaluation_date, added.shared_with_relatives) == ("Sport", when, True)


def test_a_parent_posting_the_management_form_changes_nothing(plan, alice, client_for):
    school = section_of(plan, "school")
    response = client_for(alice).post(
        f"/plan/onderdeel/{school.pk}/beheer/", {"title": "Van mij", "hidden": "on"}, follow=True
    )
    assert "Dit mag je in deze rol niet doen." in response.content.decode()
    school.refresh_from_db()
    assert (school.title, school.hidden) == ("School en opvang", False)


def test_a_practitioner_records_a_childs_words_through_the_page(plan, family, carol, client_for):
    noor = ChildFactory(family=family, first_name="Noor")
    response = client_for(carol).post(
        f"/gezin/{plan.family_id}/plan/kind/",
        {
            "child": noor.pk,
            "heard_on": "2025-03-04",
            "how": "Gesprek met de kindbehartiger",
            "said": "Ik wil op woensdag bij papa zijn.",
        },
    )
    assert response.status_code == 302
    wish = ChildWish.objects.get(plan=plan)
    assert (wish.child, wish.how, wish.said) == (
        noor,
        "Gesprek met de kindbehartiger",
        "Ik wil op woensdag bij papa zijn.",
    )


def test_the_version_page_shows_the_approvers_and_the_hash(plan, alice, frozen, client_for):
    page = client_for(alice).get(f"/gezin/{plan.family_id}/plan/versie/1/").content.decode()
    assert "Ouderschapsplan, versie 1" in page
    assert "Deze versie verandert niet meer." in page
    assert "Alice Ouder · " in page and "Bob Ouder · " in page
    assert f'<code class="hash">{frozen.content_hash}</code>' in page
    assert "<p>Week om week.</p>" in page and '<table class="cal">' in page
    assert "data-edit" not in page and "<textarea" not in page
    assert "Noor · 4 maart 2025 · KIES-gesprek" in page and "Ik wil mijn fiets bij beide huizen." in page


def test_the_plan_page_links_to_the_frozen_version(plan, alice, frozen, client_for):
    page = client_for(alice).get(f"/gezin/{plan.family_id}/plan/").content.decode()
    assert f'href="/gezin/{plan.family_id}/plan/versie/1/"' in page
    assert "Versie 1 is door jullie allebei goedgekeurd en vastgelegd." in page
    assert "Versie 2 in de maak" not in page


def test_a_version_that_does_not_exist_is_not_found(plan, alice, frozen, client_for):
    assert client_for(alice).get(f"/gezin/{plan.family_id}/plan/versie/2/").status_code == 404
    assert client_for(alice).get(f"/gezin/{plan.family_id}/plan/versie/2/pdf").status_code == 404


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_frozen_version_downloads_as_a_pdf(plan, alice, frozen, language, client_for, pdf_sources):
    response = client_for(alice).get(f"/gezin/{plan.family_id}/plan/versie/1/pdf?lang={language}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="ouderschapsplan-T-ALICE-v1.pdf"'
    assert response.content.startswith(b"%PDF")
    [source] = pdf_sources
    assert frozen.content_hash in source
    assert "Alice Ouder (" in source and "Bob Ouder (" in source
    handover = {"nl": "2-2-3: vanaf vrijdag om 18:00 zijn de kinderen drie dagen bij Alice Ouder",
                "en": "2-2-3: from Friday at 18:00 the children spend three days with Alice Ouder"}[language]
    heading = {"nl": "<h1>Ouderschapsplan</h1>", "en": "<h1>Parenting plan</h1>"}[language]
    assert '<table class="cal">' in source and handover in source and heading in source
    # What parents and children wrote stays as written, whatever the language of the document.
    assert "Ik wil mijn fiets bij beide huizen." in source and "KIES-gesprek" in source


def test_a_relative_sees_only_the_shared_sections_of_a_frozen_version(
    plan, carol, rita, frozen, client_for, pdf_sources
):
    services.section_manage(
        user=carol, plan_id=plan.pk, section_id=section_of(plan, "school").pk, shared=True
    )
    client = client_for(rita)
    page = client.get(f"/gezin/{plan.family_id}/plan/versie/1/").content.decode()
    assert "Afspraak over School en opvang." in page
    assert "Afspraak over Kosten van verzorging en opvoeding." not in page
    assert client.get(f"/gezin/{plan.family_id}/plan/versie/1/pdf?lang=nl").content.startswith(b"%PDF")
    [source] = pdf_sources
    assert "Afspraak over School en opvang." in source
    assert "Afspraak over Kosten" not in source and "fiets" not in source
