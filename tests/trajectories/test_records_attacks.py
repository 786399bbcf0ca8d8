"""The trajectory's record pages (issue 12) as an attacker runs them: the other parent, a relative,
a stranger and a practitioner of the family each try every page and action; ids of another
family are tried through this family's addresses (and the other way round); actions are tried
with GET and pages with POST; and every text a user writes is sent as markup. Each refusal is the
status the rules give (403 for a member whose role may not, 404 for anyone outside and for an id
that is not this family's), and nothing is stored by a refused request."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from families.models import Child, Membership, Role
from tests.factories import UserFactory, confirmed_totp
from tests.trajectories.conftest import start, talks_of
from trajectories import dossier, evaluations, goals, reports
from trajectories.models import (
    AgreementConfirmation,
    CodeOfConductReceipt,
    Consent,
    DossierNote,
    EvaluationInput,
    EvaluationOutcome,
    Goal,
    GoalUpdate,
    Report,
    ReportRead,
    ReportResponse,
    ReportShare,
)
from trajectories.planning import add_months
from trajectories.types import TalkKind

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
MARKUP = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def _records(actor, family, trajectory, *, advice="Blijf overleggen.", draft_advice="Geheim concept"):
    """A goal, the code of conduct, a shared report and a draft in this trajectory."""
    goal = goals.goal_add(actor=actor, family_id=family.pk, trajectory_id=trajectory.pk, text="Doel 1")
    shared = reports.report_start(actor=actor, family_id=family.pk, trajectory_id=trajectory.pk,
                                  reason="other")
    reports.report_save(actor=actor, family_id=family.pk, report_id=shared.pk, seen_version=1,
                        reason="other", advice=advice)
    reports.report_share(actor=actor, family_id=family.pk, report_id=shared.pk, seen_version=2)
    draft = reports.report_start(actor=actor, family_id=family.pk, trajectory_id=trajectory.pk,
                                 reason="legal")
    reports.report_save(actor=actor, family_id=family.pk, report_id=draft.pk, seen_version=1,
                        reason="legal", advice=draft_advice)
    entries = evaluations.schedule(trajectory=trajectory)
    return {
        "trajectory": trajectory,
        "goal": goal,
        "shared": shared,
        "draft": draft,
        "past": entries[0].talk,  # the first evaluation: its day has passed
        "coming": evaluations.next_evaluation(entries, from_day=timezone.localdate()).talk,
        "intake": talks_of(trajectory, kind=TalkKind.INTAKE)[0],
    }


@pytest.fixture
def ours(people, family):
    """Alice and Bob's PAT trajectory, four months under way, with its records."""
    carol = people["carol"]
    goals.code_upload(actor=carol, name="gedragscode.pdf", content=PDF)
    trajectory = start(carol, family, "pat", started_on=add_months(timezone.localdate(), -4))
    return _records(carol, family, trajectory)


@pytest.fixture
def theirs(other_family, charlie):
    """Charlie's family, with its own practitioner Olga, child and PAT trajectory with records."""
    olga = UserFactory(email="olga@example.org", display_name="Olga Ander", may_open_cases=True)
    confirmed_totp(olga)
    Membership.objects.create(user=olga, family=other_family, role=Role.COORDINATOR)
    today = timezone.localdate()
    child = Child.objects.create(family=other_family, first_name="Sem",
                                 birth_date=today.replace(year=today.year - 13))
    trajectory = start(olga, other_family, "pat", started_on=add_months(today, -4))
    found = _records(olga, other_family, trajectory, advice="Hun advies", draft_advice="Hun concept")
    dossier.dossier_note_add(actor=olga, family_id=other_family.pk, body="Hun dossier")
    return {**found, "olga": olga, "child": child}


def _stored():
    """Everything a request could have written in the records."""
    return {
        model.__name__: model.objects.count()
        for model in (Consent, AgreementConfirmation, CodeOfConductReceipt, Goal, GoalUpdate, EvaluationInput,
                      EvaluationOutcome, Report, ReportShare, ReportResponse, DossierNote)
    }


