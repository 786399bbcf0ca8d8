from django import forms
from django.utils.translation import gettext_lazy as _


class SectionAddForm(forms.Form):
    title = forms.CharField(label=_("Titel van het nieuwe onderdeel"), max_length=120)


class SectionEditForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=120)
    evaluation_date = forms.DateField(label=_("Evaluatiedatum (mag leeg)"), required=False,
                                      widget=forms.DateInput(attrs={"type": "date"}))
    shared = forms.BooleanField(label=_("Zichtbaar voor familieleden (alleen lezen)"), required=False)
    hidden = forms.BooleanField(label=_("Verbergen voor de ouders"), required=False)


class ChildWishForm(forms.Form):
    child = forms.TypedChoiceField(label=_("Kind"), coerce=int)
    heard_on = forms.DateField(label=_("Wanneer gehoord"), widget=forms.DateInput(attrs={"type": "date"}))
    how = forms.CharField(label=_("Hoe gehoord"), max_length=200,
                          help_text=_("Bijvoorbeeld: KIES-gesprek met de kindercoach, "
                                      "gesprek met de kindbehartiger."))
    said = forms.CharField(label=_("Wat het kind zei of wenst"), widget=forms.Textarea(attrs={"rows": 4}),
                           help_text=_("In de woorden van het kind, zo concreet mogelijk."))

    def __init__(self, *args, children=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["child"].choices = [(c.pk, c.first_name) for c in children]


class ParentDetailsForm(forms.Form):
    birth_date = forms.DateField(label=_("Jouw geboortedatum"),
                                 widget=forms.DateInput(attrs={"type": "date"}),
                                 error_messages={"required": _("Vul je geboortedatum in."),
                                                 "invalid": _("Vul een datum in, zoals 14-03-1985.")})
