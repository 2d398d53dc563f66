"""Organisations: gazetteer names and their inflections, naming patterns, abbreviations, types."""

from __future__ import annotations

from functools import cache

import pytest

from kg.extract.document import DocFacts, analyse
from kg.read import document_from_text


@cache
def facts(text: str) -> DocFacts:
    return analyse(document_from_text(text))


def orgs(text: str) -> set[tuple[str, str]]:
    return {(ref.name, ref.kind) for ref, _spans in facts(text).orgs.values()}


def _matches(found: set[tuple[str, str]], expected: set[tuple[str, str | None]]) -> bool:
    """Equal sets of (name, kind); an expected kind of None accepts any kind."""
    any_kind = {name for name, kind in expected if kind is None}
    return {(n, None if n in any_kind else k) for n, k in found} == expected


CASES = [
    pytest.param(
        "Nya förslag\n\nUtredningen om en ny vallag (Ju 2024:3) lämnar i dag sitt betänkande, och "
        "Skolkostnadsutredningen föreslår mer. Enligt utredningen Framtidens skola behövs mer. "
        "Ministern har träffat Norges regering och den finska regeringen.\n",
        {
            ("Utredningen om en ny vallag", None),
            ("Skolkostnadsutredningen", None),
            ("Framtidens skola", None),
            ("Norges regering", None),
            ("Finlands regering", None),
        },
        id="inquiries-and-foreign-governments",
    ),
    pytest.param(
        "Nya anslag\n\nKulturrådet, Formas och Haverikommissionen får nya uppdrag av Swedac.\n",
        {("Statens kulturråd", None), ("Formas", None), ("Statens haverikommission", None), ("Swedac", None)},
        id="agencies-by-the-names-they-go-by",
    ),
    pytest.param(
        "Facket\n\nTjänstemännens centralorganisation och TCO är samma förbund.\n",
        {("TCO", None)},
        id="a-union-by-the-name-it-goes-by",
    ),
    pytest.param(
        "Vårens program\n\nFöredraget ges av Gävleborgs läns hembygdsförbund och Jämtlands läns museum.\n",
        {("Gävleborgs läns hembygdsförbund", None), ("Jämtlands läns museum", None)},
        id="a-county-s-body",
    ),
    pytest.param(
        "Pris till skolor\n\nPriset går till eleverna på Bergska gymnasiet och barnen på Sjöviks förskola, "
        "och en konsert hålls på Lilla teater.\n",
        {("Bergska gymnasiet", None), ("Sjöviks förskola", None), ("Lilla teater", None)},
        id="school-and-theatre-names",
    ),
    pytest.param(
        "# Ny ordförande för Stiftelsen Solbacken\n\nVid dagens möte valdes en ny ordförande.\n",
        {("Stiftelsen Solbacken", None)},
        id="a-prefixed-name-ends-with-its-line",
    ),
    pytest.param(
        "Program\n\nGästerna besöker Carl-Eldhs ateljémuseum och Bodens artilleriregemente.\n",
        {("Carl-Eldhs ateljémuseum", None), ("Bodens artilleriregemente", None)},
        id="hyphenated-genitive-and-regiment",
    ),
    pytest.param(
        "Besök i Lima\n\nMinistern träffar personal på Sveriges ambassad i Lima och svenska ambassaden i Quito.\n",
        {("Sveriges ambassad i Lima", None), ("Sveriges ambassad i Quito", None), ("Regeringen", None)},
        id="embassies",
    ),
    pytest.param(
        "Budget i Eskilstuna\n\nEskilstunas kommunstyrelse antog budgeten på måndagen.\n",
        {("Eskilstuna kommun", "Municipality")},
        id="town-genitive-municipality",
    ),
    pytest.param(
        "Simrishamns kommun bjuder in till öppet hus om den nya hamnen.\n",
        {("Simrishamns kommun", "Municipality")},
        id="municipality-full-name",
    ),
    pytest.param(
        "Borås stad och Västerås stad delar erfarenheter om hemtjänst.\n",
        {("Borås stad", "Municipality"), ("Västerås stad", "Municipality")},
        id="stad-names",
    ),
    pytest.param(
        "Ny rapport om äldreomsorgen\n\nSKL:s nya rapport visar att kostnaderna ökar i hela landet.\n",
        {("Sveriges Kommuner och Regioner", "Association")},
        id="abbreviation-genitive-SKL",
    ),
    pytest.param(
        "Naturvård i Skåne\n\nLänsstyrelsen Skåne har tagit fram en ny plan. "
        "Planen gäller för hela Länsstyrelsen i Skåne läns verksamhet.\n",
        {("Länsstyrelsen i Skåne län", "CountyAdministrativeBoard")},
        id="county-board-short-and-long",
    ),
    pytest.param(
        "Ny vårdplan\n\nRegion Jämtland Härjedalen och Region Örebro län samarbetar om vården.\n",
        {("Region Jämtland Härjedalen", "Region"), ("Region Örebro län", "Region")},
        id="regions",
    ),
    pytest.param(
        "Historik\n\nVästerbottens läns landsting startade projektet redan år 2005.\n",
        {("Region Västerbotten", "Region")},
        id="former-county-council-name",
    ),
    pytest.param(
        "Trygga kvarter\n\nFöreningen Tryggare Kvarter har fått pengar för sitt arbete.\n",
        {("Föreningen Tryggare Kvarter", "Association")},
        id="pattern-foreningen",
    ),
    pytest.param(
        "Ny styrelse\n\nRiksförbundet Trygga Vägar valde ny styrelse i helgen.\n",
        {("Riksförbundet Trygga Vägar", "Association")},
        id="pattern-riksforbundet",
    ),
    pytest.param(
        "Utbildning för lärare\n\nMälardalens högskola och Högskolan i Gävle startar en ny kurs.\n",
        {
            ("Mälardalens universitet", "EducationalOrganization"),
            ("Högskolan i Gävle", "EducationalOrganization"),
        },
        id="hogskolor",
    ),
    pytest.param(
        "Nytt kunskapscentrum\n\nNationellt centrum för cykelturism startar i höst.\n",
        {("Nationellt centrum för cykelturism", "Organisation")},
        id="pattern-nationellt-centrum",
    ),
    pytest.param(
        "Boende för unga\n\nBoverket och Socialstyrelsen ska gemensamt ta fram nya riktlinjer.\n",
        {("Boverket", "GovernmentAgency"), ("Socialstyrelsen", "GovernmentAgency")},
        id="agencies",
    ),
    pytest.param(
        "Vägar i norr\n\nTrafikverkets nya plan väcker debatt.\n",
        {("Trafikverket", "GovernmentAgency")},
        id="agency-genitive",
    ),
    pytest.param(
        "Odling i staden\n\nSveriges Stadsodlare (SSO) växer snabbt. SSO:s medlemmar odlar i femtio kommuner.\n",
        {("Sveriges Stadsodlare", None)},
        id="name-with-abbreviation-definition",
    ),
    pytest.param(
        "Konferensen är igång\n\nI dag öppnades Sol och Vinds årliga konferens. "
        "Programmet finns på Sol och Vinds hemsida, www.solochvind.se.\n",
        {("Sol och Vind", None)},
        id="name-spelled-by-own-domain",
    ),
    pytest.param(
        "Nytt namn\n\nSäger Svante Berg, förbundsdirektör för Storstockholms brandförsvar. "
        "Besöket börjar i Göteborgs hamn.\n",
        {("Storstockholms brandförsvar", None), ("Göteborgs hamn", None)},
        id="genitive-and-kind-word-from-the-lexicon",
    ),
    pytest.param(
        "Anslag\n\nMark Ek\nInstitutionen för biologi och miljö\nLjus i havet\n",
        {("Institutionen för biologi och miljö", None)},
        id="a-department-named-by-its-field",
    ),
    pytest.param(
        "Ny ambassadör\n\nHon var chef för Enheten för nedrustning och icke-spridning på Utrikesdepartementet.\n",
        {("Enheten för nedrustning och icke-spridning", None), ("Utrikesdepartementet", None)},
        id="a-department-up-to-where-its-name-ends",
    ),
    pytest.param(
        "Anslag\n\nCrafoordska stiftelsen och Sahlgrenska akademin samarbetar med Helsingborgs Konserthus, "
        "Helsingborgs Symfoniorkester och Kungl. Hovstaterna.\n",
        {
            ("Crafoordska stiftelsen", None),
            ("Sahlgrenska akademin", None),
            ("Helsingborgs Konserthus", None),
            ("Helsingborgs Symfoniorkester", None),
            ("Kungl. Hovstaterna", None),
        },
        id="adjective-heads-capitalised-kinds-kungl",
    ),
]


