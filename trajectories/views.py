"""The trajectory pages. The family's page is /gezin/<family id>/traject/ (fixed): parents see
"Ons traject", practitioners the page they run it from, a relative only the talks they take part
in; to anyone outside the family it does not exist (404). Views parse and call one service."""

from __future__ import annotations

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from audit import actions
from audit.services import audit_practitioner_view
from core.views import refusals_on_form
from families.access import Action, can, require
from families.models import Membership, Role
from trajectories import evaluations, goals, ical, reports, selectors, services
from trajectories.consent import consent_state
from trajectories.escalation import REST_DAYS, way_up_for
from trajectories.forms import DismissForm, EndForm, StartForm, SwitchForm, TalkAddForm, TalkForm
from trajectories.models import CalendarFeed, GoalUpdate, Talk, Trajectory
from trajectories.types import TYPES, TalkKind


def _family_page(request, membership, trajectory: Trajectory | None, *, extra: dict | None = None,
                 status: int = 200):
    """The family's trajectory page for this member. `extra` (with `status`): what a refused post
    shows on it again, e.g. a parent's evaluation input with the reason it was not kept."""
    family = membership.family
    if not can(membership, Action.VIEW_TRAJECTORY):
        # A relative: only the talks they take part in, nothing of the trajectory itself.
        talks = []
        if trajectory is not None:
            talks = [
                t
                for t in selectors.trajectory_talks(trajectory=trajectory, membership=membership)
                if selectors.takes_part(membership, t)
            ]
        return render(
            request,
            "trajectories/relative.html",
            {
                "family": family,
                "membership": membership,
                "talks": talks,
                "upcoming": selectors.upcoming(talks),
            },
        )
    audit_practitioner_view(
        action=actions.TRAJECTORY_VIEWED, membership=membership, target=trajectory or family, request=request
    )
    context = {
        "family": family,
        "membership": membership,
        "trajectory": trajectory,
        "history": [t for t in selectors.trajectory_history(family_id=family.pk) if t != trajectory],
    }
    if trajectory is not None:
        talks = selectors.trajectory_talks(trajectory=trajectory, membership=membership)
        phases = selectors.phases_of(trajectory, talks)
        context.update(
            talks=talks,
            phases=phases,
            upcoming=selectors.upcoming(talks),
            span=selectors.span_of(trajectory, talks),
            current_phase=next((p for p in phases if p.state == "current"), None),
        )
        state = consent_state(trajectory=trajectory)
        context["consent"] = state
        if can(membership, Action.GIVE_CONSENT):
            context["my_consent"] = state.parent(membership.user_id)
        agreement = goals.agreement_state(trajectory=trajectory)
        context.update(
            agreement=agreement,
            statuses=GoalUpdate.Status.choices,
            may_write_goals=can(membership, Action.WRITE_GOALS),
            may_upload_code=goals.may_upload_code(request.user),
        )
        if can(membership, Action.CONFIRM_AGREEMENT):
            context["my_agreement"] = agreement.parent(membership.user_id)
        if can(membership, Action.EVALUATE):
            context.update(evaluations.practitioner_side(trajectory=trajectory))
        elif can(membership, Action.GIVE_EVALUATION_INPUT):
            context["evaluation_side"] = evaluations.parent_side(trajectory=trajectory, membership=membership)
        context.update(reports.page_context(membership=membership, trajectory=trajectory))
    if membership.is_practitioner:
        context.update(
            may_manage=selectors.may_manage(membership),
            may_change_mode=can(membership, Action.CHANGE_CONTACT_MODE),
            way_up=way_up_for(trajectory) if trajectory is not None else None,
            to_mark=[t for t in context.get("talks", []) if t.is_upcoming and t.ends_at < timezone.now()],
        )
        return render(request, "trajectories/manage.html", context)
    context["asks"] = _records_asks(context, trajectory) + (
        selectors.asks_for_parent(
            trajectory=trajectory, phases=context["phases"], talks=context["talks"], membership=membership
        )
        if trajectory is not None
        else []
    )
    context.update(extra or {})
    return render(request, "trajectories/ours.html", context, status=status)


