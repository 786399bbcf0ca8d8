from __future__ import annotations

import json
from datetime import datetime

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError, NotFound
from families.access import Action, require
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
    visible_sections,
)
from parentingplan.template import hint_for


def _plan_for_family(request, family_id):
    try:
        membership = require(user=request.user, family_id=family_id, action=Action.VIEW_FAMILY, request=request)
        plan = services.plan_ensure(family=membership.family)
        return access_plan(user=request.user, plan_id=plan.pk)
    except NotFound:
        raise Http404 from None


def _calendar(schedule, names):
    if schedule is None:
        return None
    weeks = schedule.weeks(first_day=timezone.localdate())
    return {
        "pattern": PATTERN_LABELS.get(schedule.pattern, schedule.pattern),
        "handover_day": schedule.handover_day,
        "handover_date": weeks[0][schedule.handover_day][0],  # its weekday name, in the page's language
        "handover_time": schedule.handover_time,
        "weeks": [[{"date": day, "parent": names.get(pid, "?"), "side": "a" if pid == schedule.parent_a else "b",
                    "today": day == timezone.localdate(), "handover": day.weekday() == schedule.handover_day}
                   for day, pid in week] for week in weeks],
        "parent_a": names.get(schedule.parent_a), "parent_b": names.get(schedule.parent_b),
    }


def plan_view(request, family_id):
    access = _plan_for_family(request, family_id)
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
            **frame, "hint": hint_for(frame["key"], plan.language), "status_label": Section.Status(frame["status"]).label,
            "calendar": _calendar(schedule, members), "updated_at_dt": section.updated_at,
            "comments": comments_for(section=section, membership=access.membership),
        })
    children = list(family.children.all())
    return render(request, "parentingplan/plan.html", {
        "plan": plan, "family": family, "state": state, "sections": sections,
        "state_json": state, "membership": access.membership,
        "can_edit": access.can(Action.EDIT_PLAN), "can_approve": access.can(Action.APPROVE_PLAN),
        "can_comment": access.can(Action.COMMENT_PLAN), "can_manage": access.can(Action.MANAGE_PLAN),
        "can_record_voice": access.can(Action.RECORD_CHILD_VOICE),
        "parents": [{"id": pid, "name": members.get(pid, "")} for pid in parent_ids(plan)],
        "wishes": ChildWish.objects.filter(plan=plan).select_related("child", "recorded_by")
        if not access.is_relative else [],
        "wish_form": ChildWishForm(children=children) if access.can(Action.RECORD_CHILD_VOICE) else None,
        "add_form": SectionAddForm() if access.can(Action.MANAGE_PLAN) else None,
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
    try:
        section, access = access_section(user=request.user, section_id=section_id)
    except NotFound:
        raise Http404 from None
    revisions = list(SectionRevision.objects.filter(section=section).select_related("author").order_by("-number"))
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
        "section": section, "family": access.plan.family, "revisions": revisions, "diff": diff, "a": a, "b": b,
        "can_edit": access.can(Action.EDIT_PLAN),
    })


@require_POST
def section_restore(request, section_id):
    try:
        revision = int(request.POST.get("revision", ""))
        section, access = access_section(user=request.user, section_id=section_id)
        services.section_restore(user=request.user, section_id=section.pk, revision=revision)
    except NotFound:
        raise Http404 from None
    except ValueError:
        messages.error(request, _("Kies een versie om terug te zetten."))
        return redirect("parentingplan:history", section_id=section_id)
    except DomainError as exc:
        messages.error(request, str(exc.detail))
        return redirect("parentingplan:history", section_id=section_id)
    messages.success(request, _("De oude versie is teruggezet als nieuwe versie."))
    return redirect("parentingplan:plan", family_id=access.plan.family_id)


@require_POST
def section_add(request, family_id):
    access = _plan_for_family(request, family_id)
    form = SectionAddForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(_("Geef het onderdeel een titel."))
        services.section_manage(user=request.user, plan_id=access.plan.pk, title=form.cleaned_data["title"],
                                request=request)
    except DomainError as exc:
        messages.error(request, str(exc.detail))
    else:
        messages.success(request, _("Onderdeel toegevoegd."))
    return redirect("parentingplan:plan", family_id=family_id)


@require_POST
def section_edit(request, section_id):
    try:
        section, access = access_section(user=request.user, section_id=section_id)
    except NotFound:
        raise Http404 from None
    form = SectionEditForm(request.POST)
    move = request.POST.get("move")
    try:
        if move in ("up", "down"):
            services.section_manage(user=request.user, plan_id=access.plan.pk, section_id=section.pk, move=move,
                                    request=request)
        elif form.is_valid():
            data = form.cleaned_data
            services.section_manage(user=request.user, plan_id=access.plan.pk, section_id=section.pk,
                                    title=data["title"], hidden=data["hidden"], shared=data["shared"],
                                    evaluation_date=data["evaluation_date"], request=request)
        else:
            raise DomainError(_("Controleer de titel en de datum."))
    except DomainError as exc:
        messages.error(request, str(exc.detail))
    else:
        messages.success(request, _("Opgeslagen."))
    return redirect(f"{_plan_url(access.plan.family_id)}#section-{section.pk}")


def _plan_url(family_id):
    from django.urls import reverse

    return reverse("parentingplan:plan", args=[family_id])


@require_POST
def child_wish_add(request, family_id):
    access = _plan_for_family(request, family_id)
    form = ChildWishForm(request.POST, children=access.plan.family.children.all())
    try:
        if not form.is_valid():
            raise DomainError(_("Vul alle velden in: kind, datum, hoe gehoord en wat het kind zei."))
        services.child_wish_add(user=request.user, plan_id=access.plan.pk, child_id=form.cleaned_data["child"],
                                heard_on=form.cleaned_data["heard_on"], how=form.cleaned_data["how"],
                                said=form.cleaned_data["said"], request=request)
    except DomainError as exc:
        messages.error(request, str(exc.detail))
    else:
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
