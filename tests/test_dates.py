"""Tests for kg.extract.dates: finding, resolving and locating dates in Swedish press releases."""

from __future__ import annotations

from datetime import date, time
from itertools import pairwise

import pytest

from kg.extract.dates import DateMention, find_dates, find_publication_date, find_years

REF = date(2020, 11, 20)  # a Friday


def _check_offsets(text: str, mentions: list[DateMention]) -> None:
    assert [m.begin for m in mentions] == sorted(m.begin for m in mentions)
    for m in mentions:
        assert text[m.begin : m.end] == m.text
    for a, b in pairwise(mentions):
        assert a.end <= b.begin


def _one(text: str, **kwargs: object) -> DateMention:
    mentions = find_dates(text, **kwargs)  # type: ignore[arg-type]
    _check_offsets(text, mentions)
    assert len(mentions) == 1, mentions
    return mentions[0]


# (sentence, mention text, start, end) — the year is stated, no reference needed
EXPLICIT = [
    ("Mötet hölls 6 september 2017 i Umeå.", "6 september 2017", date(2017, 9, 6), None),
    ("Beslutet fattades den 6 september 2017 av nämnden.", "6 september 2017", date(2017, 9, 6), None),
    ("Sista dag är 6 sept. 2017 för ansökan.", "6 sept. 2017", date(2017, 9, 6), None),
    ("Ansökan ska vara inne senast 2017-09-06.", "2017-09-06", date(2017, 9, 6), None),
    ("Stämman hålls 06.09.2017 i Malmö.", "06.09.2017", date(2017, 9, 6), None),
    ("Sista anmälningsdag är 6/9 2017.", "6/9 2017", date(2017, 9, 6), None),
    ("Valborg firas den 30:e april 2019 i parken.", "30:e april 2019", date(2019, 4, 30), None),
    ("Konferensen pågår 2–3 februari 2021 i Luleå.", "2–3 februari 2021", date(2021, 2, 2), date(2021, 2, 3)),
    (
        "Kursen går 31 januari–1 februari 2018 i Kiruna.",
        "31 januari–1 februari 2018",
        date(2018, 1, 31),
        date(2018, 2, 1),
    ),
    ("Seminariet hålls 29–30 maj 2019.", "29–30 maj 2019", date(2019, 5, 29), date(2019, 5, 30)),
    ("Mässan pågår 4–6 december 2020 i Göteborg.", "4–6 december 2020", date(2020, 12, 4), date(2020, 12, 6)),
    (
        "Lägret pågår 30 december–2 januari 2019.",
        "30 december–2 januari 2019",
        date(2018, 12, 30),
        date(2019, 1, 2),
    ),
    (
        "Utställningen visas 2018-11-23 – 2018-11-25 i hallen.",
        "2018-11-23 – 2018-11-25",
        date(2018, 11, 23),
        date(2018, 11, 25),
    ),
    ("Torsdag den 2 oktober 2014 invigs bron.", "Torsdag den 2 oktober 2014", date(2014, 10, 2), None),
    ("Det hände på dagen Nov 30, 2006 i Stockholm.", "Nov 30, 2006", date(2006, 11, 30), None),
    ("Skottdagen 29 februari 2020 firas.", "29 februari 2020", date(2020, 2, 29), None),
]


@pytest.mark.parametrize(("text", "span", "start", "end"), EXPLICIT)
def test_explicit_dates(text: str, span: str, start: date, end: date | None) -> None:
    m = _one(text)
    assert (m.text, m.start, m.end_date, m.year_known) == (span, start, end or start, True)
    assert (m.month, m.day) == (start.month, start.day)


