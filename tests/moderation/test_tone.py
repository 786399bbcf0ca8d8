"""moderation.tone.assess: the hard cases of issue 10, a table of levels and reasons, odd input,
no network, and the labelled set's shape. Quality figures are printed by
tests/perf/test_tone_quality.py; here only floors that a broken rule would fall through."""

from __future__ import annotations

import ast
import hashlib
import json
import socket
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import moderation.tone as tone
from moderation.tone import LEVELS, REASONS, VERSION, Assessment, assess
from moderation.tone.normalise import normalise
from moderation.tone.rules import match_rules

SET = Path(__file__).with_name("tone_set.jsonl")
PACKAGE = Path(tone.__file__).parent


def level(text: str) -> str:
    return assess(text).level


# ---------------------------------------------------------------------------- the issue's hard cases


@pytest.mark.parametrize("text", [
    "ik ga je heus niet slaan",
    "ik ga je heus niet slaan of zo, ik wil alleen rustig over de vakantie praten",
    "ik zou de kinderen nooit iets aandoen, dat weet je",
    "i'm not going to hurt you. i just want to sort out christmas",
    "i would never hurt the kids, you know that",
    "niemand gaat jou de kinderen afpakken",
])
def test_negated_threats_are_not_threats(text):
    assert level(text) == "ok"


@pytest.mark.parametrize("text", [
    "je zei 'ik maak je kapot' waar de kinderen bij waren. dat wil ik niet meer",
    'ze zei "papa is stom" maar ze was gewoon moe',
    "je schreef dat ik een slechte moeder ben. dat raakt me, maar laten we het over de planning hebben",
    "you said 'you're a terrible mother' in front of the kids. please don't do that again.",
    'she told me "daddy is stupid" but she was just tired',
])
def test_quoting_the_other_parent_is_not_their_own_words(text):
    assert level(text) == "ok"


def test_a_quote_does_not_hide_the_senders_own_threat():
    assert level("je zei 'doe normaal'. nou, ik weet waar je woont") == "threat"


@pytest.mark.parametrize("text", [
    "shit, de trein heeft vertraging",
    "kut, ik ben mn sleutels kwijt",
    "godverdomme wat een weer, alles staat blank",
    "fuck, i locked myself out 😩 do you have the spare key?",
    "damn, i left the lunchboxes on the counter",
])
def test_swearing_not_aimed_at_a_person_is_ok(text):
    assert level(text) == "ok"


def test_swearing_at_the_others_doings_is_caution_and_at_the_person_hostile():
    assert assess("je fucking telefoon staat zeker weer uit").level == "caution"
    assert "profanity" in assess("je fucking telefoon staat zeker weer uit").reasons
    assert level("fuck you") == "hostile"


@pytest.mark.parametrize("text", [
    "mijn batterij is dood",
    "mijn batterij is bijna dood, ik bel je straks",
    "ik schrok me dood toen de school belde",
    "de hond is vannacht dood gegaan 😢",
    "lisa vermoordt me als ik haar telefoon vergeet haha",
    "this traffic is killing me, be there in 20",
    "kill the lights when you leave",
    "she'll kill me if i forget her charger lol",
    "i could murder a coffee right now",
    "my phone is about to die",
])
def test_death_and_kill_in_a_harmless_sense_are_ok(text):
    assert level(text) == "ok"


@pytest.mark.parametrize("text", [
    "ik weet waar je woont",
    "je zult het merken",
    "wacht maar af",
    "dat ga je bezorgen",
    "niemand zal je geloven",
    "ik sta zo voor je deur",
    "het zou jammer zijn als er iets met je auto gebeurt",
    "i know where the kids go to school",
    "watch your back",
    "you'll regret this",
    "it would be a shame if something happened to your car",
    "i know exactly when you're home alone",
])
def test_veiled_threats_without_a_trigger_word_are_threats(text):
    assert level(text) == "threat"


