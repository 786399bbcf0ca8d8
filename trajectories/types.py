"""The trajectory types, as data shipped with the app: taken from the practices' own descriptions
(../shared/seeds: the Kindbehartiger, PAT, systemic family mediation, parallel parenting, KIES).

Why a Python module of frozen dataclasses, not a JSON or YAML file: the names, descriptions and
phase texts are translated strings (Dutch msgids, English in locale/), which gettext finds and
translates here like every other string of the project; a schedule rule that depends on an
option (the length of the Kindbehartiger's trial period) is a small function, not a mini-language
in a data file; and a type's shape is checked by type_problems (tests/trajectories/
test_planning.py runs it for every type), with no loader and no YAML dependency. A type is
code-reviewed like code.

What a trajectory keeps of its type: the type's `key` (stable, never renamed) and the talks it
made at the start. Changing a type later changes new trajectories only.

Units of `at` (the planned talks' offsets from the start):
- SCHOOL_WEEKS: the n-th week that is not a school holiday week in the family's region (the
  16-week phases, "exclusief schoolvakantieweken");
- WEEKS: counted the same way (no talk is suggested in a school holiday week, and weekly
  sessions skip it), for types whose description gives no length in school weeks;
- MONTHS: calendar months; a talk that would fall in the school holidays moves to the same
  weekday of the first week after them (trajectories.planning).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class TalkKind(models.TextChoices):
    INTAKE = "intake", _("Intakegesprek")
    JOINT = "joint", _("Gezamenlijk gesprek")
    INDIVIDUAL = "individual", _("Individueel gesprek")
    CHILD = "child", _("Kindgesprek")
    FAMILY = "family", _("Gezinsgesprek")
    FEEDBACK = "feedback", _("Terugkoppeling")
    EVALUATION = "evaluation", _("Evaluatie")
    FINAL = "final", _("Eindgesprek")
    PROFESSIONALS = "professionals", _("Overleg met andere professionals")


class Unit(StrEnum):
    SCHOOL_WEEKS = "school_weeks"
    WEEKS = "weeks"
    MONTHS = "months"


class Who(StrEnum):
    """Who takes part in a planned talk (the practitioner who runs the trajectory always does)."""

    PARENTS = "parents"  # both parents, together
    EACH_PARENT = "each_parent"  # one talk per parent, separately
    CHILDREN = "children"  # the children together (siblings, or a group)
    EACH_CHILD = "each_child"  # one talk per child
    PARENTS_AND_CHILDREN = "parents_and_children"
    RELATIVES = "relatives"  # the family's relatives (new partners, grandparents)
    PROFESSIONALS = "professionals"  # no family member: the practitioner with other professionals


@dataclass(frozen=True)
class Option:
    """A choice made when the trajectory starts. `kind`: "bool", "int" (min..max) or "choice"."""

    key: str
    label: Promise
    kind: str
    default: bool | int | str
    minimum: int = 0
    maximum: int = 0
    choices: tuple[tuple[str, Promise], ...] = ()
    help: Promise | str = ""


@dataclass(frozen=True)
class Planned:
    """One planned talk (or a series of them) in a type.

    `at`: offsets from the start in the type's unit, one talk (or one per parent/child) per offset;
    or a function (options) -> offsets. `count_option`: an option whose value is how many of the
    offsets are used. `only_if`: (options) -> whether this element is planned at all."""

    key: str
    kind: str
    label: Promise
    phase: str
    at: tuple[int, ...] | Callable[[dict], tuple[int, ...]]
    who: Who | Callable[[dict], Who]
    minutes: int = 60
    count_option: str | None = None
    only_if: Callable[[dict], bool] | None = None
    optional: bool = False  # an "eventueel"/"optioneel" element of the type

    def offsets(self, options: dict) -> tuple[int, ...]:
        if self.only_if is not None and not self.only_if(options):
            return ()
        at = self.at(options) if callable(self.at) else self.at
        if self.count_option is not None:
            at = at[: int(options[self.count_option])]
        return tuple(at)

    def participants(self, options: dict) -> Who:
        return self.who(options) if callable(self.who) else self.who


@dataclass(frozen=True)
class Phase:
    key: str
    title: Promise
    about: Promise  # what happens, for everyone
    asks_parents: Promise | str = ""  # what is asked of the parents in this phase
    optional: bool = False


@dataclass(frozen=True)
class Element:
    """Something of the type that is not a talk: an agreement, the plan, a report."""

    key: str
    label: Promise
    phase: str
    optional: bool = False
    link: str = ""  # "plan" | "children_voice" | "contact_mode": shown as a link to that page


@dataclass(frozen=True)
class TrajectoryType:
    key: str
    name: Promise
    about: Promise
    unit: Unit
    length: int  # in `unit`: 16 school weeks, 9 months, ...
    phases: tuple[Phase, ...]
    planned: tuple[Planned, ...]
    elements: tuple[Element, ...] = ()
    options: tuple[Option, ...] = ()
    source: str = ""  # which seed text it comes from
    # "The way up" (seeds 002): a family that stays in moderated contact during this type is
    # suggested this one instead.
    way_up_to: str = ""
    # The type that usually follows this one (phase 1 -> phase 2), offered first when this one ends.
    followed_by: str = ""
    length_fn: Callable[[dict], int] | None = None  # when the length depends on an option
    length_text: Promise | None = None  # how the length is said, when not in plain weeks or months

    def phase(self, key: str) -> Phase:
        for phase in self.phases:
            if phase.key == key:
                return phase
        raise KeyError(key)

    def planned_element(self, key: str) -> Planned | None:
        return next((p for p in self.planned if p.key == key), None)

    def default_options(self) -> dict:
        return {option.key: option.default for option in self.options}

    def length_for(self, options: dict) -> int:
        return self.length_fn(options) if self.length_fn is not None else self.length

    @property
    def length_label(self) -> str:
        from django.utils.translation import ngettext

        if self.length_text is not None:
            return str(self.length_text)
        if self.unit == Unit.SCHOOL_WEEKS:
            return ngettext(
                "%(n)d week, zonder de schoolvakanties", "%(n)d weken, zonder de schoolvakanties", self.length
            ) % {"n": self.length}
        if self.unit == Unit.MONTHS:
            if self.length == 12:
                return str(_("een jaar"))
            return ngettext("%(n)d maand", "%(n)d maanden", self.length) % {"n": self.length}
        return ngettext("ongeveer %(n)d week", "ongeveer %(n)d weken", self.length) % {"n": self.length}


# -- shared pieces ---------------------------------------------------------------------------------

TOGETHER_OR_APART = (("together", _("samen")), ("apart", _("apart (ieder een eigen gesprek)")))


def _together(key: str) -> Callable[[dict], Who]:
    return lambda options: Who.PARENTS if options[key] == "together" else Who.EACH_PARENT


INTAKE_PHASE = Phase(
    "intake",
    _("Kennismaking"),
    _("Een eerste gesprek met ieder van jullie apart: kennismaken, jouw verhaal en wat je hoopt."),
    _("Vertel in je eigen gesprek wat voor jou belangrijk is voor je kinderen."),
)
TRANSPARENCY_PHASE = Phase(
    "transparency",
    _("Afspraken over transparantie"),
    _("Jullie spreken af wat je van elkaar mag weten en hoe je elkaar op de hoogte houdt."),
    _("Denk na over wat de andere ouder van jou moet weten over de kinderen, en hoe."),
)
REPORT_PHASE = Phase(
    "evaluation",
    _("Evaluatie en verslag"),
    _("Jullie kijken samen terug; de begeleider schrijft een verslag."),
    _("Kom naar de evaluatie. Je krijgt daarna het verslag."),
)
PLAN_ELEMENT = Element(
    "plan", _("Het ouderschapsplan maken of verbeteren"), "talks", optional=True, link="plan"
)
PROFESSIONALS_OPTION = Option(
    "professionals",
    _("Overleggen met het sociaal team of jeugdbescherming"),
    "int",
    0,
    0,
    2,
    help=_("0, 1 of 2 keer is de begeleider aanwezig bij zo'n gesprek."),
)


# -- the Kindbehartiger (seed 000) --------------------------------------------------------------


def _kindbehartiger_evaluation(options: dict) -> tuple[int, ...]:
    # In the last week: the final talk's week (9), then the trial period.
    return (9 + int(options["trial_weeks"]),)


KINDBEHARTIGER = TrajectoryType(
    key="kindbehartiger",
    name=_("Kindbehartiger"),
    about=_(
        "Maatwerk rond het kind: de Kindbehartiger praat met het kind en met jullie, geeft terugkoppeling "
        "en advies, en helpt jullie afspraken te maken waarin het kind zich veilig en vertrouwd voelt."
    ),
    unit=Unit.WEEKS,
    length=18,
    length_fn=lambda options: 10 + int(options["trial_weeks"]),
    length_text=_("op maat, met een proefperiode"),
    source="000 Kindbehartiger",
    phases=(
        Phase(
            "intake",
            _("Intake"),
            _(
                "Kennismaken, uitleg over de rol van de Kindbehartiger, de hulpvraag en de werkdoelen. "
                "Ook de "
                "toestemming, de kosten en de beroepscode komen aan bod."
            ),
            _("Vertel wat je zorgen en wensen voor je kind zijn."),
        ),
        Phase(
            "agreement",
            _("Overeenkomst"),
            _(
                "De werkdoelen worden vastgelegd en door iedereen bevestigd. Je krijgt de beroepscode van de "
                "Kindbehartiger."
            ),
            _("Lees de werkdoelen en de beroepscode, en bevestig de overeenkomst."),
        ),
        Phase(
            "parent_talks",
            _("Oudergesprekken"),
            _(
                "Ieder van jullie praat apart met de Kindbehartiger over hoe je het beleeft, het belang "
                "van je "
                "kind, jullie communicatie en je wensen voor de toekomst."
            ),
            _("Kom naar je eigen gesprek."),
        ),
        Phase(
            "child_talks",
            _("Kindgesprekken"),
            _(
                "De Kindbehartiger praat (spelenderwijs) met je kind, soms meer dan eens, en legt op een "
                "kindvriendelijke manier uit wat er gebeurt."
            ),
            _("Zorg dat je kind op tijd bij het gesprek is."),
        ),
        Phase(
            "relatives",
            _("Familie en nieuwe partners"),
            _("Waar het nodig is, praten ook familieleden of nieuwe partners mee."),
            optional=True,
        ),
        Phase(
            "feedback",
            _("Terugkoppeling"),
            _(
                "Je hoort wat de Kindbehartiger heeft gezien en krijgt tips, hulpmiddelen en advies. Of je "
                "kind erbij is, hangt af van de situatie en de leeftijd."
            ),
            _("Kom naar de terugkoppeling."),
        ),
        Phase(
            "working_goals",
            _("Tussentijdse werkdoelen"),
            _("Tussendoor krijgen jullie werkdoelen; contact kan ook per telefoon of e-mail."),
            _("Werk aan de werkdoelen die je hebt gekregen."),
        ),
        Phase(
            "final",
            _("Eindgesprek"),
            _("Een afsluitend gesprek met jullie en je kind. De afspraken worden bekrachtigd."),
            _("Kom met je kind naar het eindgesprek."),
        ),
        Phase(
            "trial",
            _("Proefperiode"),
            _("Jullie proberen de afspraken een tijd uit."),
            _("Probeer de afspraken uit en houd bij wat goed gaat en wat niet."),
        ),
        Phase(
            "evaluation",
            _("Evaluatie en nazorg"),
            _("Jullie bespreken of de afspraken passen, en of er nazorg nodig is."),
            _("Kom naar de evaluatie."),
        ),
    ),
    options=(
        Option("intake", _("Intake"), "choice", "together", choices=TOGETHER_OR_APART),
        Option("child_talks", _("Aantal kindgesprekken per kind"), "int", 2, 1, 4),
        Option("feedback", _("Terugkoppeling"), "choice", "together", choices=TOGETHER_OR_APART),
        Option(
            "feedback_with_children",
            _("De kinderen zijn bij de terugkoppeling"),
            "bool",
            False,
            help=_("Afhankelijk van de situatie, de leeftijd en de ontwikkeling."),
        ),
        Option("relatives_talk", _("Een gesprek met familieleden of nieuwe partners"), "bool", False),
        Option("trial_weeks", _("Proefperiode in weken"), "int", 8, 2, 26),
    ),
    planned=(
        Planned("intake", TalkKind.INTAKE, _("Intakegesprek"), "intake", (0,), _together("intake")),
        Planned("parent_talk", TalkKind.INDIVIDUAL, _("Oudergesprek"), "parent_talks", (2,), Who.EACH_PARENT),
        Planned(
            "child_talk",
            TalkKind.CHILD,
            _("Kindgesprek"),
            "child_talks",
            (3, 4, 5, 6),
            Who.EACH_CHILD,
            minutes=45,
            count_option="child_talks",
        ),
        Planned(
            "relatives_talk",
            TalkKind.FAMILY,
            _("Gesprek met familie of nieuwe partners"),
            "relatives",
            (5,),
            Who.RELATIVES,
            only_if=lambda o: bool(o["relatives_talk"]),
            optional=True,
        ),
        Planned(
            "feedback",
            TalkKind.FEEDBACK,
            _("Terugkoppeling"),
            "feedback",
            (7,),
            lambda o: (
                Who.PARENTS_AND_CHILDREN
                if o["feedback_with_children"] and o["feedback"] == "together"
                else _together("feedback")(o)
            ),
        ),
        Planned("final", TalkKind.FINAL, _("Eindgesprek"), "final", (9,), Who.PARENTS_AND_CHILDREN),
        Planned(
            "evaluation",
            TalkKind.EVALUATION,
            _("Evaluatie en nazorg"),
            "evaluation",
            _kindbehartiger_evaluation,
            Who.PARENTS,
        ),
    ),
    elements=(
        Element("goals", _("Werkdoelen vastleggen en laten bevestigen"), "agreement"),
        Element("consent", _("Toestemming voor de ondersteuning"), "agreement"),
        Element("code_of_conduct", _("De beroepscode overhandigen"), "agreement"),
        Element("interim_goals", _("Tussentijdse werkdoelen"), "working_goals"),
        Element(
            "children_voice",
            _("Wat het kind zegt vastleggen in het ouderschapsplan"),
            "child_talks",
            link="children_voice",
        ),
        Element("report", _("Verslag van de afspraken"), "final"),
    ),
)


# -- PAT: Parenting Apart Together (seed 001) -------------------------------------------------------


def _guidance(phase: str, months: tuple[int, ...]) -> tuple[Planned, Planned]:
    """PAT's monthly guidance between the evaluations: a joint talk, or one with each parent."""
    return (
        Planned(
            f"guidance_together_{phase}",
            TalkKind.JOINT,
            _("Begeleidingsgesprek"),
            phase,
            months,
            Who.PARENTS,
            only_if=lambda o: o["guidance"] == "together",
        ),
        Planned(
            f"guidance_apart_{phase}",
            TalkKind.INDIVIDUAL,
            _("Begeleidingsgesprek"),
            phase,
            months,
            Who.EACH_PARENT,
            only_if=lambda o: o["guidance"] == "apart",
        ),
    )


