"""Events: named conferences and series, seminars, meetings, ceremonies, weeks; dates and places."""

from __future__ import annotations

import datetime as dt
from functools import cache

import pytest

from kg.extract.document import DocFacts, analyse
from kg.read import document_from_text

D = dt.date
T = dt.datetime


@cache
def facts(text: str) -> DocFacts:
    return analyse(document_from_text(text))


def _day(value) -> dt.date | None:
    return value.date() if isinstance(value, dt.datetime) else value


def _check(ev, name_has: str, start, end, places: set[str]) -> bool:
    """The event's name contains name_has (case-insensitive); start and end are equal (compared by day unless
    a datetime is expected); every expected place is named by one of the event's places."""
    if name_has.lower() not in ev.name.lower():
        return False
    got_start = ev.start if isinstance(start, dt.datetime) else _day(ev.start)
    got_end = ev.end_date if isinstance(end, dt.datetime) else _day(ev.end_date)
    if got_start != start or (end is not ... and got_end != end):
        return False
    names = [p[0] for p in ev.places]
    return all(any(want in got for got in names) for want in places)


def _show(f: DocFacts) -> list:
    return [(e.name, e.series, e.start, e.end_date, [p[0] for p in e.places]) for e in f.events]


# (text, [(name contains, start, end (... = not checked), places that must be among the event's places)])
CASES = [
    pytest.param(
        "Välkommen till konferensen ”Framtidens landsbygd” den 12 mars 2019 på Folkets hus i Sollefteå.\n",
        [("Framtidens landsbygd", D(2019, 3, 12), D(2019, 3, 12), {"Folkets hus", "Sollefteå"})],
        id="conference-name-in-quotation-marks",
    ),
    pytest.param(
        "Landsbygd i fokus\n\nKommunerna i länet möts på konferensen Smart Landsbygd den 8 maj 2019 i Östersund.\n",
        [("Smart Landsbygd", D(2019, 5, 8), D(2019, 5, 8), {"Östersund"})],
        id="konferensen-X",
    ),
    pytest.param(
        "Forum Trygghet 2021 arrangeras den 22–23 april 2021 i Norrköping.\n",
        [("Forum Trygghet", D(2021, 4, 22), D(2021, 4, 23), {"Norrköping"})],
        id="series-edition-with-year-and-range",
    ),
    pytest.param(
        "Ett seminarium om psykisk hälsa bland unga hålls den 4 april 2019 på stadsbiblioteket i Kalmar.\n",
        [("seminarium", D(2019, 4, 4), D(2019, 4, 4), {"Kalmar"})],
        id="seminar-date-venue-town",
    ),
    pytest.param(
        "Publicerad 2019-05-02 10.15\n\nDialogmöte om nya busslinjer\n\n"
        "Välkommen till dialogmöte på tisdag kl. 18.00 i Stadshuset i Skellefteå.\n",
        [("dialogmöte", T(2019, 5, 7, 18, 0), ..., {"Skellefteå"})],
        id="meeting-relative-weekday-and-time",
    ),
    pytest.param(
        "Miljöpriset delas ut vid en ceremoni på rådhuset i Växjö den 6 juni 2020.\n",
        [("miljöpris", D(2020, 6, 6), D(2020, 6, 6), {"Växjö"})],
        id="award-ceremony",
    ),
    pytest.param(
        "Trafiksäkerhetsveckan pågår 14–20 september 2020 i Gävle.\n",
        [("Trafiksäkerhetsveckan", D(2020, 9, 14), D(2020, 9, 20), {"Gävle"})],
        id="campaign-week-range",
    ),
    pytest.param(
        "Temadag om äldreomsorg\n\nVälkommen till en temadag om äldreomsorg den 15 november 2018 i Sala.\n\n"
        "Program\n\n09.00 Registrering och kaffe\n09.30 Välkommen Annika Borg, Sala kommun\n12.00 Lunch\n",
        [("temadag", D(2018, 11, 15), ..., {"Sala"})],
        id="programme-with-time-slots",
    ),
    pytest.param(
        "Pressinbjudan: Invigning av nya simhallen\n\n"
        "Tid: Lördag 7 september 2019 kl. 11.00\nPlats: Simhallen, Vasagatan 5, Mora\n",
        [("invigning", T(2019, 9, 7, 11, 0), ..., {"Mora"})],
        id="tid-plats-block",
    ),
    pytest.param(
        "Länsstyrelsen bjuder in till regionala konferenser om vattenvård på följande orter:\n\n"
        "* 11 mars 2020 i Luleå\n* 18 mars 2020 i Umeå\n* 25 mars 2020 i Östersund\n",
        [
            ("konferens", D(2020, 3, 11), ..., {"Luleå"}),
            ("konferens", D(2020, 3, 18), ..., {"Umeå"}),
            ("konferens", D(2020, 3, 25), ..., {"Östersund"}),
        ],
        id="bullet-list-of-dates-and-towns",
    ),
    pytest.param(
        "Ljusfestivalen Vinterljus pågår 5–7 november 2021 i Skövde.\n",
        [("Vinterljus", D(2021, 11, 5), D(2021, 11, 7), {"Skövde"})],
        id="festival-named-after-noun",
    ),
    pytest.param(
        "Dialogmötet om den nya skolan hålls den 14 mars i Tranås.\n",
        [("dialogmöte", None, None, {"Tranås"})],
        id="year-unknown-stays-unknown",
    ),
    pytest.param(
        "Nov 30, 2006 15:53 CET\n\nFrukostmöte om företagsklimatet\n\n"
        "I morgon bjuder näringslivskontoret in till frukostmöte på Hotell Linden i Hudiksvall.\n",
        [("frukostmöte", D(2006, 12, 1), ..., {"Hudiksvall"})],
        id="english-date-line-and-tomorrow",
    ),
    pytest.param(
        "Unga i Örnsköldsvik\n\nSeminariet ”Unga röster” hålls den 2 februari 2021 kl. 13.00–15.00 i Örnsköldsvik.\n",
        [("Unga röster", T(2021, 2, 2, 13, 0), T(2021, 2, 2, 15, 0), {"Örnsköldsvik"})],
        id="seminar-quoted-name-time-range",
    ),
    pytest.param(
        "Årsmötet hålls onsdag 9 oktober 2019 i Kulturhuset i Ystad.\n",
        [("årsmöte", D(2019, 10, 9), D(2019, 10, 9), {"Ystad"})],
        id="weekday-and-date",
    ),
    pytest.param(
        "Publicerad 2018-11-23 15.07\n\nVälkommen på invigning\n\n"
        "Den nya lekparken i Tierp invigs med en invigning den 1 december klockan 13.\n",
        [("invigning", T(2018, 12, 1, 13, 0), ..., {"Tierp"})],
        id="year-from-publication-date",
    ),
    pytest.param(
        "Invigning av Björkens förskola\n\nBarn och personal samlades på måndagen för att inviga "
        "Björkens förskola den 3 juni 2019.\n",
        [("invigning", D(2019, 6, 3), D(2019, 6, 3), {"Björkens förskola"})],
        id="what-is-inaugurated-is-the-place",
    ),
    pytest.param(
        "Pressvisning 2 oktober: Skogens ljus\n\nVälkommen till en ny utställning.\n\n"
        "PRESSVISNING: Torsdag 2/10 2025 klockan 10.00\nNora konsthall\nStorgatan 3, Nora\n",
        [("pressvisning", T(2025, 10, 2, 10, 0), ..., {"Nora konsthall", "Nora"})],
        id="venue-and-address-under-the-date-line",
    ),
    pytest.param(
        "Inbjudan till presskonferens\n\nMedia är välkomna fredag 28 augusti 2009 kl 11:00 i konferensrum Eken, "
        "Vänersborg.\n",
        [("presskonferens", T(2009, 8, 28, 11, 0), ..., {"Eken"})],
        id="invitation-sentence-dates-the-event",
    ),
    pytest.param(
        "Nu inviger vi gång- och cykelvägen\n\nVi inviger den torsdag den 16 september 2010 kl. 17.00.\n\n"
        "Invigningscermonin hålls utanför Segelsällskapets lokaler vid Klaffbron.\n",
        [("invigning", T(2010, 9, 16, 17, 0), ..., {"Segelsällskapets lokaler"})],
        id="held-at-after-the-dated-sentence",
    ),
    pytest.param(
        "Pressinbjudan: Invigning Björkbiblioteket torsdag 17 januari klockan 14\n\n"
        "På torsdag 17 januari 2019 invigs det nya Björkbiblioteket och media är välkomna.\n\n"
        "- Plats: Storgatan 13, Västervik\n",
        [("Invigning Björkbiblioteket", D(2019, 1, 17), ..., {"Storgatan 13"})],
        id="invitation-title-without-its-date-one-event",
    ),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_events(text: str, expected: list) -> None:
    f = facts(text)
    assert len(f.events) == len(expected), _show(f)
    for want in expected:
        assert any(_check(ev, *want) for ev in f.events), (want, _show(f))


def test_series_of_an_edition() -> None:
    f = facts(next(c.values[0] for c in CASES if c.id == "series-edition-with-year-and-range"))
    assert [e.series for e in f.events] == ["Forum Trygghet"]


NEGATIVE = [
    pytest.param(
        "Nyheter från kommunen\n\nKonferenser är ett viktigt verktyg för att sprida kunskap.\n",
        id="generic-plural",
    ),
    pytest.param(
        "Dialog med föreningslivet\n\nKommunen ordnar möten med föreningarna för att höra deras synpunkter.\n",
        id="no-date-no-place",
    ),
    pytest.param("Nytt år\n\nVi har haft många bra seminarier och träffar under året som gått.\n", id="retrospective"),
    pytest.param(
        "Beslut i kommunstyrelsen\n\nKommunstyrelsen beslutade att skjuta upp invigningen.\n",
        id="mentioned-without-date-or-place",
    ),
]


@pytest.mark.parametrize("text", NEGATIVE)
def test_no_events(text: str) -> None:
    assert _show(facts(text)) == []


MEETING_IN_TOWN = (
    "Ministern reser till Vilnius för Natos försvarsministermöte\n\n"
    "Försvarsministern deltar i försvarsministermötet i Vilnius. Under Natotoppmötet i Madrid i juni "
    "bjöds Sverige in. När mötet i Vilnius nu äger rum, den 14–15 februari, har Sverige lämnat in sin "
    "ansökan sedan länge.\n"
)


def test_file_name_month_dates_a_text_without_years() -> None:
    """'2023-02_….txt' names the month of publication: '14–15 februari' is February 2023; a meeting
    named by its own kind is not the main event, 'mötet i Vilnius' is the earlier meeting in Vilnius,
    and 'ansökan' far from the date does not make the sentence a deadline."""
    f = analyse(document_from_text(MEETING_IN_TOWN, "2023-02_ministern-reser-till-vilnius.txt"))
    meeting = next(e for e in f.events if "försvarsministermöte" in e.name.lower())
    assert (_day(meeting.start), _day(meeting.end_date)) == (D(2023, 2, 14), D(2023, 2, 15)), _show(f)
    summit = next(e for e in f.events if "toppmöte" in e.name.lower())
    assert summit.start is None and [p[0] for p in summit.places] == ["Madrid"], _show(f)


def test_without_a_dated_file_name_the_year_stays_unknown() -> None:
    f = analyse(document_from_text(MEETING_IN_TOWN, "ministern-reser-till-vilnius.txt"))
    meeting = next(e for e in f.events if "försvarsministermöte" in e.name.lower())
    assert meeting.start is None, _show(f)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        pytest.param(
            "Ministern deltar vid Nordiska rådets möte den 3 mars i Oslo\n\nPå mötet diskuteras energi.\n",
            "Nordiska rådets möte",
            id="whose-meeting",
        ),
        pytest.param(
            "Program\n\nPå eftermiddagen gör kungaparet ett besök på Röhsska museet i Göteborg den 4 maj 2024.\n",
            "Besök på Röhsska museet",
            id="visit-to-a-place",
        ),
        pytest.param(
            "Program\n\nHans möte med företagarna hålls den 4 maj 2024 i Umeå.\n",
            "Möte med företagarna",
            id="a-pronoun-owns-nothing",
        ),
        pytest.param(
            "Byggstart\n\nDet första spadtaget tas den 19 maj 2022 klockan 14 vid Förskolan Myra.\n",
            "Första spadtaget",
            id="the-first-of-its-kind-as-written",
        ),
        pytest.param(
            "Kongress\n\nTCO-kongressen samlas i Stockholm den 12 juni 2024.\n",
            "TCO-kongress",
            id="an-acronym-s-congress-an-event-not-a-body",
        ),
        pytest.param(
            "Final\n\nDen 3 maj 2024 avgörs finalen i Truckförar-SM i Jönköping.\n",
            "Truckförar-SM",
            id="a-championship-with-a-word-before-its-acronym",
        ),
        pytest.param(
            "Nyheter\n\nStaden arrangerar den 12 maj 2025 en nationell konferens om kulturarv i Visby.\n",
            "Nationell konferens om kulturarv",
            id="a-conference-by-its-kind-and-topic",
        ),
        pytest.param(
            "Nyheter\n\nDen 3 juli 2025 är det premiär av Hamlet på Parkteatern i Borås.\n",
            "Premiär av Hamlet",
            id="a-premiere-by-what-it-shows",
        ),
        pytest.param(
            "# Förbundet håller årsstämma i Luleå\n\nÅrsstämman hålls den 9 maj 2025 på Kulturens hus i Luleå.\n",
            "Årsstämma",
            id="an-annual-general-meeting",
        ),
        pytest.param(
            "# Informellt möte med EU:s handelsministrar i Malmö den 4 maj\n\nMinistrarna samlas i Malmö.\n",
            "Informellt möte med EU:s handelsministrar",
            id="a-genitive-with-a-colon-and-a-capitalised-kind-in-the-headline",
        ),
        pytest.param(
            "Nyheter\n\nMinistern gör den 3 maj 2024 ett studiebesök på Dysmeli- och armprotescentrum i Örebro.\n",
            "Studiebesök på Dysmeli- och armprotescentrum",
            id="a-visited-place-with-a-suspended-compound",
        ),
        pytest.param(
            "# Johan Forssells besök i Uppsala\n\nMinistern träffar åklagare den 3 maj 2024.\n",
            "Besök i Uppsala",
            id="a-person-s-visit-is-named-by-where-it-goes",
        ),
        pytest.param(
            "Nyheter\n\nEn konferens med 300 deltagare hålls den 4 juni 2025 i Karlstad.\n",
            "Konferens",
            id="who-comes-does-not-name-a-conference",
        ),
    ],
)
def test_generic_event_named_by_owner_or_visited_place(text: str, name: str) -> None:
    f = analyse(document_from_text(text))
    assert name in [e.name for e in f.events], _show(f)
    assert "Nordiska rådets" not in [p[0] for e in f.events for p in e.places]


