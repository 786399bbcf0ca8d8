"""The frozen plan as a PDF, read back from the PDF itself: it names the parents and the children
with their birth dates, says how the children were involved, ends with a place, a date and a
signature line for each parent, shows the template's titles and hints in the document's language
(what people wrote stays as written), and shows times as local time with the zone."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest

from parentingplan import services
from parentingplan.models import PlanVersion
from tests.factories import ChildFactory
from tests.parentingplan.conftest import approve, fill_and_agree, save, section_of
from tests.pdf import MM, body_text, read_pdf, squeezed

pytestmark = pytest.mark.django_db

MARGIN = 18 * MM  # left and right, templates/parentingplan/version_pdf.html
INVOLVEMENT = "<p>Noor en Sem zijn gehoord door de kindbehartiger, los van de ouders.</p>"
DUTCH_TITLES = ["Zorgregeling", "Informeren en overleggen", "Kosten van verzorging en opvoeding",
                "Hoe de kinderen betrokken zijn", "School en opvang", "Als we het niet eens zijn"]
DUTCH_HINTS = ["Bij wie zijn de kinderen wanneer?", "Hoe houden jullie elkaar op de hoogte",
               "Hoe en wanneer is elk kind gehoord"]


@pytest.fixture
def children(family):
    return [ChildFactory(family=family, first_name="Noor", birth_date=date(2016, 5, 2)),
            ChildFactory(family=family, first_name="Sem", birth_date=date(2019, 11, 23))]


@pytest.fixture
def frozen(plan, family, alice, bob, carol, children):
    """Version 1, agreed by both parents: Alice gave her birth date, Bob did not; the children's
    section says how they were involved and Noor's words are recorded."""
    services.parent_details_save(user=alice, plan_id=plan.pk, birth_date=date(1985, 5, 4))
    save(alice, section_of(plan, "children"), INVOLVEMENT)
    services.child_wish_add(user=carol, plan_id=plan.pk, child_id=children[0].pk, heard_on=date(2025, 3, 4),
                            how="KIES-gesprek", said="Ik wil mijn fiets bij beide huizen.")
    fill_and_agree(plan, alice, [alice, bob])
    approve(alice, plan)
    approve(bob, plan)
    return PlanVersion.objects.get(plan=plan, number=1)


def pdf_text(client, plan, language="nl") -> tuple[list, str]:
    response = client.get(f"/gezin/{plan.family_id}/plan/versie/1/pdf?lang={language}")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    pages = read_pdf(response.content)
    return pages, " ".join("\n".join(page.text for page in pages).split())


def test_the_plan_names_the_parents_and_the_children_with_their_birth_dates(plan, alice, frozen, client_for):
    _pages, text = pdf_text(client_for(alice), plan)
    assert "Ouders Alice Ouder, geboren op 4 mei 1985 Bob Ouder, geboren op" in text
    assert "Kinderen Noor, geboren op 2 mei 2016 Sem, geboren op 23 november 2019" in text


def test_the_parties_are_frozen_with_the_version(plan, alice, bob, frozen, client_for):
    snapshot = json.loads(frozen.snapshot)
    assert snapshot["parents"] == [
        {"id": alice.pk, "name": "Alice Ouder", "birth_date": "1985-05-04"},
        {"id": bob.pk, "name": "Bob Ouder", "birth_date": None},
    ]
    assert snapshot["children"] == [{"name": "Noor", "birth_date": "2016-05-02"},
                                    {"name": "Sem", "birth_date": "2019-11-23"}]
    # A birth date given later belongs to the next version, not to the one both parents approved.
    services.parent_details_save(user=bob, plan_id=plan.pk, birth_date=date(1983, 1, 9))
    _pages, text = pdf_text(client_for(alice), plan)
    assert "9 januari 1983" not in text


def test_the_plan_says_how_the_children_were_involved(plan, alice, frozen, client_for):
    _pages, text = pdf_text(client_for(alice), plan)
    involvement = text.split("Hoe de kinderen betrokken zijn", 1)[1]
    assert involvement.startswith(" Hoe en wanneer is elk kind gehoord, en wat heeft het gezegd? "
                                  "Noor en Sem zijn gehoord door de kindbehartiger, los van de ouders.")
    assert ("Wat de kinderen zeiden Noor (4 maart 2025, KIES-gesprek): Ik wil mijn fiets bij beide huizen."
            in involvement)


def test_the_plan_ends_with_place_date_and_a_signature_line_for_each_parent(plan, alice, frozen, client_for):
    pages, text = pdf_text(client_for(alice), plan)
    signing = text.split("Ondertekening", 1)[1]
    for words in ("Alice Ouder", "Bob Ouder", "Plaats:", "Datum:", "Handtekening Alice Ouder",
                  "Handtekening Bob Ouder"):
        assert words in signing, words
    assert signing.count("Plaats:") == signing.count("Datum:") == 2
    # The block is not split over two pages, and both parents' columns are on the page.
    [last] = [page for page in pages if "Ondertekening" in page.text]
    assert all(name in squeezed(last.text) for name in ("HandtekeningAliceOuder", "HandtekeningBobOuder"))
    for page in pages:
        for char in page.chars:
            if char.text.strip():
                assert char.x0 >= MARGIN - 0.5 and char.x1 <= page.width - MARGIN + 0.5, (char, page.number)


