"""Reports (issue 12, item 5): a draft prefilled from the records, hidden from parents until it is
shared; sharing freezes it (a hash anyone can recompute from docs/VERIFYING.md, a row the database
refuses to change); parents get a mail without content, the PDF and a response of their own that
is kept with the report; the practitioner's home lists the reports still to write."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, timedelta

import pytest
from django.core import mail
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.urls import reverse
from django.utils import timezone

from accounts.personal_data import personal_data_collect
from audit import actions
from audit.models import AuditEntry
from core.errors import Conflict, Invalid, PermissionDenied
from parentingplan import services as plan_services
from tests.parentingplan.conftest import approve, fill_and_agree, save, section_of
from tests.pdf import read_pdf, squeezed
from tests.trajectories.conftest import individual_talk_of, start, talks_of, without_quiet_hours
from trajectories import goals, reports, reports_due, services
from trajectories.models import Report, ReportResponse, ReportShare, Trajectory

ADVICE = "Blijf de overdracht op school doen; over een half jaar een evaluatiegesprek."


@pytest.fixture
def trajectory(people, family):
    """Mediation phase 1, half a year under way: its talks up to the evaluation lie in the past."""
    return start(
        people["carol"], family, "mediation_1", started_on=timezone.localdate() - timedelta(weeks=26)
    )


@pytest.fixture
def records(trajectory, people, family, children):
    """A goal with its result, a joint talk and Alice's own talk held, a plan version both parents
    agreed (and a change after it that nobody agreed to yet), and Noor's words on the plan."""
    alice, bob, carol = people["alice"], people["bob"], people["carol"]
    goal = goals.goal_add(
        actor=carol,
        family_id=family.pk,
        trajectory_id=trajectory.pk,
        text="We maken samen een vakantieregeling.",
    )
    goals.goal_update(
        actor=carol,
        family_id=family.pk,
        goal_id=goal.pk,
        status="reached",
        note="Vakantieregeling staat in het plan.",
    )
    joint = talks_of(trajectory, kind="joint")[0]
    services.talk_hold(actor=carol, family_id=family.pk, talk_id=joint.pk)
    own = individual_talk_of(trajectory, alice)
    services.talk_hold(actor=carol, family_id=family.pk, talk_id=own.pk)
    plan = plan_services.plan_ensure(family=family)
    save(alice, section_of(plan, "care"), "<p>Om de week van vrijdag tot maandag bij papa.</p>")
    plan_services.child_wish_add(
        user=carol,
        plan_id=plan.pk,
        child_id=children[0].pk,
        heard_on=date(2026, 3, 4),
        how="kindgesprek",
        said="Ik wil mijn fiets bij beide huizen.",
    )
    fill_and_agree(plan, alice, [alice, bob])
    approve(alice, plan)
    approve(bob, plan)
    save(bob, section_of(plan, "care"), "<p>Nog niet afgesproken: elke week bij papa.</p>")
    return {"joint": joint, "own": own, "plan": plan}


def _draft(actor, family, trajectory, reason="trajectory_end", phase=""):
    return reports.report_start(
        actor=actor, family_id=family.pk, trajectory_id=trajectory.pk, reason=reason, phase=phase
    )


def _save(actor, family, report, **texts):
    report.refresh_from_db()
    fields = {key: getattr(report, key) for key in reports.SECTIONS}
    fields.update(texts)
    return reports.report_save(
        actor=actor,
        family_id=family.pk,
        report_id=report.pk,
        seen_version=report.version,
        reason=report.reason,
        phase=report.phase,
        **fields,
    )


def _share(actor, family, report):
    report.refresh_from_db()
    return reports.report_share(
        actor=actor, family_id=family.pk, report_id=report.pk, seen_version=report.version
    )


def _respond(user, family, report, body):
    return reports.report_respond(actor=user, family_id=family.pk, report_id=report.pk, body=body)