@pytest.mark.parametrize(
    ("text", "name", "place"),
    [
        pytest.param(
            "# Ministern deltar i Nordic Pride\n\nHon håller tal i parken.\n", "Nordic Pride", None, id="takes-part"
        ),
        pytest.param(
            "# Ministern deltar på OECD Forum 2024\n\nPå mötet i Paris talar hon om handel.\n",
            "OECD Forum 2024",
            None,
            id="takes-part-with-year",
        ),
        pytest.param(
            "Nyheter\n\nMinistern besöker mässan Eurosatory i Frankrike den 17 juni 2024.\n",
            "Eurosatory",
            "Frankrike",
            id="country-after-a-named-event",
        ),
    ],
)
def test_named_by_taking_part_and_country_tail(text: str, name: str, place: str | None) -> None:
    f = analyse(document_from_text(text))
    found = [e for e in f.events if e.name == name]
    assert found, _show(f)
    if place:
        assert place in [p[0] for p in found[0].places], _show(f)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Nyheter\n\nKommunen deltar i SKL:s projekt om jämställdhet.\n", id="genitive-owner"),
        pytest.param("Nyheter\n\nMinistern deltar i Bryssel och talar på Lunds universitet.\n", id="place-and-org"),
    ],
)
def test_taking_part_in_a_place_or_an_owner_names_no_event(text: str) -> None:
    assert _show(analyse(document_from_text(text))) == []