@pytest.mark.parametrize("text", [
    "als je de kinderen niet terugbrengt sla ik je in elkaar",
    "ik maak je kapot",
    "if you dont bring them back ill smash your face in",
    "touch my kids again and i'll kill you",
])
def test_threats_in_lower_case_without_exclamation_marks_are_threats(text):
    assert text == text.lower() and "!" not in text
    assert level(text) == "threat"


@pytest.mark.parametrize("text", [
    "zeg maar tegen je moeder dat ze eerst de alimentatie moet betalen",
    "de kinderen willen jou niet meer zien.",
    "vraag maar aan noah waarom hij niet meer bij je wil slapen",
    "tell your mom she needs to pay first",
    "the kids don't want to see you anymore.",
])
def test_pressure_through_the_child_without_insults_is_hostile(text):
    a = assess(text)
    assert a.level == "hostile"
    assert "child_pressure" in a.reasons
    assert "insult" not in a.reasons


@pytest.mark.parametrize("text", [
    "ik leg dit voor aan de rechter.",
    "ik schakel mijn advocaat in als je je niet aan de afspraken houdt",
    "i'm taking this to court.",
])
def test_a_calm_legal_step_is_at_most_caution(text):
    a = assess(text)
    assert a.level == "caution"
    assert a.reasons == ["legal"]


def test_a_firm_no_is_ok():
    assert level("nee. ik betaal de schoolreis niet alleen, we hadden 50/50 afgesproken.") == "ok"
    assert level("no, i can't swap this weekend. let's stick to the schedule.") == "ok"


# ---------------------------------------------------------------------------- a table of cases

CASES = [
    ("hoi, ik haal sem morgen om 15:15 op bij school", "ok", []),
    ("je bent ALTIJD te laat. altijd.", "caution", ["absolutes"]),
    ("you never listen to anything i say", "caution", ["blame", "absolutes"]),
    ("ja hoor, tuurlijk ben je het weer vergeten 🙄", "caution", ["sarcasm"]),
    ("IK HEB HET AL DRIE KEER GEZEGD. DE TAS MOET MEE.", "caution", ["shouting"]),
    ("neem je telefoon op!!!", "caution", ["demand", "exclamations"]),
    ("antwoord binnen een uur", "caution", ["demand"]),
    ("hoe vaak moet ik het nog zeggen", "caution", ["lecturing"]),
    ("het is jouw schuld dat ze zo van slag is", "caution", ["blame"]),
    ("klootzak", "hostile", ["insult"]),
    ("you're a liar and a manipulator", "hostile", ["insult"]),
    ("je bent echt een slechte moeder", "hostile", ["contempt"]),
    ("you're a joke of a parent", "hostile", ["contempt"]),
    ("ik weet waar je werkt en hoe laat je klaar bent", "threat", ["threat", "stalking"]),
    ("ik vermoord je", "threat", ["threat"]),
]


@pytest.mark.parametrize(("text", "expected_level", "some_reasons"), CASES)
def test_levels_and_reasons_of_a_table_of_cases(text, expected_level, some_reasons):
    a = assess(text)
    assert a.level == expected_level
    assert set(some_reasons) <= set(a.reasons)


def test_an_ok_assessment_has_no_reasons_and_every_reason_is_documented():
    assert assess("top, bedankt!").reasons == []
    for text, *_ in CASES:
        assert set(assess(text).reasons) <= set(REASONS)


def test_the_assessment_object():
    a = assess("ik weet waar je woont")
    assert isinstance(a, Assessment)
    assert a.level in LEVELS
    assert a.version == VERSION
    assert a.as_dict() == {
        "level": "threat", "reasons": ["threat", "stalking"], "lang": "nl", "version": VERSION,
    }
    for tag in ("insult", "profanity", "threat", "shouting", "exclamations", "absolutes", "blame", "sarcasm",
                "child_pressure", "contempt", "demand"):
        assert tag in REASONS  # the issue's minimum list


