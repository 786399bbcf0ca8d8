from __future__ import annotations

import json
from datetime import date, datetime

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.views import refusals_on_form
from families.access import Action, denials_recorded, family_located, require
from parentingplan import services
from parentingplan.content import word_diff
from parentingplan.forms import ChildWishForm, ParentDetailsForm, SectionAddForm, SectionEditForm
from parentingplan.models import ChildWish, ParentDetails, PlanApproval, PlanVersion, Section, SectionRevision
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
from parentingplan.template import hint_for, section_title

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
    family = plan.family
    members = {m.user_id: m.user.display_name for m in family.memberships.active().select_related("user")}
    sections = []
    by_id = {s.pk: s for s in visible_sections(access)}
    state = _titles_shown(plan_state(access), by_id.values())
    for frame in state["sections"]:
        section = by_id[frame["id"]]
        schedule = load_schedule(json.dumps(frame["schedule"])) if frame["schedule"] else None
        sections.append({
            **frame, "hint": hint_for(frame["key"]),
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
        "can_view_parties": access.can(Action.VIEW_CHILDREN),
        "birth_date_missing": access.can(Action.APPROVE_PLAN)
        and not ParentDetails.objects.filter(plan=plan, user=request.user).exists(),
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


def _titles_shown(state: dict, sections) -> dict:
    """The plan's state with every section title as the reader sees it: a template title in the
    page's language (parentingplan.template.section_title), a chosen title as written."""
    shown = {s.title: section_title(s.key, s.title) for s in sections}

    def show(title):
        return shown.get(title, title)

    summary = {key: [show(t) for t in value] if isinstance(value, list) else value
               for key, value in state["summary"].items()}
    return {**state, "summary": summary,
            "sections": [{**frame, "title": section_title(frame["key"], frame["title"])}
                         for frame in state["sections"]],
            "evaluations": [{**e, "title": show(e["title"])} for e in state.get("evaluations", [])]}


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
        "section": section, "title": section_title(section.key, section.title), "family": access.plan.family,
        "revisions": revisions, "diff": diff,
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
            # The form shows a template title in the reader's language: posted back unchanged, the
            # stored title (perhaps in the other language) stays as it is.
            title = data["title"]
            if title.strip() == section_title(section.key, section.title):
                title = section.title
            services.section_manage(user=request.user, plan_id=access.plan.pk, section_id=section.pk,
                                    title=title, hidden=data["hidden"], shared=data["shared"],
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


def parties_view(request, family_id):
    """Who the plan names on its first page, the parents and the children, and for a parent the
    form to give their own birth date (only their own: services.parent_details_save). Relatives
    see neither the children nor birth dates; only a parent may post."""
    wanted = Action.APPROVE_PLAN if request.method == "POST" else Action.VIEW_CHILDREN
    with denials_recorded(user=request.user, wanted=wanted, locate=family_located, subject_id=family_id,
                          request=request):
        require(user=request.user, family_id=family_id, action=wanted, request=request)
    access = _plan_for_family(request, family_id)
    form = None
    if request.method == "POST":
        form = ParentDetailsForm(request.POST)
        if form.is_valid():
            with refusals_on_form(form, "birth_date"):
                services.parent_details_save(user=request.user, plan_id=access.plan.pk,
                                             birth_date=form.cleaned_data["birth_date"], request=request)
        if not form.errors:
            messages.success(request, _("Opgeslagen. Je geboortedatum staat nu op de eerste bladzijde van "
                                        "het plan."))
            return redirect("parentingplan:parties", family_id=family_id)
    elif access.can(Action.APPROVE_PLAN):
        mine = ParentDetails.objects.filter(plan=access.plan, user=request.user).first()
        form = ParentDetailsForm(initial={"birth_date": mine.birth_date if mine else None})
    return render(request, "parentingplan/parties.html", {
        "family": access.plan.family, "plan": access.plan, "form": form,
        "parties": _parties(services.plan_parties(access.plan)),
    })


def _parties(parties: dict) -> dict:
    """Birth dates as dates, for the templates' date formats (the snapshot holds ISO strings)."""
    def day(value):
        return date.fromisoformat(value) if value else None

    return {"parents": [{**p, "birth_date": day(p["birth_date"])} for p in parties.get("parents", [])],
            "children": [{**c, "birth_date": day(c["birth_date"])} for c in parties.get("children", [])]}


def _version(request, family_id, number):
    """A frozen version as people read it, in the active language: template titles and hints in
    that language, the parties and the approvals with dates. A relative gets an excerpt: only the
    shared sections, no children and no birth dates."""
    access = _plan_for_family(request, family_id)
    version = PlanVersion.objects.filter(plan=access.plan, number=number).first()
    if version is None:
        raise Http404
    snapshot = json.loads(version.snapshot)
    if "parents" not in snapshot:  # frozen before versions named their parties: as they are now
        snapshot.update(services.plan_parties(access.plan))
    snapshot["excerpt"] = access.is_relative
    if access.is_relative:
        shared = set(access.plan.sections.filter(shared_with_relatives=True).values_list("key", flat=True))
        snapshot["sections"] = [s for s in snapshot["sections"] if s["key"] in shared]
        snapshot["children_heard"] = []
        snapshot["children"] = []
        snapshot["parents"] = [{**p, "birth_date": None} for p in snapshot["parents"]]
    snapshot.update(_parties(snapshot))
    names = {m.user_id: m.user.display_name for m in access.plan.family.memberships.select_related("user")}
    # Datetimes, so templates show them in local time (the JSON holds UTC ISO strings).
    snapshot["approvers"] = [{**a, "approved_at": datetime.fromisoformat(a["approved_at"])}
                             for a in version.approvers]
    for wish in snapshot["children_heard"]:
        wish["heard_on_date"] = date.fromisoformat(wish["heard_on"])
    for section in snapshot["sections"]:
        section["title"] = section_title(section["key"], section["title"])
        section["hint"] = hint_for(section["key"])
        schedule = load_schedule(json.dumps(section["schedule"])) if section["schedule"] else None
        section["calendar"] = _calendar(schedule, names)
    snapshot["has_children_section"] = any(s["key"] == "children" for s in snapshot["sections"])
    return access, version, snapshot


def version_view(request, family_id, number):
    access, version, snapshot = _version(request, family_id, number)
    return render(request, "parentingplan/version.html", {
        "family": access.plan.family, "version": version, "snapshot": snapshot})


def version_pdf(request, family_id, number):
    from weasyprint import HTML

    language = request.GET.get("lang") if request.GET.get("lang") in ("nl", "en") else None
    with translation.override(language or translation.get_language()):
        access, version, snapshot = _version(request, family_id, number)
        html = render_to_string("parentingplan/version_pdf.html", {
            "family": access.plan.family, "version": version, "snapshot": snapshot, "now": timezone.now()})
        pdf = HTML(string=html).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="ouderschapsplan-{access.plan.family.reference}-v{version.number}.pdf"')
    return response
