from __future__ import annotations

import re

import pytest

from audit import actions
from audit.models import AuditEntry
from core.errors import NotFound, PermissionDenied
from parentingplan import services
from parentingplan.content import word_diff
from parentingplan.models import Section, SectionRevision
from parentingplan.services import plan_group
from tests.parentingplan.conftest import agree, save, section_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def holidays(plan, alice, bob):
    section = section_of(plan, "holidays")
    save(alice, section, "<p>Kerst bij mama, oud en nieuw bij papa.</p>")
    save(bob, section, "<p>Kerst bij papa, oud en nieuw bij mama.</p>")
    save(alice, section, "<p>Kerst om en om, oud en nieuw bij papa.</p>")
    return section


def diff_on_page(page: str) -> str:
    return re.search(r'<div class="diff">(.*?)</div>', page, re.S).group(1)


def test_the_history_page_compares_any_two_revisions(plan, alice, holidays, client_for):
    page = client_for(alice).get(f"/plan/onderdeel/{holidays.pk}/geschiedenis/?a=1&b=3").content.decode()
    assert "Van versie 1 naar 3" in page
    assert (
        diff_on_page(page)
        == "Kerst <del>bij</del><ins>om</ins> <del>mama,</del><ins>en om,</ins> oud en nieuw bij papa."
    )


def test_the_history_page_compares_the_last_two_revisions_by_default(plan, bob, holidays, client_for):
    page = client_for(bob).get(f"/plan/onderdeel/{holidays.pk}/geschiedenis/").content.decode()
    assert "Van versie 2 naar 3" in page
    assert diff_on_page(page) == (
        "Kerst <del>bij</del><ins>om</ins> <del>papa,</del><ins>en om,</ins>"
        " oud en nieuw bij <del>mama.</del><ins>papa.</ins>"
    )


def test_the_history_page_lists_every_revision_with_its_author(plan, alice, holidays, client_for):
    page = client_for(alice).get(f"/plan/onderdeel/{holidays.pk}/geschiedenis/").content.decode()
    assert "Versie 3 door Alice Ouder" in page
    assert "Versie 2 door Bob Ouder" in page
    assert "Versie 1 door Alice Ouder" in page


def test_the_diff_escapes_what_users_typed(plan, alice):
    section = section_of(plan, "religion")
    save(alice, section, "<p>Geen &lt;b&gt;dwang&lt;/b&gt;.</p>")
    save(alice, section, '<p>Geen &lt;script&gt;alert("x")&lt;/script&gt; dwang.</p>')
    diff = word_diff(*[r.content for r in SectionRevision.objects.filter(section=section)])
    assert "<script" not in diff and "<b>" not in diff
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in diff
    assert re.fullmatch(r"(?:[^<]|<(?:/?)(?:ins|del)>)*", diff), diff


def test_the_history_page_shows_typed_markup_as_text_in_the_diff(plan, alice, client_for):
    section = section_of(plan, "religion")
    save(alice, section, "<p>Vrij.</p>")
    save(alice, section, "<p>Vrij. &lt;img src=x onerror=alert(1)&gt;</p>")
    page = client_for(alice).get(f"/plan/onderdeel/{section.pk}/geschiedenis/").content.decode()
    assert diff_on_page(page) == "Vrij.<ins> &lt;img src=x onerror=alert(1)&gt;</ins>"
    assert "<img" not in page


def test_restoring_an_old_revision_makes_a_new_revision(
    plan, alice, bob, holidays, sent, django_capture_on_commit_callbacks
):
    agree(alice, holidays)
    agree(bob, holidays)
    with django_capture_on_commit_callbacks(execute=True):
        result = services.section_restore(user=bob, section_id=holidays.pk, revision=1)
    assert result.saved and result.section["revision"] == 4
    assert result.section["content"] == "<p>Kerst bij mama, oud en nieuw bij papa.</p>"
    revisions = list(SectionRevision.objects.filter(section=holidays).order_by("number"))
    assert [r.number for r in revisions] == [1, 2, 3, 4]
    assert (revisions[3].author, revisions[3].restored_from, revisions[3].base_number) == (bob, 1, 3)
    assert revisions[2].content == "<p>Kerst om en om, oud en nieuw bij papa.</p>"
    holidays.refresh_from_db()
    assert holidays.status == Section.Status.PROPOSED
    assert [(g, f["type"]) for g, f in sent] == [(plan_group(plan.pk, "family"), "section.updated")]


def test_restoring_through_the_history_page_asks_first_then_restores(plan, alice, holidays, client_for):
    client = client_for(alice)
    history = client.get(f"/plan/onderdeel/{holidays.pk}/geschiedenis/").content.decode()
    assert f'href="/plan/onderdeel/{holidays.pk}/terugzetten/?revision=2"' in history
    confirm = client.get(f"/plan/onderdeel/{holidays.pk}/terugzetten/?revision=2")
    assert confirm.status_code == 200
    assert "De tekst van versie 2 wordt de nieuwe versie 4." in confirm.content.decode()
    # A POST without the confirmation (an old form, a stray tap) only shows the question again.
    unconfirmed = client.post(f"/plan/onderdeel/{holidays.pk}/terugzetten/", {"revision": 2})
    assert unconfirmed.status_code == 200 and "Ja, zet versie 2 terug" in unconfirmed.content.decode()
    assert SectionRevision.objects.filter(section=holidays).count() == 3

    response = client.post(f"/plan/onderdeel/{holidays.pk}/terugzetten/", {"revision": 2, "confirm": "1"})
    assert response.status_code == 302
    assert response["Location"] == f"/gezin/{plan.family_id}/plan/#section-{holidays.pk}"
    head = SectionRevision.objects.filter(section=holidays).order_by("-number").first()
    assert (head.number, head.restored_from) == (4, 2)
    page = client.get(f"/plan/onderdeel/{holidays.pk}/geschiedenis/").content.decode()
    assert "teruggezet van versie 2" in page