@pytest.mark.parametrize(("text", "lang"), [
    ("ik haal ze morgen om drie uur op", "nl"),
    ("can you pick them up tomorrow at three", "en"),
    ("klootzak", "nl"),
    ("you're a liar", "en"),
])
def test_language_is_detected_by_itself(text, lang):
    assert assess(text).lang == lang


# ---------------------------------------------------------------------------- odd input


@pytest.mark.parametrize("text", [
    "", " ", "\n\n", "🙄", "👍👍👍", "🖕", "!!!!!!!!", "??", "...", "'", '"', "«»", "\ud800", "abc\udfffdef",
    "\x00\x01\x02", "a\u200bb", "\u202eevil", "x" * 10_000, ("ik weet waar je woont. " * 500),
    "ｆｕｃｋ ｙｏｕ",
    "ÀÉÎÕÜ", "نص عربي", "中文", "1234567890", "<script>alert(1)</script>",
])
def test_assess_never_raises_on_odd_input(text):
    a = assess(text)
    assert a.level in LEVELS
    assert set(a.reasons) <= set(REASONS)
    assert a.lang in ("nl", "en")


def test_assess_takes_none_and_non_strings_without_raising():
    assert assess(None).level == "ok"
    assert assess(12345).level == "ok"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_assess_never_raises_on_any_text(text):
    a = assess(text)
    assert a.level in LEVELS


WORDS = (
    "ik je jij jou niet nooit weet waar woont sla kapot dood kinderen moeder slechte zeg tegen altijd you i "
    "will kill never know where live kids mom tell your always !!! ? . , 🙄 HALLO 'quote' \"said\" "
    "and then if als dan see what happens zult merken wacht maar af niemand geloven"
)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=80))
def test_plain_ascii_text_is_cleaned_as_any_text(text):
    """clean() skips Unicode normalisation for ASCII text (most messages): the result must be what
    the full path gives."""
    import unicodedata

    from moderation.tone.normalise import _CONTROL, _DROP, clean

    full = unicodedata.normalize("NFKC", _CONTROL.sub(" ", text)).translate(_DROP).lower()
    full = "".join(c for c in unicodedata.normalize("NFKD", full) if not unicodedata.combining(c))
    assert clean(text) == full


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(WORDS.split(" ")), max_size=30).map(" ".join))
def test_the_prefilter_never_changes_a_result(text):
    norm, _ = normalise(text)
    assert match_rules(norm) == match_rules(norm, prefilter=False)


def _fill(unit: str, size: int = 4_000) -> str:
    return (unit * (size // len(unit) + 1))[:size]


# Long messages that make many rules try many places (the places index and its one-pass fallback).
LONG = [
    _fill("we kunnen de kinderen zaterdag om tien uur ophalen bij school "),
    _fill("je bent ik ga you are i will we de kinderen the kids "),
    _fill("ik ga je heus niet slaan. "), _fill(". nu "), _fill("? "), _fill("😡"), _fill("abcdefghij"),
    _fill("ja hoor. wow, 🙄 hallo?? "), _fill('"ja '), _fill("JIJ BENT ALTIJD TE LAAT "),
]


def _every_match(norm: str, places: bool) -> list:
    from moderation.tone import rules

    at, may = rules._places(norm)
    found = []
    for i, rule in enumerate(rules.RULES):
        if places:
            spans = [m.span() for m in rules._matches(i, rule, norm, at)] if i in may else []
        else:
            spans = [m.span() for m in rule.regex.finditer(norm)]
        found.append(spans)
    return found


def test_every_rule_matches_only_where_its_starts_say_on_the_labelled_set_and_long_text():
    """The places index (starts.py) must find every match each rule has, in the order finditer
    gives them: on every labelled message and on long, repetitive messages."""
    texts = [r["text"] for r in _rows()] + LONG
    for text in texts:
        norm, _ = normalise(text)
        assert _every_match(norm, places=True) == _every_match(norm, places=False), text[:80]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(WORDS.split(" ")), min_size=50, max_size=400).map(" ".join))
