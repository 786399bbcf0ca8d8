"""Pages of the evaluations (issue 12, item 3): the practitioner's evaluation form at
/gezin/<family id>/traject/evaluatie/<talk id>/ (a parent or relative gets 403, anyone outside the
family 404) and a parent's input, posted from "Ons traject". Views parse and call one service."""

from __future__ import annotations

from django import forms as django_forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from audit import actions
from audit.services import audit_practitioner_view
from core.forms import NothingCutOff
from core.views import refusals_on_form
from families.access import Action, require
from trajectories import evaluations
from trajectories.forms import DATE_WIDGET
from trajectories.models import GoalUpdate


class InputForm(NothingCutOff, django_forms.Form):
    body = django_forms.CharField(
        label=gettext_lazy("Jouw inbreng voor de evaluatie"),
        max_length=evaluations.INPUT_MAX_CHARS,
        error_messages={"required": gettext_lazy("Schrijf eerst wat je wilt meegeven.")},
        widget=django_forms.Textarea(attrs={"rows": 5}),
    )


class OutcomeForm(NothingCutOff, django_forms.Form):
    text = django_forms.CharField(
        label=gettext_lazy("Uitkomst van de evaluatie"),
        max_length=evaluations.OUTCOME_MAX_CHARS,
        error_messages={"required": gettext_lazy("Schrijf eerst de uitkomst van de evaluatie op.")},
        widget=django_forms.Textarea(attrs={"rows": 8}),
    )
    next_on = django_forms.DateField(
        label=gettext_lazy("Datum van de volgende evaluatie"),
        required=False,
        widget=DATE_WIDGET,
        help_text=gettext_lazy(
            "De volgende geplande evaluatie schuift naar deze dag; staat er geen meer gepland, dan komt er "
            "een bij. Laat leeg als er geen volgende evaluatie is."
        ),
    )
    shared = django_forms.BooleanField(
        label=gettext_lazy("De ouders mogen deze uitkomst lezen op hun pagina"),
        required=False,
        help_text=gettext_lazy("Zonder vinkje lezen alleen de begeleiders de uitkomst."),
    )

    def __init__(self, *args, agreement=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.goal_rows = []
        for state in agreement.goals if agreement is not None else []:
            pk = state.goal.pk
            self.fields[f"goal_{pk}_status"] = django_forms.ChoiceField(
                label=_("Status"), choices=GoalUpdate.Status.choices, initial=state.status
            )
            self.fields[f"goal_{pk}_note"] = django_forms.CharField(
                label=_("Notitie over de voortgang"), required=False,  # its length: goals.goal_update
                widget=django_forms.Textarea(attrs={"rows": 2}),
            )
            self.goal_rows.append((state, self[f"goal_{pk}_status"], self[f"goal_{pk}_note"]))

    def goal_changes(self) -> list[evaluations.GoalChange]:
        """Only the goals whose status changes or that get a note."""
        changes = []
        for state, status, note in self.goal_rows:
            new = self.cleaned_data[status.name]
            text = (self.cleaned_data[note.name] or "").strip()
            if new != state.status or text:
                changes.append(evaluations.GoalChange(goal_id=state.goal.pk, status=new, note=text))
        return changes


def evaluation(request, family_id, talk_id):
    """The evaluation form: the plan's progress, the goals, the contact mode history and both
    parents' input; posted here, the outcome is recorded."""
    membership, talk = evaluations.access_evaluation(
        user=request.user, family_id=family_id, talk_id=talk_id, request=request
    )
    context = evaluations.form_context(membership=membership, talk=talk)
    following = context["following"]
    form = OutcomeForm(
        request.POST or None,
        agreement=context["agreement"],
        initial={"next_on": following.due_on if following is not None else None},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with refusals_on_form(form):
            evaluations.evaluation_record(
                actor=request.user, family_id=membership.family_id, talk_id=talk.pk, text=data["text"],
                next_on=data["next_on"], shared=data["shared"], goal_changes=form.goal_changes(),
                request=request,
            )
        if not form.errors:
            who = (_("De ouders kunnen hem lezen.") if data["shared"]
                   else _("Alleen de begeleiders lezen hem."))
            messages.success(request, _("De uitkomst is vastgelegd.") + " " + who)
            return redirect("trajectories:evaluation", family_id=membership.family_id, talk_id=talk.pk)
    audit_practitioner_view(action=actions.EVALUATION_VIEWED, membership=membership, target=talk,
                            request=request)
    context.update(family=membership.family, membership=membership, form=form)
    return render(
        request, "trajectories/evaluation.html", context, status=400 if form.is_bound and form.errors else 200
    )


@require_POST
def evaluation_input(request, family_id, talk_id):
    """A parent's own input. No user is named in the post: it is always the one logged in. When it
    is refused, "Ons traject" shows again with the parent's text in the field and the reason next
    to it (400), so nothing they wrote is lost."""
    from trajectories import selectors
    from trajectories.views import _family_page

    membership = require(user=request.user, family_id=family_id, action=Action.GIVE_EVALUATION_INPUT,
                         request=request)
    form = InputForm(request.POST)
    if form.is_valid():
        with refusals_on_form(form):
            evaluations.evaluation_input_add(
                actor=request.user, family_id=membership.family_id, talk_id=talk_id,
                body=form.cleaned_data["body"], request=request,
            )
    if not form.is_valid() or form.errors:
        errors = [e for field_errors in form.errors.values() for e in field_errors]
        trajectory = selectors.current_trajectory(family_id=membership.family_id)
        return _family_page(
            request, membership, trajectory, status=400,
            extra={"evaluation_refused": {
                "errors": errors or [_("Schrijf eerst wat je wilt meegeven.")],
                "body": request.POST.get("body", "")[: evaluations.INPUT_MAX_CHARS * 2],
            }},
        )
    messages.success(
        request, _("Je inbreng is bewaard. Alleen je begeleider leest hem; de andere ouder niet.")
    )
    return redirect(reverse("trajectories:family", args=[membership.family_id]) + "#evaluation")