def _url(name, family, found, key=None):
    if name in ("dossier", "code_receipt"):
        return reverse(f"trajectories:{name}", args=[family.pk])
    return reverse(f"trajectories:{name}", args=[family.pk, found[key].pk])


# name, the record it is about, the data posted ("GET" for a page read)
PAGES = {
    "evaluation": ("evaluation", "past", "GET"),
    "evaluation-post": ("evaluation", "past", {"text": "Uitkomst van iemand anders"}),
    "evaluation_input": ("evaluation_input", "coming", {"body": "Inbreng"}),
    "consent": ("consent", "trajectory", {"decision": "given"}),
    "child_consent": ("child_consent", "trajectory", {"child": "0", "decision": "given"}),
    "consent_pdf": ("consent_pdf", "trajectory", "GET"),
    "goal_add": ("goal_add", "trajectory", {"text": "Een doel van iemand anders"}),
    "goal_update": ("goal_update", "goal", {"status": "reached", "note": "Klaar"}),
    "agreement_confirm": ("agreement_confirm", "trajectory", {"seen": ""}),
    "code_receipt": ("code_receipt", None, {"seen": ""}),
    "report_new": ("report_new", "trajectory", {"reason": "other"}),
    "report-shared": ("report", "shared", "GET"),
    "report-draft": ("report", "draft", "GET"),
    "report_edit-draft": ("report_edit", "draft", "GET"),
    "report_edit-shared": ("report_edit", "shared", "GET"),
    "report_edit-post": ("report_edit", "draft", {"reason": "other", "advice": "Overschreven", "version": 2}),
    "report_share": ("report_share", "draft", {"version": 2, "checked": "on"}),
    "report_respond": ("report_respond", "shared", {"body": "Reactie"}),
    "report_pdf-shared": ("report_pdf", "shared", "GET"),
    "report_pdf-draft": ("report_pdf", "draft", "GET"),
    "dossier": ("dossier", None, "GET"),
    "dossier-post": ("dossier", None, {"body": "Aantekening van iemand anders", "trajectory": ""}),
}

# Who gets what: a parent (Bob stands for Alice too), the relative, the stranger, a practitioner.
# "ok" is a 200, or the 302 with which a form sends its author on.
EXPECTED = {
    "evaluation": {"bob": 403, "rita": 403, "charlie": 404, "pim": "ok"},
    "evaluation-post": {"bob": 403, "rita": 403, "charlie": 404},
    "evaluation_input": {"rita": 403, "pim": 403, "charlie": 404},
    "consent": {"rita": 403, "pim": 403, "charlie": 404},
    "child_consent": {"bob": 403, "rita": 403, "charlie": 404},
    "consent_pdf": {"bob": "ok", "rita": 403, "charlie": 404, "pim": "ok"},
    "goal_add": {"bob": 403, "rita": 403, "charlie": 404},
    "goal_update": {"bob": 403, "rita": 403, "charlie": 404},
    "agreement_confirm": {"rita": 403, "pim": 403, "charlie": 404},
    "code_receipt": {"rita": 403, "pim": 403, "charlie": 404},
    "report_new": {"bob": 403, "rita": 403, "charlie": 404},
    "report-shared": {"bob": "ok", "rita": 403, "charlie": 404, "pim": "ok"},
    "report-draft": {"bob": 403, "rita": 403, "charlie": 404, "pim": "ok"},
    "report_edit-draft": {"bob": 403, "rita": 403, "charlie": 404, "pim": "ok"},
    "report_edit-shared": {"bob": 403, "rita": 403, "charlie": 404, "pim": "ok"},
    "report_edit-post": {"bob": 403, "rita": 403, "charlie": 404},
    "report_share": {"bob": 403, "rita": 403, "charlie": 404},
    "report_respond": {"rita": 403, "pim": 403, "charlie": 404},
    "report_pdf-shared": {"bob": "ok", "rita": 403, "charlie": 404, "pim": "ok"},
    "report_pdf-draft": {"bob": 403, "rita": 403, "charlie": 404, "pim": 404},
    "dossier": {"bob": 403, "rita": 403, "charlie": 404, "pim": "ok"},
    "dossier-post": {"bob": 403, "rita": 403, "charlie": 404},
}


