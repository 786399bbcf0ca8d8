from __future__ import annotations

import json

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit import actions
from audit.services import audit_practitioner_view, audit_record
from core.errors import NotFound
from core.views import run_for_form
from families.access import Action, can
from messaging import services
from messaging.records import thread_export, verify_thread
from messaging.selectors import access_thread, recording_denials, thread_relatives
from messaging.services import MAX_BODY_CHARS, Participation


def _access(request, thread_id):
    try:
        with recording_denials(user=request.user, thread_id=thread_id, wanted="read_thread", request=request):
            return access_thread(user=request.user, thread_id=thread_id)
    except NotFound:
        raise Http404 from None


def thread_view(request, thread_id):
    access = _access(request, thread_id)
    audit_practitioner_view(action=actions.THREAD_VIEWED, membership=access.membership, target=access.thread,
                            request=request)
    return render(request, "messaging/thread.html", {
        "thread": access.thread, "family": access.thread.family, "can_write": access.rights.write,
        "max_chars": MAX_BODY_CHARS,
        "relatives": (thread_relatives(thread=access.thread)
                      if can(access.membership, Action.MANAGE_THREAD_PARTICIPANTS) else None),
        "participation_choices": Participation.choices,
    })


@require_POST
def participant_set(request, thread_id):
    """A practitioner decides whether a relative takes part in the thread (see the service)."""
    try:
        user_id = int(request.POST.get("user", ""))
    except ValueError:
        messages.error(request, _("Kies een familielid."))
        return redirect("messaging:thread", thread_id=thread_id)
    run_for_form(request, lambda: services.thread_participant_set(
        actor=request.user, thread_id=thread_id, user_id=user_id,
        participation=request.POST.get("participation", ""), request=request),
        success=_("Opgeslagen. Het familielid ziet de wijziging meteen."))
    return redirect("messaging:thread", thread_id=thread_id)


def _exported(request, access, fmt):
    audit_record(action=actions.RECORDS_EXPORTED, actor=request.user, acting_role=access.membership.role,
                 family=access.thread.family, target=access.thread, request=request, details={"format": fmt})


def export_json(request, thread_id):
    access = _access(request, thread_id)
    data = thread_export(thread=access.thread)
    _exported(request, access, "json")
    response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="gesprek-{access.thread.pk}.json"'
    return response


def export_pdf(request, thread_id):
    from weasyprint import HTML

    access = _access(request, thread_id)
    data = thread_export(thread=access.thread)
    report = verify_thread(access.thread)
    html = render_to_string("messaging/export.html", {
        "data": data, "thread": access.thread, "family": access.thread.family, "report": report,
        "now": timezone.now(), "request": request,
    })
    # Self-contained HTML (styles inline, no URLs): nothing is fetched while rendering.
    pdf = HTML(string=html).write_pdf()
    _exported(request, access, "pdf")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="gesprek-{access.thread.pk}.pdf"'
    return response