def _records_asks(context, trajectory) -> list[selectors.Ask]:
    """What the trajectory's records ask of this parent, first on "Ons traject" and in this order:
    the consent they have not decided on yet, when the trajectory has talks with the children (a
    withdrawal is their decision: it is not asked again), the goals to agree with, the code of
    conduct to confirm, the input for the coming evaluation, and each shared report they have not
    opened yet."""
    if trajectory is None:
        return []
    asks = []
    active = trajectory.is_active
    consent = context.get("my_consent")
    if active and consent is not None and consent.latest is None and _has_child_talks(trajectory):
        asks.append(
            selectors.Ask(_("Geef je toestemming voor gesprekken met de kinderen."), anchor="consent")
        )
    agreement, mine = context["agreement"], context.get("my_agreement")
    if active and mine is not None:
        if agreement.goals and mine.confirmed is None:
            asks.append(selectors.Ask(_("Lees de doelen en ga akkoord met de afspraken."), anchor="goals"))
        if agreement.code is not None and mine.receipt is None:
            asks.append(
                selectors.Ask(_("Lees de gedragscode en bevestig dat je hem hebt ontvangen."), anchor="goals")
            )
    side = context.get("evaluation_side")
    if side is not None and side.coming is not None and not side.gave_for_coming:
        asks.append(
            selectors.Ask(
                _("Geef je inbreng voor de evaluatie van %(day)s (alleen je begeleider leest hem).")
                % {"day": date_format(side.coming.due_on, "DATE_FORMAT")},
                anchor="evaluation",
            )
        )
    for item in context.get("reports", []):
        if item.unread:
            asks.append(
                selectors.Ask(
                    _("Lees het rapport van je begeleider: %(title)s. Je kunt erop reageren.")
                    % {"title": item.title},
                    url=reverse("trajectories:report", args=[trajectory.family_id, item.report.pk]),
                )
            )
    return asks


def _has_child_talks(trajectory: Trajectory) -> bool:
    return (
        Talk.objects.filter(trajectory=trajectory, kind=TalkKind.CHILD)
        .exclude(status=Talk.Status.CANCELLED)
        .exists()
    )


def family(request, family_id):
    """/gezin/<id>/traject/: the running trajectory, else the last one."""
    membership = require(user=request.user, family_id=family_id, action=Action.VIEW_FAMILY, request=request)
    return _family_page(request, membership, selectors.current_trajectory(family_id=membership.family_id))


def detail(request, family_id, trajectory_id):
    """An earlier trajectory of the family."""
    membership, trajectory = selectors.access_trajectory(
        user=request.user, family_id=family_id, trajectory_id=trajectory_id, request=request
    )
    return _family_page(request, membership, trajectory)


def start(request, family_id):
    membership = require(
        user=request.user, family_id=family_id, action=Action.MANAGE_TRAJECTORY, request=request
    )
    running = selectors.active_trajectory(family_id=membership.family_id)
    latest = selectors.current_trajectory(family_id=membership.family_id)
    suggested = latest.type.followed_by if latest is not None and not latest.is_active else ""
    return render(
        request,
        "trajectories/start_choose.html",
        {
            "family": membership.family,
            "running": running,
            "types": list(TYPES.values()),
            "suggested": suggested,
        },
    )


