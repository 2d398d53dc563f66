"""Document-level facts: title, publication date, publisher, home organisation, speaker org, quote topics."""

from __future__ import annotations

import datetime as dt
from functools import cache

import pytest

from kg.extract.document import DocFacts, analyse
from kg.read import document_from_text


@cache
def facts(text: str) -> DocFacts:
    return analyse(document_from_text(text))


PUBLISHER_CASES = [
    pytest.param(
        "Härnösands kommun\n\nNy gång- och cykelbro över ån\n\nBron öppnar för trafik i juni.\n",
        "Härnösands kommun",
        id="header-line",
    ),
    pytest.param(
        "Länsstyrelsen Gotland\n\nNytt naturreservat på norra Gotland\n\nReservatet bildas i höst.\n",
        "Länsstyrelsen i Gotlands län",
        id="header-line-short-county-board",
    ),
    pytest.param(
        "Nya öppettider\n\nFrån och med mars har servicecentret nya öppettider.\n\n"
        "Om oss\nLänsstyrelsen i Jönköpings län arbetar för en hållbar utveckling i länet.\n",
        "Länsstyrelsen i Jönköpings län",
        id="om-oss",
    ),
    pytest.param(
        "Östersund får ny simhall\n\nSimhallen byggs vid Storsjön och öppnar 2024.\n\n"
        "Kontakt: Per Alm, projektledare, per.alm@ostersund.se\n",
        "Östersunds kommun",
        id="town-in-title-and-email-domain",
    ),
    pytest.param(
        "Nyheter\n\nVinterns första snöfall kom i natt och plogbilarna var ute tidigt.\n",
        None,
        id="no-publisher-shown",
    ),
    pytest.param(
        "Islands president besöker Uppsala\n\nPressmeddelande från informationsenheten vid Uppsala universitet\n\n"
        "Presidenten kommer till Uppsala på torsdag och besöker flera institutioner.\n",
        "Uppsala universitet",
        id="from-a-unit-of-the-organisation",
    ),
    pytest.param(
        "Kör i natt\n\nKonserten med Gävle Kammarkör har sålt slut och kören övar varje kväll.\n\n"
        "Mer om Gävle Kammarkör på www.gavlekammarkor.se och om Gävle Kammarkör i sociala medier.\n",
        "Gävle Kammarkör",
        id="own-web-address",
    ),
    pytest.param(
        "Program för besöket\n\nGästerna besöker Riksdagen och Nationalmuseum under dagen.\n\n"
        "Läs mer på www.riksdagen.se och www.nationalmuseum.se om Riksdagen och Nationalmuseum.\n",
        None,
        id="links-to-several-bodies-name-no-publisher",
    ),
    pytest.param(
        "Sommaren på akuten\n\nPressmeddelande\nFrån Höglandssjukvården\n2011-06-01 09:00\n\n"
        "Akuten har haft många besökare i år och väntetiderna har ökat under maj.\n",
        "Höglandssjukvården",
        id="from-line-with-the-name-alone",
    ),
    pytest.param(
        "Minister besöker Norrland\n\nPå tisdagen reser ministern till Luleå och träffar företag i hamnen.\n",
        "Regeringen",
        id="a-minister-acts-and-nobody-else-publishes",
    ),
    pytest.param(
        "Seminarier i Almedalen\n\nLänsstyrelserna har seminarier i Visby. Bland annat deltar Anna Ek, "
        "jämställdhetsminister. Länsstyrelsen i Gotlands län visar också sitt arbete med "
        "Länsstyrelsen i Gotlands län som värd.\n",
        None,
        id="a-minister-in-a-county-board-s-programme-publishes-nothing",
    ),
    pytest.param(
        "Nytt nätverk startar\n\nI dag startar Tibro kommuns nya nätverk för jämställdhet. Nätverket ska "
        "samla chefer från hela förvaltningen.\n\n– Vi behöver bli bättre, säger Eva Lind.\n\nTibro kommun "
        "har 11 000 invånare.\n",
        "Tibro kommun",
        id="a-municipality-clearly-ahead-of-the-rest",
    ),
    pytest.param(
        "Mot nya höjder\n\nTibro klättrar återigen i Svenskt Näringslivs ranking och går från plats 196 till 121.\n\n"
        "Mer på www.tibro.se\n",
        "Tibro kommun",
        id="the-town-as-the-lead-s-subject-and-its-web-site",
    ),
    pytest.param(
        "Civilministern besöker Länsstyrelsen i Hallands län\n\nUnder besöket möter ministern Länsstyrelsen "
        "i Hallands län och länets kommuner. Länsstyrelsen i Hallands län är värd.\n",
        "Regeringen",
        id="a-minister-s-visit-is-the-government-s-release",
    ),
    pytest.param(
        "Nya bussar i trafik\n\nFrån måndag rullar tjugo nya elbussar i staden.\n\nMer information:\n"
        "Karin Berg\nInformationschef\nNorrtrafik Väst\nMobil 070-511 11 55\n",
        "Norrtrafik Väst",
        id="the-organisation-of-the-contact-block",
    ),
    pytest.param(
        "Ny förskola i Fjällbo\n\nI dag fattade kommunstyrelsen beslut om en ny förskola. Barnen i "
        "Härjedalens kommun blir fler.\n",
        "Härjedalens kommun",
        id="the-municipality-whose-own-organs-act",
    ),
    pytest.param(
        "Ny förskola\n\nI dag fattade kommunstyrelsen beslut om en ny förskola. Både Härjedalens kommun och "
        "Bergs kommun har fler barn.\n",
        None,
        id="own-organs-with-two-municipalities-in-view-say-nothing",
    ),
    pytest.param(
        "Besök i Luleå\n\nTullverket fick i går besök av infrastrukturminister Per Ek. Tullverket visade "
        "sina nya hundar, och Tullverket berättade om arbetet i hamnen.\n\n– Vi är stolta, säger "
        "enhetschef Lisa Brant.\n",
        "Tullverket",
        id="the-body-the-text-is-about-under-a-headline-that-is-not-the-government-s",
    ),
    pytest.param(
        "Pressinbjudan: Helsingborgs Stadsteater presenterar vårens repertoar\n\n"
        "När: Torsdag 20 november klockan 15.00\nVar: Foajén på Stadsteatern\n\n"
        "Teaterchefen presenterar vårens repertoar.\n\nKontakta:\nAnn Ek\nann.ek@stadsteatern.helsingborg.se\n"
        "Maria Berg\nPresschef\nmaria.berg@stadsteatern.helsingborg.se\n\nVälkomna!\n\n"
        "Helsingborgs Stadsteater AB är ett av Helsingborgs Stads helägda bolag. Här ingår Helsingborgs "
        "Stadsteater och Intiman.\n",
        "Helsingborgs Stadsteater AB",
        id="the-body-that-leads-a-labelled-headline",
    ),
    pytest.param(
        "Infrastrukturministern i Luleå\n\nI går kom ministern till hamnen. Tullverket visade "
        "sina nya hundar, och Tullverket berättade om arbetet.\n",
        "Regeringen",
        id="a-minister-s-headline-keeps-the-government-s-voice",
    ),
]