def test_a_visit_to_a_named_place_or_body() -> None:
    f = analyse(
        document_from_text(
            "Program för statsbesöket\n\nPå förmiddagen besöker kungaparet Röhsska museet. Därefter besöker de "
            "Göteborgs universitet. Presidenten besöker Finland igen i maj och besöker Anna Berg.\n"
        )
    )
    names = [e.name for e in f.events]
    assert "Besök på Röhsska museet" in names and "Besök på Göteborgs universitet" in names, _show(f)
    assert not any("Finland" in n or "Anna" in n for n in names), _show(f)


def test_a_visit_to_a_town_is_in_it_and_a_genitive_is_no_place() -> None:
    f = analyse(
        document_from_text(
            "Ministern reser\n\nPå måndagen besöker ministern Norrköping. På tisdagen besöker hon Migrationsverkets "
            "kontor i Solna.\n"
        )
    )
    names = [e.name for e in f.events]
    assert "Besök i Norrköping" in names and not any("Migrationsverkets" in n for n in names), _show(f)


def test_kungl_abbreviation_ends_no_sentence_and_names_a_place() -> None:
    f = analyse(
        document_from_text("Inbjudan till pressbriefing\n\nPressbriefingen hålls på Kungl. Slottet den 3 maj 2024.\n")
    )
    assert [p[0] for e in f.events for p in e.places] == ["Kungl. Slottet"], _show(f)