@pytest.fixture
def shared(records, trajectory, people, family, django_capture_on_commit_callbacks):
    report = _draft(people["carol"], family, trajectory)
    _save(people["carol"], family, report, advice=ADVICE)
    with django_capture_on_commit_callbacks(execute=True):
        share = _share(people["carol"], family, report)
    return share


# -- the prefill ---------------------------------------------------------------------------------------


def test_a_draft_is_prefilled_with_the_goals_the_talks_held_the_frozen_plan_and_the_childrens_words(
    records, trajectory, people, family
):
    report = _draft(people["pim"], family, trajectory)
    assert "1. We maken samen een vakantieregeling." in report.goals
    assert "Resultaat: bereikt" in report.goals and "Vakantieregeling staat in het plan." in report.goals
    joint = records["joint"]
    assert joint.title in report.talks and "Alice Ouder" in report.talks and "Bob Ouder" in report.talks
    # The agreements are those of the version both parents approved, not the change after it.
    assert "vastgelegde versie 1" in report.agreements
    assert "Om de week van vrijdag tot maandag bij papa." in report.agreements
    assert "elke week bij papa" not in report.agreements
    assert report.plan_version == 1 and len(report.plan_hash) == 64
    assert "Noor" in report.children and "Ik wil mijn fiets bij beide huizen." in report.children
    assert report.advice == ""
    assert (report.created_by, report.reason) == (people["pim"], "trajectory_end")


def test_the_prefill_counts_a_parents_own_talk_without_naming_or_dating_it(
    records, trajectory, people, family
):
    report = _draft(people["carol"], family, trajectory)
    own = records["own"]
    assert "Daarnaast 1 gesprek met één ouder apart." in report.talks
    assert own.title not in report.talks


def test_without_a_frozen_plan_or_childrens_words_those_parts_start_empty(trajectory, people, family):
    report = _draft(people["carol"], family, trajectory)
    assert (report.agreements, report.children, report.plan_version) == ("", "", None)


def test_a_phase_report_names_a_phase_of_the_type(trajectory, people, family):
    with pytest.raises(Invalid, match="fase"):
        _draft(people["carol"], family, trajectory, reason="phase_end", phase="nonsense")
    with pytest.raises(Invalid, match="aanleiding"):
        _draft(people["carol"], family, trajectory, reason="whim")
    report = _draft(people["carol"], family, trajectory, reason="phase_end", phase="evaluation")
    assert report.phase == "evaluation"
    assert _draft(people["carol"], family, trajectory, reason="legal", phase="evaluation").phase == ""


# -- drafts are the practitioners' ---------------------------------------------------------------------