PAT = TrajectoryType(
    key="pat",
    name=_("PAT – Parenting Apart Together"),
    about=_(
        "Negen maanden samenwerken zonder conflicten, volgens de PAT-methode: eerst de knelpunten en een "
        "manier van communiceren die voor allebei werkt, dan het ouderschapsplan (eerst de afspraken, "
        "daarna de open punten), met elke drie maanden een voortgangsevaluatie."
    ),
    unit=Unit.MONTHS,
    length=9,
    source="001 Kindbelangen (PAT)",
    phases=(
        Phase(
            "analysis",
            _("Analyse van de beginsituatie"),
            _("De begeleider brengt samen met jullie de knelpunten in kaart."),
            _("Vertel wat voor jou de knelpunten zijn."),
        ),
        Phase(
            "communication",
            _("Een manier van communiceren die werkt"),
            _(
                "Jullie zoeken een manier van contact die voor allebei werkt. Dat kan ook zijn: geen direct "
                "contact, maar via de begeleider."
            ),
            _("Vertel je begeleider hoe je het liefst contact hebt met de andere ouder."),
        ),
        Phase(
            "period_1",
            _("Eerste drie maanden"),
            _(
                "Afspraken waarover jullie het eens zijn, gaan in het ouderschapsplan. Aan het eind: de "
                "eerste "
                "voortgangsevaluatie."
            ),
            _("Werk aan het ouderschapsplan, samen of apart."),
        ),
        Phase(
            "period_2",
            _("Tweede drie maanden"),
            _(
                "Aandacht voor de punten waarover jullie het nog niet eens zijn. Aan het eind: de tweede "
                "voortgangsevaluatie."
            ),
            _("Werk aan de open punten in het ouderschapsplan."),
        ),
        Phase(
            "period_3",
            _("Laatste drie maanden"),
            _("Het plan wordt afgerond. De slotevaluatie sluit het traject af."),
            _("Maak het ouderschapsplan samen af."),
        ),
    ),
    options=(
        Option("intake", _("Analysegesprek"), "choice", "apart", choices=TOGETHER_OR_APART),
        Option(
            "guidance",
            _("Begeleidingsgesprekken tussen de evaluaties (elke maand)"),
            "choice",
            "apart",
            choices=(
                ("together", _("samen")),
                ("apart", _("apart (ieder een eigen gesprek)")),
                ("none", _("geen: alleen in de online omgeving")),
            ),
        ),
    ),
    planned=(
        Planned("intake", TalkKind.INTAKE, _("Analysegesprek"), "analysis", (0,), _together("intake")),
        *_guidance("period_1", (1, 2)),
        *_guidance("period_2", (4, 5)),
        *_guidance("period_3", (7, 8)),
        Planned("evaluation_1", TalkKind.EVALUATION, _("Voortgangsevaluatie"), "period_1", (3,), Who.PARENTS),
        Planned("evaluation_2", TalkKind.EVALUATION, _("Voortgangsevaluatie"), "period_2", (6,), Who.PARENTS),
        Planned("evaluation_3", TalkKind.EVALUATION, _("Slotevaluatie"), "period_3", (9,), Who.PARENTS),
    ),
    elements=(
        Element(
            "communication_preference",
            _("Voorkeur voor contact van elke ouder (ook: geen direct contact)"),
            "communication",
            link="contact_mode",
        ),
        Element(
            "plan_agreed_first",
            _("Ouderschapsplan: eerst de afspraken waarover jullie het eens zijn"),
            "period_1",
            link="plan",
        ),
        Element("plan_open_points", _("Ouderschapsplan: daarna de open punten"), "period_2", link="plan"),
    ),
)


