from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.forms import NothingCutOff
from families.models import (
    CHILD_MAX_AGE_YEARS,
    Child,
    Role,
    child_birth_date_earliest,
    child_birth_date_problem,
)

TOO_LONG = _("Dit is te lang: hoogstens %(limit_value)d tekens (nu %(show_value)d). Maak het korter.")


class FamilyCreateForm(NothingCutOff, forms.Form):
    display_name = forms.CharField(label=_("Naam van het gezin"), max_length=120,
                                   help_text=_("Bijvoorbeeld: Familie De Vries – Jansen"),
                                   error_messages={"max_length": TOO_LONG})
    reference = forms.CharField(label=_("Dossiernummer (mag leeg)"), max_length=32, required=False,
                                help_text=_("Leeg laten: we maken er een."),
                                error_messages={"max_length": TOO_LONG})


class InvitationForm(NothingCutOff, forms.Form):
    email = forms.EmailField(label=_("E-mailadres"), widget=forms.EmailInput(attrs={"autocapitalize": "off"}))
    role = forms.ChoiceField(label=_("Rol"), choices=[(Role.PARENT, Role.PARENT.label),
                                                       (Role.RELATIVE, Role.RELATIVE.label),
                                                       (Role.PRACTITIONER, Role.PRACTITIONER.label)],
                             help_text=_("Een familielid (zoals een grootouder of een nieuwe partner) ziet "
                                         "alleen wat een begeleider deelt. De e-mail legt elke rol uit en "
                                         "noemt het gezin en jou."))


class ChildForm(NothingCutOff, forms.Form):
    first_name = forms.CharField(
        label=_("Voornaam"), max_length=Child._meta.get_field("first_name").max_length,
        error_messages={"required": _("Vul de voornaam van het kind in."),
                        "max_length": _("Deze voornaam is te lang: hoogstens %(limit_value)d tekens "
                                        "(nu %(show_value)d). Vul alleen de voornaam of roepnaam in.")},
    )
    birth_date = forms.DateField(
        label=_("Geboortedatum"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Vul de geboortedatum van het kind in."),
                        "invalid": _("Dit is geen geldige datum. Kies de geboortedatum in de kalender.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The date picker offers only dates the server accepts (the server checks again).
        today = timezone.localdate()
        self.fields["birth_date"].help_text = gettext(
            "Niet in de toekomst, en niet meer dan %(years)d jaar geleden.") % {"years": CHILD_MAX_AGE_YEARS}
        self.fields["birth_date"].widget.attrs.update(
            min=child_birth_date_earliest(today=today).isoformat(), max=today.isoformat())

    def clean_birth_date(self):
        value = self.cleaned_data["birth_date"]
        problem = child_birth_date_problem(value)
        if problem:
            raise forms.ValidationError(problem)
        return value


class MembershipRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Nieuwe rol"), choices=[(Role.PARENT, Role.PARENT.label),
                                                              (Role.PRACTITIONER, Role.PRACTITIONER.label),
                                                              (Role.RELATIVE, Role.RELATIVE.label)],
                             error_messages={"invalid_choice": _("Kies een geldige rol."),
                                             "required": _("Kies een geldige rol.")})
