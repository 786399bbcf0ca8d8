from __future__ import annotations

import json
from datetime import datetime

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.views import refusals_on_form
from families.access import Action, denials_recorded, family_located, require
from parentingplan import services
from parentingplan.content import word_diff
from parentingplan.forms import ChildWishForm, SectionAddForm, SectionEditForm
from parentingplan.models import ChildWish, PlanApproval, PlanVersion, Section, SectionRevision
from parentingplan.schedule import PATTERN_LABELS, load_schedule
from parentingplan.selectors import (
    access_plan,
    access_section,
    comments_for,
    parent_ids,
    plan_state,
    section_located,
    visible_sections,
)
from parentingplan.template import hint_for

# Every page and form here checks access inside denials_recorded: a refusal is one audit entry
# (with the family, for its members) and the 404 or 403 page (core.middleware).


def _plan_for_family(request, family_id, wanted=Action.READ_PLAN):
    with denials_recorded(user=request.user, wanted=wanted, locate=family_located, subject_id=family_id,
                          request=request):
        membership = require(user=request.user, family_id=family_id, action=Action.VIEW_FAMILY,
                             request=request)
        plan = services.plan_ensure(family=membership.family)
        return access_plan(user=request.user, plan_id=plan.pk)


def _section(request, section_id, wanted=Action.READ_PLAN):
    with denials_recorded(user=request.user, wanted=wanted, locate=section_located, subject_id=section_id,
                          request=request):
        return access_section(user=request.user, section_id=section_id)


def _calendar(schedule, names):
    if schedule is None:
        return None
    weeks = schedule.weeks(first_day=timezone.localdate())
    return {
        "pattern": PATTERN_LABELS.get(schedule.pattern, schedule.pattern),
        "handover_day": schedule.handover_day,
        "handover_date": weeks[0][schedule.handover_day][0],  # its weekday name, in the page's language
        "handover_time": schedule.handover_time,
        "weeks": [[{"date": day, "parent": names.get(pid, "?"),
                    "side": "a" if pid == schedule.parent_a else "b",
                    "today": day == timezone.localdate(), "handover": day.weekday() == schedule.handover_day}
                   for day, pid in week] for week in weeks],
        "parent_a": names.get(schedule.parent_a), "parent_b": names.get(schedule.parent_b),
    }


def plan_view(request, family_id):
    return _plan_page(request, _plan_for_family(request, family_id))


def _plan_page(request, access, *, add_form=None, wish_form=None, edit_form=None, edit_section=None):
    """The plan page; after a refused form, with that form's errors and input (`edit_form` for the
    management form of section `edit_section`)."""
    plan = access.plan
    state = plan_state(access)
    family = plan.family
    members = {m.user_id: m.user.display_name for m in family.memberships.active().select_related("user")}
    sections = []
    by_id = {s.pk: s for s in visible_sections(access)}
    for frame in state["sections"]:
        section = by_id[frame["id"]]
        schedule = load_schedule(json.dumps(frame["schedule"])) if frame["schedule"] else None
        sections.append({
            **frame, "hint": hint_for(frame["key"], plan.language),
            "status_label": Section.Status(frame["status"]).label,
            "calendar": _calendar(schedule, members), "updated_at_dt": section.updated_at,
            "comments": comments_for(section=section, membership=access.membership),
            "edit_form": edit_form if edit_section == section.pk else None,
        })
    children = list(family.children.all())
    if wish_form is None and access.can(Action.RECORD_CHILD_VOICE):
        wish_form = ChildWishForm(children=children)
    if add_form is None and access.can(Action.MANAGE_PLAN):
        add_form = SectionAddForm()
    return render(request, "parentingplan/plan.html", {
        "plan": plan, "family": family, "state": state, "sections": sections,
        "state_json": state, "membership": access.membership,
        "can_edit": access.can(Action.EDIT_PLAN), "can_approve": access.can(Action.APPROVE_PLAN),
        "can_comment": access.can(Action.COMMENT_PLAN), "can_manage": access.can(Action.MANAGE_PLAN),
        "can_record_voice": access.can(Action.RECORD_CHILD_VOICE),
        "parents": [{"id": pid, "name": members.get(pid, "")} for pid in parent_ids(plan)],
        "wishes": ChildWish.objects.filter(plan=plan).select_related("child", "recorded_by")
        if not access.is_relative else [],
        "wish_form": wish_form, "add_form": add_form,
        "versions": plan.versions.all(),
        "approved_by_me": _approved_current(plan, request.user),
        "unchanged": services.unchanged_since_last_version(plan),
        "patterns": list(PATTERN_LABELS.items()),
        "weekdays": list(enumerate([_("maandag"), _("dinsdag"), _("woensdag"), _("donderdag"), _("vrijdag"),
                                    _("zaterdag"), _("zondag")])),
    })


def _approved_current(plan, user) -> bool:
    """Whether the user's latest approval of this version covers the sections as they stand now
    (after a new revision the plan needs approving again, so the button must come back)."""
    mine = PlanApproval.objects.filter(plan=plan, version=plan.version, user=user).order_by("-approved_at")
    mine = mine.first()
    return mine is not None and mine.revision_set == services.current_revision_set(plan)


def section_history(request, section_id):
    section, access = _section(request, section_id)
    return _history_page(request, section, access)


class RestoreForm(forms.Form):
    revision = forms.IntegerField(min_value=1, error_messages={
        "required": gettext_lazy("Kies een versie om terug te zetten."),
        "invalid": gettext_lazy("Kies een versie om terug te zetten."),
        "min_value": gettext_lazy("Kies een versie om terug te zetten.")})