# -- systemic family mediation, phases 1 and 2 (seed 002) -------------------------------------------

# What the four 16-week trajectories of seed 002 plan alike: an individual intake ("kennismaking")
# with each parent, the optional meetings with the social team or youth protection, and the
# evaluation that closes the phase.
SEED_002_INTAKE = Planned(
    "intake", TalkKind.INTAKE, _("Kennismakingsgesprek"), "intake", (0,), Who.EACH_PARENT
)
SEED_002_REPORT_ELEMENTS = (
    Element("transparency", _("Afspraken over transparantie"), "transparency"),
    Element("report", _("Verslag"), "evaluation"),
)


def _professionals(*at: int) -> Planned:
    return Planned(
        "professionals",
        TalkKind.PROFESSIONALS,
        _("Overleg met sociaal team of jeugdbescherming"),
        "talks",
        at,
        Who.PROFESSIONALS,
        count_option="professionals",
        optional=True,
    )


def _evaluation(at: int) -> Planned:
    return Planned(
        "evaluation", TalkKind.EVALUATION, _("Evaluatie"), "evaluation", (at,), Who.PARENTS, minutes=90
    )


# Both mediation phases: 4 joint and 4 individual talks, and optional child talks.
MEDIATION_TALKS = (
    SEED_002_INTAKE,
    Planned(
        "joint", TalkKind.JOINT, _("Gezamenlijk gesprek"), "talks", (2, 5, 8, 11), Who.PARENTS, minutes=90
    ),
    Planned(
        "individual", TalkKind.INDIVIDUAL, _("Individueel gesprek"), "talks", (3, 6, 9, 12), Who.EACH_PARENT
    ),
    Planned(
        "child",
        TalkKind.CHILD,
        _("Kindgesprek"),
        "talks",
        (4, 7, 10, 13),
        Who.EACH_CHILD,
        minutes=45,
        count_option="child_talks",
        optional=True,
    ),
)

