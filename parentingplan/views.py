from __future__ import annotations

import json
from datetime import date, datetime
from functools import partial

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.errors import Conflict, Invalid, PermissionDenied
from core.views import refusals_on_form
from families.access import Action, can, denials_recorded, family_located, plan_words_visible, require
from parentingplan import services
from parentingplan.content import MAX_CONTENT_CHARS, word_diff
from parentingplan.extensions import words_route
from parentingplan.forms import ChildWishForm, ParentDetailsForm, SectionAddForm, SectionEditForm
from parentingplan.models import (
    ChildWish,
    ParentDetails,
    PlanVersion,
    Section,
    SectionAgreement,
    SectionOpinion,
    SectionRevision,
)
from parentingplan.schedule import PATTERN_LABELS, load_schedule
from parentingplan.selectors import (
    access_plan,
    access_section,
    comments_for,
    current_approvals,
    parent_ids,
    plan_state,
    revision_set_now,
    section_located,
    visible_sections,
    words_located,
    words_state,
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


def _short_names(name_a: str, name_b: str) -> dict[str, str]:
    """What a calendar cell shows for each parent: their initial, or more letters when both parents'
    names start alike (Sanne and Sander)."""
    for length in range(1, 4):
        short_a, short_b = name_a[:length], name_b[:length]
        if short_a.lower() != short_b.lower():
            return {"a": short_a, "b": short_b}
    return {"a": "1", "b": "2"}


def _calendar(schedule, names, *, with_next: bool = False):
    """The care rotation for _calendar.html: four weeks from this week, every day with who has
    the children at its end and, on a handover day, who had them until the handover time."""
    if schedule is None:
        return None
    today = timezone.localdate()
    weeks = schedule.weeks(first_day=today)
    name_a, name_b = names.get(schedule.parent_a, "?"), names.get(schedule.parent_b, "?")
    short = _short_names(name_a, name_b)

    def side(pid):
        return "a" if pid == schedule.parent_a else "b"

    upcoming = schedule.next_handover(timezone.localtime().replace(tzinfo=None)) if with_next else None
    return {
        "pattern": PATTERN_LABELS.get(schedule.pattern, schedule.pattern),
        # Called by the template when it renders, so in the language it renders in (a PDF in English).
        "description": partial(schedule.describe, names),
        "handover_day": schedule.handover_day,
        "handover_date": weeks[0][schedule.handover_day].date,  # its weekday name, in the page's language
        "handover_time": schedule.handover_time,
        "weeks": [[{"date": care.date, "parent": names.get(care.parent, "?"),
                    "before": names.get(care.before, "?"), "side": side(care.parent),
                    "before_side": side(care.before), "short": short[side(care.parent)],
                    "today": care.date == today, "handover": care.handover}
                   for care in week] for week in weeks],
        "parent_a": name_a, "parent_b": name_b, "short_a": short["a"], "short_b": short["b"],
        "next": {"date": upcoming.date, "to": names.get(upcoming.parent, "?")} if upcoming else None,
    }


def plan_view(request, family_id):
    return _plan_page(request, _plan_for_family(request, family_id))


def _plan_page(request, access, *, add_form=None, wish_form=None, edit_form=None, edit_section=None):
    """The plan page; after a refused form, with that form's errors and input (`edit_form` for the
    management form of section `edit_section`)."""
    plan = access.plan
    family = plan.family
    active = list(family.memberships.active().select_related("user"))
    members = {m.user_id: m.user.display_name for m in active}
    practitioner_ids = {m.user_id for m in active if m.is_practitioner}
    sections = []
    by_id = {s.pk: s for s in visible_sections(access)}
    state = _titles_shown(plan_state(access), by_id.values())
    for frame in state["sections"]:
        section = by_id[frame["id"]]
        schedule = load_schedule(json.dumps(frame["schedule"])) if frame["schedule"] else None
        sections.append({
            **frame, "hint": hint_for(frame["key"]),
            "status_label": Section.Status(frame["status"]).label,
            "calendar": _calendar(schedule, members, with_next=True), "updated_at_dt": section.updated_at,
            "comments": [_comment_shown(c, access.membership, practitioner_ids)
                         for c in comments_for(section=section, membership=access.membership)],
            "disputes": [{**d, "badge": _words_badge(d.get("reason_state"),
                                                     mine=d["user"]["id"] == request.user.pk)}
                         for d in frame["disputes"]],
            "edit_form": edit_form if edit_section == section.pk else None,
        })
    children = list(family.children.all())
    if wish_form is None and access.can(Action.RECORD_CHILD_VOICE):
        wish_form = ChildWishForm(children=children)
    if add_form is None and access.can(Action.MANAGE_PLAN):
        add_form = SectionAddForm()
    parents = [{"id": pid, "name": members.get(pid, "")} for pid in parent_ids(plan)]
    approvals = _approvals(plan, request.user, parents)
    weekdays = [_("maandag"), _("dinsdag"), _("woensdag"), _("donderdag"), _("vrijdag"), _("zaterdag"),
                _("zondag")]
    versions = list(plan.versions.all())
    return render(request, "parentingplan/plan.html", {
        "plan": plan, "family": family, "state": state, "sections": sections,
        "state_json": state, "membership": access.membership,
        "can_edit": access.can(Action.EDIT_PLAN), "can_approve": access.can(Action.APPROVE_PLAN),
        "can_comment": access.can(Action.COMMENT_PLAN), "can_note": access.can(Action.NOTE_PLAN),
        # Where a parent's words go now by the contact mode (parentingplan.extensions): the forms say so.
        "words_route": words_route(family_id=family.pk),
        "can_decide_words": access.can(Action.MODERATE),
        "tone_labels": json.dumps(_tone_labels()) if not access.membership.is_practitioner and access.can(
            Action.COMMENT_PLAN) else None,
        "can_manage": access.can(Action.MANAGE_PLAN),
        "can_record_voice": access.can(Action.RECORD_CHILD_VOICE),
        "can_view_parties": access.can(Action.VIEW_CHILDREN),
        "birth_date_missing": access.can(Action.APPROVE_PLAN)
        and not ParentDetails.objects.filter(plan=plan, user=request.user).exists(),
        "parents": parents,
        "wishes": ChildWish.objects.filter(plan=plan).select_related("child", "recorded_by")
        if not access.is_relative else [],
        "wish_form": wish_form, "add_form": add_form,
        "versions": versions, "last_version": versions[-1] if versions else None,
        **approvals,
        "unchanged": services.unchanged_since_last_version(plan),
        "patterns": list(PATTERN_LABELS.items()),
        "weekdays": list(enumerate(weekdays)),
        "custom_weeks": [[(week * 7 + d, name) for d, name in enumerate(weekdays)] for week in (0, 1)],
        # The editor checks a save against these before sending (docs/PROTOCOL.md, "Save").
        "max_content_chars": MAX_CONTENT_CHARS, "max_frame_bytes": settings.WS_MAX_FRAME_BYTES,
    })


def _tone_labels() -> dict:
    """The tone hint's texts for a parent writing a comment or a reason (static/js/tone-hint.js; the
    same words as in the chat)."""
    return {"toneCheck": True, "toneStill": _("Je kunt het zo versturen, of het eerst aanpassen."),
            "toneLevels": {"caution": _("Even checken: zo kan je bericht verkeerd overkomen."),
                           "hostile": _("Dit bericht kan de ander kwetsen."),
                           "threat": _("Dit bericht kan als dreigend overkomen.")}}


def _words_badge(state: str | None, *, mine: bool, by_practitioner: bool = False) -> str:
    """What a reader is told about words that do not (yet) go to the whole family."""
    if state == "held":
        return _("wacht op de begeleider")
    if state == "returned":
        return _("teruggestuurd door de begeleider")
    if state == "private":
        if by_practitioner:
            return _("notitie voor begeleiders")
        return _("alleen voor jou en je begeleider") if mine else _("alleen voor begeleiders")
    return ""


def _comment_shown(comment, membership, practitioner_ids) -> dict:
    return {"id": comment.pk, "author_name": comment.author.display_name, "body": comment.body,
            "state": comment.state, "visibility": comment.visibility,
            "note": comment.decision.note if comment.state == "returned" else "",
            "badge": _words_badge(comment.state, mine=comment.author_id == membership.user_id,
                                  by_practitioner=comment.author_id in practitioner_ids),
            "decidable": comment.state == "held" and can(membership, Action.MODERATE)}


WORDS_KINDS = {"opmerking": "comment_id", "reden": "opinion_id"}


@require_POST
def words_decide(request, kind, item_id):
    """A practitioner releases or returns a parent's held comment or dispute reason (from the plan
    page; services.plan_words_decide). A refusal (decided already, indirect contact now) is said at
    the top of the plan page; nothing is stored then."""
    if kind not in WORDS_KINDS:
        raise Http404
    try:
        services.plan_words_decide(actor=request.user, **{WORDS_KINDS[kind]: item_id},
                                   decision=request.POST.get("decision", ""),
                                   note=request.POST.get("note", ""), request=request)
    except (Invalid, Conflict) as exc:
        messages.error(request, exc.detail)
    else:
        released = request.POST.get("decision") == "release"
        messages.success(request, _("Doorgelaten naar het gezin.") if released
                         else _("Teruggestuurd. De ouder ziet je toelichting."))
    section_id = request.POST.get("section", "")
    family_id = _family_of_words(kind, item_id)
    anchor = f"#section-{int(section_id)}" if section_id.isdigit() else ""
    return redirect(f"{_plan_url(family_id)}{anchor}")


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




def _names(items) -> str:
    """"Alice", "Alice en Bob", "Alice, Bob en Carla"."""
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return _("%(list)s en %(last)s") % {"list": ", ".join(items[:-1]), "last": items[-1]}


def _approvals(plan, user, parents) -> dict:
    """Who approved the plan as it stands now (an approval of older revisions no longer counts):
    for the approve box and the line practitioners see."""
    approved = current_approvals(plan)
    others = [p for p in parents if p["id"] != user.pk]
    return {
        "approved_by_me": user.pk in approved,
        "others_approved": _names(p["name"] for p in others if p["id"] in approved),
        "other_parents": _names(p["name"] for p in others) or _("de andere ouder"),
        "approved_names": _names(p["name"] for p in parents if p["id"] in approved),
    }


def section_history(request, section_id):
    section, access = _section(request, section_id)
    return _history_page(request, section, access)


class RestoreForm(forms.Form):
    revision = forms.IntegerField(min_value=1, error_messages={
        "required": gettext_lazy("Kies een versie om terug te zetten."),
        "invalid": gettext_lazy("Kies een versie om terug te zetten."),
        "min_value": gettext_lazy("Kies een versie om terug te zetten.")})


def _opinions_by_revision(section, membership) -> dict[int, list]:
    """Every agreement and disagreement per revision, oldest first (the append-only log; opinions
    from before the log existed come from their SectionAgreement row). A reason only where the
    reader may read it (families.access.plan_words_visible): held or indirect-contact words stay
    with their author and the practitioners."""
    by_revision: dict[int, list] = {}
    logged = set()
    for opinion in SectionOpinion.objects.filter(section=section).select_related("user").prefetch_related(
            "decisions"):
        decisions = list(opinion.decisions.all())
        state = words_state(opinion.reason_to, decisions[0] if decisions else None)
        shown = plan_words_visible(membership, author_id=opinion.user_id, to=opinion.reason_to,
                                   released=state == "shown")
        by_revision.setdefault(opinion.revision, []).append(
            {"name": opinion.user.display_name, "agrees": opinion.agrees,
             "reason": opinion.reason if shown else "", "at": opinion.created_at,
             "reason_state": state if shown and opinion.reason else ""})
        logged.add((opinion.revision, opinion.user_id))
    for row in SectionAgreement.objects.filter(section=section).select_related("user").order_by("at", "pk"):
        if (row.revision, row.user_id) not in logged:
            by_revision.setdefault(row.revision, []).append(
                {"name": row.user.display_name, "agrees": row.agrees, "reason": row.reason, "at": row.at})
    for opinions in by_revision.values():
        opinions.sort(key=lambda o: o["at"])
    return by_revision


def _agreed_names(section, revision: int) -> list[str]:
    """Who agrees with `revision` now (for an older revision: who agreed when it was replaced)."""
    if not revision:
        return []
    return [row.user.display_name for row in
            SectionAgreement.objects.filter(section=section, revision=revision, agrees=True)
            .select_related("user").order_by("at", "pk")]


def _history_page(request, section, access, *, restore_form=None):
    """A section's revisions with a word diff between two of them, who agreed or disagreed with
    each, and which agreements a new revision (a restore, say) undid; after a refused restore,
    with its reason at the top."""
    revisions = list(SectionRevision.objects.filter(section=section).select_related("author")
                     .order_by("-number"))
    opinions = _opinions_by_revision(section, access.membership)
    agreed = {}
    for row in (SectionAgreement.objects.filter(section=section, agrees=True).select_related("user")
                .order_by("at", "pk")):
        agreed.setdefault(row.revision, []).append(row.user.display_name)
    entries = [{"revision": r, "opinions": opinions.get(r.number, []),
                "undid": _names(agreed.get(r.base_number, [])) if r.base_number else ""}
               for r in revisions]
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
        "revisions": revisions, "entries": entries, "diff": diff, "a": a, "b": b,
        "can_edit": access.can(Action.EDIT_PLAN), "restore_form": restore_form,
    })