@pytest.mark.parametrize(
    ("page", "who", "expected"),
    [(page, who, status) for page, row in EXPECTED.items() for who, status in row.items()],
)
def test_each_person_gets_what_their_role_allows_and_a_refusal_stores_nothing(
    ours, people, family, charlie, client_for, page, who, expected
):
    name, key, data = PAGES[page]
    user = charlie if who == "charlie" else people[who]
    before = _stored()
    url = _url(name, family, ours, key)
    client = client_for(user)
    response = client.get(url) if data == "GET" else client.post(url, data)
    if expected == "ok":
        assert response.status_code in (200, 302), (page, who, response.status_code)
    else:
        assert response.status_code == expected, (page, who, response.status_code)
        assert _stored() == before, page
        body = response.content.decode(errors="replace")
        assert "Geheim concept" not in body and "Doel 1" not in body


# Through this family's address, with an id of the other family (and what must stay unread there).
CROSS = [
    ("evaluation", "past", "GET", "pim"),
    ("evaluation", "past", {"text": "Uitkomst"}, "pim"),
    ("evaluation_input", "coming", {"body": "Inbreng"}, "alice"),
    ("consent", "trajectory", {"decision": "given"}, "alice"),
    ("child_consent", "trajectory", {"child": "0", "decision": "given"}, "pim"),
    ("consent_pdf", "trajectory", "GET", "alice"),
    ("goal_add", "trajectory", {"text": "Doel"}, "pim"),
    ("goal_update", "goal", {"status": "stopped", "note": ""}, "pim"),
    ("agreement_confirm", "trajectory", {"seen": ""}, "alice"),
    ("report_new", "trajectory", {"reason": "other"}, "pim"),
    ("report", "shared", "GET", "alice"),
    ("report", "draft", "GET", "pim"),
    ("report_edit", "draft", "GET", "pim"),
    ("report_edit", "draft", {"reason": "other", "advice": "Overschreven", "version": 2}, "pim"),
    ("report_share", "draft", {"version": 2, "checked": "on"}, "pim"),
    ("report_respond", "shared", {"body": "Reactie"}, "alice"),
    ("report_pdf", "shared", "GET", "alice"),
]


@pytest.mark.parametrize(("name", "key", "data", "who"), CROSS)
def test_an_id_of_another_family_through_this_familys_address_is_not_there(
    ours, theirs, people, family, client_for, name, key, data, who
):
    before = _stored()
    url = reverse(f"trajectories:{name}", args=[family.pk, theirs[key].pk])
    client = client_for(people[who])
    response = client.get(url) if data == "GET" else client.post(url, data)
    assert response.status_code == 404, (name, who, response.status_code)
    assert _stored() == before
    body = response.content.decode(errors="replace")
    assert "Hun advies" not in body and "Hun concept" not in body
    assert not ReportRead.objects.filter(user=people[who]).exists()


def test_the_other_familys_child_or_trajectory_cannot_be_slipped_into_a_form(
    ours, theirs, people, family, client_for
):
    pim = client_for(people["pim"])
    before = _stored()
    child = reverse("trajectories:child_consent", args=[family.pk, ours["trajectory"].pk])
    pim.post(child, {"child": theirs["child"].pk, "decision": "given"})
    note = reverse("trajectories:dossier", args=[family.pk])
    response = pim.post(note, {"body": "Over hun traject", "trajectory": theirs["trajectory"].pk})
    assert response.status_code == 400
    assert _stored() == before
    # The other family's dossier is not on this family's page.
    assert "Hun dossier" not in pim.get(note).content.decode()