MEDIATION_1 = TrajectoryType(
    key="mediation_1",
    name=_("Systemische gezinsbemiddeling – fase 1"),
    about=_(
        "Zestien weken (zonder de schoolvakanties) om de samenwerking tussen jullie te verbeteren: minder "
        "spanning, van afwijzen naar insluiten, afspraken maken of verbeteren, meer vertrouwen, en beter "
        "zien wat de kinderen nodig hebben."
    ),
    unit=Unit.SCHOOL_WEEKS,
    length=16,
    source="002 Kind en ik (gezinsbemiddeling)",
    way_up_to="parallel_1",
    followed_by="mediation_2",
    phases=(
        INTAKE_PHASE,
        Phase(
            "talks",
            _("Gesprekken"),
            _(
                "Vier gezamenlijke gesprekken en vier gesprekken met ieder van jullie apart; als jullie dat "
                "willen, ook met de kinderen."
            ),
            _("Kom naar de gesprekken. Tussendoor werk je aan wat jullie hebben afgesproken."),
        ),
        TRANSPARENCY_PHASE,
        REPORT_PHASE,
    ),
    options=(
        Option("child_talks", _("Kindgesprekken (eventueel)"), "int", 0, 0, 4),
        PROFESSIONALS_OPTION,
    ),
    planned=(*MEDIATION_TALKS, _professionals(6, 10), _evaluation(15)),
    elements=(*SEED_002_REPORT_ELEMENTS, PLAN_ELEMENT),
)

