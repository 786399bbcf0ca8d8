"""The report pages (issue 12, item 5), under /gezin/<family id>/traject/: write a draft, edit it,
share it, read a shared one, respond to it, download it as a PDF. Rules in trajectories.reports."""

from __future__ import annotations

from django import forms as django_forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from core.errors import NotFound
from core.views import refusals_on_form
from families.access import Action, can, require
from trajectories import reports, reports_due, selectors
from trajectories.models import Report, ReportShare
from trajectories.records_views import download_name


class StartForm(django_forms.Form):
    reason = django_forms.ChoiceField(
        label=gettext_lazy("Aanleiding"), choices=Report.Reason.choices, widget=django_forms.RadioSelect,
        error_messages={"required": gettext_lazy("Kies de aanleiding van het rapport.")},
    )
    phase = django_forms.ChoiceField(label=gettext_lazy("Welke fase is afgelopen?"), required=False)

    def __init__(self, *args, trajectory, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phase"].choices = [("", _("(niet van toepassing)"))] + [
            (p.key, str(p.title)) for p in trajectory.type.phases
        ]


def _area(label, help_text=""):
    return django_forms.CharField(label=label, help_text=help_text, required=False,
                                  max_length=reports.SECTION_MAX_CHARS,
                                  widget=django_forms.Textarea(attrs={"rows": 8}))


class DraftForm(StartForm):
    goals = _area(gettext_lazy("Doelen en resultaten"))
    talks = _area(gettext_lazy("Gehouden gesprekken"))
    agreements = _area(gettext_lazy("Afspraken"),
                       gettext_lazy("Uit de laatste vastgelegde versie van het ouderschapsplan."))
    children = _area(gettext_lazy("De stem van de kinderen"),
                     gettext_lazy("Wat de kinderen vertelden en wat zij belangrijk vinden."))
    advice = _area(gettext_lazy("Advies of nazorg"))
    version = django_forms.IntegerField(widget=django_forms.HiddenInput, min_value=1)


class ShareForm(django_forms.Form):
    version = django_forms.IntegerField(widget=django_forms.HiddenInput, min_value=1)
    checked = django_forms.BooleanField(
        label=gettext_lazy("Ik heb het rapport nagelezen. Na het delen kan het niet meer worden gewijzigd."),
    )


class ResponseForm(django_forms.Form):
    body = django_forms.CharField(
        label=gettext_lazy("Jouw reactie"), max_length=reports.RESPONSE_MAX_CHARS,
        error_messages={"required": gettext_lazy("Schrijf eerst je reactie.")},
        widget=django_forms.Textarea(attrs={"rows": 6}),
    )


def _to_report(membership, report):
    return redirect("trajectories:report", family_id=membership.family_id, report_id=report.pk)


