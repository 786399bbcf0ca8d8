"""Forms of the account settings (accounts.settings_views)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.account_settings import NAME_MAX_LENGTH, display_name_clean
from accounts.forms import PasswordConfirmForm
from core.errors import Invalid


class NameForm(forms.Form):
    display_name = forms.CharField(
        label=_("Je naam"), max_length=NAME_MAX_LENGTH,
        help_text=_("Zo zien anderen je in gesprekken en in het plan. In elk gesprek waarin je meedoet of "
                    "meeleest, komt te staan dat je voortaan zo heet, met je oude naam erbij."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Vul je naam in."),
                        "max_length": _("Je naam mag hooguit %(limit_value)d tekens hebben.")},
    )

    def clean_display_name(self):
        try:
            return display_name_clean(self.cleaned_data["display_name"])
        except Invalid as exc:
            raise forms.ValidationError(str(exc.detail)) from None


class EmailChangeForm(PasswordConfirmForm):
    new_email = forms.EmailField(
        label=_("Nieuw e-mailadres"), max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autocapitalize": "off",
                                       "spellcheck": "false"}),
        error_messages={
            "required": _("Vul je nieuwe e-mailadres in."),
            "invalid": _("Dit is geen geldig e-mailadres. Controleer het en probeer het opnieuw."),
        },
    )

    field_order = ["new_email", "password"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].help_text = _("Ter controle vragen we je wachtwoord.")


SAME_TIMES = _("Het begin en het einde van je rustige uren zijn gelijk. "
               "Kies twee verschillende tijden, of zet de rustige uren uit.")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self):
        super().__init__(format="%H:%M")


class NoticeSettingsForm(forms.Form):
    notify_messages = forms.BooleanField(
        label=_("Stuur me een e-mail als er een nieuw bericht voor me klaarstaat"), required=False,
        help_text=_("Zonder de tekst van het bericht, en hooguit één per uur per gesprek."),
    )
    notify_read_along = forms.BooleanField(
        label=_("Ook een e-mail bij berichten tussen de ouders die je meeleest"), required=False,
        help_text=_("Voor begeleiders. Berichten die op jou wachten om te beoordelen en signalen krijg je "
                    "altijd."),
    )
    quiet_hours_on = forms.BooleanField(label=_("Rustige uren: dan sturen we je geen e-mails"),
                                        required=False)
    quiet_hours_start = forms.TimeField(
        label=_("Rustig vanaf"), required=False, widget=TimeInput(),
        error_messages={"invalid": _("Vul een tijd in, zoals 22:00.")},
    )
    quiet_hours_end = forms.TimeField(
        label=_("Rustig tot"), required=False, widget=TimeInput(),
        error_messages={"invalid": _("Vul een tijd in, zoals 07:00.")},
    )

    @classmethod
    def for_user(cls, user, data=None):
        has_quiet = user.quiet_hours_start != user.quiet_hours_end
        form = cls(data, initial={
            "notify_messages": user.notify_messages,
            "notify_read_along": user.notify_read_along,
            "quiet_hours_on": has_quiet,
            "quiet_hours_start": user.quiet_hours_start if has_quiet else "22:00",
            "quiet_hours_end": user.quiet_hours_end if has_quiet else "07:00",
        })
        if not user.may_open_cases:  # only professionals read along with parents
            del form.fields["notify_read_along"]
        return form

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("quiet_hours_on"):
            for field in ("quiet_hours_start", "quiet_hours_end"):
                if cleaned.get(field) is None and field not in self.errors:
                    self.add_error(field, _("Vul een tijd in, of zet de rustige uren uit."))
            start, end = cleaned.get("quiet_hours_start"), cleaned.get("quiet_hours_end")
            if start is not None and start == end:
                # About the pair, not one field: shown above the form (the service says the same).
                self.add_error(None, SAME_TIMES)
        return cleaned

    def quiet_hours(self):
        if not self.cleaned_data.get("quiet_hours_on"):
            return None
        return self.cleaned_data["quiet_hours_start"], self.cleaned_data["quiet_hours_end"]
