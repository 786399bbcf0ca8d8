"""Pages of the trajectory's records (issue 12): consent (given and withdrawn by a parent, a child's
recorded by a practitioner, the written consent as a PDF) and the confidential dossier at
/gezin/<family id>/dossier/ (fixed: the family's practitioners open it, a parent or relative gets
403, anyone outside the family 404). Views parse and call one service."""

from __future__ import annotations

import re

from django import forms as django_forms
from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from audit import actions
from audit.services import audit_record
from core.errors import NotFound
from core.views import refusals_on_form
from families.access import Action
from families.access import require as access_require
from trajectories import consent, dossier, goals, selectors
from trajectories.models import Consent, GoalUpdate


class DecisionForm(django_forms.Form):
    decision = django_forms.ChoiceField(choices=Consent.Decision.choices)


class ChildConsentForm(DecisionForm):
    child = django_forms.IntegerField(min_value=1)


def download_name(*parts) -> str:
    """A file name for a download: the family's reference is free text (a practitioner types it),
    so everything but letters, digits, "." and "-" becomes "-": a quote or a line break in it can
    never end the header's value or break the response."""
    return re.sub(r"[^A-Za-z0-9.-]+", "-", "-".join(str(p) for p in parts)).strip("-")


def _back(membership):
    return redirect(reverse("trajectories:family", args=[membership.family_id]) + "#consent")


def _refused(request, membership, form):
    for error in form.non_field_errors() or [_("Kies: toestemming geven of intrekken.")]:
        messages.error(request, error)
    return _back(membership)


@require_POST
def consent_decide(request, family_id, trajectory_id):
    """A parent's own consent: given or withdrawn. No user is named in the post: it is always the
    one who is logged in."""
    membership, trajectory = selectors.access_trajectory(
        user=request.user, family_id=family_id, trajectory_id=trajectory_id,
        action=Action.GIVE_CONSENT, request=request,
    )
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _refused(request, membership, form)
    with refusals_on_form(form):
        consent.consent_decide(
            actor=request.user, family_id=membership.family_id, trajectory_id=trajectory.pk,
            decision=form.cleaned_data["decision"], request=request,
        )
    if form.errors:
        return _refused(request, membership, form)
    if form.cleaned_data["decision"] == Consent.Decision.GIVEN:
        messages.success(request, _("Je toestemming is vastgelegd. Je kunt hem altijd weer intrekken."))
    else:
        messages.success(
            request,
            _("Je hebt je toestemming ingetrokken. Je begeleider ziet dit meteen; er worden geen "
              "kindgesprekken meer gepland."),
        )
    return _back(membership)


@require_POST
def child_consent(request, family_id, trajectory_id):
    membership, trajectory = selectors.access_trajectory(
        user=request.user, family_id=family_id, trajectory_id=trajectory_id,
        action=Action.RECORD_CHILD_CONSENT, request=request,
    )
    form = ChildConsentForm(request.POST)
    if not form.is_valid():
        return _refused(request, membership, form)
    with refusals_on_form(form):
        consent.child_consent_record(
            actor=request.user, family_id=membership.family_id, trajectory_id=trajectory.pk,
            child_id=form.cleaned_data["child"], decision=form.cleaned_data["decision"], request=request,
        )
    if form.errors:
        return _refused(request, membership, form)
    messages.success(request, _("De toestemming van het kind is vastgelegd."))
    return _back(membership)


@require_GET
def consent_pdf(request, family_id, trajectory_id):
    """The written consent: every parent's (and child's) confirmations with their times."""
    from weasyprint import HTML

    membership, trajectory = selectors.access_trajectory(
        user=request.user, family_id=family_id, trajectory_id=trajectory_id, request=request
    )
    language = request.GET.get("lang") if request.GET.get("lang") in ("nl", "en") else None
    with translation.override(language or translation.get_language()):
        state = consent.consent_state(trajectory=trajectory)
        html = render_to_string(
            "trajectories/consent_pdf.html",
            {"family": membership.family, "trajectory": trajectory, "state": state, "now": timezone.now()},
        )
        pdf = HTML(string=html).write_pdf()
    with transaction.atomic():
        audit_record(
            action=actions.CONSENT_PDF_DOWNLOADED, actor=request.user, acting_role=membership.role,
            family=membership.family, target=trajectory, request=request,
        )
    response = HttpResponse(pdf, content_type="application/pdf")
    name = download_name("toestemming", membership.family.reference, trajectory.pk)
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response