# (sentence, mention text, start, end, reference) — year from the reference date
BY_REFERENCE = [
    ("Mötet hålls den 6 december i Visby.", "6 december", date(2020, 12, 6), None, REF),
    ("Utställningen öppnade 6 sept. med pompa.", "6 sept.", date(2020, 9, 6), None, REF),
    ("Anmälan senast 6/9.", "6/9", date(2020, 9, 6), None, REF),
    ("Kursen startar den 15 januari i Lund.", "15 januari", date(2021, 1, 15), None, REF),
    (
        "Den 31 januari - 1 februari hålls kursen.",
        "31 januari - 1 februari",
        date(2021, 1, 31),
        date(2021, 2, 1),
        REF,
    ),
    ("Den 30-31 januari är kansliet stängt.", "30-31 januari", date(2021, 1, 30), date(2021, 1, 31), REF),
    ("Vi har öppet den 5 och 6 mars.", "5 och 6 mars", date(2021, 3, 5), date(2021, 3, 6), REF),
    ("Torsdag den 2 oktober öppnar vi.", "Torsdag den 2 oktober", date(2014, 10, 2), None, date(2015, 5, 1)),
    ("Val sker tisdagen den 8 december.", "tisdagen den 8 december", date(2020, 12, 8), None, REF),
    ("Lista: må 16 april, fr 13 april.", "må 16 april", date(2018, 4, 16), None, date(2018, 3, 1)),
    ("Visning on 11 april i hallen.", "on 11 april", date(2018, 4, 11), None, date(2018, 3, 1)),
    ("Visning to 12 april i hallen.", "to 12 april", date(2018, 4, 12), None, date(2018, 3, 1)),
    ("Visning ti 17 april i hallen.", "ti 17 april", date(2018, 4, 17), None, date(2018, 3, 1)),
    ("Visning lö 14 april i hallen.", "lö 14 april", date(2018, 4, 14), None, date(2018, 3, 1)),
    ("Visning sö 15 april i hallen.", "sö 15 april", date(2018, 4, 15), None, date(2018, 3, 1)),
]


@pytest.mark.parametrize(("text", "span", "start", "end", "ref"), BY_REFERENCE)
def test_reference_year(text: str, span: str, start: date, end: date | None, ref: date) -> None:
    mentions = find_dates(text, reference=ref)
    _check_offsets(text, mentions)
    m = mentions[0]
    assert (m.text, m.start, m.end_date, m.year_known) == (span, start, end or start, True)


# (sentence, mention text, start, start_time, end_time)
TIMES = [
    (
        "Torsdag den 2 oktober, kl. 09.30 öppnar vi.",
        "Torsdag den 2 oktober, kl. 09.30",
        date(2020, 10, 2),
        time(9, 30),
        None,
    ),
    (
        "Invigning fredagen den 1 december 2006 kl 09.00 – 11.45 i aulan.",
        "fredagen den 1 december 2006 kl 09.00 – 11.45",
        date(2006, 12, 1),
        time(9),
        time(11, 45),
    ),
    (
        "Välkommen tisdagen den 8 december, kl 15.30-17.00 till rådhuset.",
        "tisdagen den 8 december, kl 15.30-17.00",
        date(2020, 12, 8),
        time(15, 30),
        time(17),
    ),
    ("Samling den 3 maj kl 9 vid kyrkan.", "3 maj kl 9", date(2021, 5, 3), time(9), None),
    ("Öppet hus den 3 maj kl. 13:00–16:00.", "3 maj kl. 13:00–16:00", date(2021, 5, 3), time(13), time(16)),
    ("Start den 3 maj klockan 10 på torget.", "3 maj klockan 10", date(2021, 5, 3), time(10), None),
    ("Den 3 maj öppnar utställningen kl. 10 i hallen.", "3 maj", date(2021, 5, 3), time(10), None),
    ("Apr 28, 2009 15:25 CEST", "Apr 28, 2009 15:25", date(2009, 4, 28), time(15, 25), None),
    ("Beslut i dag kl. 14 i fullmäktige.", "i dag kl. 14", REF, time(14), None),
]


@pytest.mark.parametrize(("text", "span", "start", "t0", "t1"), TIMES)
def test_times(text: str, span: str, start: date, t0: time, t1: time | None) -> None:
    m = _one(text, reference=REF)
    assert (m.text, m.start, m.start_time, m.end_time) == (span, start, t0, t1)


def test_time_on_labelled_line_attaches_to_date_above() -> None:
    text = "Datum: torsdag den 3 maj 2018\nTid: kl 18.00–20.00\nPlats: Stadshuset"
    m = _one(text)
    assert (m.start, m.start_time, m.end_time) == (date(2018, 5, 3), time(18), time(20))


