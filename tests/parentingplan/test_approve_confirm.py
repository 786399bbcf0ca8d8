"""Approving the whole plan, as parents meet it: a page that says what approving means and asks to
confirm (no JavaScript needed), an approval of exactly what that page showed, an honest message
afterwards, and the other parent told: on the plan page, on the family page and by e-mail."""

from __future__ import annotations

import re
from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from audit import actions
from audit.models import AuditEntry
from core.errors import Conflict
from parentingplan import notices, services
from parentingplan.models import PlanApproval, PlanVersion
from parentingplan.services import plan_group
from tests.parentingplan.conftest import approve, fill_and_agree, save, section_of

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def agreed(plan, alice, bob):
    """Every section agreed by both parents; nobody has approved yet. No quiet hours, so that the
    e-mail notices do not depend on the time the test runs."""
    for user in (alice, bob):
        user.quiet_hours_start = user.quiet_hours_end = time(0, 0)
        user.save(update_fields=["quiet_hours_start", "quiet_hours_end"])
    fill_and_agree(plan, alice, [alice, bob])
    return plan


def url(plan) -> str:
    return f"/gezin/{plan.family_id}/plan/goedkeuren/"


def confirm_form(page: str) -> dict:
    """The hidden fields of the confirmation form, as a browser would post them."""
    form = page.split('action="/gezin/', 1)[1].split("</form>", 1)[0]
    fields = dict(re.findall(r'<input type="hidden" name="(version|revisions)" value="([^"]*)">', form))
    assert set(fields) == {"version", "revisions"}
    return fields


# -- the confirmation page ---------------------------------------------------------------------


def test_the_confirmation_page_says_what_approving_means_and_what_it_covers(agreed, alice, client_for):
    response = client_for(alice).get(url(agreed))
    page = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Het hele plan goedkeuren</h1>" in page
    assert "Wat goedkeuren betekent" in page
    assert ("Keurt Bob Ouder dezelfde stand ook goed, dan wordt dit versie 1 van jullie ouderschapsplan. "
            "Die versie ligt vast, verandert niet meer en kun je downloaden als PDF") in page
    assert "dan telt jouw goedkeuring niet meer" in page
    assert "Je kunt een goedkeuring niet intrekken." in page
    assert "Wat je goedkeurt: 13 onderdelen" in page and "Kosten van verzorging en opvoeding" in page
    assert "Ja, ik keur versie 1 goed" in page and "Nee, terug naar het plan" in page
    assert "<script" not in page.split("<main", 1)[1].split("</main>", 1)[0]  # no inline script: CSP
    assert not PlanApproval.objects.exists()  # looking is not approving


def test_the_plan_page_links_to_the_confirmation_instead_of_approving_in_one_tap(agreed, alice, client_for):
    page = client_for(alice).get(f"/gezin/{agreed.family_id}/plan/").content.decode()
    assert f'<a class="button primary" id="approve" href="{url(agreed)}">Het hele plan goedkeuren</a>' in page
    assert "Keuren jullie allebei het hele plan goed, dan wordt het vastgelegd als versie 1." in page


def test_confirming_approves_and_the_page_says_who_we_wait_for(agreed, alice, bob, client_for):
    client = client_for(alice)
    fields = confirm_form(client.get(url(agreed)).content.decode())
    response = client.post(url(agreed), fields, follow=True)
    assert response.redirect_chain == [(f"/gezin/{agreed.family_id}/plan/", 302)]
    page = response.content.decode()
    assert "Je hebt versie 1 goedgekeurd. We wachten op Bob Ouder." in page
    assert "in de maak" not in page
    approval = PlanApproval.objects.get()
    assert (approval.user, approval.version) == (alice, 1)
    assert AuditEntry.objects.filter(action=actions.PLAN_APPROVED, actor=alice).count() == 1


