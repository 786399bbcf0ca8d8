from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import Invalid
from core.views import refusals_on_form
from families.access import Action, require
from moderation import policy as escalation
from moderation import selectors, services
from moderation.forms import ContactModeForm, PolicyForm
from moderation.models import TONE_LEVELS, TONE_TAGS, ReturnReason


def contact_mode(request, family_id):
    """The coordinator changes the family's contact mode (the same as the family.mode.set frame)."""
    membership = require(user=request.user, family_id=family_id, action=Action.CHANGE_CONTACT_MODE,
                         request=request)
    state = selectors.contact_mode(family_id=membership.family_id)
    form = ContactModeForm(request.POST or None, initial={"mode": state.mode, "review_on": state.review_on})
    if request.method == "POST" and form.is_valid():
        with refusals_on_form(form):
            services.contact_mode_change(actor=request.user, family_id=membership.family_id, request=request,
                                         **form.cleaned_data)
        if not form.errors:
            messages.success(request, _("De manier van contact is veranderd. De ouders krijgen bericht."))
            return redirect("families:detail", family_id=membership.family_id)
    return render(request, "moderation/contact_mode.html", {
        "family": membership.family, "form": form, "state": state,
        "history": selectors.contact_mode_history(family_id=membership.family_id),
    })


def review_queue(request, family_id):
    """The family's review queue for its practitioners, made for one thumb on a phone. The items come
    live over the socket (review.join, static/js/review.js), which also records the read."""
    membership = require(user=request.user, family_id=family_id, action=Action.MODERATE, request=request)
    return render(request, "moderation/review.html", {
        "family": membership.family, "state": selectors.contact_mode(family_id=membership.family_id),
        "labels": {"reasons": {value: str(label) for value, label in ReturnReason.choices},
                   "levels": {k: str(v) for k, v in TONE_LEVELS.items()},
                   "tags": {k: str(v) for k, v in TONE_TAGS.items()}},
    })


def policy(request, family_id):
    """The family's escalation policy and limits, and its open alerts, for its practitioners."""
    membership = require(user=request.user, family_id=family_id, action=Action.MODERATE, request=request)
    current = escalation.policies(family_ids=[membership.family_id])[membership.family_id]
    form = PolicyForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        with refusals_on_form(form):
            escalation.policy_update(actor=request.user, family_id=membership.family_id,
                                     values=form.cleaned_data, request=request)
        if not form.errors:
            messages.success(request, _("Het beleid is opgeslagen."))
            return redirect("moderation:policy", family_id=membership.family_id)
    return render(request, "moderation/policy.html", {
        "family": membership.family, "form": form,
        "alerts": escalation.open_alerts(family_id=membership.family_id),
    })


@require_POST
def alert_acknowledge(request, family_id, alert_id):
    membership = require(user=request.user, family_id=family_id, action=Action.MODERATE, request=request)
    try:
        escalation.alert_acknowledge(actor=request.user, family_id=membership.family_id, alert_id=alert_id,
                                     request=request)
        messages.success(request, _("Het signaal is afgehandeld."))
    except Invalid as exc:
        messages.error(request, str(exc.detail))
    return redirect("moderation:policy", family_id=membership.family_id)