# (sentence, mention text, resolved date), reference = Friday 2020-11-20
RELATIVE = [
    ("Förslaget presenteras i dag.", "i dag", date(2020, 11, 20)),
    ("Förslaget presenteras idag.", "idag", date(2020, 11, 20)),
    ("Förslaget presenteras i morgon.", "i morgon", date(2020, 11, 21)),
    ("Förslaget presenterades i går.", "i går", date(2020, 11, 19)),
    ("Beslut fattas på tisdag.", "på tisdag", date(2020, 11, 24)),
    ("Beslut fattas på fredag.", "på fredag", date(2020, 11, 27)),
    ("Olyckan inträffade i söndags.", "i söndags", date(2020, 11, 15)),
    ("Olyckan inträffade i fredags.", "i fredags", date(2020, 11, 13)),
]


@pytest.mark.parametrize(("text", "span", "resolved"), RELATIVE)
def test_relative(text: str, span: str, resolved: date) -> None:
    m = _one(text, reference=REF)
    assert (m.text, m.start, m.end_date, m.month, m.day) == (
        span,
        resolved,
        resolved,
        resolved.month,
        resolved.day,
    )


def test_relative_without_reference_is_unknown() -> None:
    m = _one("Förslaget presenteras i dag.")
    assert (m.text, m.start, m.year_known) == ("i dag", None, False)


def test_explicit_weekday_date_beats_relative_weekday() -> None:
    m = _one("Mötet hålls på tisdag den 5 mars.", reference=date(2019, 3, 1))
    assert (m.text, m.start) == ("tisdag den 5 mars", date(2019, 3, 5))


NEGATIVE = [
    "Ring 070-542 64 13 för mer information.",
    "Växel: 08-508 29 999.",
    "Projektet kostar 25 miljoner kronor.",
    "Priset är 1 995 kronor.",
    "Samlingen börjar kl. 09.30.",
    "Vi söker 2–3 deltagare per grupp.",
    "Version 2.3.1 av appen släpptes.",
    "Nästa vecka kommer mer information.",
    "I helgen är det öppet.",
    "Under 2019 ökade antalet.",
    "Hösten 2008 var tuff.",
    "Kundtjänst har öppet 24/7 hela året.",
    "Hälften, 1/2 av budgeten, gick åt.",
    "Mötet den 31 februari ställs in.",
    "Det var 29 februari 2019 enligt listan.",
    "I dagens läge är det svårt.",
    "Dnr 2017/123 gäller ärendet.",
    "Mellan 10 och 12 personer deltog.",
]


@pytest.mark.parametrize("text", NEGATIVE)
def test_not_dates(text: str) -> None:
    assert find_dates(text, reference=REF) == []


def test_two_separate_days_joined_by_och() -> None:
    text = "Tävlingar hålls den 5 och 12 mars 2019."
    mentions = find_dates(text)
    _check_offsets(text, mentions)
    expected = [("5", date(2019, 3, 5)), ("12 mars 2019", date(2019, 3, 12))]
    assert [(m.text, m.start) for m in mentions] == expected


def test_several_mentions_sorted_and_non_overlapping() -> None:
    text = "Den 6 september 2017 hölls ett möte. Nästa hålls 2017-10-02, kl. 10 och sedan on 11 april samt i dag."
    mentions = find_dates(text, reference=date(2017, 9, 10))
    _check_offsets(text, mentions)
    assert [m.text for m in mentions] == ["6 september 2017", "2017-10-02, kl. 10", "on 11 april", "i dag"]