def test_a_draft_is_never_shown_to_parents_or_relatives_and_does_not_exist_for_outsiders(
    records, trajectory, people, family, client_for, charlie
):
    report = _draft(people["carol"], family, trajectory)
    _save(people["carol"], family, report, advice="Geheim concept-advies")
    family_page = reverse("trajectories:family", args=[family.pk])
    for parent in (people["alice"], people["bob"]):
        page = client_for(parent).get(family_page).content.decode()
        assert (
            "Geheim concept-advies" not in page
            and reverse("trajectories:report_edit", args=[family.pk, report.pk]) not in page
        )
    practitioner_page = client_for(people["pim"]).get(family_page).content.decode()
    assert reverse("trajectories:report_edit", args=[family.pk, report.pk]) in practitioner_page
    urls = [
        reverse(name, args=[family.pk, report.pk])
        for name in ("trajectories:report", "trajectories:report_edit", "trajectories:report_pdf")
    ]
    for url in urls:
        for who, status in (
            (people["alice"], 403),
            (people["bob"], 403),
            (people["rita"], 403),
            (charlie, 404),
        ):
            response = client_for(who).get(url)
            assert response.status_code == status, (url, who)
            assert "Geheim concept-advies" not in response.content.decode(errors="replace")
    respond = reverse("trajectories:report_respond", args=[family.pk, report.pk])
    assert client_for(people["alice"]).post(respond, {"body": "Hallo"}).status_code == 403
    assert client_for(charlie).post(respond, {"body": "Hallo"}).status_code == 404
    # Nor can anyone but a practitioner save or share it.
    edit = reverse("trajectories:report_edit", args=[family.pk, report.pk])
    assert client_for(people["alice"]).post(edit, {"advice": "x"}).status_code == 403
    share = reverse("trajectories:report_share", args=[family.pk, report.pk])
    assert client_for(people["bob"]).post(share, {"version": 2, "checked": "on"}).status_code == 403
    assert not ReportShare.objects.exists() and not ReportResponse.objects.exists()
    # Each refused attempt is in the family's access log; the outsider's is not linked to it.
    denied = AuditEntry.objects.filter(action=actions.ACCESS_DENIED)
    assert denied.filter(actor=people["alice"], family=family).exists()
    assert denied.filter(actor=charlie).exists() and not denied.filter(actor=charlie, family=family).exists()
    # A report id of this family asked through another family's address is not there.
    other = reverse("trajectories:report", args=[charlie.memberships.get().family_id, report.pk])
    assert client_for(charlie).get(other).status_code == 404
    assert personal_data_collect(user=people["alice"]).get("reports") is None


def test_a_parent_cannot_start_a_report(trajectory, people, family, client_for):
    url = reverse("trajectories:report_new", args=[family.pk, trajectory.pk])
    assert client_for(people["alice"]).post(url, {"reason": "other"}).status_code == 403
    assert client_for(people["rita"]).get(url).status_code == 403
    with pytest.raises(PermissionDenied):
        _draft(people["alice"], family, trajectory)
    assert not Report.objects.exists()


def test_the_practitioner_writes_the_draft_on_the_pages(records, trajectory, people, family, client_for):
    client = client_for(people["carol"])
    url = reverse("trajectories:report_new", args=[family.pk, trajectory.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "legal"})
    report = Report.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/rapport/{report.pk}/bewerken/")
    page = client.get(response["Location"]).content.decode()
    assert "We maken samen een vakantieregeling." in page and "Alleen de begeleiders" in page
    data = {key: getattr(report, key) for key in reports.SECTIONS}
    data.update(reason="legal", phase="", advice=ADVICE, version=report.version)
    assert client.post(response["Location"], data).status_code == 302
    report.refresh_from_db()
    assert report.advice == ADVICE and report.version == 2


def test_two_practitioners_do_not_overwrite_each_other(trajectory, people, family):
    report = _draft(people["carol"], family, trajectory)
    seen = report.version
    _save(people["pim"], family, report, advice="Pims advies")
    with pytest.raises(Conflict, match="collega"):
        reports.report_save(
            actor=people["carol"],
            family_id=family.pk,
            report_id=report.pk,
            seen_version=seen,
            reason="trajectory_end",
            advice="Carols advies",
        )
    with pytest.raises(Conflict, match="veranderd"):
        reports.report_share(
            actor=people["carol"], family_id=family.pk, report_id=report.pk, seen_version=seen
        )
    report.refresh_from_db()
    assert report.advice == "Pims advies" and not ReportShare.objects.exists()


def test_an_empty_report_is_not_shared(trajectory, people, family):
    report = _draft(people["carol"], family, trajectory)
    with pytest.raises(Invalid, match="leeg"):
        _share(people["carol"], family, report)


# -- sharing freezes it --------------------------------------------------------------------------------


