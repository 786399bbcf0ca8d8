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
from core.errors import NotFound
from core.views import refusals_on_form
from families.access import Action, can, denials_recorded
from messaging import extensions, membership
from messaging.membership import ORDER, Participation, entry_texts
from messaging.records import hash_example, thread_export, verify_thread
from messaging.selectors import (
    access_proposal,
    access_thread,
    open_proposals,
    thread_located,
    thread_relatives,
    threads_people,
)
from messaging.services import MAX_BODY_CHARS

HISTORY_CHOICES = [("all", gettext_lazy("ook alle eerdere berichten")),
                   ("from_here", gettext_lazy("alleen de berichten vanaf nu"))]
HISTORY = {"all": True, "from_here": False}


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
    # Only asked when a relative who does not take part yet is proposed (the service says so).
    history = forms.ChoiceField(choices=HISTORY_CHOICES, required=False, error_messages={
        "invalid_choice": gettext_lazy("Kies of dit familielid de eerdere berichten ziet.")})


def _thread_page(request, access, *, participant_form=None):
    """The thread page: who takes part and who reads along, the proposals waiting for this parent,
    and for practitioners the family's relatives. After a refused participant choice, with its
    errors next to the relative it was about (or above the list when it was about nobody there) and
    the choice as posted."""
    thread = access.thread
    proposals = open_proposals(threads=[thread]).get(thread.pk, [])
    relatives = None
    if can(access.membership, Action.MANAGE_THREAD_PARTICIPANTS):
        relatives = thread_relatives(thread=thread, proposals=proposals)
    participant_errors = None
    if participant_form is not None:
        participant_errors = [e for errors in participant_form.errors.values() for e in errors]
        posted_user = participant_form.data.get("user", "")
        for relative in relatives or []:
            if str(relative["user"].pk) == posted_user:
                relative["posted"] = participant_form.data.get("participation", "")
                relative["posted_history"] = participant_form.data.get("history", "")
                relative["errors"], participant_errors = participant_errors, None
                break
    texts = entry_texts()
    people = threads_people(threads=[thread])[thread.pk]
    for person in people:
        person.role_word = texts.get(f"role.{person.role}", person.role)
    return render(request, "messaging/thread.html", {
        "thread": thread, "family": thread.family, "can_write": access.rights.write,
        "max_chars": MAX_BODY_CHARS, "relatives": relatives, "participant_errors": participant_errors,
        "participation_choices": Participation.choices, "history_choices": HISTORY_CHOICES,
        "writers": [p for p in people if p.write], "readers": [p for p in people if not p.write],
        "proposals": proposals, "visible_from": access.visible_from, "entry_texts": texts,
        "proposals_for_me": [p for p in proposals if p.awaits(request.user)],
        "proposals_waiting": [p for p in proposals if request.user.pk in {u.pk for u in p.accepted_by}],
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
    """A practitioner decides whether a relative takes part in the thread: more than now is a
    proposal to the parents (membership.participant_propose), less applies at once
    (membership.thread_participant_set). A refused choice shows on the thread page again, next to
    the relative it was about."""
    access = _access(request, thread_id)
    form = ParticipantForm(request.POST)
    proposal = None
    if form.is_valid():
        data = form.cleaned_data
        with refusals_on_form(form):
            current = next((r["participation"] for r in thread_relatives(thread=access.thread)
                            if r["user"].pk == data["user"]), None)
            if current is not None and ORDER[data["participation"]] > ORDER[current]:
                proposal = membership.participant_propose(
                    actor=request.user, thread_id=thread_id, user_id=data["user"],
                    participation=data["participation"], with_history=HISTORY.get(data["history"]),
                    request=request)
            else:
                membership.thread_participant_set(
                    actor=request.user, thread_id=thread_id, user_id=data["user"],
                    participation=data["participation"], request=request)
    if form.errors:
        return _thread_page(request, access, participant_form=form)
    if proposal is not None:
        messages.success(request, _("Voorstel verstuurd. %(name)s doet mee zodra de ouders van dit gesprek "
                                    "ja zeggen; zij zien het voorstel bij het gesprek.")
                         % {"name": proposal.user.display_name})
    else:
        messages.success(request, _("Opgeslagen. Iedereen in het gesprek ziet de wijziging meteen."))
    return redirect("messaging:thread", thread_id=thread_id)


def proposal_view(request, thread_id, proposal_id):
    """A proposal to let a relative take part: the parents whose consent it needs answer here, each
    for themselves; a practitioner may withdraw it. Anyone else: the 404 page."""
    with denials_recorded(user=request.user, wanted="read_thread", locate=membership.proposal_located,
                          subject_id=proposal_id, request=request):
        access, proposal, state = access_proposal(user=request.user, proposal_id=proposal_id)
    if proposal.thread_id != access.thread.pk or access.thread.pk != thread_id:
        raise NotFound()
    form = forms.Form(request.POST or None)
    if request.method == "POST":
        choice = request.POST.get("answer")
        with refusals_on_form(form):
            if "withdraw" in request.POST:
                membership.proposal_withdraw(actor=request.user, proposal_id=proposal.pk, request=request)
                done = _("Het voorstel is ingetrokken. Er verandert niets in het gesprek.")
            elif choice in ("yes", "no"):
                proposal = membership.proposal_answer(user=request.user, proposal_id=proposal.pk,
                                                      accept=choice == "yes", request=request)
                done = _answered_text(proposal, accepted=choice == "yes")
            else:
                form.add_error(None, _("Kies ja of nee."))
        if not form.errors:
            messages.success(request, done)
            return redirect("messaging:proposal", thread_id=thread_id, proposal_id=proposal.pk)
        access, proposal, state = access_proposal(user=request.user, proposal_id=proposal_id)
    thread = access.thread
    return render(request, "messaging/proposal.html", {
        "thread": thread, "family": thread.family, "proposal": proposal, "state": state, "form": form,
        "may_answer": proposal.status == "open" and state.awaits(request.user),
        "may_withdraw": (proposal.status == "open"
                         and can(access.membership, Action.MANAGE_THREAD_PARTICIPANTS)),
        "consenters": [a.user for a in state.answers],
    })


def _answered_text(proposal, *, accepted: bool) -> str:
    name = proposal.user.display_name
    if not accepted:
        return _("Je hebt nee gezegd. %(name)s doet niet mee; het voorstel is gesloten.") % {"name": name}
    if proposal.status == "added":
        return (_("Je hebt ja gezegd. %(name)s doet nu mee in het gesprek; iedereen in het gesprek ziet dat.")
                % {"name": name})
    return _("Je hebt ja gezegd. %(name)s doet pas mee als ook de andere ouder ja zegt.") % {"name": name}


def _exported(request, access, fmt):
    audit_record(action=actions.RECORDS_EXPORTED, actor=request.user, acting_role=access.membership.role,
                 family=access.thread.family, target=access.thread, request=request, details={"format": fmt})


def export_json(request, thread_id):
    access = _access(request, thread_id)
    data = thread_export(thread=access.thread, visible_from=access.visible_from, membership=access.membership)
    _exported(request, access, "json")
    response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="gesprek-{access.thread.pk}.json"'
    return response


def export_pdf(request, thread_id):
    from weasyprint import HTML

    access = _access(request, thread_id)
    data = thread_export(thread=access.thread, visible_from=access.visible_from, membership=access.membership)
    report = verify_thread(access.thread)
    html = render_to_string("messaging/export.html", {
        "data": data, "thread": access.thread, "family": access.thread.family, "report": report,
        "now": timezone.now(), "request": request, "example": hash_example(data),
        "extra_templates": extensions.export_templates(),
    })
    # Self-contained HTML (styles inline, no URLs): nothing is fetched while rendering.
    pdf = HTML(string=html).write_pdf()
    _exported(request, access, "pdf")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="gesprek-{access.thread.pk}.pdf"'
    return response