# -- the confidential dossier ----------------------------------------------------------------------------


class NoteForm(django_forms.Form):
    body = django_forms.CharField(
        label=gettext_lazy("Nieuwe aantekening"), widget=django_forms.Textarea(attrs={"rows": 5}),
        max_length=dossier.NOTE_MAX_CHARS,
        error_messages={"required": gettext_lazy("Schrijf eerst een aantekening.")},
    )
    # Per family and per trajectory (issue 12, item 4): a note is about the family as a whole or
    # about one of its trajectories; the running one is chosen unless the practitioner says else.
    trajectory = django_forms.TypedChoiceField(
        label=gettext_lazy("Waar gaat de aantekening over?"), required=False, coerce=int, empty_value=None,
        widget=django_forms.RadioSelect,
    )

    def __init__(self, *args, trajectories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trajectory"].choices = [("", _("Het gezin als geheel"))] + [
            (t.pk, _trajectory_label(t)) for t in trajectories
        ]


def _trajectory_label(trajectory) -> str:
    values = {"name": trajectory.type.name, "day": date_format(trajectory.started_on, "DATE_FORMAT")}
    if trajectory.is_active:
        return _("Het traject %(name)s (loopt sinds %(day)s)") % values
    return _("Het traject %(name)s (begonnen %(day)s, afgesloten)") % values


def dossier_page(request, family_id):
    """/gezin/<family id>/dossier/: every GET is a read and is audited (dossier.dossier_read)."""
    if request.method == "POST":
        membership = dossier.access_dossier(
            user=request.user, family_id=family_id, action=Action.WRITE_DOSSIER, request=request
        )
        trajectories = selectors.trajectory_history(family_id=membership.family_id)
        form = NoteForm(request.POST, trajectories=trajectories)
        if form.is_valid():
            with refusals_on_form(form):
                dossier.dossier_note_add(
                    actor=request.user, family_id=membership.family_id,
                    body=form.cleaned_data["body"], trajectory_id=form.cleaned_data["trajectory"],
                    request=request,
                )
            if not form.errors:
                messages.success(request, _("De aantekening staat in het dossier."))
                return redirect("trajectories:dossier", family_id=membership.family_id)
    else:
        form = None
    membership, notes = dossier.dossier_read(user=request.user, family_id=family_id, request=request)
    trajectory = selectors.active_trajectory(family_id=membership.family_id)
    if form is None:
        form = NoteForm(
            trajectories=selectors.trajectory_history(family_id=membership.family_id),
            initial={"trajectory": trajectory.pk if trajectory is not None else ""},
        )
    return render(
        request,
        "trajectories/dossier.html",
        {"family": membership.family, "notes": notes, "form": form, "trajectory": trajectory},
        status=400 if form.is_bound and form.errors else 200,
    )


# -- working goals, the agreement and the code of conduct (issue 12, item 1) -----------------------------


class GoalForm(django_forms.Form):
    text = django_forms.CharField(max_length=goals.GOAL_MAX_CHARS)


class GoalUpdateForm(django_forms.Form):
    status = django_forms.ChoiceField(choices=GoalUpdate.Status.choices)
    note = django_forms.CharField(required=False, max_length=goals.NOTE_MAX_CHARS)


class ConfirmForm(django_forms.Form):
    seen = django_forms.CharField(required=False, max_length=64)


class CodeForm(django_forms.Form):
    file = django_forms.FileField(label=gettext_lazy("Gedragscode (pdf, hooguit 5 MB)"))


def _to_goals(membership):
    return redirect(reverse("trajectories:family", args=[membership.family_id]) + "#goals")


def _refused_goals(request, membership, form, fallback):
    errors = [e for field_errors in form.errors.values() for e in field_errors] or [fallback]
    for error in errors:
        messages.error(request, error)
    return _to_goals(membership)