def _documented_hash(
    *, report_id, family, trajectory, texts, written_by, shared_by, shared_at, plan_version, plan_hash
) -> str:
    """docs/VERIFYING.md, "Reports", restated: SHA-256 of the canonical JSON of these fields."""
    fields = {
        "type": "report",
        "report": report_id,
        "family": family.reference,
        "trajectory": trajectory.pk,
        "trajectory_type": trajectory.type_key,
        "reason": "trajectory_end",
        "phase": "",
        "written_by": written_by,
        "shared_by": shared_by,
        "shared_at": shared_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.")
        + f"{shared_at.microsecond // 1000:03d}Z",
        "plan_version": plan_version,
        "plan_hash": plan_hash,
        **texts,
    }
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def test_sharing_freezes_the_report_and_its_hash_verifies_from_the_documented_form(
    records, trajectory, people, family
):
    carol, pim = people["carol"], people["pim"]
    report = _draft(pim, family, trajectory)
    _save(carol, family, report, advice=ADVICE, children="Noor wil haar fiets bij beide huizen.")
    report.refresh_from_db()
    texts = {key: getattr(report, key) for key in reports.SECTIONS}
    share = _share(carol, family, report)
    expected = _documented_hash(
        report_id=report.pk,
        family=family,
        trajectory=trajectory,
        texts=texts,
        written_by="Pim Professional",
        shared_by="Carol Coördinator",
        shared_at=share.shared_at,
        plan_version=1,
        plan_hash=report.plan_hash,
    )
    assert share.content_hash == expected
    assert hashlib.sha256(share.content.encode()).hexdigest() == expected
    # The draft's texts are gone: the shared row is the only copy.
    report.refresh_from_db()
    assert all(getattr(report, key) == "" for key in reports.SECTIONS)
    assert reports.shared_report(share).fields["advice"] == ADVICE
    entry = AuditEntry.objects.get(action=actions.REPORT_SHARED)
    assert (entry.actor, entry.family, entry.details["content_hash"]) == (carol, family, expected)


def test_an_edit_after_sharing_is_refused_with_a_clear_message(shared, people, family, client_for):
    report = shared.report
    with pytest.raises(Conflict, match="al gedeeld") as refused:
        reports.report_save(
            actor=people["carol"],
            family_id=family.pk,
            report_id=report.pk,
            seen_version=Report.objects.get(pk=report.pk).version,
            reason="other",
            advice="Later bedacht",
        )
    assert refused.value.code == "report_shared"
    with pytest.raises(Conflict, match="al gedeeld"):
        _share(people["carol"], family, report)
    client = client_for(people["carol"])
    edit = reverse("trajectories:report_edit", args=[family.pk, report.pk])
    response = client.post(edit, {"reason": "other", "advice": "Later bedacht", "version": 3}, follow=True)
    page = response.content.decode()
    assert "al gedeeld met de ouders en kan niet meer worden gewijzigd" in page
    assert "Later bedacht" not in page
    assert response.redirect_chain[-1][0] == reverse("trajectories:report", args=[family.pk, report.pk])
    assert ReportShare.objects.count() == 1
    assert reports.shared_report(ReportShare.objects.get()).fields["advice"] == ADVICE


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE trajectories_reportshare SET content_hash = repeat('0', 64) WHERE id = %s",
        "UPDATE trajectories_reportshare SET shared_at = now() - interval '1 day' WHERE id = %s",
        "DELETE FROM trajectories_reportshare WHERE id = %s",
        "UPDATE trajectories_reportresponse SET at = now() WHERE share_id = %s",
        "UPDATE trajectories_reportresponse SET user_id = user_id, by_name = 'Iemand' WHERE share_id = %s",
        "DELETE FROM trajectories_reportresponse WHERE share_id = %s",
    ],
)
def test_the_database_refuses_to_change_or_delete_a_shared_report_or_a_response(
    shared, people, family, statement
):
    _respond(people["alice"], family, shared.report, "Ik zie het anders.")
    before = reports.shared_report(ReportShare.objects.get(pk=shared.pk))
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement, [shared.pk])
    after = reports.shared_report(ReportShare.objects.get(pk=shared.pk))
    assert (after.share.content_hash, after.verified, after.fields) == (
        before.share.content_hash,
        True,
        before.fields,
    )
    assert [(r.body, r.at) for r in after.responses] == [(r.body, r.at) for r in before.responses]