def test_a_department_name_cut_short_is_no_organisation() -> None:
    text = "Ny ambassadör\n\nHon var chef för Enheten för nedrustning, icke-spridning och exportkontroll.\n"
    assert not any(name.startswith("Enheten") for name, _kind in orgs(text)), orgs(text)


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_orgs(text: str, expected: set[tuple[str, str | None]]) -> None:
    assert _matches(orgs(text), expected), orgs(text)


def test_abbreviation_refers_back_to_defined_name() -> None:
    text = (
        "Matkultur\n\nNationellt centrum för måltidskultur (NCMK) startar i höst. "
        "NCMK:s första uppdrag gäller skolmaten.\n"
    )
    f = facts(text)
    names = {ref.name: spans for ref, spans in f.orgs.values()}
    assert set(names) == {"Nationellt centrum för måltidskultur"}
    later = text.index("NCMK:s")
    assert any(b == later for b, _e in names["Nationellt centrum för måltidskultur"])


NEGATIVE = [
    pytest.param("Kulturnatt\n\nKulturchefen Erik Strand hälsar alla välkomna.\n", id="definite-title-is-not-an-org"),
    pytest.param(
        "Ny sträcka\n\nBussen går nu från Kalmar till Växjö varje timme.\n", id="towns-as-places-are-not-orgs"
    ),
    pytest.param("Sommarlov\n\nDen nya Skolan har plats för alla.\n", id="capitalised-common-noun"),
    pytest.param("Byggstart\n\nBarnen flyttar till Nya förskola i höst.\n", id="new-is-no-name"),
    pytest.param(
        "Ny deklaration\n\nKommunen har skrivit under CEMR-deklarationen och följer EU-förordningen.\n",
        id="an-acronym-and-a-document-is-no-organisation",
    ),
]


