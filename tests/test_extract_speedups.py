"""The fast paths of extraction give exactly what the plain regex scans they replace give."""

from __future__ import annotations

import re

import pytest

from kg.extract import event_names, event_words, events
from kg.extract.scan import StemScan, folded
from kg.extract.text import proper_name_at
from kg.gazetteer import load
from kg.surfaces import SurfaceIndex

TRICKY = [
    "",
    "Konferensen hålls i Umeå. Länskonferensen, remisskonferenserna och stormötet-2019 följer.",
    "x-konferens -konferens _konferens konferens_x KONFERENSEN Öppet Hus öppet hus-dagen kick-offen",
    "Seminariet ”Makt att forma samhället” och seminarierna; frukostseminariet Jämställd vård i Karlstad",
    "İstanbulkonferensen och ſeminariet: ı and ſ fall back to the regex",
    "konferens\nkonferensen Jämställdhet i praktiken den 22 oktober. Dagen Efter, veckan 2018 ...",
    "möte" * 5 + " mötena mötesdagen möten-konferens  konferenserna",
    "Temadagen 16 dagar mot våld, webbinariet «Makt» och träffen Ny start för alla",
]


def _reference(pattern: re.Pattern[str], text: str, b: int = 0, e: int | None = None) -> list[tuple]:
    e = len(text) if e is None else e
    return [(m.start(), m.end(), m.group(0)) for m in pattern.finditer(text, b, e)]


@pytest.mark.parametrize("text", TRICKY)
def test_stem_scans_equal_the_regexes(text: str) -> None:
    scans = [StemScan(event_words.event_heads(), event_words._generic_re()), event_names._NOUN_SCAN]
    for scan in scans:
        for b in range(0, len(text) + 1, 3):
            for e in (len(text), b + 7, b + 30):
                e = min(e, len(text))
                got = [(m.start(), m.end(), m.group(0)) for m in scan.finditer(text, b, e)]
                assert got == _reference(scan.pattern, text, b, e), (text, b, e)


def test_the_noun_pattern_is_unchanged() -> None:
    old = re.compile(
        r"(?<![\w-])(?P<noun>[\w-]*?(?:konferensen|seminariet|mötet|föreläsningen|workshopen|evenemanget|festivalen|"
        r"utställningen|galan|mässan|kampanjen|temadagen|webbinariet|veckan|kongressen|forumet|dagen|träffen|"
        r"konventet|symposiet))[ ]"
        r"(?=[”\"«A-ZÅÄÖ0-9])",
        re.IGNORECASE,
    )
    assert event_names._NOUN_THEN_NAME.pattern == old.pattern


def test_folded_refuses_texts_where_lower_case_misleads() -> None:
    assert folded("Åre KONFERENS") == "åre konferens"
    assert folded("İzmir") is None and folded("ſeminarium") is None


@pytest.mark.parametrize("text", TRICKY)
@pytest.mark.parametrize("ignore_case", [True, False])
def test_surface_index_equals_its_regex(text: str, ignore_case: bool) -> None:
    g = load()
    index = SurfaceIndex(list(g.surfaces) if ignore_case else list(g.towns), ignore_case=ignore_case)
    text = text + " Region Skåne och Umeå kommun, umeå kommuns, Umeå"
    if ignore_case and not folded(text):
        return  # the index folds with str.lower(), as it always did
    assert [(m.start(), m.end(), m.group(0)) for m in index.finditer(text)] == _reference(index.regex(), text)


def test_proper_name_at_every_position() -> None:
    text = " ".join(TRICKY) + " 16 dagar mot våld 2018 och 400 Kronor, Anna Berg i Umeå"
    expected = {12: (12, 36)}
    t = "konferensen Jämställdhet i praktiken den 22 oktober"
    assert proper_name_at(t, 12) == expected[12]
    for pos in range(len(text) + 1):
        proper_name_at(text, pos)  # no position raises