def _history_page(request, section, access, *, restore_form=None):
    """A section's revisions with a word diff between two of them; after a refused restore, with
    its reason at the top."""
    revisions = list(SectionRevision.objects.filter(section=section).select_related("author")
                     .order_by("-number"))
    diff = None
    try:
        a, b = int(request.GET.get("a", 0)), int(request.GET.get("b", 0))
    except ValueError:
        a = b = 0
    by_number = {r.number: r for r in revisions}
    if a in by_number and b in by_number:
        diff = word_diff(by_number[a].content, by_number[b].content)
    elif len(revisions) >= 2:
        a, b = revisions[1].number, revisions[0].number
        diff = word_diff(revisions[1].content, revisions[0].content)
    return render(request, "parentingplan/history.html", {
        "section": section, "family": access.plan.family, "revisions": revisions, "diff": diff,
        "a": a, "b": b,
        "can_edit": access.can(Action.EDIT_PLAN), "restore_form": restore_form,
    })


@require_POST
def section_restore(request, section_id):
    with denials_recorded(user=request.user, wanted=Action.EDIT_PLAN, locate=section_located,
                          subject_id=section_id, request=request):
        section, access = access_section(user=request.user, section_id=section_id)
        form = RestoreForm(request.POST)
        if form.is_valid():
            with refusals_on_form(form):
                services.section_restore(user=request.user, section_id=section.pk,
                                         revision=form.cleaned_data["revision"])
    if form.errors:
        return _history_page(request, section, access, restore_form=form)
    messages.success(request, _("De oude versie is teruggezet als nieuwe versie."))
    return redirect("parentingplan:plan", family_id=access.plan.family_id)


@require_POST
def section_add(request, family_id):
    access = _plan_for_family(request, family_id, Action.MANAGE_PLAN)
    form = SectionAddForm(request.POST)
    if form.is_valid():
        with refusals_on_form(form, "title"):
            services.section_manage(user=request.user, plan_id=access.plan.pk,
                                    title=form.cleaned_data["title"], request=request)
    if form.errors:
        return _plan_page(request, access, add_form=form)
    messages.success(request, _("Onderdeel toegevoegd."))
    return redirect("parentingplan:plan", family_id=family_id)


@require_POST
def section_edit(request, section_id):
    section, access = _section(request, section_id, Action.MANAGE_PLAN)
    form = SectionEditForm(request.POST)
    move = request.POST.get("move")
    saved = False
    with refusals_on_form(form):
        if move in ("up", "down"):
            services.section_manage(user=request.user, plan_id=access.plan.pk, section_id=section.pk,
                                    move=move, request=request)
            saved = True
        elif form.is_valid():
            data = form.cleaned_data
            services.section_manage(user=request.user, plan_id=access.plan.pk, section_id=section.pk,
                                    title=data["title"], hidden=data["hidden"], shared=data["shared"],
                                    evaluation_date=data["evaluation_date"], request=request)
            saved = True
    if not saved:
        return _plan_page(request, access, edit_form=form, edit_section=section.pk)
    messages.success(request, _("Opgeslagen."))
    return redirect(f"{_plan_url(access.plan.family_id)}#section-{section.pk}")


def _plan_url(family_id):
    return reverse("parentingplan:plan", args=[family_id])


@require_POST
def child_wish_add(request, family_id):
    access = _plan_for_family(request, family_id, Action.RECORD_CHILD_VOICE)
    form = ChildWishForm(request.POST, children=access.plan.family.children.all())
    if form.is_valid():
        with refusals_on_form(form):
            data = form.cleaned_data
            services.child_wish_add(user=request.user, plan_id=access.plan.pk, child_id=data["child"],
                                    heard_on=data["heard_on"], how=data["how"], said=data["said"],
                                    request=request)
    if form.errors:
        return _plan_page(request, access, wish_form=form)
    messages.success(request, _("De stem van het kind is vastgelegd."))
    return redirect(f"{_plan_url(family_id)}#children-voice")


def _version(request, family_id, number):
    access = _plan_for_family(request, family_id)
    version = PlanVersion.objects.filter(plan=access.plan, number=number).first()
    if version is None:
        raise Http404
    snapshot = json.loads(version.snapshot)
    if access.is_relative:
        shared = set(access.plan.sections.filter(shared_with_relatives=True).values_list("key", flat=True))
        snapshot["sections"] = [s for s in snapshot["sections"] if s["key"] in shared]
        snapshot["children_heard"] = []
    names = {m.user_id: m.user.display_name for m in access.plan.family.memberships.select_related("user")}
    # Datetimes, so templates show them in local time (the JSON holds UTC ISO strings).
    snapshot["approvers"] = [{**a, "approved_at": datetime.fromisoformat(a["approved_at"])}
                             for a in version.approvers]
    for section in snapshot["sections"]:
        schedule = load_schedule(json.dumps(section["schedule"])) if section["schedule"] else None
        section["calendar"] = _calendar(schedule, names)
    return access, version, snapshot


def version_view(request, family_id, number):
    access, version, snapshot = _version(request, family_id, number)
    return render(request, "parentingplan/version.html", {
        "family": access.plan.family, "version": version, "snapshot": snapshot})


def version_pdf(request, family_id, number):
    from weasyprint import HTML

    access, version, snapshot = _version(request, family_id, number)
    language = request.GET.get("lang") if request.GET.get("lang") in ("nl", "en") else None
    from django.utils import translation

    with translation.override(language or translation.get_language()):
        html = render_to_string("parentingplan/version_pdf.html", {
            "family": access.plan.family, "version": version, "snapshot": snapshot, "now": timezone.now()})
        pdf = HTML(string=html).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="ouderschapsplan-{access.plan.family.reference}-v{version.number}.pdf"')
    return response