def section_restore(request, section_id):
    """GET (or a POST without `confirm`): what restoring revision N does, with the agreement it
    would undo; POST with `confirm`: restore it."""
    with denials_recorded(user=request.user, wanted=Action.EDIT_PLAN, locate=section_located,
                          subject_id=section_id, request=request):
        section, access = access_section(user=request.user, section_id=section_id, action=Action.EDIT_PLAN)
        form = RestoreForm(request.POST if request.method == "POST" else request.GET)
        if not form.is_valid():
            return _history_page(request, section, access, restore_form=form)
        number = form.cleaned_data["revision"]
        old = SectionRevision.objects.filter(section=section, number=number).select_related("author").first()
        if old is None:
            raise Http404
        if number == section.head_revision:
            form.add_error(None, _("Kies een oudere versie om terug te zetten."))
            return _history_page(request, section, access, restore_form=form)
        if request.method == "POST" and request.POST.get("confirm"):
            with refusals_on_form(form):
                result = services.section_restore(user=request.user, section_id=section.pk, revision=number,
                                                  request=request)
            if not form.errors:
                undone = result.replaced_status == Section.Status.AGREED
                messages.success(request, _("Versie %(old)s is teruggezet als versie %(new)s.")
                                 % {"old": number, "new": result.section["revision"]}
                                 + (" " + _("Het akkoord op dit onderdeel is daarmee vervallen: jullie geven "
                                            "allebei opnieuw akkoord (of niet).") if undone else ""))
                return redirect(f"{_plan_url(access.plan.family_id)}#section-{section.pk}")
    head = SectionRevision.objects.filter(section=section, number=section.head_revision).first()
    return render(request, "parentingplan/restore.html", {
        "section": section, "family": access.plan.family, "old": old, "head": head, "form": form,
        "new_number": section.head_revision + 1,
        "agreed_now": _names(_agreed_names(section, section.head_revision)),
        "is_agreed": section.status == Section.Status.AGREED,
        "plan_approved": bool(current_approvals(access.plan)) and not section.hidden,
        "diff": word_diff(head.content if head else "", old.content),
        "schedule_changes": (head.schedule if head else "") != old.schedule,
    }, status=400 if form.errors else 200)