def test_every_rule_matches_only_where_its_starts_say_on_random_long_text(text):
    norm, _ = normalise(text)
    assert _every_match(norm, places=True) == _every_match(norm, places=False)


@pytest.mark.parametrize("pattern, expected", [
    (r"\b(?:ik|we) sla je\b", {("ik sla je", "word", 0), ("we sla je", "word", 0)}),
    (r"\b(?:dan )?zie je\b", {("dan zie je", "word", 0), ("zie je", "word", 0)}),
    (r"(?:^|[.,!?] )nu(?= ?[.!]|$)",
     {("nu", "begin", 0), ("nu", "word", 2)}),
    (r"\b(?:[^\s.,!?;:]+) zegt", None),
    (r"(?:🙄|😒)", {("🙄", "any", 0), ("😒", "any", 0)}),
    (r"\bkut\w+ (?:jij|je)", {("kut", "word", 0)}),
    (r"kut\w+", {("kut", "any", 0)}),  # no \b: it may start inside a word ("rotkutding")
    (r"(?P<x>a)", None),
])
def test_the_starts_of_a_pattern(pattern, expected):
    from moderation.tone.starts import starts

    got = starts(pattern)
    assert (set(got) if got is not None else None) == expected


@pytest.mark.parametrize("padding", [
    _fill("we kunnen de kinderen zaterdag om tien uur ophalen bij school "),
    _fill("ok\n"), _fill("😊"), _fill("!?"), _fill("abcdefghij"), _fill("ik ga je heus niet slaan. "),
])
@pytest.mark.parametrize("threat", ["ik weet waar je woont", "je zult het merken", "i know where you live"])
def test_a_threat_is_caught_after_4000_characters_of_padding(padding, threat):
    """Speed must not come from reading less: a threat at the end of the longest message allowed
    (messaging.services.MAX_BODY_CHARS), or in its middle, is still a threat."""
    from messaging.services import MAX_BODY_CHARS

    at_end = padding[:MAX_BODY_CHARS - len(threat) - 2] + ". " + threat
    middle = padding[:1_900] + ". " + threat + ". " + padding[:1_900]
    assert len(at_end) == MAX_BODY_CHARS
    assert assess(at_end).level == "threat"
    assert assess(middle).level == "threat"


# ---------------------------------------------------------------------------- offline


FORBIDDEN = {
    "socket", "ssl", "http", "urllib", "urllib3", "requests", "httpx", "aiohttp", "ftplib", "smtplib",
    "subprocess", "asyncio",
}


def test_the_package_imports_nothing_that_reaches_the_network():
    for path in PACKAGE.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            for name in names:
                assert name.split(".")[0] not in FORBIDDEN, f"{path.name} imports {name}"


