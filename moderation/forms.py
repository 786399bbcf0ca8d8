from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from moderation.models import ContactMode
from moderation.services import REASON_MAX_CHARS


class ContactModeForm(forms.Form):
    mode = forms.ChoiceField(label=_("Manier van contact"), choices=ContactMode.choices,
                             widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Waarom"), max_length=REASON_MAX_CHARS, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Alleen voor begeleiders en het logboek; ouders zien de reden niet."),
    )
    review_on = forms.DateField(
        label=_("Opnieuw bekijken op (niet verplicht)"), required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Op die dag zie je een herinnering op de pagina van het gezin."),
    )