MEDIATION_2 = TrajectoryType(
    key="mediation_2",
    name=_("Systemische gezinsbemiddeling – fase 2"),
    about=_(
        "Zestien weken (zonder de schoolvakanties) om de scheiding meer te verwerken: je eigen aandeel "
        "onderzoeken en delen, de kinderen vrijer maken in hun loyaliteit, en de plek van stiefouders en "
        "grootouders."
    ),
    unit=Unit.SCHOOL_WEEKS,
    length=16,
    source="002 Kind en ik (gezinsbemiddeling)",
    way_up_to="parallel_1",
    phases=(
        INTAKE_PHASE,
        Phase(
            "talks",
            _("Gesprekken"),
            _(
                "Vier gezamenlijke gesprekken en vier gesprekken met ieder van jullie apart, eventueel "
                "met een "
                "nieuwe partner, stiefouder of grootouder erbij; eventueel met de kinderen en met het "
                "hele gezin."
            ),
            _(
                "Kom naar de gesprekken. Wil je een nieuwe partner of grootouder meenemen? Overleg het "
                "met je "
                "begeleider."
            ),
        ),
        TRANSPARENCY_PHASE,
        REPORT_PHASE,
    ),
    options=(
        Option("child_talks", _("Kindgesprekken (eventueel)"), "int", 0, 0, 4),
        Option("family_talk", _("Een gezinsgesprek met alle gezinsleden (eventueel)"), "bool", False),
        PROFESSIONALS_OPTION,
    ),
    planned=(
        *MEDIATION_TALKS,
        Planned(
            "family",
            TalkKind.FAMILY,
            _("Gezinsgesprek"),
            "talks",
            (13,),
            Who.PARENTS_AND_CHILDREN,
            minutes=90,
            only_if=lambda o: bool(o["family_talk"]),
            optional=True,
        ),
        _professionals(6, 10),
        _evaluation(15),
    ),
    elements=(*SEED_002_REPORT_ELEMENTS, PLAN_ELEMENT),
)