# -- the parents ---------------------------------------------------------------------------------------


def test_the_parents_get_an_email_without_content(
    records, trajectory, people, family, django_capture_on_commit_callbacks
):
    without_quiet_hours(people["alice"], people["bob"])
    report = _draft(people["carol"], family, trajectory)
    _save(people["carol"], family, report, advice=ADVICE)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _share(people["carol"], family, report)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([people["alice"].email, people["bob"].email])
    for message in mail.outbox:
        text = message.subject + message.body
        assert "rapport" in text
        for secret in (ADVICE, "vakantieregeling", "Noor", family.display_name, family.reference, "einde"):
            assert secret not in text
        assert reverse("trajectories:family", args=[family.pk]) in message.body


def test_parents_see_the_shared_report_on_ons_traject_and_relatives_do_not(
    shared, people, family, client_for
):
    report = shared.report
    page = client_for(people["bob"]).get(reverse("trajectories:family", args=[family.pk])).content.decode()
    assert reverse("trajectories:report", args=[family.pk, report.pk]) in page
    assert reverse("trajectories:report_pdf", args=[family.pk, report.pk]) in page
    report_page = client_for(people["bob"]).get(reverse("trajectories:report", args=[family.pk, report.pk]))
    text = report_page.content.decode()
    assert report_page.status_code == 200 and ADVICE in text and shared.content_hash in text
    assert "als een rechter het rapport leest, leest die beide reacties" in text
    for url in (
        reverse("trajectories:report", args=[family.pk, report.pk]),
        reverse("trajectories:report_pdf", args=[family.pk, report.pk]),
    ):
        assert client_for(people["rita"]).get(url).status_code == 403
    assert (
        client_for(people["rita"])
        .post(
            reverse("trajectories:report_respond", args=[family.pk, report.pk]), {"body": "Oma vindt ook wat"}
        )
        .status_code
        == 403
    )
    assert not ReportResponse.objects.exists()


def test_a_parents_response_is_kept_with_the_report_and_both_parents_and_the_practitioner_see_it(
    shared, people, family, client_for
):
    alice, bob, carol = people["alice"], people["bob"], people["carol"]
    url = reverse("trajectories:report_respond", args=[family.pk, shared.report_id])
    response = client_for(alice).post(url, {"body": "Ik herken me niet in de afspraken over de zomer."})
    assert response.status_code == 302
    _respond(bob, family, shared.report, "Ik ben het eens met het advies.")
    rows = list(ReportResponse.objects.order_by("seq"))
    assert [(r.seq, r.user, r.by_name) for r in rows] == [(1, alice, "Alice Ouder"), (2, bob, "Bob Ouder")]
    assert all(r.at is not None for r in rows)
    assert reports.shared_report(shared).responses_verified
    family_page = client_for(carol).get(reverse("trajectories:family", args=[family.pk])).content.decode()
    assert "2 reacties" in family_page
    page_url = reverse("trajectories:report", args=[family.pk, shared.report_id])
    for who in (alice, bob, carol):
        page = client_for(who).get(page_url).content.decode()
        assert "Ik herken me niet in de afspraken over de zomer." in page
        assert "Ik ben het eens met het advies." in page
    entries = AuditEntry.objects.filter(action=actions.REPORT_RESPONDED).order_by("pk")
    assert [(e.actor, e.family) for e in entries] == [(alice, family), (bob, family)]
    assert all("zomer" not in json.dumps(e.details) for e in entries)
    # A practitioner does not respond in a parent's place; nobody names another author.
    with pytest.raises(PermissionDenied):
        _respond(carol, family, shared.report, "Namens Alice")
    client_for(bob).post(url, {"body": "Van Bob", "user": alice.pk, "user_id": alice.pk})
    assert [r.user for r in ReportResponse.objects.all() if r.body == "Van Bob"] == [bob]