@pytest.mark.parametrize(("text", "expected"), PUBLISHER_CASES)
def test_publisher(text: str, expected: str | None) -> None:
    f = facts(text)
    assert (f.publisher.name if f.publisher else None) == expected


HOME_CASES = [
    pytest.param(
        "Västerviks kommun\n\nNy hamnplan\n\nKommunalrådet Sven Axelsson (S) presenterade planen i dag.\n",
        {("Sven Axelsson", "kommunalråd", "Västerviks kommun")},
        id="kommunalrad-belongs-to-publisher",
    ),
    pytest.param(
        "Ny hamnplan i Västervik\n\nPlanen presenterades av kommunalråd Sven Axelsson (S) vid ett möte "
        "i Västerviks kommun.\n",
        {("Sven Axelsson", "kommunalråd", "Västerviks kommun")},
        id="kommunalrad-belongs-to-text-municipality",
    ),
    pytest.param(
        "Länsstyrelsen i Gotlands län\n\nNytt naturreservat\n\n– Naturen här är unik, säger "
        "landshövding Cecilia Ahlqvist.\n",
        {("Cecilia Ahlqvist", "landshövding", "Länsstyrelsen i Gotlands län")},
        id="landshovding-belongs-to-county-board",
    ),
    pytest.param(
        "Region Västmanland\n\nNya tåg till Västerås\n\n– Resenärerna får bättre komfort, säger "
        "regionrådet Elin Sahlin (C).\n",
        {("Elin Sahlin", "regionråd", "Region Västmanland")},
        id="regionrad-belongs-to-region",
    ),
]