def test_the_other_parent_is_told_on_the_plan_page_the_family_page_and_by_email(
    agreed, alice, bob, carol, client_for, django_capture_on_commit_callbacks
):
    client = client_for(alice)
    fields = confirm_form(client.get(url(agreed)).content.decode())
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url(agreed), fields)

    plan_page = client_for(bob).get(f"/gezin/{agreed.family_id}/plan/").content.decode()
    other = plan_page.split("data-approve-other", 1)[1].split("</p>", 1)[0]
    assert not other.startswith(" hidden")
    assert "<span data-other-name>Alice Ouder</span> heeft versie 1 goedgekeurd." in other
    family_page = client_for(bob).get(f"/gezin/{agreed.family_id}/").content.decode()
    assert "Alice Ouder heeft het ouderschapsplan goedgekeurd (versie 1)." in family_page
    # Alice herself is not told she is waited for; the practitioner reads who approved.
    assert "heeft het ouderschapsplan goedgekeurd" not in client_for(alice).get(
        f"/gezin/{agreed.family_id}/").content.decode()
    assert "Versie 1 is goedgekeurd door Alice Ouder." in client_for(carol).get(
        f"/gezin/{agreed.family_id}/plan/").content.decode()

    [notice] = mail.outbox
    assert notice.to == [bob.email]
    assert notice.subject == "Alice Ouder heeft het ouderschapsplan goedgekeurd"
    assert f"/gezin/{agreed.family_id}/plan/" in notice.body and "Hallo Bob," in notice.body
    for content in ("Afspraak over", "Kosten", "Zorgregeling"):  # no word of the plan itself
        assert content not in notice.body


def test_the_second_approval_freezes_the_plan_and_shows_the_version(
    agreed, alice, bob, client_for, django_capture_on_commit_callbacks
):
    for user in (alice, bob):
        client = client_for(user)
        fields = confirm_form(client.get(url(agreed)).content.decode())
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url(agreed), fields, follow=True)
    assert response.redirect_chain == [(f"/gezin/{agreed.family_id}/plan/versie/1/", 302)]
    page = response.content.decode()
    assert "Jullie hebben allebei goedgekeurd. Het plan is vastgelegd als versie 1." in page
    assert PlanVersion.objects.filter(plan=agreed, number=1).exists()
    # Alice, who approved first, hears that it is now fixed; Bob was there.
    assert [(m.to, m.subject) for m in mail.outbox] == [
        ([bob.email], "Alice Ouder heeft het ouderschapsplan goedgekeurd"),
        ([alice.email], "Het ouderschapsplan is vastgelegd"),
    ]


def test_a_change_after_the_page_was_read_approves_nothing(agreed, alice, bob, client_for):
    client = client_for(alice)
    fields = confirm_form(client.get(url(agreed)).content.decode())
    # Meanwhile Bob rewrites a section and both agree again: the plan is complete, but not what
    # Alice read.
    school = section_of(agreed, "school")
    save(bob, school, "<p>Toch een andere school.</p>")
    for parent in (alice, bob):
        services.section_agree(user=parent, section_id=school.pk, revision=2)
    response = client.post(url(agreed), fields)
    assert response.status_code == 400
    assert "Het plan is veranderd sinds je het bekeek." in response.content.decode()
    assert not PlanApproval.objects.exists() and mail.outbox == []
    # The page shows the new state to confirm instead.
    assert "Ja, ik keur versie 1 goed" in response.content.decode()


def test_the_page_says_why_approving_is_not_possible_yet(plan, alice, bob, client_for):
    save(alice, section_of(plan, "costs"), "<p>Ieder de helft.</p>")
    page = client_for(alice).get(url(plan)).content.decode()
    assert ("Je kunt het hele plan pas goedkeuren als jullie allebei met elk onderdeel akkoord zijn "
            "gegaan.") in page
    assert "<li>Kosten van verzorging en opvoeding</li>" in page
    assert "Ja, ik keur" not in page