# -- parallel parenting, phases 1 and 2 (seed 002) --------------------------------------------------

SUPPORT_OPTION = Option(
    "individual_support",
    _("Individuele begeleiding per ouder (eventueel)"),
    "int",
    0,
    0,
    4,
    help=_("Gesprekken om meer mentale veerkracht te krijgen."),
)


def _support(*at: int) -> Planned:
    """Parallel parenting's optional individual support, up to SUPPORT_OPTION talks per parent."""
    return Planned(
        "support",
        TalkKind.INDIVIDUAL,
        _("Individuele begeleiding"),
        "talks",
        at,
        Who.EACH_PARENT,
        count_option="individual_support",
        optional=True,
    )


PARALLEL_1 = TrajectoryType(
    key="parallel_1",
    name=_("Parallel ouderschap – fase 1"),
    about=_(
        "Voor als de spanning tussen jullie te groot is om snel op te lossen: zo veel mogelijk duidelijke, "
        "werkbare afspraken, zodat er weinig overleg nodig is en ieder zich op de eigen band met de "
        "kinderen richt. Het overleg dat nodig is, leidt de begeleider. Zestien weken, zonder de "
        "schoolvakanties."
    ),
    unit=Unit.SCHOOL_WEEKS,
    length=16,
    source="002 Kind en ik (parallel ouderschap)",
    followed_by="parallel_2",
    phases=(
        INTAKE_PHASE,
        Phase(
            "talks",
            _("Begeleide gesprekken"),
            _("Vijf gezamenlijke gesprekken onder leiding van de begeleider, om de afspraken te maken."),
            _("Kom naar de gesprekken. Houd je aan wat is afgesproken, ook als het moeite kost."),
        ),
        TRANSPARENCY_PHASE,
        REPORT_PHASE,
    ),
    options=(SUPPORT_OPTION, PROFESSIONALS_OPTION),
    planned=(
        SEED_002_INTAKE,
        Planned(
            "joint",
            TalkKind.JOINT,
            _("Begeleid gesprek"),
            "talks",
            (2, 4, 7, 10, 13),
            Who.PARENTS,
            minutes=90,
        ),
        _support(3, 6, 9, 12),
        _professionals(6, 10),
        _evaluation(15),
    ),
    elements=(*SEED_002_REPORT_ELEMENTS, PLAN_ELEMENT),
)