@pytest.mark.parametrize("text", NEGATIVE)
def test_no_orgs(text: str) -> None:
    assert orgs(text) == set()


def test_sweden_s_missions_one_per_city() -> None:
    from kg.extract.document import analyse
    from kg.read import document_from_text

    f = analyse(
        document_from_text(
            "Nyheter\n\nHon har arbetat vid ambassaden i Lima och vid Sveriges ambassad i Lima, vid ambassaderna "
            "i Damaskus, Tel Aviv och Quito samt vid generalkonsulatet i Sankt Petersburg.\n"
        )
    )
    names = {r.name for r, _spans in f.orgs.values()}
    assert names == {
        "Sveriges ambassad i Lima",
        "Sveriges ambassad i Damaskus",
        "Sveriges ambassad i Tel Aviv",
        "Sveriges ambassad i Quito",
        "Sveriges generalkonsulat i Sankt Petersburg",
    }, names


def test_an_acronym_and_an_abstract_noun_or_an_act_is_no_organisation() -> None:
    from kg.extract.orgs import find_orgs

    text = "Nyheter\n\nVi stärker IT-säkerhet. EU-närmandet och EU-fördraget diskuteras, säger NU-sjukvården.\n"
    assert [text[o.begin : o.end] for o in find_orgs(text)] == ["NU-sjukvården"]