def test_a_posted_approval_of_an_incomplete_plan_is_refused_with_the_reason(plan, alice, client_for):
    response = client_for(alice).post(url(plan), {"version": 1, "revisions": ""})
    assert response.status_code == 400
    assert "Nog niet alle onderdelen zijn akkoord" in response.content.decode()
    assert not PlanApproval.objects.exists()


@pytest.mark.parametrize("revisions", ["12:x", "a:1", "12"])
def test_a_tampered_confirmation_is_refused(agreed, alice, client_for, revisions):
    response = client_for(alice).post(url(agreed), {"version": 1, "revisions": revisions})
    assert response.status_code == 400
    assert not PlanApproval.objects.exists()


# -- the service --------------------------------------------------------------------------------


def test_approving_the_revisions_shown_works_and_other_revisions_are_a_conflict(agreed, alice):
    shown = services.current_revision_set(agreed)
    stale = {**shown, next(iter(shown)): 99}
    with pytest.raises(Conflict):
        services.plan_approve(user=alice, plan_id=agreed.pk, version=1, revisions=stale)
    assert not PlanApproval.objects.exists()
    frame = services.plan_approve(user=alice, plan_id=agreed.pk, version=1, revisions=shown)
    assert frame["approver"] == {"id": alice.pk, "name": "Alice Ouder"} and frame["frozen"] is None


def test_approving_twice_stores_one_approval_and_tells_the_other_parent_once(
    agreed, alice, sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        approve(alice, agreed)
    with django_capture_on_commit_callbacks(execute=True):
        again = approve(alice, agreed)
    assert again["frozen"] is None
    assert PlanApproval.objects.count() == 1
    assert AuditEntry.objects.filter(action=actions.PLAN_APPROVED).count() == 1
    assert [(g, f["type"]) for g, f in sent] == [(plan_group(agreed.pk, "family"), "plan.approved")]
    assert sent[0][1]["approver"] == {"id": alice.pk, "name": "Alice Ouder"}
    assert len(mail.outbox) == 1


def test_an_approval_that_rolls_back_sends_no_frame_and_no_mail(
    agreed, alice, sent, django_capture_on_commit_callbacks
):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        approve(alice, agreed)
        raise RuntimeError("rolled back")
    assert not PlanApproval.objects.exists()
    assert sent == [] and mail.outbox == []


# -- the e-mail notice --------------------------------------------------------------------------


@pytest.mark.parametrize(("moment", "mails"), [(time(12, 0), 1), (time(23, 30), 0), (time(6, 59), 0)])
def test_no_approval_notice_in_the_recipients_quiet_hours(plan, alice, bob, moment, mails):
    now = datetime.combine(datetime(2026, 11, 23).date(), moment, tzinfo=AMSTERDAM)  # default 22:00-07:00
    sent = notices.approval_notices_send(plan_id=plan.pk, version=1, approver_id=alice.pk,
                                         recipient_ids=[bob.pk], frozen=False, now=now)
    assert sent == mails == len(mail.outbox)


def test_a_refused_mail_does_not_undo_the_approval(
    agreed, alice, monkeypatch, django_capture_on_commit_callbacks
):
    def refuse(**kwargs):
        raise OSError("mail server away")

    monkeypatch.setattr(notices, "send_mail", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        frame = approve(alice, agreed)
    assert frame["type"] == "plan.approved"
    assert PlanApproval.objects.filter(user=alice).exists()


def test_the_notice_is_in_the_recipients_language(agreed, alice, bob):
    bob.language = "en"
    bob.save(update_fields=["language"])
    notices.approval_notices_send(plan_id=agreed.pk, version=1, approver_id=alice.pk,
                                  recipient_ids=[bob.pk], frozen=False)
    [notice] = mail.outbox
    assert notice.subject == "Alice Ouder approved the parenting plan"
    assert "Hello Bob," in notice.body and "Open the plan:" in notice.body
