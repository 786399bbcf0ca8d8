"""The sections a new plan starts with, in Dutch and English.

A section's title is stored when the plan starts, in the plan's language, and a practitioner may
rename it. Pages and PDFs show a title that is still the template's in the reader's language
(`section_title`), and the hints likewise (`hint_for`); a title someone chose is shown as written.
What is stored is never changed by this.

The first four are what the law asks of every parenting plan (art. 815 Rv, and art. 1:247a BW
for parents who lived together): the division of care, how parents inform and consult each
other, the costs of care and upbringing, and how the children were involved in making the plan.
"""

from __future__ import annotations

from django.utils import translation

# key, kind, required, Dutch title, English title, Dutch hint, English hint
SECTIONS = [
    ("care", "care", True, "Zorgregeling", "Division of care",
     "Bij wie zijn de kinderen wanneer? Hoe en wanneer gaat de wissel?",
     "Who do the children stay with when? How and when is the handover?"),
    ("information", "text", True, "Informeren en overleggen", "Informing and consulting each other",
     "Hoe houden jullie elkaar op de hoogte over school, gezondheid en andere belangrijke zaken?",
     "How do you keep each other informed about school, health and other important matters?"),
    ("costs", "text", True, "Kosten van verzorging en opvoeding", "Costs of care and upbringing",
     "Wie betaalt wat? Kinderalimentatie, kinderrekening, kinderbijslag, extra kosten.",
     "Who pays what? Child support, a children's account, child benefit, extra costs."),
    ("children", "children", True, "Hoe de kinderen betrokken zijn", "How the children were involved",
     "Hoe en wanneer is elk kind gehoord, en wat heeft het gezegd?",
     "How and when was each child heard, and what did they say?"),
    ("school", "text", False, "School en opvang", "School and childcare",
     "Welke school, wie gaat naar ouderavonden, wie regelt opvang?",
     "Which school, who goes to parents' evenings, who arranges childcare?"),
    ("holidays", "text", False, "Vakanties en feestdagen", "Holidays and special days",
     "Zomervakantie, kerst, verjaardagen, Moederdag en Vaderdag.",
     "Summer holidays, Christmas, birthdays, Mother's Day and Father's Day."),
    ("health", "text", False, "Gezondheidszorg", "Health care",
     "Huisarts, tandarts, verzekering, medicijnen, wie beslist bij behandelingen.",
     "GP, dentist, insurance, medication, who decides on treatment."),
    ("religion", "text", False, "Levensbeschouwing", "Religion and outlook",
     "Afspraken over geloof, tradities en waarden.", "Agreements on faith, traditions and values."),
    ("relations", "text", False, "Nieuwe partners en grootouders", "New partners and grandparents",
     "Wanneer en hoe maken de kinderen kennis met een nieuwe partner? Contact met grootouders.",
     "When and how do the children meet a new partner? Contact with grandparents."),
    ("moving", "text", False, "Verhuizen", "Moving house",
     "Wat spreken jullie af als een van jullie wil verhuizen?",
     "What do you agree if one of you wants to move?"),
    ("communication", "text", False, "Communicatie- en transparantieafspraken",
     "Communication and transparency",
     "Hoe, wanneer en waarover communiceren jullie? Wat deel je wel en niet?",
     "How, when and about what do you communicate? What do you share and what not?"),
    ("evaluation", "text", False, "Evaluatie", "Evaluation",
     "Wanneer en hoe bekijken jullie het plan opnieuw, bijvoorbeeld elke drie maanden?",
     "When and how do you review the plan, for example every three months?"),
    ("disagreement", "text", False, "Als we het niet eens zijn", "When we disagree",
     "Wat doen jullie als jullie het oneens zijn? Bijvoorbeeld eerst overleg, dan mediation.",
     "What do you do when you disagree? For example talk first, then mediation."),
]


def _english(language: str | None) -> bool:
    return (language or translation.get_language() or "nl").split("-")[0] == "en"


def section_title(key: str, title: str, language: str | None = None) -> str:
    """The title to show in `language` (default: the active one): the template's title in that
    language while the section still has one of the template's titles, else `title` as it is."""
    for k, _kind, _req, title_nl, title_en, _hint_nl, _hint_en in SECTIONS:
        if k == key and title in (title_nl, title_en):
            return title_en if _english(language) else title_nl
    return title


def hint_for(key: str, language: str | None = None) -> str:
    """The template's hint for a section in `language` (default: the active one); "" for a
    section a practitioner added."""
    for k, _kind, _req, _nl, _en, hint_nl, hint_en in SECTIONS:
        if k == key:
            return hint_en if _english(language) else hint_nl
    return ""