def test_a_royal_academy_with_coordinated_words() -> None:
    from kg.extract.orgs import find_orgs

    text = "Nyheter\n\nKungl. Skogs- och Lantbruksakademien delar ut priset.\n"
    assert [o.ref.name for o in find_orgs(text)] == ["Kungl. Skogs- och Lantbruksakademien"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("Det meddelar Sveriges Bussbolag i dag.", [("Sveriges Bussbolag", False)], id="sveriges-name"),
        pytest.param(
            "Hon talade för Sveriges Taxiförbund och Svenskt Trä.",
            [("Sveriges Taxiförbund", False), ("Svenskt Trä", False)],
            id="two-national-names-not-joined",
        ),
        pytest.param("Svenska Vattenpriset delas ut. Sveriges Natomedlemskap firas.", [], id="an-award-a-state"),
        pytest.param("Sveriges Göteborg och Sveriges Anna Berg.", [], id="a-town-or-a-person-after-sveriges"),
        pytest.param(
            "Christer Berg, vice VD Sveriges Skogsägare\nMarkus Fur, förhandlingschef Akademikerförbundet SSR",
            [("Sveriges Skogsägare", False), ("Akademikerförbundet SSR", False)],
            id="a-name-ends-with-its-line",
        ),
        pytest.param("Hon fortsätter som tränare för IFK Sundsvall.", [("IFK Sundsvall", False)], id="club"),
        pytest.param("Hon blir ordförande för ABF Umeås styrelse.", [("ABF Umeå", True)], id="district-genitive"),
        pytest.param("Under SM Falun tävlar de.", [], id="a-championship-is-no-body"),
        pytest.param(
            "Medfinansiärer är Företagarna Västerbotten och Naturskyddsföreningen Gotland. Företagarna Stockholms län.",
            [("Företagarna Västerbotten", False), ("Naturskyddsföreningen Gotland", False), ("Företagarna", False)],
            id="a-body-s-county-branch",
        ),
        pytest.param(
            "Transportrådet träffas i dag. Kommunalrådet Anna Berg kommer. Länsrådet talar. Området växer.",
            [("Transportrådet", False)],
            id="a-council-not-a-councillor-or-an-area",
        ),
        pytest.param(
            "Det säger SKPF Pensionärerna och SISU Idrottsutbildarna.",
            [("SKPF Pensionärerna", False), ("SISU Idrottsutbildarna", False)],
            id="an-acronym-and-its-members",
        ),
        pytest.param(
            "Hjärt- och Lungförbundet har kongress.",
            [("Hjärt- och Lungförbundet", False)],
            id="coordinated-words-the-second-capitalised",
        ),
        pytest.param(
            "Sveriges Kemister och SKR möts. Svenskt Trä och Erik Östman talar.",
            [("Sveriges Kemister", False), ("Sveriges Kommuner och Regioner", False), ("Svenskt Trä", False)],
            id="och-joins-no-two-bodies",
        ),
        pytest.param(
            "Sveriges USA-ambassadör Urban Ahlin och Sveriges Natoanslutning. Sveriges BNP ökar. Sveriges "
            "Förbundskapten talar.",
            [],
            id="a-title-a-state-of-affairs-a-figure",
        ),
        pytest.param(
            "Sveriges Kemisters ordförande och Sveriges NATO-delegation.",
            [("Sveriges Kemister", True), ("Sveriges NATO-delegation", False)],
            id="genitive-before-a-noun-and-a-delegation",
        ),
        pytest.param(
            "Förbundschef Studieförbundet Vuxenskolan talar. Idrottsföreningen Kamraterna Tranås vann.",
            [("Studieförbundet Vuxenskolan", False), ("Idrottsföreningen Kamraterna Tranås", False)],
            id="a-kind-compound-and-its-name",
        ),
        pytest.param(
            "Tränarna i karateklubben Kobe-Ryu Dojo och kören Vox Humana. Styrelsen i föreningen Umeå och "
            "föreningen Anna Karlsson.",
            [("Kobe-Ryu Dojo", False), ("Vox Humana", False)],
            id="a-lower-case-kind-then-the-name-not-a-place-or-a-person",
        ),
        pytest.param(
            "Stiftelsen har stöd av stiftelsen The Marshall Fund of the North.",
            [],
            id="a-name-whose-end-is-not-in-view",
        ),
        pytest.param(
            "Vi frågade AB Hyresbostäders vd. Mälarenergi AB\nVD Kent Ek. Kungliga Operan AB Stora scenen.",
            [("AB Hyresbostäder", True), ("Mälarenergi AB", False), ("Kungliga Operan AB", False)],
            id="a-company-whose-legal-form-comes-first",
        ),
        pytest.param(
            "Kent Berg lämnar Nordbygg ProjektTeknik AB och HSB Riksförbund.",
            [("Nordbygg ProjektTeknik AB", False), ("HSB Riksförbund", False)],
            id="a-capital-inside-a-company-word-an-acronym-and-a-kind",
        ),
        pytest.param(
            "Svensk Skidsport och Svensk Handel välkomnar beslutet. Sveriges Trevligaste kommun utses.",
            [("Svensk Skidsport", False), ("Svensk Handel", False)],
            id="svensk-and-a-name-not-a-superlative",
        ),
        pytest.param(
            "Det säger Anna Berg på Sveriges museum om Förintelsen.",
            [("Sveriges museum om Förintelsen", False)],
            id="a-kind-and-its-subject",
        ),
    ],
)
def test_bodies_by_make_up(text: str, expected: list[tuple[str, bool]]) -> None:
    from kg.extract.orgs import find_orgs

    assert [(o.ref.name, o.genitive) for o in find_orgs(text)] == expected