def test_responses_are_limited_and_an_empty_one_is_refused(shared, people, family, client_for):
    alice = people["alice"]
    url = reverse("trajectories:report_respond", args=[family.pk, shared.report_id])
    response = client_for(alice).post(url, {"body": "   "})
    assert response.status_code == 400 and not ReportResponse.objects.exists()
    for n in range(reports.RESPONSES_PER_PARENT):
        _respond(alice, family, shared.report, f"Reactie {n}")
    with pytest.raises(Invalid, match="hooguit"):
        _respond(alice, family, shared.report, "Nog een")
    assert ReportResponse.objects.filter(user=alice).count() == reports.RESPONSES_PER_PARENT
    _respond(people["bob"], family, shared.report, "Bob mag nog")


def test_the_pdf_has_the_report_text_hash_sharing_time_author_and_both_responses(
    shared, people, family, client_for
):
    alice, bob = people["alice"], people["bob"]
    _respond(alice, family, shared.report, "Reactie van Alice over de zomer.")
    _respond(bob, family, shared.report, "Reactie van Bob over school.")
    url = reverse("trajectories:report_pdf", args=[family.pk, shared.report_id])
    texts = []
    for who in (alice, bob, people["carol"]):
        response = client_for(who).get(url)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        texts.append(squeezed("\n".join(page.text for page in read_pdf(response.content))))
    for text in texts:  # both parents (and the practitioner) get both responses
        assert (
            squeezed("Reactie van Alice over de zomer.") in text
            and squeezed("Reactie van Bob over school.") in text
        )
    text = texts[0]
    assert squeezed(ADVICE) in text
    assert squeezed("We maken samen een vakantieregeling.") in text
    assert squeezed("Om de week van vrijdag tot maandag bij papa.") in text
    assert shared.content_hash in text
    assert "docs/" not in text and "VERIFYING" not in text  # for a reader without the repository
    assert squeezed("Elk programma dat SHA-256 berekent") in text
    assert squeezed("Geschreven door Carol Coördinator.") in text
    local = timezone.localtime(shared.shared_at)
    assert squeezed(f"Gedeeld met de ouders door Carol Coördinator op {local.day}") in text
    assert f"{local:%H:%M}" in text
    assert squeezed("Bijlage: reacties van de ouders") in text
    assert (
        squeezed("Reactie van Alice over de zomer.") in text
        and squeezed("Reactie van Bob over school.") in text
    )
    assert text.index(squeezed("Bijlage")) < text.index(squeezed("Reactie van Alice over de zomer."))
    assert squeezed("klopt, dus de tekst is niet veranderd") in text
    assert (
        not AuditEntry.objects.filter(action__startswith="trajectories:report:")
        .exclude(action__in=[actions.REPORT_SHARED, actions.REPORT_RESPONDED])
        .exists()
    )


def test_reports_and_responses_are_in_the_parents_avg_download(shared, people, family):
    _respond(people["bob"], family, shared.report, "Bobs reactie")
    draft = _draft(people["carol"], family, shared.trajectory, reason="other")
    _save(people["carol"], family, draft, advice="Nog een concept")
    mine = personal_data_collect(user=people["alice"])["reports"]
    assert len(mine) == 1
    assert mine[0]["content_hash"] == shared.content_hash and mine[0]["content"]["advice"] == ADVICE
    assert [(r["by"], r["mine"]) for r in mine[0]["responses"]] == [("Bob Ouder", False)]
    bobs = personal_data_collect(user=people["bob"])["reports"]
    assert bobs[0]["responses"][0]["body"] == "Bobs reactie" and bobs[0]["responses"][0]["mine"]
    assert "Nog een concept" not in json.dumps(personal_data_collect(user=people["alice"]), default=str)
    assert personal_data_collect(user=people["rita"]).get("reports") is None