PARALLEL_2 = TrajectoryType(
    key="parallel_2",
    name=_("Parallel ouderschap – fase 2"),
    about=_(
        "Een jaar waarin de begeleider jullie drie tot vier keer helpt in een gesprek, zodat de afspraken "
        "blijven werken."
    ),
    unit=Unit.MONTHS,
    length=12,
    source="002 Kind en ik (parallel ouderschap)",
    phases=(
        INTAKE_PHASE,
        Phase(
            "talks",
            _("Begeleide gesprekken"),
            _("Drie tot vier keer per jaar een gesprek onder leiding van de begeleider."),
            _("Kom naar de gesprekken en houd je aan de afspraken."),
        ),
        TRANSPARENCY_PHASE,
        REPORT_PHASE,
    ),
    options=(
        Option("guided_talks", _("Begeleide gesprekken in het jaar"), "int", 4, 3, 4),
        SUPPORT_OPTION,
        PROFESSIONALS_OPTION,
    ),
    planned=(
        SEED_002_INTAKE,
        Planned(
            "joint",
            TalkKind.JOINT,
            _("Begeleid gesprek"),
            "talks",
            (3, 6, 9, 11),
            Who.PARENTS,
            minutes=90,
            count_option="guided_talks",
        ),
        _support(2, 5, 8, 10),
        _professionals(4, 8),
        _evaluation(12),
    ),
    elements=(*SEED_002_REPORT_ELEMENTS, PLAN_ELEMENT),
)


# -- KIES (seed 003) -----------------------------------------------------------------------------

KIES_AGES = (6, 18)  # children and young people from 6 to 18


def _kies_who(options: dict) -> Who:
    return Who.EACH_CHILD if options["format"] == "individual" else Who.CHILDREN