def test_the_english_plan_has_english_titles_and_hints_and_keeps_what_people_wrote(
    plan, alice, frozen, client_for
):
    pages, text = pdf_text(client_for(alice), plan, "en")
    assert pages[0].lines()[0] == "Parenting plan T-ALICE · version 1"
    for english in ("Division of care", "Informing and consulting each other", "Costs of care and upbringing",
                    "How the children were involved", "Who do the children stay with when?",
                    "Parents Alice Ouder, born on 4 May 1985", "Children Noor, born on 2 May 2016",
                    "Signatures", "Place:", "Date:", "Signature Bob Ouder"):
        assert english in text, english
    headings = {line.strip() for page in pages for line in page.lines()}
    assert "Division of care" in headings
    for dutch in DUTCH_TITLES:
        assert dutch not in headings, dutch
    for dutch in DUTCH_HINTS:
        assert dutch not in text, dutch
    # Parents' and children's own words are not translated.
    assert "Noor en Sem zijn gehoord door de kindbehartiger" in text and "Ik wil mijn fiets" in text


def test_a_title_a_practitioner_chose_stays_as_written_in_english(plan, alice, bob, carol, client_for):
    school = section_of(plan, "school")
    services.section_manage(user=carol, plan_id=plan.pk, section_id=school.pk, title="School in Utrecht")
    fill_and_agree(plan, alice, [alice, bob])
    approve(alice, plan)
    approve(bob, plan)
    _pages, text = pdf_text(client_for(alice), plan, "en")
    assert "School in Utrecht" in text and "Division of care" in text
    assert "Which school, who goes to parents' evenings" in text  # its hint still fits


def test_approval_times_are_local_with_their_zone(plan, alice, frozen, client_for):
    pages, text = pdf_text(client_for(alice), plan)
    approved = re.search(r"Goedgekeurd door: Alice Ouder \((.+?)\), Bob Ouder \((.+?)\)", text)
    assert approved, text[:600]
    for moment in approved.groups():
        assert re.fullmatch(r"\d{1,2} [a-z]+ \d{4} \d{2}:\d{2} CES?T", moment), moment
    assert re.search(r"Gemaakt op \d{1,2} [a-z]+ \d{4} \d{2}:\d{2} CES?T\.", text)
    assert "+00:00" not in text and "UTC" not in text


@pytest.mark.parametrize("reference", ["DEMO-0001", "Zaak 7/2 \"B\" & C"])
def test_the_header_shows_the_family_reference_as_written(plan, alice, frozen, client_for, reference):
    plan.family.reference = reference
    plan.family.save(update_fields=["reference"])
    pages, _text = pdf_text(client_for(alice), plan)
    assert pages[0].lines()[0] == f"Ouderschapsplan {reference} · versie 1"
    assert all(page.lines()[0] == f"Ouderschapsplan {reference} · versie 1" for page in pages)


def test_a_relatives_copy_is_an_excerpt_without_children_birth_dates_or_signatures(
    plan, carol, rita, frozen, client_for
):
    school = section_of(plan, "school")
    services.section_manage(user=carol, plan_id=plan.pk, section_id=school.pk, shared=True)
    _pages, text = pdf_text(client_for(rita), plan)
    assert "Uittreksel" in text and "Alice Ouder" in text
    for hidden in ("1985", "Noor", "Sem", "Ondertekening", "Handtekening", "geboren op"):
        assert hidden not in text, hidden


def test_a_version_frozen_before_it_named_its_parties_shows_them_as_they_are_now(
    plan, alice, bob, children, client_for
):
    services.parent_details_save(user=bob, plan_id=plan.pk, birth_date=date(1983, 1, 9))
    old = {"plan": plan.pk, "family": plan.family.reference, "version": 1, "children_heard": [],
           "sections": [{"key": "care", "title": "Zorgregeling", "kind": "care", "required": True,
                         "revision": 1, "content": "<p>Week om week.</p>", "schedule": None,
                         "evaluation_date": None}]}
    PlanVersion.objects.create(plan=plan, number=1, snapshot=json.dumps(old), content_hash="0" * 64,
                               approvers=[])
    _pages, text = pdf_text(client_for(alice), plan)
    assert "Bob Ouder, geboren op 9 januari 1983" in text and "Noor, geboren op 2 mei 2016" in text
    # Without a children's section it says so, rather than leave it out.
    assert "Hoe de kinderen betrokken zijn Dit plan zegt niet hoe de kinderen betrokken zijn." in text


def test_a_long_word_in_a_section_wraps_inside_the_page(plan, alice, bob, client_for):
    url = "https://www.example.org/school/" + "rooster-en-vakanties-" * 15 + "2026.pdf"
    word = "Kindercentrumoverdrachtsafspraken" + "x" * 120
    save(alice, section_of(plan, "school"), f"<p>Zie {url} en {word}.</p>")
    fill_and_agree(plan, alice, [alice, bob])
    approve(alice, plan)
    approve(bob, plan)
    pages, _text = pdf_text(client_for(alice), plan)
    text = squeezed(body_text(pages, top_margin=20 * MM, bottom_margin=20 * MM))
    assert squeezed(url) in text and word in text
    for page in pages:
        for char in page.chars:
            if char.text.strip():
                assert char.x0 >= MARGIN - 0.5 and char.x1 <= page.width - MARGIN + 0.5, (char, page.number)


def test_a_reference_with_quotes_and_a_line_break_still_downloads(plan, family, alice, frozen, client_for):
    """The family's reference is free text that ends up in the download's file name."""
    type(family).objects.filter(pk=family.pk).update(reference='T-"1"\nx')
    response = client_for(alice).get(f"/gezin/{plan.family_id}/plan/versie/1/pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename") and "\n" not in disposition
