"""Template titles and hints follow the reader's language in the editor, the history and the
version pages; a title a practitioner chose stays as written; nothing stored changes."""

from __future__ import annotations

import pytest

from parentingplan import services, template
from parentingplan.models import Section
from tests.parentingplan.conftest import approve, fill_and_agree, section_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(alice):
    alice.language = "en"
    alice.save(update_fields=["language"])
    return alice


def test_section_title_translates_template_titles_only():
    assert template.section_title("care", "Zorgregeling", "en") == "Division of care"
    assert template.section_title("care", "Division of care", "nl") == "Zorgregeling"
    assert template.section_title("care", "Onze eigen zorgregeling", "en") == "Onze eigen zorgregeling"
    assert template.section_title("extra-1", "Zorgregeling", "en") == "Zorgregeling"
    assert template.hint_for("costs", "en").startswith("Who pays what?")
    assert template.hint_for("costs", "nl").startswith("Wie betaalt wat?")
    assert template.hint_for("extra-1", "en") == ""


def test_the_english_editor_shows_english_titles_and_hints_and_stores_nothing_new(
    plan, english, carol, client_for
):
    services.section_manage(user=carol, plan_id=plan.pk, section_id=section_of(plan, "school").pk,
                            title="School in Utrecht")
    page = client_for(english).get(f"/gezin/{plan.family_id}/plan/").content.decode()
    care = section_of(plan, "care")
    block = page.split(f'id="section-{care.pk}"', 1)[1].split("</section>", 1)[0]
    assert '<h2 id="title-' in block and ">Division of care" in block
    assert "Who do the children stay with when?" in block
    assert "Bij wie zijn de kinderen" not in page
    # The summary's list of required parts, and the table of contents.
    assert "Division of care, Informing and consulting each other, Costs of care and upbringing" in page
    assert '<span class="toc-title">Division of care</span>' in page
    assert '<span class="toc-title">School in Utrecht</span>' in page
    assert '<span class="toc-title">Zorgregeling</span>' not in page
    assert Section.objects.get(pk=care.pk).title == "Zorgregeling"


def test_the_dutch_editor_still_shows_dutch_titles(plan, alice, client_for):
    page = client_for(alice).get(f"/gezin/{plan.family_id}/plan/").content.decode()
    assert '<span class="toc-title">Zorgregeling</span>' in page
    assert "Bij wie zijn de kinderen wanneer?" in page


def test_the_history_page_names_the_section_in_the_readers_language(plan, english, client_for):
    page = client_for(english).get(f"/plan/onderdeel/{section_of(plan, 'costs').pk}/geschiedenis/")
    assert "<h1>Costs of care and upbringing:" in page.content.decode()


def test_the_version_page_shows_template_titles_in_the_readers_language(plan, english, bob, client_for):
    fill_and_agree(plan, english, [english, bob])
    approve(english, plan)
    approve(bob, plan)
    page = client_for(english).get(f"/gezin/{plan.family_id}/plan/versie/1/").content.decode()
    assert "<h2>Division of care</h2>" in page and "<h2>Zorgregeling</h2>" not in page


def test_saving_the_management_form_with_the_shown_english_title_keeps_the_stored_title(
    plan, carol, client_for
):
    carol.language = "en"
    carol.save(update_fields=["language"])
    care = section_of(plan, "care")
    client = client_for(carol)
    page = client.get(f"/gezin/{plan.family_id}/plan/").content.decode()
    assert 'name="title" value="Division of care"' in page
    client.post(f"/plan/onderdeel/{care.pk}/beheer/", {"title": "Division of care", "shared": "on"})
    care.refresh_from_db()
    assert (care.title, care.shared_with_relatives) == ("Zorgregeling", True)
    client.post(f"/plan/onderdeel/{care.pk}/beheer/", {"title": "Care and contact"})
    care.refresh_from_db()
    assert care.title == "Care and contact"
