from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from audit import actions
from audit.services import audit_practitioner_view, audit_record
from core.views import refusals_on_form
from families.access import Action, can, denials_recorded
from messaging import extensions, services
from messaging.records import thread_export, verify_thread
from messaging.selectors import access_thread, thread_located, thread_relatives
from messaging.services import MAX_BODY_CHARS, Participation


def _access(request, thread_id):
    """The thread if the user may read it; otherwise the 404 page, and the refusal is recorded."""
    with denials_recorded(user=request.user, wanted="read_thread", locate=thread_located,
                          subject_id=thread_id, request=request):
        return access_thread(user=request.user, thread_id=thread_id)


class ParticipantForm(forms.Form):
    user = forms.IntegerField(error_messages={"invalid": gettext_lazy("Kies een familielid."),
                                              "required": gettext_lazy("Kies een familielid.")})
    participation = forms.ChoiceField(choices=Participation.choices, error_messages={
        "invalid_choice": gettext_lazy("Kies of dit familielid meeleest, ook schrijft of niet meedoet."),
        "required": gettext_lazy("Kies of dit familielid meeleest, ook schrijft of niet meedoet.")})


def _thread_page(request, access, *, participant_form=None):
    """The thread page; after a refused participant choice, with its errors next to the relative it
    was about (or above the list when it was about nobody there) and the choice as posted."""
    relatives = None
    if can(access.membership, Action.MANAGE_THREAD_PARTICIPANTS):
        relatives = thread_relatives(thread=access.thread)
    participant_errors = None
    if participant_form is not None:
        participant_errors = [e for errors in participant_form.errors.values() for e in errors]
        posted_user = participant_form.data.get("user", "")
        for relative in relatives or []:
            if str(relative["user"].pk) == posted_user:
                relative["participation"] = participant_form.data.get("participation", "")
                relative["errors"], participant_errors = participant_errors, None
                break
    return render(request, "messaging/thread.html", {
        "thread": access.thread, "family": access.thread.family, "can_write": access.rights.write,
        "max_chars": MAX_BODY_CHARS, "relatives": relatives, "participant_errors": participant_errors,
        "participation_choices": Participation.choices,
        # chat_panels and compose_blocked: what registered extensions add (moderation's mode banner).
        **extensions.page(request=request, access=access),
    })


def thread_view(request, thread_id):
    access = _access(request, thread_id)
    audit_practitioner_view(action=actions.THREAD_VIEWED, membership=access.membership, target=access.thread,
                            request=request)
    return _thread_page(request, access)


@require_POST
def participant_set(request, thread_id):
    """A practitioner decides whether a relative takes part in the thread (see the service). A
    refused choice shows on the thread page again, next to the relative it was about."""
    access = _access(request, thread_id)
    form = ParticipantForm(request.POST)
    if form.is_valid():
        with refusals_on_form(form):
            services.thread_participant_set(
                actor=request.user, thread_id=thread_id, user_id=form.cleaned_data["user"],
                participation=form.cleaned_data["participation"], request=request)
    if form.errors:
        return _thread_page(request, access, participant_form=form)
    messages.success(request, _("Opgeslagen. Het familielid ziet de wijziging meteen."))
    return redirect("messaging:thread", thread_id=thread_id)


def _exported(request, access, fmt):
    audit_record(action=actions.RECORDS_EXPORTED, actor=request.user, acting_role=access.membership.role,
                 family=access.thread.family, target=access.thread, request=request, details={"format": fmt})


def export_json(request, thread_id):
    access = _access(request, thread_id)
    data = thread_export(thread=access.thread, membership=access.membership)
    _exported(request, access, "json")
    response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="gesprek-{access.thread.pk}.json"'
    return response


def export_pdf(request, thread_id):
    from weasyprint import HTML

    access = _access(request, thread_id)
    data = thread_export(thread=access.thread, membership=access.membership)
    report = verify_thread(access.thread)
    html = render_to_string("messaging/export.html", {
        "data": data, "thread": access.thread, "family": access.thread.family, "report": report,
        "now": timezone.now(), "request": request, "extra_templates": extensions.export_templates(),
    })
    # Self-contained HTML (styles inline, no URLs): nothing is fetched while rendering.
    pdf = HTML(string=html).write_pdf()
    _exported(request, access, "pdf")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="gesprek-{access.thread.pk}.pdf"'
    return response
