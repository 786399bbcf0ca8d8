from __future__ import annotations

from datetime import datetime, time, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import NothingCutOff
from families.models import PRACTITIONER_ROLES, Child, Membership
from trajectories import services
from trajectories.models import Region, Talk, Trajectory
from trajectories.types import TalkKind, TrajectoryType

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def aware(day, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=timezone.get_default_timezone())


class StartForm(NothingCutOff, forms.Form):
    """Starting a trajectory of one type: when, where, and the type's own choices."""

    started_on = forms.DateField(
        label=_("Begindatum"),
        widget=DATE_WIDGET,
        help_text=_(
            "De eerste gesprekken worden rond deze dag voorgesteld. Ligt hij in "
            "het verleden, dan leg je een traject vast dat al loopt."
        ),
    )
    at = forms.TimeField(
        label=_("Tijd van de gesprekken"),
        initial=time(10, 0),
        widget=TIME_WIDGET,
        help_text=_("Je kunt elk gesprek daarna apart verzetten."),
    )
    region = forms.ChoiceField(
        label=_("Regio van de schoolvakanties"),
        choices=Region.choices,
        initial=Region.MIDDLE,
        help_text=_(
            "Waar de kinderen naar school gaan. In de schoolvakanties worden geen gesprekken voorgesteld."
        ),
    )
    place = forms.ChoiceField(
        label=_("Plek van de gesprekken"), choices=Talk.Place.choices, initial=Talk.Place.PRACTICE
    )

    def __init__(self, *args, kind: TrajectoryType, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.option_names = []
        for option in kind.options:
            name = f"option_{option.key}"
            self.option_names.append(name)
            if option.kind == "bool":
                field = forms.BooleanField(label=option.label, required=False, initial=option.default)
            elif option.kind == "int":
                field = forms.IntegerField(
                    label=option.label,
                    min_value=option.minimum,
                    max_value=option.maximum,
                    initial=option.default,
                )
            else:
                field = forms.ChoiceField(
                    label=option.label,
                    choices=option.choices,
                    initial=option.default,
                    widget=forms.RadioSelect,
                )
            field.help_text = option.help
            self.fields[name] = field

    def options(self) -> dict:
        return {name.removeprefix("option_"): self.cleaned_data[name] for name in self.option_names}

    def base_fields_bound(self):
        return [self[name] for name in ("started_on", "at", "region", "place")]

    def option_fields_bound(self):
        return [self[name] for name in self.option_names]


def _people_choices(family_id: int) -> list[tuple[str, str]]:
    members = (
        Membership.objects.active()
        .filter(family_id=family_id)
        .select_related("user")
        .order_by("role", "user__display_name")
    )
    choices = [(f"u{m.user_id}", f"{m.user.display_name} ({m.get_role_display()})") for m in members]
    choices += [
        (f"c{c.pk}", f"{c.first_name} ({_('kind')})") for c in Child.objects.filter(family_id=family_id)
    ]
    return choices


class TalkForm(NothingCutOff, forms.Form):
    day = forms.DateField(label=_("Datum"), widget=DATE_WIDGET)
    at = forms.TimeField(label=_("Tijd"), widget=TIME_WIDGET)
    minutes = forms.IntegerField(
        label=_("Duur in minuten"), min_value=services.MINUTES[0], max_value=services.MINUTES[1]
    )
    place = forms.ChoiceField(label=_("Plek"), choices=Talk.Place.choices, widget=forms.RadioSelect)
    address = forms.CharField(
        label=_("Adres of link (niet verplicht)"),
        required=False,
        max_length=services.ADDRESS_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Alleen wie meedoet aan het gesprek ziet dit."),
    )
    people = forms.MultipleChoiceField(
        label=_("Wie doen mee"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Een ouder ziet alleen de gesprekken waar hij of zij aan "
            "meedoet, en die waar alleen kinderen of professionals bij zijn."
        ),
    )

    def __init__(self, *args, family_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].choices = _people_choices(family_id)
        self.practitioners = set(
            Membership.objects.active()
            .filter(family_id=family_id, role__in=PRACTITIONER_ROLES)
            .values_list("user_id", flat=True)
        )

    @classmethod
    def for_talk(cls, talk: Talk, *, data=None):
        local = timezone.localtime(talk.starts_at)
        initial = {
            "day": local.date(),
            "at": local.time().replace(second=0, microsecond=0),
            "minutes": talk.minutes,
            "place": talk.place,
            "address": talk.address,
            "people": [f"u{u}" for u in talk.user_ids] + [f"c{c}" for c in talk.child_ids],
        }
        return cls(data, family_id=talk.family_id, initial=initial)

    def starts_at(self) -> datetime:
        return aware(self.cleaned_data["day"], self.cleaned_data["at"])

    def user_ids(self) -> list[int]:
        return [int(v[1:]) for v in self.cleaned_data["people"] if v.startswith("u")]

    def child_ids(self) -> list[int]:
        return [int(v[1:]) for v in self.cleaned_data["people"] if v.startswith("c")]


class TalkAddForm(TalkForm):
    kind = forms.ChoiceField(label=_("Soort gesprek"), choices=TalkKind.choices)
    phase = forms.ChoiceField(label=_("Hoort bij fase"), required=False)

    field_order = ["kind", "phase", "day", "at", "minutes", "place", "address", "people"]

    def __init__(self, *args, trajectory: Trajectory, **kwargs):
        super().__init__(*args, family_id=trajectory.family_id, **kwargs)
        self.fields["phase"].choices = [("", _("geen"))] + [(p.key, p.title) for p in trajectory.type.phases]
        tomorrow = timezone.localdate() + timedelta(days=1)
        self.fields["day"].initial = tomorrow
        self.fields["at"].initial = time(10, 0)
        self.fields["minutes"].initial = 60
        self.fields["place"].initial = Talk.Place.PRACTICE


class EndForm(NothingCutOff, forms.Form):
    outcome = forms.ChoiceField(
        label=_("Hoe eindigt het traject"),
        widget=forms.RadioSelect,
        choices=[
            (Trajectory.Status.COMPLETED, _("afgerond: het traject is klaar")),
            (Trajectory.Status.STOPPED, _("gestopt: het traject stopt eerder")),
        ],
    )
    reason = forms.CharField(
        label=_("Waarom (verplicht bij stoppen)"),
        required=False,
        max_length=services.REASON_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Alleen voor begeleiders en het logboek; ouders zien dit niet."),
    )


class SwitchForm(NothingCutOff, forms.Form):
    reason = forms.CharField(
        label=_("Waarom zet je het traject om"),
        max_length=services.REASON_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Alleen voor begeleiders en het logboek; ouders zien de reden niet."),
    )
    started_on = forms.DateField(label=_("Parallel ouderschap begint op"), widget=DATE_WIDGET)
    at = forms.TimeField(label=_("Tijd van de gesprekken"), initial=time(10, 0), widget=TIME_WIDGET)


class DismissForm(NothingCutOff, forms.Form):
    note = forms.CharField(
        label=_("Notitie (niet verplicht)"),
        required=False,
        max_length=services.REASON_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Alleen voor begeleiders en het logboek."),
    )