@pytest.mark.parametrize(
    ("name", "key", "who"),
    [
        ("consent", "trajectory", "alice"),
        ("child_consent", "trajectory", "pim"),
        ("goal_add", "trajectory", "pim"),
        ("goal_update", "goal", "pim"),
        ("agreement_confirm", "trajectory", "alice"),
        ("code_receipt", None, "alice"),
        ("evaluation_input", "coming", "alice"),
        ("report_share", "draft", "pim"),
        ("report_respond", "shared", "alice"),
    ],
)
def test_an_action_refuses_a_get(ours, people, family, client_for, name, key, who):
    before = _stored()
    assert client_for(people[who]).get(_url(name, family, ours, key)).status_code == 405
    assert _stored() == before


@pytest.mark.parametrize(
    ("name", "key"), [("report", "shared"), ("report_pdf", "shared"), ("consent_pdf", "trajectory")]
)
def test_a_page_to_read_refuses_a_post(ours, people, family, client_for, name, key):
    response = client_for(people["alice"]).post(_url(name, family, ours, key), {"body": "x"})
    assert response.status_code == 405
    assert not ReportRead.objects.exists() and not ReportResponse.objects.exists()


def test_bob_never_reaches_alices_evaluation_input(ours, people, family, client_for):
    alice, bob = people["alice"], people["bob"]
    evaluations.evaluation_input_add(actor=alice, family_id=family.pk, talk_id=ours["coming"].pk,
                                     body="Alleen voor de begeleider")
    bob_client = client_for(bob)
    pages = [
        reverse("trajectories:family", args=[family.pk]),
        reverse("trajectories:talk", args=[family.pk, ours["coming"].pk]),
        reverse("families:access_log", args=[family.pk]),
        reverse("trajectories:evaluation", args=[family.pk, ours["coming"].pk]),
    ]
    for url in pages:
        assert "Alleen voor de begeleider" not in bob_client.get(url).content.decode(), url
    # Posting "as Alice" adds Bob's own input, never one in her name.
    bob_client.post(reverse("trajectories:evaluation_input", args=[family.pk, ours["coming"].pk]),
                    {"body": "Van Bob", "author": alice.pk, "user": alice.pk})
    assert sorted(EvaluationInput.objects.values_list("author_id", "body")) == sorted(
        [(alice.pk, "Alleen voor de begeleider"), (bob.pk, "Van Bob")]
    )


def test_every_text_a_user_writes_is_shown_as_text_never_as_markup(people, family, client_for):
    alice, carol = people["alice"], people["carol"]
    family.display_name = MARKUP
    family.save(update_fields=["display_name"])
    trajectory = start(carol, family, "pat", started_on=add_months(timezone.localdate(), -4))
    goal = goals.goal_add(actor=carol, family_id=family.pk, trajectory_id=trajectory.pk, text=MARKUP)
    goals.goal_update(actor=carol, family_id=family.pk, goal_id=goal.pk, status="in_progress", note=MARKUP)
    entries = evaluations.schedule(trajectory=trajectory)
    past, coming = entries[0].talk, evaluations.next_evaluation(entries, from_day=timezone.localdate()).talk
    evaluations.evaluation_input_add(actor=alice, family_id=family.pk, talk_id=coming.pk, body=MARKUP)
    evaluations.evaluation_record(actor=carol, family_id=family.pk, talk_id=past.pk, text=MARKUP, shared=True)
    report = reports.report_start(actor=carol, family_id=family.pk, trajectory_id=trajectory.pk,
                                  reason="other")
    reports.report_save(actor=carol, family_id=family.pk, report_id=report.pk, seen_version=1, reason="other",
                        advice=MARKUP)
    reports.report_share(actor=carol, family_id=family.pk, report_id=report.pk, seen_version=2)
    reports.report_respond(actor=alice, family_id=family.pk, report_id=report.pk, body=MARKUP)
    dossier.dossier_note_add(actor=carol, family_id=family.pk, body=MARKUP, trajectory_id=trajectory.pk)
    family_page = reverse("trajectories:family", args=[family.pk])
    seen = [
        (alice, family_page),
        (alice, reverse("trajectories:report", args=[family.pk, report.pk])),
        (carol, family_page),
        (carol, reverse("trajectories:evaluation", args=[family.pk, past.pk])),
        (carol, reverse("trajectories:evaluation", args=[family.pk, coming.pk])),
        (carol, reverse("trajectories:dossier", args=[family.pk])),
        (carol, reverse("families:home")),
    ]
    for user, url in seen:
        page = client_for(user).get(url).content.decode()
        assert "<script>alert" not in page and "<img src=x" not in page, url
        assert "&lt;script&gt;alert(" in page, url