def test_assessing_opens_no_socket(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the tone check tried to open a socket")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    for text in ("ik weet waar je woont", "you're a joke of a parent", "ok"):
        assess(text)


# ---------------------------------------------------------------------------- the version


def _fingerprint() -> str:
    h = hashlib.sha256()
    for name in ("lexicon_nl.py", "lexicon_en.py", "rules.py", "starts.py", "normalise.py", "language.py",
                 "model.py", "model_nb.json"):
        h.update((PACKAGE / name).read_bytes())
    return h.hexdigest()[:16]


def test_the_version_changes_with_the_rules():
    """Stored assessments name the analyser that made them: a change to any rule, word list or the
    normalisation must come with a new VERSION. When this fails: bump VERSION in
    moderation/tone/__init__.py and put the new fingerprint in RULES_FINGERPRINT. (Only a change
    that cannot change any result, such as the places index, which the tests above compare with a
    full scan of every rule, keeps the VERSION and updates the fingerprint alone.)"""
    assert _fingerprint() == tone.RULES_FINGERPRINT, (
        f"the rules changed: bump VERSION (now {VERSION}) and set "
        f"RULES_FINGERPRINT = {_fingerprint()!r}"
    )


# ---------------------------------------------------------------------------- the labelled set


def _rows() -> list[dict]:
    with SET.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def test_the_labelled_set_has_the_shape_the_issue_asks_for():
    rows = _rows()
    assert len(rows) >= 400
    langs = Counter(r["lang"] for r in rows)
    assert set(langs) == {"nl", "en"} and min(langs.values()) >= 0.4 * len(rows)
    for lang in ("nl", "en"):
        per_level = Counter(r["level"] for r in rows if r["lang"] == lang)
        assert set(per_level) == set(LEVELS) and min(per_level.values()) >= 50
    assert len({r["id"] for r in rows}) == len(rows)
    assert len({r["text"] for r in rows}) == len(rows)
    assert {r["split"] for r in rows} == {"dev", "holdout", "fresh", "fresh2", "fresh3", "fresh4", "blind"}
    # the first 605 messages were split dev/holdout before any rule was written; later batches
    # (fresh .. fresh4) were written after, measured once blind, then used for tuning
    first = [r for r in rows if r["split"] in ("dev", "holdout") and "-p" not in r["id"]]
    holdout = sum(1 for r in first if r["split"] == "holdout")
    assert holdout >= 100 and 0.2 * len(first) <= holdout <= 0.35 * len(first)
    for r in rows:
        assert set(r["reasons"]) <= set(REASONS)
        assert (r["level"] == "ok") == (r["reasons"] == [])


def test_the_rules_still_hold_on_the_messages_they_were_written_on():
    """A floor, not the figures (those are in the benchmark): a broken rule falls through it.
    Never the holdout or the blind split: they stay out of anything a developer reads message by
    message."""
    rows = [r for r in _rows() if r["split"] not in ("holdout", "blind")]
    got = {r["id"]: level(r["text"]) for r in rows}
    threat = [r for r in rows if r["level"] == "threat"]
    ok = [r for r in rows if r["level"] == "ok"]
    assert sum(got[r["id"]] == "threat" for r in threat) >= 0.95 * len(threat)
    assert sum(got[r["id"]] in ("hostile", "threat") for r in ok) <= 0.03 * len(ok)
    assert sum(got[r["id"]] == r["level"] for r in rows) >= 0.9 * len(rows)


# ---------------------------------------------------------------------------- the learned model


def test_the_shipped_model_is_what_the_trainer_makes_from_the_shipped_set():
    """Edit the set, retrain: `python -m moderation.tone.train` (then bump VERSION)."""
    from moderation.tone import model, train

    made = train.dumps(train.train(_rows()))
    assert made == model.MODEL_PATH.read_text(encoding="utf-8")


def test_the_model_never_saw_the_holdout_or_the_blind_split():
    from moderation.tone import model

    data = json.loads(model.MODEL_PATH.read_text(encoding="utf-8"))
    assert "holdout" not in data["trained_on"] and "blind" not in data["trained_on"]
    assert sum(data["trained_on"].values()) == sum(data["prior"])


RANK = {lv: i for i, lv in enumerate(LEVELS)}


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(WORDS.split(" ") + ["ik", "weet", "je", "nog", "wel", "spijt", "pas", "op"]),
                max_size=25).map(" ".join))
def test_the_model_only_ever_raises_the_rules_level(text):
    with_model = assess(text)
    rules_only = tone._assess(text, use_model=False)
    assert RANK[with_model.level] >= RANK[rules_only.level]
    if with_model.level != rules_only.level:
        assert "learned" in with_model.reasons
    else:
        assert with_model.reasons == rules_only.reasons


@pytest.mark.parametrize("text", [
    "ik ga je heus niet slaan, ik wil alleen dat je eerlijk bent over wat er gebeurd is",
    "bedankt dat je zo snel kwam, de kinderen waren blij je te zien ❤️",
    "hoe laat kom je morgen? dan zorg ik dat ze klaar staan",
])
def test_the_model_leaves_negated_friendly_and_plain_messages_alone(text):
    assert assess(text).level == tone._assess(text, use_model=False).level == "ok"