HOME_CASES += [
    pytest.param(
        "Förändringar\n\nKlubbdirektör Max Martinsson meddelar att IFK Sundsvall byter tränare. IFK Sundsvall "
        "har haft en tung höst.\n",
        {("Max Martinsson", "klubbdirektör", "IFK Sundsvall")},
        id="no-publisher-the-body-the-text-names-most",
    ),
    pytest.param(
        "Nytt avtal\n\nFackförbundet ST och Arbetsgivarverket har förhandlat.\n\n– Det är bra, säger Britta "
        "Lejonsson, förbundsordförande.\n",
        {("Britta Lejonsson", "förbundsordförande", "Fackförbundet ST")},
        id="a-title-compounded-with-forbund-is-the-forbund-s",
    ),
    pytest.param(
        "SM i Norrköping\n\nSvenska Simförbundet och Norrköpings kommun bjuder in. Förbundskapten Tomas "
        "Janzon är på plats.\n",
        {("Tomas Janzon", "förbundskapten", "Svenska Simförbundet")},
        id="forbundskapten",
    ),
]


def test_a_dominant_body_is_named_more_often_than_any_other() -> None:
    from kg.extract.home import _dominant
    from kg.extract.orgs import find_orgs

    assert _dominant(find_orgs("Tullverket och Kustbevakningen möttes.")) is None
    assert _dominant(find_orgs("Tullverket och Kustbevakningen möttes. Tullverket bjöd.")).name == "Tullverket"
    assert _dominant(find_orgs("Tullverket bjöd in.")).name == "Tullverket"
    assert _dominant(find_orgs("Regeringen och Moderaterna bjöd in.")) is None


@pytest.mark.parametrize(("text", "expected"), HOME_CASES)
def test_home_organisation(text: str, expected: set) -> None:
    assert {(m.person, m.title, m.org.name if m.org else None) for m in facts(text).memberships} == expected


SPEAKER_CASES = [
    pytest.param(
        "Solceller på alla skolor i Vimmerby\n\n– Vår kommun ska bli ledande inom solenergi, säger Jonas Ekberg.\n",
        {"Jonas Ekberg": "Vimmerby kommun"},
        id="var-kommun",
    ),
    pytest.param(
        "Kortare handläggning\n\n– Vi har kortat väntetiderna rejält, säger Anna Hellström, "
        "enhetschef på Försäkringskassan.\n",
        {"Anna Hellström": "Försäkringskassan"},
        id="org-from-role",
    ),
    pytest.param(
        "Härnösands kommun\n\nRenare sjöar\n\n– Vattnet har blivit mycket renare, säger Eva Sjöberg.\n",
        {"Eva Sjöberg": "Härnösands kommun"},
        id="org-from-publisher",
    ),
]


@pytest.mark.parametrize(("text", "expected"), SPEAKER_CASES)
def test_speaker_org(text: str, expected: dict) -> None:
    f = facts(text)
    assert {p: (o.name if o else None) for p, o in f.speaker_org.items()} == expected