# -- the practitioner's home ---------------------------------------------------------------------------


def _home(client_for, user) -> str:
    return client_for(user).get(reverse("families:home")).content.decode()


def test_the_home_shows_an_ended_trajectory_without_a_shared_report_until_one_is_shared(
    trajectory, people, family, client_for
):
    carol = people["carol"]
    assert "Rapporten om te schrijven" not in _home(client_for, carol)
    services.trajectory_end(
        actor=carol, family_id=family.pk, trajectory_id=trajectory.pk, outcome="completed"
    )
    home = _home(client_for, carol)
    assert "Rapporten om te schrijven" in home
    assert reverse("trajectories:report_new", args=[family.pk, trajectory.pk]) in home
    assert "Rapporten om te schrijven" in _home(client_for, people["pim"])
    assert "Rapporten om te schrijven" not in _home(client_for, people["alice"])
    report = _draft(carol, family, Trajectory.objects.get(pk=trajectory.pk))
    _save(carol, family, report, advice=ADVICE)
    assert "Rapporten om te schrijven" in _home(client_for, carol)  # a draft is not a report yet
    _share(carol, family, report)
    assert "Rapporten om te schrijven" not in _home(client_for, carol)


def test_the_home_shows_a_phase_that_ended_until_its_report_is_shared(trajectory, people, family, client_for):
    carol = people["carol"]
    evaluation = talks_of(trajectory, kind="evaluation")[0]
    assert evaluation.starts_at < timezone.now()
    assert not reports_due.reports_to_write(user=carol)
    services.talk_hold(actor=carol, family_id=family.pk, talk_id=evaluation.pk)
    [item] = reports_due.reports_to_write(user=carol)
    assert (item.trajectory, item.phase) == (trajectory, "evaluation")
    home = _home(client_for, carol)
    assert "Evaluatie en verslag" in home and "?fase=evaluation" in home
    report = _draft(carol, family, trajectory, reason="phase_end", phase="evaluation")
    _save(carol, family, report, advice=ADVICE)
    _share(carol, family, report)
    assert reports_due.reports_to_write(user=carol) == []
    # The phase's report also stands for the trajectory's end.
    services.trajectory_end(
        actor=carol, family_id=family.pk, trajectory_id=trajectory.pk, outcome="completed"
    )
    assert reports_due.reports_to_write(user=carol) == []


def test_the_report_pages_in_english(shared, people, family, client_for):
    alice = people["alice"]
    alice.language = "en"
    alice.save(update_fields=["language"])
    page = client_for(alice).get(reverse("trajectories:report", args=[family.pk, shared.report_id]))
    text = page.content.decode()
    assert "Goals and results" in text and "Download as PDF" in text
    assert "a judge who reads the report reads both responses" in text
    pdf = client_for(alice).get(
        reverse("trajectories:report_pdf", args=[family.pk, shared.report_id]) + "?lang=en"
    )
    words = squeezed("\n".join(p.text for p in read_pdf(pdf.content)))
    assert squeezed("Appendix: the parents' responses") in words and squeezed("Written by Carol") in words


def test_a_parent_in_quiet_hours_gets_the_mail_when_they_end_and_only_once(
    records, trajectory, people, family, django_capture_on_commit_callbacks
):
    from trajectories import reminders
    from trajectories.models import ReportNotice

    bob = people["bob"]
    without_quiet_hours(people["alice"])
    now = timezone.now()
    start = (timezone.localtime(now) - timedelta(hours=1)).time().replace(second=0, microsecond=0)
    end = (timezone.localtime(now) + timedelta(hours=2)).time().replace(second=0, microsecond=0)
    bob.quiet_hours_start, bob.quiet_hours_end = start, end
    bob.save(update_fields=["quiet_hours_start", "quiet_hours_end"])
    report = _draft(people["carol"], family, trajectory)
    _save(people["carol"], family, report, advice=ADVICE)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        share = _share(people["carol"], family, report)
    assert [m.to for m in mail.outbox] == [[people["alice"].email]]
    waiting = ReportNotice.objects.get(share=share, user=bob)
    assert waiting.done_at is None and waiting.due_at > now
    # The reminder worker sends it once the quiet hours are over, and never again.
    later = waiting.due_at + timedelta(minutes=1)
    assert reminders.send_due(now=later) == 1
    assert reminders.send_due(now=later + timedelta(hours=1)) == 0
    assert [m.to for m in mail.outbox] == [[people["alice"].email], [bob.email]]