def test_a_capitalised_event_word_mid_sentence_is_its_name() -> None:
    f = analyse(document_from_text("Nyheter\n\nI helgen samlas 500 ombud på Riksidrottsmötet den 27 maj 2023.\n"))
    assert "Riksidrottsmötet" in [e.name for e in f.events], _show(f)


def test_a_second_visit_elsewhere_is_its_own_event() -> None:
    f = analyse(
        document_from_text(
            "Program\n\n### Besök på Röhsska museet\n\nGästerna ser utställningen.\n\n"
            "### Besök på Naturhistoriska museet\n\nGästerna ser valen.\n"
        )
    )
    names = [e.name for e in f.events]
    assert "Besök på Röhsska museet" in names and "Besök på Naturhistoriska museet" in names, _show(f)


def test_a_council_of_a_body_and_championships_by_their_acronym() -> None:
    f = analyse(
        document_from_text(
            "Nyheter\n\nMinistern deltar i EU:s jordbruksråd i Bryssel. Simmarna tävlar i SM i simning i Borås "
            "den 16 juli 2008. Laget åker sedan till U21-EM i Finland.\n"
        )
    )
    names = [e.name for e in f.events]
    assert {"EU:s jordbruksråd", "SM i simning", "U21-EM"} <= set(names), _show(f)


def test_what_comes_ahead_is_an_event_when_it_is_no_body_or_place() -> None:
    f = analyse(document_from_text("# Pressbriefing inför Join Sweden Summit 2025\n\nMinistern svarar på frågor.\n"))
    assert "Join Sweden Summit 2025" in [e.name for e in f.events], _show(f)
    g = analyse(document_from_text("Nyheter\n\nInför Almedalen och inför Europeiska rådets möte händer mycket.\n"))
    assert not any(e.name in {"Almedalen", "Europeiska"} for e in g.events), _show(g)