TOPIC_CASES = [
    pytest.param(
        "Landsbygd i fokus\n\nVälkommen till konferensen ”Framtidens landsbygd” den 8 maj 2019 i "
        "Östersund.\n\n"
        "– Framtidens landsbygd blir årets viktigaste mötesplats för oss, säger Stina Lövgren, regionråd.\n",
        "Framtidens landsbygd",
        id="event-named-in-quote",
    ),
    pytest.param(
        "Grönare Umeå\n\nProjektet Grön Stad ska plantera tusen träd i Umeå.\n\n"
        "– Träden gör staden svalare på sommaren, säger Kalle Nordmark, stadsträdgårdsmästare.\n",
        "Grön Stad",
        id="main-project",
    ),
    pytest.param(
        "Forum Trygghet 2021\n\nForum Trygghet arrangeras den 22–23 april 2021 i Norrköping.\n\n"
        "– Vi räknar med fler deltagare än någonsin, säger Ulf Sandén, projektledare.\n",
        "Forum Trygghet",
        id="main-event-from-title",
    ),
]


@pytest.mark.parametrize(("text", "expected"), TOPIC_CASES)
def test_quote_topic(text: str, expected: str) -> None:
    f = facts(text)
    assert len(f.quotes) == 1
    topic = f.topics[f.quotes[0].begin]
    assert topic is not None
    assert expected.lower() in topic.name.lower()


DOC_CASES = [
    pytest.param(
        "Publicerad 2018-11-23 15.07\n\nNy förskola i Tierp\n\nFörskolan öppnar i januari.\n",
        "Ny förskola i Tierp",
        dt.date(2018, 11, 23),
        id="publicerad-line",
    ),
    pytest.param(
        "Nov 30, 2006 15:53 CET\n\nNytt bibliotek i Hudiksvall\n\nBiblioteket öppnar i mars.\n",
        "Nytt bibliotek i Hudiksvall",
        dt.date(2006, 11, 30),
        id="english-date-line",
    ),
    pytest.param(
        "Ny förskola i Tierp\n\nFörskolan öppnar i januari.\n", "Ny förskola i Tierp", None, id="no-date-line"
    ),
]


@pytest.mark.parametrize(("text", "title", "published"), DOC_CASES)
def test_title_and_publication_date(text: str, title: str, published: dt.date | None) -> None:
    f = facts(text)
    assert (f.title, f.published) == (title, published)


def test_an_occasion_named_by_its_kind_alone_is_no_topic() -> None:
    f = facts(
        "Regeringen inrättar ett råd för kvinnofrid\n\nBeslutet fattas vid regeringssammanträdet den 3 maj 2024.\n\n"
        "– Rådet ska samla de bästa krafterna, säger justitieminister Eva Holm.\n"
    )
    assert len(f.quotes) == 1
    assert f.topics[f.quotes[0].begin] is None, f.topics  # the headline speaks for the release instead


def test_an_about_heading_names_the_publisher_its_paragraph_calls_a_body() -> None:
    text = (
        "Fri entré på sju museer\n\nMedlemmar får fri entré på Skansen och Frilandsmuseet i sommar.\n\n"
        "För mer information:\n\nEva Holm, museichef 046-35 04 02\n\nOm Gamla Gården i Ystad\n\n"
        "Gamla Gården är en ideell förening som förvaltar museer i Skåne.\n"
    )
    f = analyse(document_from_text(text))
    assert f.publisher is not None and f.publisher.name == "Gamla Gården i Ystad", f.publisher
    assert [(m.person, m.title, m.org and m.org.name) for m in f.memberships] == [
        ("Eva Holm", "museichef", "Gamla Gården i Ystad")
    ]


def test_an_about_heading_of_a_prize_names_no_publisher() -> None:
    text = (
        "Nu kan du nominera\n\nNomineringen är öppen till den 1 maj.\n\nOm Guldnyckelpriset\n\n"
        "Guldnyckelpriset är en nationell utmärkelse som delas ut varje år.\n"
    )
    f = analyse(document_from_text(text))
    assert f.publisher is None or "Guldnyckel" not in f.publisher.name, f.publisher
