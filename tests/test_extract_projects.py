"""Projects and who coordinates, takes part in or funds them."""

from __future__ import annotations

from functools import cache

import pytest

from kg.extract.document import DocFacts, analyse
from kg.read import document_from_text


@cache
def facts(text: str) -> DocFacts:
    return analyse(document_from_text(text))


def projects(text: str) -> dict[str, set[tuple[str, str]]]:
    return {p.name: {(ref.name, rel) for ref, rel, _b, _e in p.relations.values()} for p in facts(text).projects}


CASES = [
    pytest.param(
        "8 miljoner från Vetenskapsrådet till två forskare\n\nForskare vid Umeå universitet beviljas 8 miljoner kronor "
        "av Vetenskapsrådet för två forskningsprojekt.\n\n"
        "Anna Berg\nInstitutionen för fysik\nLjus i mörka material\n4 000 000 kronor.\n\n"
        "Per Lund\nInstitutionen för kemi\nNya katalysatorer för vätgas\n3 950 000\n",
        {
            "Ljus i mörka material": {("Vetenskapsrådet", "funder")},
            "Nya katalysatorer för vätgas": {("Vetenskapsrådet", "funder")},
        },
        id="grant-list-lines",
    ),
    pytest.param(
        "Tre nya projekt\n\nForskare vid Lunds universitet beviljas 10 miljoner kronor av Vetenskapsrådet.\n\n"
        "Eva Ek, docent på Avdelningen för psykologi: Politisk rädsla: orsaker och följder, 5,2 miljoner kronor.\n\n"
        "Olle Ny, lektor på Tema Barn: Barn i världspolitiken 1920-1992, 4,7 miljoner.\n",
        {
            "Politisk rädsla: orsaker och följder": {("Vetenskapsrådet", "funder")},
            "Barn i världspolitiken 1920-1992": {("Vetenskapsrådet", "funder")},
        },
        id="grant-list-inline",
    ),
    pytest.param(
        "Ny handelsstrategi\n\nRegeringen har beslutat om Strategin för Sveriges utrikeshandel, investeringar och "
        "globala konkurrenskraft. Strategin omfattar tre delar.\n",
        {
            "Strategin för Sveriges utrikeshandel, investeringar och globala konkurrenskraft": {
                ("Regeringen", "coordinator")
            }
        },
        id="strategy-name-in-sentence-case-to-the-clause-end",
    ),
    pytest.param(
        "Grönare Umeå\n\nProjektet Grön Stad drivs av Umeå kommun. "
        "Det finansieras av Europeiska regionala utvecklingsfonden.\n",
        {"Grön Stad": {("Umeå kommun", "coordinator"), ("Europeiska regionala utvecklingsfonden", "funder")}},
        id="projektet-X-drivs-av-finansieras-av",
    ),
    pytest.param(
        "Grönare Umeå\n\nProjektet Grön Stad drivs av Umeå kommun och finansieras av "
        "Europeiska regionala utvecklingsfonden.\n",
        {"Grön Stad": {("Umeå kommun", "coordinator"), ("Europeiska regionala utvecklingsfonden", "funder")}},
        id="coordinator-and-funder-in-one-sentence",
    ),
    pytest.param(
        "Stöd till äldre\n\nSatsningen Trygg Hemma genomförs med stöd från Allmänna arvsfonden.\n",
        {"Trygg Hemma": {("Allmänna arvsfonden", "funder")}},
        id="satsningen-X-med-stod-fran",
    ),
    pytest.param(
        "Kusten i fokus\n\nKustlinje-projektet leds av Länsstyrelsen i Kalmar län.\n",
        {"Kustlinje": {("Länsstyrelsen i Kalmar län", "coordinator")}},
        id="X-projektet-leds-av",
    ),
    pytest.param(
        "Nya vägar till jobb\n\nBygga Framtid är ett utvecklingsprojekt för unga arbetssökande. "
        "Nybro kommun och Emmaboda kommun deltar i projektet.\n",
        {"Bygga Framtid": {("Nybro kommun", "participant"), ("Emmaboda kommun", "participant")}},
        id="X-ar-ett-utvecklingsprojekt-deltar-i",
    ),
    pytest.param(
        "Industrin i norr\n\nTillväxtverkets projekt Smart Industri Norr startar i höst.\n",
        {"Smart Industri Norr": {("Tillväxtverket", "coordinator")}},
        id="genitive-org-projekt-X",
    ),
    pytest.param(
        "Sala med i digitaliseringen\n\nSala deltar i projektet Digital Vardag som drivs av Region Västmanland.\n",
        {"Digital Vardag": {("Sala kommun", "participant"), ("Region Västmanland", "coordinator")}},
        id="town-participant-and-region-coordinator",
    ),
    pytest.param(
        "Ljusare Borås\n\nProjektet Urban Ljusdesign ska göra centrala Borås tryggare. "
        "Projektet finansieras av Boverket.\n",
        {"Urban Ljusdesign": {("Boverket", "funder")}},
        id="anaphor-projektet-funder",
    ),
    pytest.param(
        "Stöd till projekt\n\nProjektet Skogens Röst ska engagera unga. Projektet Havets Röst likaså. Projektet får "
        "stöd med drygt 8,3 miljoner kronor från Allmänna arvsfonden.\n",
        {"Skogens Röst": set(), "Havets Röst": {("Allmänna arvsfonden", "funder")}},
        id="an-amount-from-a-funder-for-the-project-just-named",
    ),
    pytest.param(
        "Kontor i Stockholm\n\nRegion Västerbotten har beslutat att bevilja projektet ”Ett kontor i Stockholm”. "
        "Medfinansiärer till projektet är Umeå kommun och Företagarna Västerbotten.\n",
        {
            "Ett kontor i Stockholm": {
                ("Region Västerbotten", "funder"),
                ("Umeå kommun", "funder"),
                ("Företagarna Västerbotten", "funder"),
            }
        },
        id="a-quoted-title-with-an-article-granted-and-co-financed",
    ),
    pytest.param(
        "Läsfrämjande i Gävleborg\n\nProgrammet Läslust drivs av Region Gävleborg med stöd av Statens kulturråd.\n",
        {"Läslust": {("Region Gävleborg", "coordinator"), ("Statens kulturråd", "funder")}},
        id="programmet-X-drivs-av-med-stod-av",
    ),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_projects(text: str, expected: dict) -> None:
    assert projects(text) == expected


def test_project_name_is_not_a_person() -> None:
    f = facts(next(c.values[0] for c in CASES if c.id == "anaphor-projektet-funder"))
    assert "Urban Ljusdesign" not in f.people
    assert f.people == {}


NEGATIVE = [
    pytest.param("Mycket på gång\n\nVi har många projekt på gång i kommunen just nu.\n", id="generic-projekt"),
    pytest.param("Vägbygge\n\nDet här projektet är viktigt för alla som bor i Orsa.\n", id="det-har-projektet"),
]


@pytest.mark.parametrize("text", NEGATIVE)
def test_no_projects(text: str) -> None:
    assert projects(text) == {}


def test_the_government_s_plans_named_in_running_text() -> None:
    from kg.extract.document import analyse
    from kg.read import document_from_text

    f = analyse(
        document_from_text(
            "Nytt uppdrag till Polisen\n\nUppdraget är en del av regeringens strategi för att stärka det lokala "
            "föreningslivet och motverka ensamhet. Även en nationell strategi mot nätbedrägerier är en utgångspunkt. "
            "Kommunen har en strategi för att påverka bolagen.\n"
        )
    )
    got = sorted((p.name, [(r.name, rel) for r, rel, _b, _e in p.relations.values()]) for p in f.projects)
    assert got == [
        ("nationell strategi mot nätbedrägerier", [("Regeringen", "coordinator")]),
        ("strategi för att stärka det lokala föreningslivet och motverka ensamhet", [("Regeringen", "coordinator")]),
    ], got


def test_a_body_s_plan_named_by_a_compound_and_a_kind_of_project_before_its_name() -> None:
    found = projects(
        "# Regeringens kulturarvsstrategi\n\nRegeringens kulturarvsstrategi ska gälla i tio år.\n\n"
        "Insamlingen är en del av forskningsprojektet Dagar och nätter i Norden. "
        "Nordiska museet driver forskningsprojektet.\n"
    )
    assert found.get("kulturarvsstrategi") == {("Regeringen", "coordinator")}, found
    assert found.get("Dagar och nätter i Norden") == {("Nordiska museet", "coordinator")}, found