def test_a_press_room_is_a_place() -> None:
    f = analyse(document_from_text("Presskonferens\n\nPresskonferensen hålls i regeringens pressrum den 3 maj 2024.\n"))
    assert "regeringens pressrum" in [p[0] for e in f.events for p in e.places], _show(f)


def test_an_event_page_gives_time_and_place_on_lines_without_colons() -> None:
    f = analyse(
        document_from_text(
            "# Pressträff! Ny utställning\n\nTid 3 mars 2023 10:00 – 11:00\n\nPlats Kulturhuset Väven\n\n"
            "Museet öppnar en ny utställning.\n"
        )
    )
    assert any(_check(e, "Pressträff", D(2023, 3, 3), ..., {"Kulturhuset Väven"}) for e in f.events), _show(f)


def test_a_publication_line_is_no_event_date_and_a_place_line_ends_with_its_sentence() -> None:
    f = analyse(
        document_from_text(
            "# Pressinbjudan: Gemensam pressträff om sommaren\n\nPressmeddelanden • Jun 07, 2022 13:26 CEST\n\n"
            "Torsdag 9 juni klockan 15.00 håller landshövdingen en gemensam pressträff.\n\n"
            "Plats: Residenset, Stortorget, Malmö. Sändningen visas på Facebook.\n"
        )
    )
    assert [(e.start.date() if isinstance(e.start, T) else e.start) for e in f.events] == [D(2022, 6, 9)], _show(f)
    assert [p[0] for p in f.events[0].places] == ["Residenset, Stortorget, Malmö"], _show(f)


def test_time_and_place_lines_belong_to_the_event_named_above_them() -> None:
    """'Presskonferens hålls / Tid: Kl 15.00 / Plats: …' under a sentence about a board meeting: the lines
    describe the press conference, which takes the headline's date; "På Styrelsens dagordning" is no place."""
    f = analyse(
        document_from_text(
            "# PRESSINBJUDAN Högskolan Väst tisdag 14 mars\n\nPressmeddelande • Mar 13, 2023 11:26 CET\n\n"
            "På Högskolestyrelsens dagordning för sammanträdet den 14 mars står årsredovisningen för 2022.\n\n"
            "Presskonferens hålls\n\nTid: Kl 15.00\nPlats: Högskolan Väst, Trollhättan.\n"
        )
    )
    assert any(_check(e, "Presskonferens", D(2023, 3, 14), ..., {"Högskolan Väst"}) for e in f.events), _show(f)
    assert not any("Högskolestyrelsens" in p[0] for e in f.events for p in e.places), _show(f)
    assert any(_check(e, "Sammanträde", D(2023, 3, 14), ..., set()) for e in f.events), _show(f)


def test_a_press_invitation_with_nothing_but_its_headline_is_an_event() -> None:
    f = analyse(document_from_text("# Pressinbjudan: Ministern tar emot Vägutredningens förslag\n\n\n"))
    assert [e.name for e in f.events] == ["Ministern tar emot Vägutredningens förslag"], _show(f)
    g = analyse(document_from_text("# Ministern tar emot Vägutredningens förslag\n\n\n"))
    assert g.events == [], _show(g)


def test_a_headline_trip_abroad_is_a_visit() -> None:
    f = analyse(document_from_text("# Handelsministern besöker Portugal\n\nMinistern träffar företag.\n"))
    assert [(e.name, [p[0] for p in e.places]) for e in f.events] == [("Besök i Portugal", ["Portugal"])], _show(f)
    g = analyse(document_from_text("# Ministern reser till Bryssel\n\nHan möter kollegor.\n"))
    assert [e.name for e in g.events] == ["Besök i Bryssel"], _show(g)


@pytest.mark.parametrize(
    "text",
    [
        "Nyheter\n\nPensionsgruppen har enats om hur utdelning av överskott ska ske från den 1 januari 2027.\n",
        "Nyheter\n\nFjärr- och distansundervisning tillåts från den 1 juli 2026.\n",
        "Nyheter\n\nIllegala avfallstransporter diskuteras i Bryssel den 3 maj 2024.\n",
        "Nyheter\n\nUtvisning sker den 3 maj 2024 i Malmö.\n",
        "Nyheter\n\nDen ska stimulera till samtal och diskussion. Broschyren finns från den 20 januari 2026.\n",
    ],
)
def test_money_shared_out_and_teaching_are_no_events(text: str) -> None:
    f = analyse(document_from_text(text))
    assert f.events == [], _show(f)


def test_a_term_of_office_gives_no_event_its_dates() -> None:
    f = analyse(
        document_from_text(
            "Nyheter\n\nVid dagens regeringssammanträde beslutades att Eva Holm förordnas som ordförande för "
            "perioden 1 januari 2024 – 31 december 2026.\n"
        )
    )
    assert all(e.start is None for e in f.events), _show(f)
    g = analyse(document_from_text("Nyheter\n\nUtdelning av Umeå kommuns kulturpris 2025 sker den 3 maj 2025.\n"))
    assert [(e.start) for e in g.events] == [D(2025, 5, 3)], _show(g)


