"""Reports on phones at 360 x 740 (issue 12, item 5): the practitioner sees the report to write on
her home, writes and shares it; a parent reads it and responds. Every page on the way fits the
screen (nothing scrolls sideways, every field has a label, taps are 44 px), in Dutch and English."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from families.models import Child
from tests.e2e.test_mobile_layout import assert_fits_a_phone
from trajectories import services
from trajectories.models import Report, ReportResponse, ReportShare

pytestmark = pytest.mark.e2e

ADVICE = "Een-heel-lang-woord-zonder-spaties-in-het-advies-dat-toch-moet-passen. Blijf samen overleggen."


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_report_is_written_shared_and_answered_on_phones(
    new_mobile_context, sign_in, family, alice, bob, carol, language
):
    Child.objects.create(family=family, first_name="Noor", birth_date=date(2016, 3, 1))
    for user in (alice, carol):
        user.language = language
        user.save(update_fields=["language"])
    trajectory = services.trajectory_start(
        actor=carol,
        family_id=family.pk,
        type_key="kindbehartiger",
        region="north",
        at=time(9, 0),
        started_on=timezone.localdate() - timedelta(days=30),
    )
    services.trajectory_end(
        actor=carol, family_id=family.pk, trajectory_id=trajectory.pk, outcome="completed"
    )
    locale = {"nl": "nl-NL", "en": "en-GB"}[language]

    practitioner = sign_in(new_mobile_context(locale=locale), carol).new_page()
    practitioner.goto("/")
    expect(practitioner.locator("#reports-to-write")).to_be_visible()
    assert_fits_a_phone(practitioner, f"home with a report to write ({language})")
    practitioner.locator("#reports-to-write a").first.click()
    assert_fits_a_phone(practitioner, f"new report ({language})")
    practitioner.locator("#report-start").click()
    practitioner.wait_for_load_state("load")
    assert_fits_a_phone(practitioner, f"draft report ({language})")
    practitioner.locator("#id_advice").fill(ADVICE)
    practitioner.locator("#report-save").click()
    practitioner.wait_for_load_state("load")
    practitioner.locator("#share_checked").check()
    practitioner.locator("#report-share").click()
    practitioner.wait_for_load_state("load")
    expect(practitioner.locator("#report-hash")).to_have_text(ReportShare.objects.get().content_hash)
    assert_fits_a_phone(practitioner, f"shared report, practitioner ({language})")
    practitioner.goto("/")
    expect(practitioner.locator("#reports-to-write")).to_have_count(0)

    report = Report.objects.get()
    parent = sign_in(new_mobile_context(locale=locale), alice).new_page()
    parent.goto(f"/gezin/{family.pk}/traject/")
    assert_fits_a_phone(parent, f"ons traject with a report ({language})")
    parent.locator(f"#report-list a[href$='/rapport/{report.pk}/']").click()
    parent.wait_for_load_state("load")
    expect(parent.locator("main")).to_contain_text(ADVICE)
    assert_fits_a_phone(parent, f"shared report, parent ({language})")
    parent.locator("#id_body").fill("Ik lees het en reageer later uitgebreider.")
    parent.locator("#respond").click()
    parent.wait_for_load_state("load")
    expect(parent.locator("#responses")).to_contain_text("Ik lees het en reageer later uitgebreider.")
    assert_fits_a_phone(parent, f"shared report with a response ({language})")
    assert ReportResponse.objects.get().user == alice


def test_a_practitioner_marks_no_report_needed_on_her_phone(
    new_mobile_context, sign_in, family, alice, bob, carol
):
    from trajectories.models import ReportWaiver

    trajectory = services.trajectory_start(
        actor=carol,
        family_id=family.pk,
        type_key="mediation_1",
        region="middle",
        at=time(9, 0),
        started_on=timezone.localdate() - timedelta(days=30),
    )
    services.trajectory_end(
        actor=carol, family_id=family.pk, trajectory_id=trajectory.pk, outcome="stopped", reason="Verhuisd"
    )
    coach = sign_in(new_mobile_context(), carol).new_page()
    coach.goto("/")
    item = coach.locator("#reports-to-write li")
    expect(item).to_have_count(1)
    assert_fits_a_phone(coach, "home with a report to write and 'no report needed'")
    item.get_by_role("link", name="Geen rapport nodig").click()
    expect(coach.get_by_role("heading", level=1)).to_have_text("Geen rapport nodig")
    assert_fits_a_phone(coach, "no report needed")
    coach.locator("#report-waive").click()
    expect(coach.get_by_text("Schrijf kort op waarom er geen rapport nodig is.")).to_be_visible()
    assert_fits_a_phone(coach, "no report needed, refusing an empty reason")
    coach.get_by_label("Waarom is er geen rapport nodig?").fill(
        "Het gezin is verhuisd; de nieuwe praktijk rapporteert."
    )
    coach.locator("#report-waive").click()
    expect(coach.get_by_text("Vastgelegd: hiervoor is geen rapport nodig.")).to_be_visible()
    expect(coach.locator("#reports-to-write")).to_have_count(0)
    assert ReportWaiver.objects.get().trajectory_id == trajectory.pk