def report_new(request, family_id, trajectory_id):
    """Start a draft: the practitioner picks the reason (and the phase that ended)."""
    membership, trajectory = selectors.access_trajectory(
        user=request.user, family_id=family_id, trajectory_id=trajectory_id, action=Action.WRITE_REPORT,
        request=request,
    )
    initial = {}
    if request.GET.get("fase") in [p.key for p in trajectory.type.phases]:
        initial = {"reason": Report.Reason.PHASE_END, "phase": request.GET["fase"]}
    elif not trajectory.is_active:
        initial = {"reason": Report.Reason.TRAJECTORY_END}
    form = StartForm(request.POST or None, trajectory=trajectory, initial=initial)
    if request.method == "POST" and form.is_valid():
        with refusals_on_form(form):
            report = reports.report_start(
                actor=request.user, family_id=membership.family_id, trajectory_id=trajectory.pk,
                reason=form.cleaned_data["reason"], phase=form.cleaned_data["phase"], request=request,
            )
        if not form.errors:
            messages.success(request, _("Het concept staat klaar, ingevuld met wat er is vastgelegd. "
                                        "Alleen begeleiders zien het tot je het deelt."))
            return redirect("trajectories:report_edit", family_id=membership.family_id, report_id=report.pk)
    return render(
        request, "trajectories/report_new.html",
        {"family": membership.family, "trajectory": trajectory, "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


def report_edit(request, family_id, report_id):
    """The draft's texts, for the family's practitioners. Once shared, nothing here changes it."""
    # Practitioners only: a parent who tries the address of a shared report's editor is refused
    # (403, in the family's access log) as for any practitioner's page.
    require(user=request.user, family_id=family_id, action=Action.WRITE_REPORT, request=request)
    membership, report = reports.access_report(
        user=request.user, family_id=family_id, report_id=report_id, request=request
    )
    if reports.is_shared(report):
        messages.error(request, reports.shared_refusal_text())
        return _to_report(membership, report)
    trajectory = report.trajectory
    initial = {key: getattr(report, key) for key in (*reports.SECTIONS, "reason", "phase", "version")}
    form = DraftForm(request.POST or None, trajectory=trajectory, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with refusals_on_form(form):
            reports.report_save(
                actor=request.user, family_id=membership.family_id, report_id=report.pk,
                seen_version=data["version"], reason=data["reason"], phase=data["phase"], request=request,
                **{key: data[key] for key in reports.SECTIONS},
            )
        if not form.errors:
            messages.success(request, _("Het concept is bewaard."))
            return redirect("trajectories:report_edit", family_id=membership.family_id, report_id=report.pk)
    return render(
        request, "trajectories/report_edit.html",
        {
            "family": membership.family, "trajectory": trajectory, "report": report, "form": form,
            "title": reports.report_title(trajectory=trajectory, reason=report.reason, phase=report.phase),
            "share_form": ShareForm(initial={"version": report.version}, auto_id="share_%s"),
        },
        status=(409 if reports.is_shared(report) else 400) if form.is_bound and form.errors else 200,
    )


@require_POST
def report_share(request, family_id, report_id):
    require(user=request.user, family_id=family_id, action=Action.WRITE_REPORT, request=request)
    membership, report = reports.access_report(
        user=request.user, family_id=family_id, report_id=report_id, request=request
    )
    form = ShareForm(request.POST, auto_id="share_%s")
    if not form.is_valid():
        messages.error(request, _("Vink aan dat je het rapport hebt nagelezen; daarna kun je het delen."))
        return redirect("trajectories:report_edit", family_id=membership.family_id, report_id=report.pk)
    with refusals_on_form(form):
        reports.report_share(actor=request.user, family_id=membership.family_id, report_id=report.pk,
                             seen_version=form.cleaned_data["version"], request=request)
    if form.errors:
        for error in form.non_field_errors():
            messages.error(request, error)
        if reports.is_shared(report):
            return _to_report(membership, report)
        return redirect("trajectories:report_edit", family_id=membership.family_id, report_id=report.pk)
    messages.success(request, _("Het rapport is gedeeld. De ouders krijgen een e-mail dat het klaarstaat."))
    return _to_report(membership, report)


def _shared(report) -> reports.SharedReport | None:
    share = ReportShare.objects.filter(report=report).select_related("trajectory").first()
    return reports.shared_report(share) if share is not None else None


@require_GET
def report_page(request, family_id, report_id):
    """A shared report: for its parents and the practitioners, with the responses and (for a parent)
    the form to add one. A draft sends a practitioner to its editor; a parent gets 403. A parent's
    first look is kept (reports.report_opened): "Ons traject" stops asking them to read it."""
    membership, report = reports.access_report(
        user=request.user, family_id=family_id, report_id=report_id, request=request
    )
    shared = _shared(report)
    if shared is None:
        return redirect("trajectories:report_edit", family_id=membership.family_id, report_id=report.pk)
    reports.report_opened(membership=membership, share=shared.share)
    return _render_page(request, membership, report, shared, ResponseForm())


def _render_page(request, membership, report, shared, form, status=200):
    may_respond = can(membership, Action.RESPOND_REPORT)
    mine = sum(1 for r in shared.responses if r.user_id == request.user.pk)
    return render(
        request, "trajectories/report.html",
        {
            "family": membership.family, "trajectory": report.trajectory, "report": report, "shared": shared,
            "form": form if may_respond and mine < reports.RESPONSES_PER_PARENT else None,
            "may_respond": may_respond, "responses_left": reports.RESPONSES_PER_PARENT - mine,
        },
        status=status,
    )


@require_POST
def report_respond(request, family_id, report_id):
    membership, report = reports.access_report(
        user=request.user, family_id=family_id, report_id=report_id, request=request
    )
    form = ResponseForm(request.POST)
    if form.is_valid():
        with refusals_on_form(form, "body"):
            reports.report_respond(actor=request.user, family_id=membership.family_id, report_id=report.pk,
                                   body=form.cleaned_data["body"], request=request)
        if not form.errors:
            messages.success(request, _("Je reactie is bewaard bij het rapport."))
            url = reverse("trajectories:report", args=[membership.family_id, report.pk])
            return redirect(url + "#responses")
    shared = _shared(report)
    if shared is None:
        raise NotFound()
    return _render_page(request, membership, report, shared, form, status=400)


@require_GET
def report_pdf(request, family_id, report_id):
    """The shared report as a PDF: its texts, the hash, when it was shared and by whom, and every
    response as an appendix (both parents get the same document)."""
    from weasyprint import HTML

    membership, report = reports.access_report(
        user=request.user, family_id=family_id, report_id=report_id, request=request
    )
    shared = _shared(report)
    if shared is None:
        raise NotFound()  # a draft has no PDF
    reports.report_opened(membership=membership, share=shared.share)
    language = request.GET.get("lang") if request.GET.get("lang") in ("nl", "en") else None
    with translation.override(language or translation.get_language()):
        html = render_to_string(
            "trajectories/report_pdf.html",
            {"family": membership.family, "trajectory": report.trajectory, "shared": shared,
             "now": timezone.now(), "hash_algorithm": reports.HASH_ALGORITHM},
        )
        pdf = HTML(string=html).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    name = download_name("rapport", membership.family.reference, report.pk)
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response


class WaiveForm(django_forms.Form):
    reason = django_forms.CharField(
        label=gettext_lazy("Waarom is er geen rapport nodig?"),
        max_length=reports_due.WAIVER_REASON_MAX_CHARS,
        error_messages={"required": gettext_lazy("Schrijf kort op waarom er geen rapport nodig is.")},
        help_text=gettext_lazy("Alleen voor begeleiders; ouders zien dit niet."),
        widget=django_forms.Textarea(attrs={"rows": 3}),
    )


def report_waive(request, family_id, trajectory_id):
    """"No report needed" for a trajectory's end or one of its phases (?fase=<key>), with a reason:
    it leaves the practitioners' "reports to write". Rules in trajectories.reports_due."""
    membership, trajectory = selectors.access_trajectory(
        user=request.user, family_id=family_id, trajectory_id=trajectory_id, action=Action.WRITE_REPORT,
        request=request,
    )
    phase = request.GET.get("fase", "")[:40]  # an unknown phase is refused by the service, on the form
    form = WaiveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusals_on_form(form):
            reports_due.report_waive(
                actor=request.user, family_id=membership.family_id, trajectory_id=trajectory.pk, phase=phase,
                reason=form.cleaned_data["reason"], request=request,
            )
        if not form.errors:
            messages.success(request, _("Vastgelegd: hiervoor is geen rapport nodig."))
            return redirect("families:home")
    return render(
        request, "trajectories/report_waive.html",
        {
            "family": membership.family, "trajectory": trajectory, "form": form,
            "phase_title": reports.phase_title(trajectory, phase) if phase else "",
        },
        status=400 if form.is_bound and form.errors else 200,
    )