def test_a_meeting_named_by_whom_or_what_it_is_with() -> None:
    f = analyse(document_from_text("# Ministern deltar på möte med transportministrar\n\nMötet handlar om järnväg.\n"))
    assert "Möte med transportministrar" in [e.name for e in f.events], _show(f)
    g = analyse(
        document_from_text("Nyheter\n\nOrdföranden inledde mötet med att hälsa alla välkomna den 3 maj 2024 i Umeå.\n")
    )
    assert not any("att" in e.name for e in g.events), _show(g)


def test_a_press_conference_named_by_its_subject_and_a_headline_trip_gives_a_bare_visit_its_place() -> None:
    f = analyse(document_from_text("# Pressträff om säkerhetsförvaring\n\nAnmälan till pressträff 22 januari 2026.\n"))
    assert [e.name for e in f.events] == ["Pressträff om säkerhetsförvaring"], _show(f)
    g = analyse(
        document_from_text(
            "# Näringsministern besöker Helsingfors för möte med en kollega\n\nUnder besöket diskuteras energi.\n"
        )
    )
    assert ("Besök i Helsingfors", ["Helsingfors"]) in [(e.name, [p[0] for p in e.places]) for e in g.events], _show(g)


def test_a_body_that_is_also_a_venue_stays_the_event_s_place() -> None:
    f = facts("Konferens\n\nKonferensen Bygg 2025 hålls den 2–3 februari 2025 på Svenska Mässan i Göteborg.\n")
    assert any("Svenska Mässan" in [p[0] for p in e.places] for e in f.events), [(e.name, e.places) for e in f.events]


def test_royal_and_excellency_abbreviations_end_no_sentence() -> None:
    f = analyse(
        document_from_text(
            "Nya ambassadörer\n\nFyra ambassadörer överlämnade tisdagen den 21 april 2015 sina kreditivbrev till "
            "H.M. Konungen i högtidlig audiens på Stockholms slott.\n"
        )
    )
    assert [(e.name, e.start) for e in f.events] == [("Audiens", dt.date(2015, 4, 21))], _show(f)


def test_a_venue_is_named_by_its_town_and_a_matter_is_no_place() -> None:
    """'Konserthuset' in Vara and in Stockholm are two places; a city is never a venue inside another."""
    from kg.emit import document_quads

    quads = [
        q
        for text in (
            "Konsert\n\nKonserten hålls den 3 maj 2024 i Konserthuset i Vara.\n",
            "Konsert\n\nKonserten hålls den 4 maj 2024 i Konserthuset i Stockholm.\n",
            "Möte\n\nMötet hålls den 5 maj 2024 i Bryssel, med fokus på EU-Natosamarbete.\n",
        )
        for q in document_quads(document_from_text(text))
    ]
    inside = {
        (q.subject.value.rsplit("/", 1)[1], q.object.value.rsplit("/", 1)[1])
        for q in quads
        if q.predicate.value == "https://schema.org/containedInPlace"
    }
    assert inside == {("konserthuset-vara", "vara"), ("konserthuset-stockholm", "stockholm")}
    names = {q.object.value for q in quads if q.predicate.value == "https://schema.org/name"}
    assert "EU-Natosamarbete" not in names


def test_a_town_s_fair_hall_is_a_venue_not_an_event() -> None:
    f = analyse(
        document_from_text(
            "Nominerad\n\nVinnaren utses på Sveriges största nyföretagarmässa, Eget Företag, på Stockholmsmässan den 8 "
            "november 2019.\n"
        )
    )
    assert [(e.name, [p[0] for p in e.places]) for e in f.events] == [("Nyföretagarmässa", ["Stockholmsmässan"])], (
        _show(f)
    )


def test_a_bare_press_conference_is_named_by_the_headline_that_says_what_it_is_for() -> None:
    f = analyse(
        document_from_text(
            "# Pressträff när ministern tar emot utredning om stärkt trygghet\n\nPressträff den 20 januari 2025 "
            "klockan 10.00 i Rosenbad.\n"
        )
    )
    assert [e.name for e in f.events] == ["Pressträff när ministern tar emot utredning om stärkt trygghet"], _show(f)


def test_a_meeting_keeps_the_adjective_that_says_which_kind() -> None:
    f = analyse(document_from_text("# Ministern till nordiskt transportministermöte\n\nMinistrarna möts i Oslo.\n"))
    assert [e.name for e in f.events] == ["Nordiskt transportministermöte"], _show(f)


def test_a_museum_that_hosts_is_the_place() -> None:
    f = analyse(
        document_from_text(
            "Länssalong\n\nVälkommen till pressvisning på Kalmar läns museum fredag 19 november 2010 kl 10.\n"
        )
    )
    assert [(e.name, [p[0] for p in e.places]) for e in f.events] == [("Pressvisning", ["Kalmar läns museum"])], _show(
        f
    )