@require_POST
def goal_add(request, family_id, trajectory_id):
    membership, trajectory = selectors.access_trajectory(
        user=request.user, family_id=family_id, trajectory_id=trajectory_id,
        action=Action.WRITE_GOALS, request=request,
    )
    form = GoalForm(request.POST)
    if form.is_valid():
        with refusals_on_form(form):
            goals.goal_add(actor=request.user, family_id=membership.family_id, trajectory_id=trajectory.pk,
                           text=form.cleaned_data["text"], request=request)
    if not form.is_valid() or form.errors:
        return _refused_goals(request, membership, form, _("Schrijf eerst het doel op."))
    messages.success(request, _("Het doel staat erbij. De ouders wordt gevraagd opnieuw akkoord te gaan."))
    return _to_goals(membership)


@require_POST
def goal_update(request, family_id, goal_id):
    membership = access_require(user=request.user, family_id=family_id, action=Action.WRITE_GOALS,
                                request=request)
    form = GoalUpdateForm(request.POST)
    if form.is_valid():
        with refusals_on_form(form):
            goals.goal_update(actor=request.user, family_id=membership.family_id, goal_id=goal_id,
                              status=form.cleaned_data["status"], note=form.cleaned_data["note"],
                              request=request)
    if not form.is_valid() or form.errors:
        return _refused_goals(
            request, membership, form, _("Kies een status: open, bezig, bereikt of gestopt.")
        )
    messages.success(request, _("De voortgang is vastgelegd."))
    return _to_goals(membership)


@require_POST
def agreement_confirm(request, family_id, trajectory_id):
    """A parent's own confirmation. No user is named in the post: it is always the one logged in."""
    membership, trajectory = selectors.access_trajectory(
        user=request.user, family_id=family_id, trajectory_id=trajectory_id,
        action=Action.CONFIRM_AGREEMENT, request=request,
    )
    form = ConfirmForm(request.POST)
    if form.is_valid():
        with refusals_on_form(form):
            goals.agreement_confirm(actor=request.user, family_id=membership.family_id,
                                    trajectory_id=trajectory.pk, seen_hash=form.cleaned_data["seen"],
                                    request=request)
    if not form.is_valid() or form.errors:
        return _refused_goals(request, membership, form, _("Dat lukte niet. Probeer het opnieuw."))
    messages.success(request, _("Je bent akkoord gegaan met de afspraken. Je begeleider ziet dat."))
    return _to_goals(membership)


@require_POST
def code_receipt(request, family_id):
    membership = access_require(user=request.user, family_id=family_id, action=Action.CONFIRM_AGREEMENT,
                                request=request)
    form = ConfirmForm(request.POST)
    if form.is_valid():
        with refusals_on_form(form):
            goals.code_receipt_confirm(actor=request.user, family_id=membership.family_id,
                                       document_id=form.cleaned_data["seen"], request=request)
    if not form.is_valid() or form.errors:
        return _refused_goals(request, membership, form, _("Dat lukte niet. Probeer het opnieuw."))
    messages.success(request, _("Vastgelegd: je hebt de gedragscode ontvangen."))
    return _to_goals(membership)


@require_GET
def code_download(request):
    """The practice's code of conduct, to members of a family with a trajectory (404 to others)."""
    if not request.user.is_authenticated:
        raise NotFound()
    code = goals.code_for_download(user=request.user)
    response = HttpResponse(bytes(code.content), content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="gedragscode.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def code_upload(request):
    """/gedragscode/nieuw/: a practitioner who may open cases puts the practice's document ready."""
    if not goals.may_upload_code(request.user):
        raise NotFound()
    form = CodeForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > goals.CODE_MAX_BYTES:
            form.add_error(
                "file", _("Het bestand is groter dan 5 MB. Maak het kleiner en probeer het opnieuw.")
            )
        else:
            with refusals_on_form(form, "file"):
                goals.code_upload(actor=request.user, name=upload.name, content=upload.read(),
                                  request=request)
            if not form.errors:
                messages.success(
                    request, _("De gedragscode staat klaar. Ouders bevestigen dat ze hem ontvingen.")
                )
                return redirect("trajectories:code_upload")
    return render(
        request, "trajectories/code_upload.html", {"form": form, "code": goals.current_code()},
        status=400 if form.is_bound and form.errors else 200,
    )
