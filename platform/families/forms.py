from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from families.models import Role


class FamilyCreateForm(forms.Form):
    display_name = forms.CharField(label=_("Naam van het gezin"), max_length=120,
                                   help_text=_("Bijvoorbeeld: Familie De Vries – Jansen"))
    reference = forms.CharField(label=_("Dossiernummer (mag leeg)"), max_length=32, required=False,
                                help_text=_("Leeg laten: we maken er een."))


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mailadres"), widget=forms.EmailInput(attrs={"autocapitalize": "off"}))
    role = forms.ChoiceField(label=_("Rol"), choices=[(Role.PARENT, Role.PARENT.label),
                                                       (Role.RELATIVE, Role.RELATIVE.label),
                                                       (Role.PRACTITIONER, Role.PRACTITIONER.label)])


class ChildForm(forms.Form):
    first_name = forms.CharField(label=_("Voornaam"), max_length=60)
    birth_date = forms.DateField(label=_("Geboortedatum"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean_birth_date(self):
        value = self.cleaned_data["birth_date"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("De geboortedatum ligt in de toekomst."))
        return value


class MembershipRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Nieuwe rol"), choices=[(Role.PARENT, Role.PARENT.label),
                                                              (Role.PRACTITIONER, Role.PRACTITIONER.label),
                                                              (Role.RELATIVE, Role.RELATIVE.label)],
                             error_messages={"invalid_choice": _("Kies een geldige rol."),
                                             "required": _("Kies een geldige rol.")})