def test_a_press_invitation_s_sentence_headline_is_no_event_its_press_viewing_is() -> None:
    f = analyse(
        document_from_text(
            "Pressinbjudan: Museet öppnar sin första utställning i Umeå\n\nVälkommen på pressvisning den 16 juni!\n\n"
            "Plats: Museet, Storgatan 19 i Umeå.\n"
        )
    )
    assert [(e.name, [p[0] for p in e.places]) for e in f.events] == [
        ("Pressvisning", ["Museet, Storgatan 19 i Umeå"])
    ], _show(f)


def test_legal_is_no_gala() -> None:
    f = analyse(document_from_text("Ny tränare\n\nStyrelsen har beaktat legala och ekonomiska aspekter.\n"))
    assert f.events == [], _show(f)


def test_a_jubilee_named_alone_in_the_lead_is_no_event() -> None:
    f = analyse(
        document_from_text(
            "Årets föreningsvänligaste kommun\n\nSverige är ett fantastiskt land. Detta år är jubileum för priset, som "
            "delas ut för tionde gången.\n"
        )
    )
    assert all(e.name != "Jubileum" for e in f.events), _show(f)


def test_upper_case_when_and_where_labels() -> None:
    f = analyse(
        document_from_text(
            "Välkommen på pressträff\n\nPublicerad 2021-03-01\n\nVälkommen på pressträff tisdagen den 2 mars.\n\n"
            "VAR: Sal Orion, länssjukhuset. Gå in genom entrén.\n\nNÄR: 10.00\n"
        )
    )
    assert [(e.name, [p[0] for p in e.places]) for e in f.events] == [("Pressträff", ["Sal Orion, länssjukhuset"])], (
        _show(f)
    )


def test_an_event_word_inside_another_word_or_in_a_list_of_plurals_is_no_event() -> None:
    f = analyse(
        document_from_text(
            "Nytt uppdrag\n\nHat sprids på sociala plattformar och forum. Efter valet den 3 maj 2024 i Malmö ökade det."
            "\n\n– Idrotten är på frammarsch i hela landet, säger ministern Eva Lund.\n"
        )
    )
    assert f.events == [], _show(f)


def test_a_forum_for_something_is_still_an_event() -> None:
    f = analyse(document_from_text("Ministern deltar i forum för vattensäkerhet på SMHI\n\nMinistern talar där.\n"))
    assert [e.name for e in f.events] == ["Forum"], _show(f)


def test_an_inauguration_verb_in_the_infinitive_dates_the_headline_s_inauguration() -> None:
    f = analyse(
        document_from_text(
            "Invigning av Ekskolan\n\n12 mars 2019Nyheter\n\nMåndagen den 11 mars var det dags att inviga den nya "
            "skolan i Lilla Edet. Eleverna visade skolan.\n"
        )
    )
    assert f.published == dt.date(2019, 3, 12), f.published
    assert [(e.name, _day(e.start), sorted(p[0] for p in e.places)) for e in f.events] == [
        ("Invigning av Ekskolan", dt.date(2019, 3, 11), ["Ekskolan", "Lilla Edet"])
    ], _show(f)


def test_a_gathering_where_prizes_are_handed_out_is_named_by_its_two_word_owner() -> None:
    f = analyse(
        document_from_text(
            "Pristagare 2016\n\nKonstnären Eva Berg får Guldpriset.\n\nPriserna delas ut i Växjö domkyrka vid "
            "Kronobergs Akademis högtidssammankomst lördagen den 12 november 2016.\n"
        )
    )
    assert [(e.name, _day(e.start)) for e in f.events] == [
        ("Kronobergs Akademis högtidssammankomst", dt.date(2016, 11, 12))
    ], _show(f)


def test_an_english_name_s_word_is_no_event_and_a_bar_ends_a_date_line() -> None:
    f = analyse(document_from_text("Ny ordförande\n\nHon leder International Federation of Hard of Hearing People.\n"))
    assert f.events == [], _show(f)
    g = analyse(document_from_text("Upptaktsträff i Malmö\n\n20 mars, 2011 |\n\nÅrets upptaktsträff hålls i Malmö.\n"))
    assert g.published == dt.date(2011, 3, 20), g.published
    assert [(e.name, e.start) for e in g.events] == [("Upptaktsträff", None)], _show(g)


def test_a_building_s_name_is_no_event_and_a_person_s_genitive_is_no_place() -> None:
    f = analyse(
        document_from_text(
            "Ceremoni för nya medborgare\n\nKommunen anordnar en medborgarskapsceremoni. Ceremonin äger rum i "
            "Kommunhuset Forum.\n"
        )
    )
    assert [(e.name, [p[0] for p in e.places]) for e in f.events] == [
        ("Medborgarskapsceremoni", ["Kommunhuset Forum"])
    ], _show(f)
    g = analyse(
        document_from_text(
            "Pressinbjudan\n\nVälkommen till prisceremonin för Priset till Anna Bergs minne den 3 maj 2012 i "
            "Konserthuset. På The Docks kommer ministern att tala.\n"
        )
    )
    places = {p[0] for e in g.events for p in e.places}
    assert "Anna Bergs" not in places and "Konserthuset" in places, _show(g)