# context-year resolution: (text, kwargs, expected start of the LAST mention)
CONTEXT = [
    (
        "Den 6 september 2017 hölls ett möte. Den 31 januari - 1 februari hålls nästa.",
        {"reference": REF},
        date(2017, 1, 31),
    ),
    ("Hösten 2008 ordnas seminarier, det första den 5 oktober.", {}, date(2008, 10, 5)),
    ("Under 2019 ökade antalet.\nDen 5 oktober hålls ett möte.", {}, date(2019, 10, 5)),
    ("Kursen börjar den 5 oktober.", {"context_year": 2012}, date(2012, 10, 5)),
    ("Kursen börjar den 5 oktober.", {"context_year": 2012, "reference": REF}, date(2012, 10, 5)),
    ("Publicerad 2018-11-23 15.07\n\nKursen startar den 15 januari.", {}, date(2019, 1, 15)),
    ("Kursen startar den 15 januari.\n\nPublicerad 2018-11-23 15.07", {}, date(2019, 1, 15)),
    (  # a year long past ("sedan 1965") gives no date its year; the headline's does
        "Kulturpris 2024 - nominera\n\nPriset har delats ut sedan 1965. Prisutdelningen sker onsdagen den 30 oktober.",
        {},
        date(2024, 10, 30),
    ),
    (  # a bare year in another sentence far from the headline's year does not date the event
        "Priset 2023\n\nUtdelningen sker den 6 juli på gården. Pristagaren får en kopia av medaljen från 1919.",
        {},
        date(2023, 7, 6),
    ),
]


@pytest.mark.parametrize(("text", "kwargs", "start"), CONTEXT)
def test_context_year(text: str, kwargs: dict[str, object], start: date) -> None:
    mentions = find_dates(text, **kwargs)  # type: ignore[arg-type]
    _check_offsets(text, mentions)
    target = [m for m in mentions if "Publicerad" not in text[m.begin - 11 : m.begin]]
    assert target[-1].start == start


def test_unknown_year_keeps_raw_parts() -> None:
    m = _one("Under 2019 ökade antalet.\n\nKursen går 30 december–2 januari.")
    assert (m.start, m.end_date, m.year_known) == (None, None, False)
    assert (m.month, m.day, m.end_month, m.end_day) == (12, 30, 1, 2)


def test_reference_crosses_new_year_for_range() -> None:
    m = _one("Kursen går 30 december–2 januari.", reference=REF)
    assert (m.start, m.end_date) == (date(2020, 12, 30), date(2021, 1, 2))


YEARS = [
    ("Under 2019 ökade antalet jämfört med hösten 2008.", [2019, 2008]),
    ("Perioden 2018–2020 utvärderas.", [2018, 2020]),
    ("Den 6 september 2017 och 2017-09-07 hölls möten.", []),
    ("Ring 0771-2019 55 eller 08-508 29 999.", []),
    ("Biljetten kostar 2000 kronor.", []),
    ("Under 1990-talet växte staden.", []),
]


@pytest.mark.parametrize(("text", "years"), YEARS)
def test_find_years(text: str, years: list[int]) -> None:
    found = find_years(text)
    assert [y for y, _, _ in found] == years
    assert all(text[b:e] == str(y) for y, b, e in found)


# (text, expected date, expected line text)
PUBLICATION = [
    (
        "Publicerad 2018-11-23 15.07\nSenast ändrad 2018-11-25 10.00\nRubrik\nBrödtext.",
        date(2018, 11, 23),
        "Publicerad 2018-11-23 15.07",
    ),
    (
        "Senast ändrad 2018-11-25 10.00\nRubrik\nBrödtext.\nPublicerad: 23 november 2018",
        date(2018, 11, 23),
        "Publicerad: 23 november 2018",
    ),
    (
        "Pressmeddelande   •   Nov 30, 2006 15:53 CET\nRubrik\nText den 5 december 2006.",
        date(2006, 11, 30),
        "Pressmeddelande   •   Nov 30, 2006 15:53 CET",
    ),
    ("Apr 28, 2009 15:25 CEST\nRubrik\nText.", date(2009, 4, 28), "Apr 28, 2009 15:25 CEST"),
    ("Pressinbjudan 2018-05-22\nRubrik\nText.", date(2018, 5, 22), "Pressinbjudan 2018-05-22"),
    ("11 mars 2020\nRubrik\nText om mötet den 5 april 2020.", date(2020, 3, 11), "11 mars 2020"),
    ("  2015-03-19  \nRubrik\nText.", date(2015, 3, 19), "2015-03-19"),
    ("Rubrik\nText.\nMer text.\nÄnnu mer.\nSlut.\nKontakt.\n2015-03-19", date(2015, 3, 19), "2015-03-19"),
    ("Rubrik\nDatum: 2015-03-19\nText.", date(2015, 3, 19), "Datum: 2015-03-19"),
    ("Uppdaterad 2018-11-25\nRubrik\nText.", date(2018, 11, 25), "Uppdaterad 2018-11-25"),
    ("# Rubrik\n\n2019-03-04 10:12 Pressmeddelande\n\nText.", date(2019, 3, 4), "2019-03-04 10:12 Pressmeddelande"),
    (
        "# Rubrik\n\nPressmeddelanden • Maj 05, 2021 08:15 CEST\n\nText.",
        date(2021, 5, 5),
        "Pressmeddelanden • Maj 05, 2021 08:15 CEST",
    ),
]


