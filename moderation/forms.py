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


class PolicyForm(forms.ModelForm):
    class Meta:
        from moderation.models import EscalationPolicy as model  # noqa: N813
        fields = ("threat_hold", "hostile_alert_count", "hostile_window_hours", "night_start_hour",
                  "night_end_hour", "night_burst_count", "night_burst_minutes", "daily_message_limit",
                  "max_message_chars")
        labels = {
            "threat_hold": _("Een mogelijke dreiging vasthouden en het gezin meteen op meelezen zetten"),
            "hostile_alert_count": _("Signaal bij zoveel vijandige berichten van één ouder (0: nooit)"),
            "hostile_window_hours": _("binnen zoveel uur"),
            "night_start_hour": _("Nacht begint om (uur)"),
            "night_end_hour": _("Nacht eindigt om (uur)"),
            "night_burst_count": _("Signaal bij zoveel berichten 's nachts (0: nooit)"),
            "night_burst_minutes": _("binnen zoveel minuten"),
            "daily_message_limit": _("Hoogstens zoveel berichten per ouder per dag (leeg: geen grens)"),
            "max_message_chars": _("Hoogstens zoveel tekens per bericht (leeg: geen grens)"),
        }
        help_texts = {
            "threat_hold": _("Geldt in elke manier van contact. Terug naar direct contact is altijd een "
                             "besluit van een begeleider, met een reden."),
            "night_start_hour": _("Plaatselijke tijd. Begin en einde gelijk: geen nacht."),
            "daily_message_limit": _("Een ouder die de grens bereikt, krijgt een vriendelijke melding; "
                                     "het bericht wordt niet opgeslagen."),
            "max_message_chars": _("Een te lang bericht wordt niet opgeslagen; de ouder krijgt een "
                                   "vriendelijke melding en kan het korter maken."),
        }

    def clean(self):
        data = super().clean()
        for name in ("night_start_hour", "night_end_hour"):
            if data.get(name) is not None and data[name] > 23:
                self.add_error(name, _("Kies een uur van 0 tot en met 23."))
        if data.get("hostile_window_hours") is not None and not 1 <= data["hostile_window_hours"] <= 168:
            self.add_error("hostile_window_hours", _("Kies 1 tot 168 uur."))
        if data.get("night_burst_minutes") is not None and not 1 <= data["night_burst_minutes"] <= 360:
            self.add_error("night_burst_minutes", _("Kies 1 tot 360 minuten."))
        if data.get("max_message_chars") is not None and data["max_message_chars"] < 20:
            self.add_error("max_message_chars", _("Kies minstens 20 tekens."))
        if data.get("daily_message_limit") == 0:
            self.add_error("daily_message_limit", _("Kies minstens 1 bericht, of laat het leeg."))
        return data