def test_a_press_conference_headline_names_it_whole_without_its_date() -> None:
    f = analyse(
        document_from_text(
            "Pressträff med Anna Ek och Olle Berg om skolans digitalisering den 3 maj 2024\n\nMinistrarna håller "
            "pressträff.\n"
        )
    )
    assert [e.name for e in f.events] == ["Pressträff med Anna Ek och Olle Berg om skolans digitalisering"], _show(f)


def test_a_kind_adjective_and_a_subject_both_name_a_meeting_and_a_town_s_body_is_its_town() -> None:
    f = analyse(
        document_from_text(
            "Finansministern var värd\n\nFinansministern stod värd för ett nordisk-baltiskt ministermöte med "
            "Världsbankens president i Stockholm. Hon ska även besöka Umeå kommun under dagen.\n"
        )
    )
    names = [e.name for e in f.events]
    assert "Nordisk-baltiskt ministermöte med Världsbankens president" in names, _show(f)
    assert ("Besök i Umeå", ["Umeå"]) in [(e.name, [p[0] for p in e.places]) for e in f.events], _show(f)


def test_the_call_is_no_conversation() -> None:
    f = analyse(
        document_from_text(
            "Stöd till stödlinjer\n\nDen 3 maj 2024 lade många på i Umeå innan samtalet hade kommit fram.\n"
        )
    )
    assert f.events == [], _show(f)


def test_the_date_a_paper_was_presented_is_no_meeting_s_date() -> None:
    f = analyse(
        document_from_text(
            "Ministern deltar i ministermöte i Bryssel\n\nPå dagordningen står paketet om demokrati, som "
            "presenterades av EU-kommissionen den 12 december 2023.\n"
        )
    )
    assert [(e.name, e.start) for e in f.events] == [("Ministermöte", None)], _show(f)


def test_a_conference_named_by_topic_in_the_headline_takes_the_compound_used_later() -> None:
    f = facts(
        "Myndigheterna bjuder in till konferens om arbetet med hedersvåld\n\n"
        "Den nationella hedersvåldskonferensen hålls den 3 maj 2025 i Malmö.\n"
    )
    assert [e.name for e in f.events] == ["Hedersvåldskonferens"], _show(f)


def test_a_person_thanked_is_no_place_but_a_venue_with_a_given_name_is() -> None:
    f = facts("Nyheter\n\nUnder årsstämman den 3 maj 2025 i Luleå framfördes ett tack till Stig Persson.\n")
    assert [sorted(p[0] for p in e.places) for e in f.events] == [["Luleå"]], _show(f)
    f = facts("Konsert\n\nKonserten hålls den 3 maj 2025 på Sara Kulturhus i Skellefteå.\n")
    assert "Sara Kulturhus" in [p[0] for e in f.events for p in e.places], _show(f)


def test_a_headline_s_inauguration_said_to_be_done_today_takes_the_publication_date() -> None:
    f = facts("Invigning av Ängsbron\n\n21 augusti 2017\n\nIdag har vi invigt bron med ett band.\n")
    assert [(e.name, _day(e.start)) for e in f.events] == [("Invigning av Ängsbron", dt.date(2017, 8, 21))], _show(f)


def test_a_forum_by_its_proper_name_a_date_after_i_dag_and_a_town_compound_s_place() -> None:
    f = facts("Nyheter\n\nDen 20 mars 2025 talar ministern på Nordic Financial Ecosystem Forum som hålls i Bryssel.\n")
    assert [(e.name, sorted(p[0] for p in e.places)) for e in f.events] == [
        ("Nordic Financial Ecosystem Forum", ["Bryssel"])
    ], _show(f)
    f = facts("# Ministern talar vid invigningen av Kulturhuset\n\nI dag 5 december 2023 invigs Kulturhuset.\n")
    assert [_day(e.start) for e in f.events] == [dt.date(2023, 12, 5)], _show(f)
    f = facts("# Landshövdingen på Sävsjöbesök\n\nDet blev ett bra möte.\n")
    assert [(e.name, [p[0] for p in e.places]) for e in f.events] == [("Sävsjöbesök", ["Sävsjö"])], _show(f)


def test_a_combined_time_and_place_line() -> None:
    f = facts(
        "Pressinbjudan: rapport om klimatet\n\nVälkommen till pressträff om rapporten.\n\n"
        "Tid och plats: onsdag 4 mars 2015 kl 12.50, SMHI, Folkborgsvägen 17, Norrköping\n"
    )
    assert [(_day(e.start), [p[0] for p in e.places]) for e in f.events] == [
        (dt.date(2015, 3, 4), ["SMHI, Folkborgsvägen 17, Norrköping"])
    ], _show(f)