def test_lead_letters_accept_what_the_words_accept() -> None:
    from kg.extract.dates import _lex

    data = _lex().data
    for words in (
        [*data["month_names"], *data["month_abbreviations"]],
        data["relative_days"],
        data["past_weekdays"],
        data["next_weekday_prefixes"],
        data["time_prefixes"],
    ):
        letters = sorted({w[0].lower() for w in words})
        as_class = re.compile(f"[{''.join(letters)}]", re.IGNORECASE)
        as_words = re.compile("|".join(letters), re.IGNORECASE)
        for code in range(0x30000):
            c = chr(code)
            assert bool(as_class.fullmatch(c)) == bool(as_words.fullmatch(c)), (letters, hex(code))


DATE_TEXTS = [
    "I dag, i morgon och IGÅR; i måndags och nästa fredag, på Fredag, nu på söndag. Idag!",
    "Den 3 mars 2019, March 3, 2019, Jan. 5 2020, 2019-03-04, 4.3.2019, 4/3 2019, 1/2 kg, SEPTEMBER 12th, 2018",
    "xi dag ii morgon 12019-01-01 3.4.20191 a/b 5/5-2020 İ dag ı dag",
    "kl. 9, KL 10.30–12, klockan 14 till 15, xkl 8, Kl.7",
]


@pytest.mark.parametrize("text", DATE_TEXTS)
def test_date_patterns_with_a_lead_equal_the_plain_ones(text: str) -> None:
    from kg.extract.dates import _lex

    for key in ("english", "relative", "past", "next", "kl_time"):
        fast = _lex().rx[key]
        plain = re.compile(re.sub(r"^\(\?=\[[a-z]+\]\)", "", fast.pattern), fast.flags)
        assert plain.pattern != fast.pattern
        assert _reference(fast, text) == _reference(plain, text)


def test_guarded_contact_patterns() -> None:
    from kg.extract.contacts import EMAIL, PHONE

    for text in ["tfn 070-123 45 67", "+46 8 123 45 67", "anna[AT]umea.se", "a(at)b.se", "x@y.se", "inget", ""]:
        assert _reference(PHONE.pattern, text) == [(m.start(), m.end(), m.group(0)) for m in PHONE.finditer(text)]
        assert _reference(EMAIL.pattern, text) == [(m.start(), m.end(), m.group(0)) for m in EMAIL.finditer(text)]
        assert PHONE.sub("", EMAIL.sub("", text)) == PHONE.pattern.sub("", EMAIL.pattern.sub("", text))


def test_literal_starts_cover_every_registration_match() -> None:
    from kg.extract.scan import literal_starts, starts_within

    registration = events._word_res()[0]
    words = event_words.event_lexicon()["registration_words"]
    text = "Anmälan senast 3 maj. SISTA  DAG, sista dag! O.S.A. till osa@x.se; Biljettsläpp; xanmäl ansökningar."
    positions = literal_starts(text, words)
    assert positions is not None and literal_starts("ſenast", words) is None
    for b in range(len(text)):
        for e in range(b, len(text) + 1, 5):
            if registration.search(text[b:e]):
                assert starts_within(positions, b, e), (b, e)


NAME_TEXTS = [
    "Stockholms stadsteatern, Svenska  Kyrkan-förbundet, Riks\nförbundet och Länsarbetsnämnden i Umeå.",
    "x-Förbundet, ESF-rådet, Umeå Folk-högskolan, Mälardalens Högskola, Stockholms gaykören, nämnden",
    "Anna-Karin Berg, Karl- Erik Pettersson och stadChristina Kivi; Per af Ugglas, ÅSA Öberg, Éva Ünal",
]


@pytest.mark.parametrize("text", NAME_TEXTS + TRICKY)
def test_capital_lookaheads_change_no_match(text: str) -> None:
    from kg.extract import org_patterns
    from kg.extract import text as tx

    lead = f"(?=[{tx.UPPER}])"
    for rx in (org_patterns._pattern_res()[4], tx._name_re(), tx._glued_name_re()):
        assert rx.pattern.startswith(lead)
        assert _reference(rx, text) == _reference(re.compile(rx.pattern[len(lead) :], rx.flags), text)
