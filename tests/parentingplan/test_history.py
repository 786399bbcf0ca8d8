from __future__ import annotations

import re

import pytest

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


def test_restoring_through_the_history_page(plan, alice, holidays, client_for):
    client = client_for(alice)
    response = client.post(f"/plan/onderdeel/{holidays.pk}/terugzetten/", {"revision": 2})
    assert response.status_code == 302 and response["Location"] == f"/gezin/{plan.family_id}/plan/"
    head = SectionRevision.objects.filter(section=holidays).order_by("-number").first()
    assert (head.number, head.restored_from) == (4, 2)
    page = client.get(f"/plan/onderdeel/{holidays.pk}/geschiedenis/").content.decode()
    assert "teruggezet van versie 2" in page


def test_restoring_a_revision_that_does_not_exist_is_not_found(plan, alice, holidays, client_for):
    with pytest.raises(NotFound):
        services.section_restore(user=alice, section_id=holidays.pk, revision=9)
    assert (
        client_for(alice).post(f"/plan/onderdeel/{holidays.pk}/terugzetten/", {"revision": 9}).status_code
        == 404
    )
    assert SectionRevision.objects.filter(section=holidays).count() == 3


def test_a_practitioner_cannot_restore_a_revision(plan, carol, holidays, client_for):
    with pytest.raises(PermissionDenied):
        services.section_restore(user=carol, section_id=holidays.pk, revision=1)
    response = client_for(carol).post(
        f"/plan/onderdeel/{holidays.pk}/terugzetten/", {"revision": 1}, follow=True
    )
    assert "Dit mag je in deze rol niet doen." in response.content.decode()
    assert SectionRevision.objects.filter(section=holidays).count() == 3