def test_a_known_body_named_by_its_kind_for_something_in_lower_case() -> None:
    from kg.extract.orgs import find_orgs

    text = "Regeringen ger myndigheten för vård- och omsorgsanalys i uppdrag att utreda frågan."
    assert "Myndigheten för vård- och omsorgsanalys" in {o.ref.name for o in find_orgs(text)}
    assert find_orgs("Han ringde myndigheten om saken.") == []


def test_an_adjective_in_ska_before_a_head_word_and_a_hospital_s_kind() -> None:
    from kg.extract.orgs import find_orgs

    found = {
        (o.ref.name, o.ref.kind) for o in find_orgs("Sahlgrenska Universitetssjukhusets nya akutmottagning öppnar.")
    }
    assert found == {("Sahlgrenska Universitetssjukhuset", "Organisation")}, found


def test_a_store_room_is_no_council() -> None:
    from kg.extract.orgs import find_orgs

    assert all(o.ref.name != "Förrådet" for o in find_orgs("Laddstolpar finns vid:\n\n  • Förrådet Moavägen\n"))


def test_a_union_named_by_a_suspended_compound_ending_in_facket() -> None:
    from kg.extract.orgs import find_orgs

    text = "Bygg- och anläggningsfacket säger nej till budet. Facket kräver mer."
    assert [text[o.begin : o.end] for o in find_orgs(text)] == ["Bygg- och anläggningsfacket"]


def test_esv_is_ekonomistyrningsverket_not_statskontoret() -> None:
    found = orgs("Nyheter\n\nESV och Skatteverket ska redovisa uppdraget senast i maj.\n")
    assert ("Ekonomistyrningsverket", "GovernmentAgency") in found, found
    assert not any(name == "Statskontoret" for name, _kind in found), found


def test_a_learned_name_in_the_definite_genitive_before_a_noun_is_stripped() -> None:
    found = orgs(
        "# Paulina Brandberg deltar i Judiska Församlingens evenemang i Göteborg\n\nDet blir en minneskväll. "
        "Kontakta pressekreterare Anton Johansson.\n"
    )
    assert ("Judiska Församlingen", "Organisation") in found, found
    assert not any(name.endswith("Församlingens") for name, _kind in found), found