def test_a_refused_input_comes_back_in_its_field_escaped(ours, people, family, client_for):
    url = reverse("trajectories:evaluation_input", args=[family.pk, ours["past"].pk])  # its day passed
    response = client_for(people["alice"]).post(url, {"body": MARKUP})
    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="evaluation-input-errors"' in page and "Deze evaluatie is al geweest" in page
    assert "&lt;script&gt;alert(" in page and "<script>alert" not in page
    assert not EvaluationInput.objects.exists()


def test_a_parent_opening_a_shared_report_is_kept_once_and_the_ask_goes(ours, people, family, client_for):
    alice, bob, pim = people["alice"], people["bob"], people["pim"]
    family_page = reverse("trajectories:family", args=[family.pk])
    report_url = reverse("trajectories:report", args=[family.pk, ours["shared"].pk])

    def asks(user):
        page = client_for(user).get(family_page).content.decode()
        return page.split('id="asks-h"')[1].split("</section>")[0]

    assert report_url in asks(alice) and report_url in asks(bob)
    assert "nieuw, nog niet geopend" in client_for(alice).get(family_page).content.decode()
    client_for(pim).get(report_url)  # a practitioner's read is no parent's
    client_for(alice).get(report_url)
    client_for(alice).get(report_url)
    assert list(ReportRead.objects.values_list("user_id", flat=True)) == [alice.pk]
    assert report_url not in asks(alice) and report_url in asks(bob)
    # The PDF counts as opening it too.
    client_for(bob).get(reverse("trajectories:report_pdf", args=[family.pk, ours["shared"].pk]))
    assert report_url not in asks(bob)
    # The database keeps the first moment: no change, no removal.
    from django.db import connection, transaction
    from django.db.utils import DatabaseError

    for statement in ("UPDATE trajectories_reportread SET at = now()", "DELETE FROM trajectories_reportread"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
    assert ReportRead.objects.count() == 2


def test_ons_traject_asks_the_records_first_in_order(people, family, client_for):
    """Bob has everything still to do in a KIES trajectory: consent, the goals, the code of conduct,
    the input for the evaluation and a report to read; they come first, in that order, before the
    phase's ask and the talks."""
    bob, carol = people["bob"], people["carol"]
    goals.code_upload(actor=carol, name="gedragscode.pdf", content=PDF)
    trajectory = start(carol, family, "kies", started_on=timezone.localdate() - timedelta(weeks=3))
    goals.goal_add(actor=carol, family_id=family.pk, trajectory_id=trajectory.pk, text="Doel")
    report = reports.report_start(actor=carol, family_id=family.pk, trajectory_id=trajectory.pk,
                                  reason="other")
    reports.report_save(actor=carol, family_id=family.pk, report_id=report.pk, seen_version=1, reason="other",
                        advice="Advies")
    reports.report_share(actor=carol, family_id=family.pk, report_id=report.pk, seen_version=2)
    page = client_for(bob).get(reverse("trajectories:family", args=[family.pk])).content.decode()
    asks = page.split('id="ask-list"')[1].split("</ul>")[0]
    order = [
        "Geef je toestemming voor gesprekken met de kinderen.",
        "Lees de doelen en ga akkoord met de afspraken.",
        "Lees de gedragscode en bevestig dat je hem hebt ontvangen.",
        "Geef je inbreng voor de evaluatie van",
        "Lees het rapport van je begeleider",
        "Kom naar:",
    ]
    positions = [asks.index(text) for text in order]
    assert positions == sorted(positions)
    # What is asked comes before what the trajectory is.
    assert page.index('id="asks-h"') < page.index('id="about-h"')


def test_a_withdrawal_or_a_trajectory_without_child_talks_asks_no_consent(ours, people, family, client_for):
    """PAT has no talks with the children: its parents are not asked to consent to them."""
    page = client_for(people["alice"]).get(reverse("trajectories:family", args=[family.pk])).content.decode()
    assert "Geef je toestemming voor gesprekken met de kinderen." not in page.split('id="asks-h"')[1][:3000]


def test_a_withdrawn_consent_is_not_asked_again(people, family, client_for):
    from trajectories import consent

    alice, carol = people["alice"], people["carol"]
    trajectory = start(carol, family, "kies")
    url = reverse("trajectories:family", args=[family.pk])
    ask = "Geef je toestemming voor gesprekken met de kinderen."
    assert ask in client_for(alice).get(url).content.decode()
    for decision in ("given", "withdrawn"):
        consent.consent_decide(actor=alice, family_id=family.pk, trajectory_id=trajectory.pk,
                               decision=decision)
    page = client_for(alice).get(url).content.decode()
    assert ask not in page and 'name="decision" value="given"' in page  # still hers to give again


def test_the_home_shows_a_withdrawal_first_and_an_overdue_evaluation_once(people, family, client_for):
    from trajectories import consent

    alice, carol = people["alice"], people["carol"]
    pat = start(carol, family, "pat", started_on=add_months(timezone.localdate(), -4))
    overdue = evaluations.schedule(trajectory=pat)[0].talk
    consent.consent_decide(actor=alice, family_id=family.pk, trajectory_id=pat.pk, decision="given")
    consent.consent_decide(actor=alice, family_id=family.pk, trajectory_id=pat.pk, decision="withdrawn")
    home = client_for(carol).get(reverse("families:home")).content.decode()
    order = [home.index(f'id="{h}"') for h in ("withdrawn-h", "today-h", "overdue-evaluations-h")]
    assert order == sorted(order)
    evaluation_url = reverse("trajectories:evaluation", args=[family.pk, overdue.pk])
    talk_url = reverse("trajectories:talk", args=[family.pk, overdue.pk])
    assert home.count(evaluation_url) == 1 and talk_url not in home


def test_a_dossier_note_is_about_the_family_or_the_trajectory_chosen(ours, people, family, client_for):
    pim = client_for(people["pim"])
    url = reverse("trajectories:dossier", args=[family.pk])
    page = pim.get(url).content.decode()
    assert "Het gezin als geheel" in page and "Waar gaat de aantekening over?" in page
    assert f'value="{ours["trajectory"].pk}"' in page and "checked" in page.split(
        f'value="{ours["trajectory"].pk}"')[1][:40]
    pim.post(url, {"body": "Over het gezin", "trajectory": ""})
    pim.post(url, {"body": "Over PAT", "trajectory": ours["trajectory"].pk})
    assert sorted((n.body, n.trajectory_id) for n in DossierNote.objects.all()) == [
        ("Over PAT", ours["trajectory"].pk),
        ("Over het gezin", None),
    ]
    people["pim"].language = "en"
    people["pim"].save(update_fields=["language"])
    english = client_for(people["pim"]).get(url).content.decode()
    assert "New note" in english and "The family as a whole" in english


def test_a_reference_with_quotes_or_a_line_break_cannot_break_a_downloads_header(ours, people, family,
                                                                                 client_for):
    family.reference = 'X"; a=b\r\nSet-Cookie: c'
    family.save(update_fields=["reference"])
    alice = client_for(people["alice"])
    for url, prefix in (
        (reverse("trajectories:report_pdf", args=[family.pk, ours["shared"].pk]), "rapport"),
        (reverse("trajectories:consent_pdf", args=[family.pk, ours["trajectory"].pk]), "toestemming"),
    ):
        response = alice.get(url)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        disposition = response["Content-Disposition"]
        assert disposition.startswith(f'attachment; filename="{prefix}-X-a-b-Set-Cookie-c-'), disposition
        assert "Set-Cookie" not in {k for k, _v in response.items()}