def test_restoring_a_revision_that_does_not_exist_is_not_found(plan, alice, holidays, client_for):
    with pytest.raises(NotFound):
        services.section_restore(user=alice, section_id=holidays.pk, revision=9)
    client = client_for(alice)
    assert client.get(f"/plan/onderdeel/{holidays.pk}/terugzetten/?revision=9").status_code == 404
    assert client.post(f"/plan/onderdeel/{holidays.pk}/terugzetten/",
                       {"revision": 9, "confirm": "1"}).status_code == 404
    assert SectionRevision.objects.filter(section=holidays).count() == 3


def test_a_practitioner_cannot_restore_a_revision(plan, carol, holidays, client_for):
    with pytest.raises(PermissionDenied):
        services.section_restore(user=carol, section_id=holidays.pk, revision=1)
    for response in (
        client_for(carol).get(f"/plan/onderdeel/{holidays.pk}/terugzetten/?revision=1"),
        client_for(carol).post(f"/plan/onderdeel/{holidays.pk}/terugzetten/",
                               {"revision": 1, "confirm": "1"}),
    ):
        assert response.status_code == 403
        assert "Dit mag je in deze rol niet doen." in response.content.decode()
    assert SectionRevision.objects.filter(section=holidays).count() == 3


def test_restoring_an_agreed_section_warns_first_that_the_agreement_goes(
    plan, alice, bob, holidays, client_for
):
    agree(alice, holidays)
    agree(bob, holidays)
    client = client_for(bob)
    confirm = client.get(f"/plan/onderdeel/{holidays.pk}/terugzetten/?revision=1").content.decode()
    warning = confirm.split("data-restore-warning>", 1)[1].split("</div>", 1)[0]
    assert "Let op: dit maakt een afspraak ongedaan." in warning
    assert ("Alice Ouder en Bob Ouder gingen akkoord met de huidige versie 3. Na het terugzetten is dat "
            "akkoord vervallen: het onderdeel staat weer op ‘voorgesteld’") in warning
    # What would change, word by word, before anything is done.
    assert "<del>om</del><ins>bij</ins>" in confirm
    assert SectionRevision.objects.filter(section=holidays).count() == 3

    response = client.post(f"/plan/onderdeel/{holidays.pk}/terugzetten/", {"revision": 1, "confirm": "1"},
                           follow=True)
    page = response.content.decode()
    assert "Versie 1 is teruggezet als versie 4. Het akkoord op dit onderdeel is daarmee vervallen" in page
    holidays.refresh_from_db()
    assert holidays.status == Section.Status.PROPOSED

    entry = AuditEntry.objects.get(action=actions.PLAN_SECTION_RESTORED)
    assert (entry.actor_id, entry.family_id) == (bob.pk, plan.family_id)
    assert entry.details == {"section": holidays.pk, "restored_from": 1, "replaced_revision": 3,
                             "revision": 4, "status_before": "agreed", "status_after": "proposed"}

    history = client.get(f"/plan/onderdeel/{holidays.pk}/geschiedenis/").content.decode()
    fourth = history.split('id="revision-4"', 1)[1].split("</li>", 1)[0]
    assert "teruggezet van versie 1" in fourth
    assert "Door dit terugzetten verviel het akkoord van Alice Ouder en Bob Ouder op versie 3." in fourth
    third = history.split('id="revision-3"', 1)[1].split('id="revision-2"', 1)[0]
    assert "Alice Ouder ging akkoord" in third and "Bob Ouder ging akkoord" in third


def test_restoring_a_section_nobody_agreed_to_needs_no_warning(plan, alice, holidays, client_for):
    confirm = client_for(alice).get(f"/plan/onderdeel/{holidays.pk}/terugzetten/?revision=1").content.decode()
    assert "data-restore-warning" not in confirm
    assert "Na het terugzetten staat het onderdeel op ‘voorgesteld’" in confirm
    services.section_restore(user=alice, section_id=holidays.pk, revision=1)
    history = client_for(alice).get(f"/plan/onderdeel/{holidays.pk}/geschiedenis/").content.decode()
    assert "verviel het akkoord" not in history


def test_the_history_shows_every_opinion_with_its_reason(plan, alice, bob, holidays, client_for):
    agree(alice, holidays)
    agree(bob, holidays, agrees=False, reason="Kerst wil ik dit jaar <b>zelf</b>.")
    agree(bob, holidays)  # changed his mind: both opinions stay in the history
    page = client_for(alice).get(f"/plan/onderdeel/{holidays.pk}/geschiedenis/").content.decode()
    third = page.split('id="revision-3"', 1)[1].split('id="revision-2"', 1)[0]
    opinions = re.findall(r'<li class="opinion[^"]*">(.*?)</li>', third, re.S)
    assert [re.sub(r" · \d{1,2} \w+ \d{4}, \d{2}:\d{2}", "", o).strip() for o in opinions] == [
        "Alice Ouder ging akkoord",
        "Bob Ouder was het er niet mee eens: <q>Kerst wil ik dit jaar &lt;b&gt;zelf&lt;/b&gt;.</q>",
        "Bob Ouder ging akkoord",
    ]