class ApproveForm(forms.Form):
    """The confirm step: the version and the revisions the parent read ("<id>:<rev>,...")."""

    version = forms.IntegerField(min_value=1)
    revisions = forms.CharField(max_length=20_000, required=False)

    def clean_revisions(self):
        raw = self.cleaned_data["revisions"]
        pairs = {}
        for item in filter(None, raw.split(",")):
            key, _sep, value = item.partition(":")
            if not (key.isdigit() and value.isdigit()):
                raise forms.ValidationError(_("Laad de pagina opnieuw en probeer het nog eens."))
            pairs[str(int(key))] = int(value)
        return pairs


def plan_approve(request, family_id):
    """What approving the whole plan means, the sections it covers, and the confirmation (a page of
    its own: it works without JavaScript and on every phone). POST approves exactly the
    revisions that page showed."""
    access = _plan_for_family(request, family_id, Action.APPROVE_PLAN)
    if not access.can(Action.APPROVE_PLAN):  # practitioners and relatives: refused and recorded
        with denials_recorded(user=request.user, wanted=Action.APPROVE_PLAN, locate=family_located,
                              subject_id=family_id, request=request):
            raise PermissionDenied(_("Alleen de ouders keuren het plan goed."))
    plan = access.plan
    form = ApproveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusals_on_form(form):
            answer = services.plan_approve(user=request.user, plan_id=plan.pk,
                                           version=form.cleaned_data["version"],
                                           revisions=form.cleaned_data["revisions"], request=request)
        if not form.errors:
            parents = [{"id": pid, "name": m} for pid, m in _parent_names(plan).items()]
            others = _names(p["name"] for p in parents if p["id"] != request.user.pk) or _("de andere ouder")
            if answer["frozen"]:
                messages.success(request, _("Jullie hebben allebei goedgekeurd. Het plan is vastgelegd als "
                                            "versie %(n)s.") % {"n": answer["frozen"]})
                return redirect("parentingplan:version", family_id=family_id, number=answer["frozen"])
            messages.success(request, _("Je hebt versie %(n)s goedgekeurd. We wachten op %(others)s.")
                             % {"n": answer["version"], "others": others})
            return redirect("parentingplan:plan", family_id=family_id)
        plan.refresh_from_db()
    sections = visible_sections(access)
    shown = [s for s in sections if not s.hidden]
    revision_set = revision_set_now(plan)
    parents = _parent_names(plan)
    approvals = _approvals(plan, request.user, [{"id": k, "name": v} for k, v in parents.items()])
    return render(request, "parentingplan/approve.html", {
        "plan": plan, "family": plan.family, "sections": shown, "form": form,
        "complete": bool(shown) and all(s.status == Section.Status.AGREED for s in shown),
        "not_agreed": [s.title for s in shown if s.status != Section.Status.AGREED],
        "unchanged": services.unchanged_since_last_version(plan, revision_set),
        "revisions": ",".join(f"{pk}:{rev}" for pk, rev in revision_set.items()),
        "last_version": plan.versions.order_by("-number").first(),
        **approvals,
    }, status=400 if form.errors else 200)


def _parent_names(plan) -> dict[int, str]:
    ids = parent_ids(plan)
    names = dict(plan.family.memberships.filter(user_id__in=ids).values_list("user_id", "user__display_name"))
    return {pid: names.get(pid, "") for pid in ids}


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
    # The reference is free text: Django quotes or encodes it (a quote in it cannot end the header).
    response["Content-Disposition"] = content_disposition_header(
        True, f"ouderschapsplan-{access.plan.family.reference}-v{version.number}.pdf")
    return response


def _family_of_words(kind, item_id):
    """Where to go back to after a decision (the service checked access already)."""
    family_id, _details = words_located(("comment" if kind == "opmerking" else "opinion", item_id))
    return family_id