def test_sharing_on_the_page_asks_to_confirm_the_report_was_read(
    records, trajectory, people, family, client_for
):
    report = _draft(people["carol"], family, trajectory)
    _save(people["carol"], family, report, advice=ADVICE)
    report.refresh_from_db()
    client = client_for(people["carol"])
    url = reverse("trajectories:report_share", args=[family.pk, report.pk])
    response = client.post(url, {"version": report.version}, follow=True)
    assert "Vink aan dat je het rapport hebt nagelezen" in response.content.decode()
    assert not ReportShare.objects.exists()
    response = client.post(url, {"version": report.version, "checked": "on"})
    assert response.status_code == 302 and response["Location"].endswith(f"/rapport/{report.pk}/")
    assert ReportShare.objects.get().shared_by == people["carol"]


def test_a_colleagues_save_in_between_keeps_your_text_on_the_page(trajectory, people, family, client_for):
    report = _draft(people["carol"], family, trajectory)
    seen = report.version
    _save(people["pim"], family, report, advice="Pims advies")
    url = reverse("trajectories:report_edit", args=[family.pk, report.pk])
    data = {"reason": "trajectory_end", "phase": "", "advice": "Carols eigen advies", "version": seen}
    response = client_for(people["carol"]).post(url, data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "Een collega heeft dit concept intussen bewaard" in page and "Carols eigen advies" in page
    report.refresh_from_db()
    assert report.advice == "Pims advies"


def test_rotate_keys_re_encrypts_a_shared_report_and_its_responses_and_both_still_verify(
    shared, people, family, settings
):
    from io import StringIO

    from cryptography.fernet import Fernet
    from django.core.management import call_command

    _respond(people["alice"], family, shared.report, "Ik zie het anders.")
    new_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new_key, *settings.FIELD_ENCRYPTION_KEYS]
    call_command("rotate_keys", stdout=StringIO())
    with connection.cursor() as cursor:
        cursor.execute("SELECT content FROM trajectories_reportshare WHERE id = %s", [shared.pk])
        assert ADVICE in Fernet(new_key).decrypt(cursor.fetchone()[0].encode()).decode()
    again = reports.shared_report(ReportShare.objects.get(pk=shared.pk))
    assert again.verified and again.responses_verified and again.fields["advice"] == ADVICE


def test_verify_reports_recomputes_every_hash_and_names_a_changed_report(shared, people, family):
    from io import StringIO

    from django.core.management import CommandError, call_command

    from vault import keyring

    _respond(people["alice"], family, shared.report, "Ik zie het anders.")
    out = StringIO()
    call_command("verify_reports", stdout=out)
    assert f"report {shared.report_id}: ok, 1 responses" in out.getvalue()
    # Only the ciphertext may change in the database (re-encryption): a new text under a valid key
    # gets through the trigger, and the hash shows it.
    changed = json.loads(shared.content) | {"advice": "Een ander advies"}
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE trajectories_reportshare SET content = %s WHERE id = %s",
            [keyring.encrypt(json.dumps(changed)), shared.pk],
        )
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("verify_reports", stdout=out)
    assert f"report {shared.report_id}: BROKEN: the hash does not match the content" in out.getvalue()