KIES = TrajectoryType(
    key="kies",
    name=_("KIES – Kinderen In Echtscheiding Situatie"),
    about=_(
        "Vier bijeenkomsten van een uur waarin de kinderen (6 tot 18 jaar) hun vragen, zorgen en wensen "
        "kwijt kunnen bij een KIES-coach. Vooraf een intake met jullie en jullie schriftelijke "
        "toestemming; na afloop een evaluatie met jullie allebei. De wensen van de kinderen kunnen de "
        "basis zijn voor de omgangsregeling in het ouderschapsplan."
    ),
    unit=Unit.WEEKS,
    length=8,
    source="003 KIES omgangsbegeleiding",
    phases=(
        Phase(
            "intake",
            _("Intake met de ouders"),
            _("Voor het programma begint, is er een intakegesprek met jullie."),
            _("Kom naar de intake."),
        ),
        Phase(
            "consent",
            _("Schriftelijke toestemming"),
            _("Voordat de kinderen meedoen, geven jullie allebei schriftelijk toestemming."),
            _("Geef je schriftelijke toestemming, samen met de andere ouder."),
        ),
        Phase(
            "sessions",
            _("Vier bijeenkomsten voor de kinderen"),
            _(
                "De kinderen praten in vier bijeenkomsten van een uur over hun vragen, zorgen en "
                "wensen. Ze weten "
                "dat jullie als ouders uiteindelijk over het plan beslissen."
            ),
            _("Zorg dat je kind op tijd bij de bijeenkomst is."),
        ),
        Phase(
            "evaluation",
            _("Afsluitend gesprek met beide ouders"),
            _("De KIES-coach bespreekt wat de kinderen hebben verteld met jullie allebei."),
            _("Kom naar het afsluitende gesprek."),
        ),
        Phase(
            "plan",
            _("De wensen van de kinderen in het ouderschapsplan"),
            _(
                "De wensen van de kinderen kunnen de basis zijn voor de omgangsregeling in het "
                "ouderschapsplan."
            ),
            _("Neem de wensen van de kinderen mee in het ouderschapsplan."),
        ),
    ),
    options=(
        Option("intake", _("Intake"), "choice", "together", choices=TOGETHER_OR_APART),
        Option(
            "format",
            _("Bijeenkomsten"),
            "choice",
            "siblings",
            choices=(
                ("individual", _("ieder kind apart")),
                ("siblings", _("broers en zussen samen")),
                ("group", _("in een groep met leeftijdsgenoten")),
            ),
            help=_("Voor kinderen van 6 tot 18 jaar."),
        ),
    ),
    planned=(
        Planned("intake", TalkKind.INTAKE, _("Intake"), "intake", (0,), _together("intake")),
        Planned(
            "session", TalkKind.CHILD, _("KIES-bijeenkomst"), "sessions", (2, 3, 4, 5), _kies_who, minutes=60
        ),
        Planned("evaluation", TalkKind.EVALUATION, _("Afsluitend gesprek"), "evaluation", (7,), Who.PARENTS),
    ),
    elements=(
        Element("consent", _("Schriftelijke toestemming van beide ouders"), "consent"),
        Element(
            "children_voice",
            _("De wensen van de kinderen vastleggen in het ouderschapsplan"),
            "plan",
            link="children_voice",
        ),
    ),
)


TYPES: dict[str, TrajectoryType] = {
    t.key: t for t in (KINDBEHARTIGER, PAT, MEDIATION_1, MEDIATION_2, PARALLEL_1, PARALLEL_2, KIES)
}
TYPE_CHOICES = [(t.key, t.name) for t in TYPES.values()]


def get_type(key: str) -> TrajectoryType:
    return TYPES[key]


def type_problems(kind: TrajectoryType) -> list[str]:
    """What is wrong with a type's definition (tests call this for every type)."""
    problems = []
    phase_keys = [p.key for p in kind.phases]
    if len(set(phase_keys)) != len(phase_keys):
        problems.append(f"{kind.key}: two phases share a key")
    option_keys = {o.key for o in kind.options}
    for planned in kind.planned:
        if planned.phase not in phase_keys:
            problems.append(f"{kind.key}.{planned.key}: unknown phase {planned.phase}")
        if planned.count_option and planned.count_option not in option_keys:
            problems.append(f"{kind.key}.{planned.key}: unknown option {planned.count_option}")
        if planned.kind not in TalkKind.values:
            problems.append(f"{kind.key}.{planned.key}: unknown kind {planned.kind}")
    for element in kind.elements:
        if element.phase not in phase_keys:
            problems.append(f"{kind.key}.{element.key}: unknown phase {element.phase}")
    for target in (kind.way_up_to, kind.followed_by):
        if target and target not in TYPES:
            problems.append(f"{kind.key}: unknown type {target}")
    return problems