@pytest.mark.parametrize(("text", "expected", "line"), PUBLICATION)
def test_publication_date(text: str, expected: date, line: str) -> None:
    found = find_publication_date(text)
    assert found is not None
    d, b, e = found
    assert (d, text[b:e]) == (expected, line)


@pytest.mark.parametrize(
    "text",
    [
        "Rubrik\nMötet hålls den 5 april 2020 i Umeå.",
        "Rubrik\nText.\nMer.\nÄnnu.\nFler.\nFlera.\n2015-03-19\nSista.\nSlut.\nKontakt.\nAdress.",
        "Rubrik\nPublicerad i går\nText.",
    ],
)
def test_no_publication_date(text: str) -> None:
    assert find_publication_date(text) is None


def test_a_stated_weekday_moves_a_year_taken_from_context() -> None:
    """'Torsdag 18 oktober' in a text whose only year is a later 'hösten 2014': 18 October fell on a
    Thursday in 2012, not in 2014."""
    text = "Bygget ska vara klart hösten 2014.\nTid: Torsdag 18 oktober kl. 13.00\n"
    (d,) = [d for d in find_dates(text) if d.day == 18]
    assert d.start is not None and d.start.year == 2012


def test_a_year_a_report_covers_is_not_when_a_date_falls() -> None:
    """'bokslutet för 2018' beside 'den 12 mars' in a release published in March 2019: the meeting is in 2019."""
    text = "2019-03-01 09:00 Pressmeddelande\n\nDen 12 mars fastställer styrelsen bokslutet för 2018.\n"
    meeting = [m for m in find_dates(text) if m.text.startswith("12 mars")]
    assert meeting and meeting[0].start == date(2019, 3, 12), meeting


def test_a_later_year_named_as_a_label_does_not_move_a_coming_date() -> None:
    """In a release of November 2023, 'arbetsprogrammet 2024 och … mötet den 14–15 december' is December
    2023; a date due within months of the publication keeps its year."""
    text = "Rådet diskuterar arbetsprogrammet 2024 och förberedelserna inför mötet den 14–15 december.\n"
    meeting = [m for m in find_dates(text, reference=date(2023, 11, 1)) if m.text.startswith("14")]
    assert meeting and meeting[0].start == date(2023, 12, 14), meeting
    later = [m for m in find_dates("Under 2024 hålls mötet den 3 mars.\n", reference=date(2023, 11, 1))]
    assert later[0].start == date(2024, 3, 3), later


def test_a_month_reference_resolves_no_relative_day() -> None:
    """A release known only by its month ('2015-04' in a manifest) cannot say which day 'i dag' is."""
    from kg.extract.dates import find_dates

    found = find_dates("Avtalet gäller från i dag. Mötet hålls den 21 april.", REF, None, day_known=False)
    assert [(m.text, m.start) for m in found] == [("i dag", None), ("21 april", date(2021, 4, 21))]


def test_a_letter_s_dateline_dates_the_release() -> None:
    text = "Inbjudan\n\nVi bjuder in till pressträff torsdagen den 3 juni.\n\nGöteborg den 31 maj 2010\n\nKontakt: Eva"
    assert find_publication_date(text)[0] == date(2010, 5, 31)
    assert find_publication_date("Rubrik\n\nLuleå, 2 juni 2010\n\nText.")[0] == date(2010, 6, 2)
    assert find_publication_date("Invigning den 3 juni 2010\n\nText utan år.") is None  # a headline, no dateline
    assert find_publication_date("Rubrik\n\nText.\n\nmötet den 3 juni 2010\n") is None