def start_type(request, family_id, type_key):
    membership = require(
        user=request.user, family_id=family_id, action=Action.MANAGE_TRAJECTORY, request=request
    )
    kind = TYPES.get(type_key)
    if kind is None:
        raise Http404
    latest = selectors.current_trajectory(family_id=membership.family_id)
    initial = {"started_on": timezone.localdate(), **({"region": latest.region} if latest else {})}
    form = StartForm(request.POST or None, kind=kind, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with refusals_on_form(form):
            services.trajectory_start(
                actor=request.user,
                family_id=membership.family_id,
                type_key=kind.key,
                started_on=data["started_on"],
                at=data["at"],
                region=data["region"],
                place=data["place"],
                options=form.options(),
                request=request,
            )
        if not form.errors:
            messages.success(
                request,
                _(
                    "Het traject is gestart. De gesprekken staan klaar met voorgestelde data: "
                    "verzet ze waar nodig."
                ),
            )
            return redirect("trajectories:family", family_id=membership.family_id)
    return render(
        request,
        "trajectories/start_form.html",
        {
            "family": membership.family,
            "kind": kind,
            "form": form,
            "running": selectors.active_trajectory(family_id=membership.family_id),
        },
    )


def talk(request, family_id, talk_id):
    """A talk: its details for everyone who may see it; for practitioners also the form to move or
    change it (posted here) and the buttons to mark it held or cancel it."""
    membership, found = selectors.access_talk(
        user=request.user, family_id=family_id, talk_id=talk_id, request=request
    )
    manage = selectors.may_manage(membership)
    form = None
    if request.method == "POST":
        # Only practitioners change a talk: a parent's post is refused (403) and recorded.
        require(user=request.user, family_id=family_id, action=Action.MANAGE_TRAJECTORY, request=request)
        if not found.is_upcoming:
            messages.error(request, _("Dit gesprek is al gehouden of afgezegd; het verandert niet meer."))
            return redirect("trajectories:talk", family_id=membership.family_id, talk_id=found.pk)
    if manage and found.is_upcoming:
        form = TalkForm.for_talk(found, data=request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            with refusals_on_form(form):
                _talk, changed = services.talk_update(
                    actor=request.user,
                    family_id=membership.family_id,
                    talk_id=found.pk,
                    starts_at=form.starts_at(),
                    minutes=form.cleaned_data["minutes"],
                    place=form.cleaned_data["place"],
                    address=form.cleaned_data["address"],
                    user_ids=form.user_ids(),
                    child_ids=form.child_ids(),
                    request=request,
                )
            if not form.errors:
                messages.success(
                    request,
                    _("Het gesprek is gewijzigd. Wie meedoet, krijgt bericht.")
                    if changed
                    else _("Er was niets veranderd."),
                )
                return redirect("trajectories:family", family_id=membership.family_id)
    if membership.is_practitioner:
        audit_practitioner_view(
            action=actions.TRAJECTORY_VIEWED, membership=membership, target=found.trajectory, request=request
        )
    return render(
        request,
        "trajectories/talk.html",
        {
            "family": membership.family,
            "membership": membership,
            "talk": found,
            "form": form,
            "manage": manage,
            "takes_part": selectors.takes_part(membership, found),
            "show_address": membership.is_practitioner or selectors.takes_part(membership, found),
            "started": found.starts_at <= timezone.now(),
        },
    )


@require_GET
def talk_ics(request, family_id, talk_id):
    membership, found = selectors.access_talk(
        user=request.user, family_id=family_id, talk_id=talk_id, request=request
    )
    body = ical.talk_file(found, membership=membership, user=request.user)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="afspraak-{found.pk}.ics"'
    return response


def _talk_settle(request, family_id, talk_id, *, service, done: str):
    """Mark a talk held or cancel it: one service call. A refusal (not begun yet, a consent
    missing, already settled) shows the talk's page with the reason (409). `done` may name the
    talk as %(talk)s."""
    membership, found = selectors.access_talk(
        user=request.user, family_id=family_id, talk_id=talk_id, request=request
    )
    form = django_forms.Form(request.POST)
    with refusals_on_form(form):
        service(actor=request.user, family_id=membership.family_id, talk_id=found.pk, request=request)
    if form.errors:
        return _refused(request, membership, found, form)
    messages.success(request, done % {"talk": found.title})
    return redirect("trajectories:family", family_id=membership.family_id)


@require_POST
def talk_hold(request, family_id, talk_id):
    return _talk_settle(
        request, family_id, talk_id, service=services.talk_hold, done=_("Vastgelegd: %(talk)s is gehouden.")
    )


@require_POST
def talk_cancel(request, family_id, talk_id):
    return _talk_settle(
        request,
        family_id,
        talk_id,
        service=services.talk_cancel,
        done=_("Het gesprek is afgezegd. Wie meedoet, krijgt bericht."),
    )


def _refused(request, membership, found, form):
    return render(
        request,
        "trajectories/talk.html",
        {
            "family": membership.family,
            "membership": membership,
            "talk": found,
            "form": None,
            "manage": selectors.may_manage(membership),
            "refusal": form,
            "show_address": True,
            "started": found.starts_at <= timezone.now(),
        },
        status=409,
    )


def talk_add(request, family_id):
    membership = require(
        user=request.user, family_id=family_id, action=Action.MANAGE_TRAJECTORY, request=request
    )
    trajectory = selectors.active_trajectory(family_id=membership.family_id)
    if trajectory is None:
        messages.error(request, _("Er loopt geen traject. Start eerst een traject."))
        return redirect("trajectories:family", family_id=membership.family_id)
    initial = {}
    if request.GET.get("soort") == "evaluatie":  # "plan an evaluation" on the trajectory page
        parents = Membership.objects.active().filter(family_id=membership.family_id, role=Role.PARENT)
        initial = {"kind": TalkKind.EVALUATION, "people": [f"u{p.user_id}" for p in parents]}
    form = TalkAddForm(request.POST or None, trajectory=trajectory, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with refusals_on_form(form):
            services.talk_add(
                actor=request.user,
                family_id=membership.family_id,
                kind=data["kind"],
                phase=data["phase"],
                starts_at=form.starts_at(),
                minutes=data["minutes"],
                place=data["place"],
                address=data["address"],
                user_ids=form.user_ids(),
                child_ids=form.child_ids(),
                request=request,
            )
        if not form.errors:
            messages.success(request, _("Het gesprek is gepland. Wie meedoet, krijgt bericht."))
            return redirect("trajectories:family", family_id=membership.family_id)
    return render(
        request,
        "trajectories/talk_add.html",
        {"family": membership.family, "form": form, "trajectory": trajectory},
    )


def end(request, family_id, trajectory_id):
    membership, trajectory = selectors.access_trajectory(
        user=request.user,
        family_id=family_id,
        trajectory_id=trajectory_id,
        action=Action.MANAGE_TRAJECTORY,
        request=request,
    )
    form = EndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusals_on_form(form):
            services.trajectory_end(
                actor=request.user,
                family_id=membership.family_id,
                trajectory_id=trajectory.pk,
                outcome=form.cleaned_data["outcome"],
                reason=form.cleaned_data["reason"],
                request=request,
            )
        if not form.errors:
            messages.success(
                request, _("Het traject is afgesloten. Gesprekken die nog kwamen, zijn afgezegd.")
            )
            return redirect("trajectories:family", family_id=membership.family_id)
    return render(
        request,
        "trajectories/end.html",
        {"family": membership.family, "trajectory": trajectory, "form": form},
    )


def switch(request, family_id, trajectory_id):
    """The way up: stop a mediation and start parallel parenting (the practitioner decides, with a
    reason), or let the suggestion rest for a while."""
    membership, trajectory = selectors.access_trajectory(
        user=request.user,
        family_id=family_id,
        trajectory_id=trajectory_id,
        action=Action.MANAGE_TRAJECTORY,
        request=request,
    )
    if not trajectory.type.way_up_to or not trajectory.is_active:
        raise Http404
    to_kind = TYPES[trajectory.type.way_up_to]
    posted = request.POST if request.method == "POST" else None
    switch_form = SwitchForm(
        posted if posted and "switch" in posted else None, initial={"started_on": timezone.localdate()}
    )
    dismiss_form = DismissForm(posted if posted and "dismiss" in posted else None)
    if posted and "switch" in posted and switch_form.is_valid():
        data = switch_form.cleaned_data
        with refusals_on_form(switch_form):
            services.trajectory_switch(
                actor=request.user,
                family_id=membership.family_id,
                trajectory_id=trajectory.pk,
                reason=data["reason"],
                started_on=data["started_on"],
                at=data["at"],
                request=request,
            )
        if not switch_form.errors:
            messages.success(
                request,
                _("Het traject is omgezet naar %(type)s. De gesprekken staan klaar met voorgestelde data.")
                % {"type": to_kind.name},
            )
            return redirect("trajectories:family", family_id=membership.family_id)
    if posted and "dismiss" in posted and dismiss_form.is_valid():
        with refusals_on_form(dismiss_form):
            services.way_up_dismiss(
                actor=request.user,
                family_id=membership.family_id,
                trajectory_id=trajectory.pk,
                note=dismiss_form.cleaned_data["note"],
                request=request,
            )
        if not dismiss_form.errors:
            messages.success(
                request,
                _(
                    "Het voorstel komt over %(days)d dagen terug als het contact dan nog "
                    "steeds niet direct is."
                )
                % {"days": REST_DAYS},
            )
            return redirect("families:home")
    return render(
        request,
        "trajectories/switch.html",
        {
            "family": membership.family,
            "trajectory": trajectory,
            "to_kind": to_kind,
            "suggestion": way_up_for(trajectory),
            "switch_form": switch_form,
            "dismiss_form": dismiss_form,
            "rest_days": REST_DAYS,
        },
    )


# -- the calendar feed --------------------------------------------------------------------------------


def calendar_link(request):
    """Where a user makes (or makes anew, or stops) their private calendar address. The address is
    in the answer to the POST only: it is not stored, so it cannot be shown again later."""
    feed = CalendarFeed.objects.filter(user=request.user).first()
    made = None
    if request.method == "POST":
        if "stop" in request.POST:
            services.calendar_feed_stop(user=request.user, request=request)
            messages.success(request, _("De agenda-link is uitgezet. Je agenda krijgt geen afspraken meer."))
            return redirect("trajectories:calendar")
        token = services.calendar_feed_make(user=request.user, request=request)
        made = request.build_absolute_uri(reverse("trajectories:feed", args=[token]))
        feed = CalendarFeed.objects.filter(user=request.user).first()
    return render(
        request,
        "trajectories/calendar.html",
        {
            "feed": feed,
            "made": made,
            "webcal": made.replace("https://", "webcal://").replace("http://", "webcal://") if made else None,
        },
    )


@login_not_required
@require_GET
def feed(request, token):
    """The private feed, reached by calendar apps without a login: the secret in the address is the
    key. An unknown or replaced address is 404, like any address that is not there."""
    user = services.calendar_feed_user(token=token)
    if user is None:
        raise Http404
    response = HttpResponse(ical.feed_for_user(user), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="kompas.ics"'
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
