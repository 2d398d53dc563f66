"""Synthetic corpus of Swedish public-sector press releases for benchmarks.

`python bench/generate.py --docs 10000 --seed 1 --out DIR` writes DIR/gen-NNNNNN.txt (streamed, one file
at a time) and DIR/_truth.json (the planted facts, streamed too). Everything is drawn from one seeded
RNG, so the same arguments give byte-identical output. Entities recur across documents with stable
roles and organisations: a person pool, conference series with yearly editions, projects with fixed
coordinators, participants and funders.

`python bench/generate.py --check STORE --out DIR` runs the saved queries people, organisations,
events, projects and speakers on a store built from DIR (`kg build DIR --store STORE`) and prints the
recall of the planted facts.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import sys
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIRS = [ROOT.parent / "shared" / "data", ROOT / "kg" / "data"]

SURNAMES = [
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Gustafsson",
    "Pettersson",
    "Jonsson",
    "Jansson",
    "Hansson",
    "Bengtsson",
    "Jönsson",
    "Lindberg",
    "Jakobsson",
    "Magnusson",
    "Olofsson",
    "Lindström",
    "Lindqvist",
    "Lindgren",
    "Berg",
    "Axelsson",
    "Bergström",
    "Lundberg",
    "Lundgren",
    "Lundqvist",
    "Mattsson",
    "Berglund",
    "Fredriksson",
    "Sandberg",
    "Henriksson",
    "Forsberg",
    "Sjöberg",
    "Wallin",
    "Engström",
    "Eklund",
    "Danielsson",
    "Lundin",
    "Håkansson",
    "Björk",
    "Bergman",
    "Gunnarsson",
    "Holm",
    "Wikström",
    "Samuelsson",
    "Isaksson",
    "Fransson",
    "Bergqvist",
    "Nyström",
    "Holmberg",
    "Arvidsson",
    "Löfgren",
    "Söderberg",
    "Nyberg",
    "Blomqvist",
    "Claesson",
    "Nordström",
    "Mårtensson",
    "Lundström",
    "Viklund",
    "Björklund",
    "Eliasson",
    "Pålsson",
    "Berggren",
    "Sandström",
    "Nordin",
    "Ström",
    "Åberg",
    "Hermansson",
    "Ekström",
    "Holmgren",
    "Sundberg",
    "Hedlund",
    "Dahlberg",
    "Hellström",
    "Sjögren",
    "Abrahamsson",
    "Martinsson",
    "Öberg",
    "Andreasson",
    "Strömberg",
    "Månsson",
    "Åkesson",
    "Lindholm",
    "Norberg",
    "Holmqvist",
    "Sundström",
    "Wahlström",
    "Ekberg",
    "Hedberg",
    "Nordqvist",
    "Lindblom",
]

MONTHS = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
]
PARTIES = ["S", "M", "C", "V", "L", "KD", "MP"]

# Roles by kind of organisation: (role, is_politician, is_press).
ROLES: dict[str, list[tuple[str, bool, bool]]] = {
    "municipality": [
        ("kommunstyrelsens ordförande", True, False),
        ("kommunalråd", True, False),
        ("oppositionsråd", True, False),
        ("kommunstyrelsens vice ordförande", True, False),
        ("kommundirektör", False, False),
        ("utvecklingsdirektör", False, False),
        ("jämställdhetsstrateg", False, False),
        ("socialchef", False, False),
        ("skolchef", False, False),
        ("näringslivschef", False, False),
        ("folkhälsostrateg", False, False),
        ("kommunikatör", False, True),
        ("kommunikationschef", False, True),
        ("presschef", False, True),
    ],
    "region": [
        ("regionstyrelsens ordförande", True, False),
        ("regionråd", True, False),
        ("regiondirektör", False, False),
        ("hälso- och sjukvårdsdirektör", False, False),
        ("utvecklingsstrateg", False, False),
        ("kommunikatör", False, True),
        ("presschef", False, True),
    ],
    "board": [
        ("landshövding", False, False),
        ("länsråd", False, False),
        ("enhetschef", False, False),
        ("jämställdhetsexpert", False, False),
        ("kommunikatör", False, True),
    ],
    "agency": [
        ("generaldirektör", False, False),
        ("avdelningschef", False, False),
        ("enhetschef", False, False),
        ("utredare", False, False),
        ("projektledare", False, False),
        ("presschef", False, True),
        ("kommunikatör", False, True),
    ],
}

SERIES = [
    "Forum Jämställdhet",
    "Forum Folkhälsa",
    "Forum Välfärd",
    "Forum Samhällsbyggnad",
    "Forum Trygghet",
    "Forum Integration",
    "Forum Landsbygd",
    "Forum Digitalisering",
    "Forum Skolutveckling",
    "Forum Klimatomställning",
    "Trygghetsveckan",
    "Demokratidagen",
    "Framtidsmässan",
    "Välfärdsdagen",
    "Klimatveckan",
    "Näringslivsdagen",
]
SERIES_TOPIC = {
    "Jämställdhet": "jämställdhet",
    "Folkhälsa": "folkhälsa",
    "Välfärd": "välfärd",
    "Samhällsbyggnad": "samhällsbyggnad",
    "Trygghet": "trygghet",
    "Integration": "integration",
    "Landsbygd": "landsbygdsutveckling",
    "Digitalisering": "digitalisering",
    "Skolutveckling": "skolutveckling",
    "Klimatomställning": "klimatomställning",
}
VENUES = ["Kulturhuset", "Stadshuset", "Folkets hus", "Konserthuset", "Stadsbiblioteket", "Kommunhuset"]

PROJECT_A = [
    "Jämställd",
    "Trygg",
    "Hållbar",
    "Grön",
    "Digital",
    "Inkluderande",
    "Framtida",
    "Öppen",
    "Hälsosam",
    "Aktiv",
    "Smart",
    "Levande",
    "Gemensam",
    "Lokal",
]
PROJECT_B = [
    "Vardag",
    "Välfärd",
    "Omställning",
    "Etablering",
    "Service",
    "Landsbygd",
    "Ungdom",
    "Vård",
    "Skola",
    "Stad",
    "Framtid",
    "Arbetsmarknad",
    "Mötesplats",
]
FUNDERS = ["Europeiska socialfonden", "Tillväxtverket", "Vinnova", "Allmänna arvsfonden", "Folkhälsomyndigheten"]

Q_OPEN = [
    "Det är viktigt att vi",
    "Nu tar vi nästa steg för att",
    "Vår ambition är att",
    "Jag är glad att vi kan",
    "Det här ger oss en möjlighet att",
    "Vi har länge velat",
    "Tillsammans kan vi",
    "Vi behöver hela tiden",
    "Det handlar i grunden om att",
    "Vi vill gärna",
    "Jag ser fram emot att",
    "Målet är att",
    "Vi har goda förutsättningar att",
    "Det känns angeläget att",
    "Äntligen får vi chansen att",
    "Min förhoppning är att vi ska",
]
Q_VERB = [
    "stärka",
    "utveckla",
    "förbättra",
    "lyfta",
    "fördjupa",
    "bredda",
    "förnya",
    "säkra",
    "synliggöra",
    "samordna",
]
Q_OBJ = [
    "arbetet med jämställdhet",
    "den lokala välfärden",
    "samverkan mellan kommunerna",
    "tryggheten i våra bostadsområden",
    "stödet till unga vuxna",
    "kunskapen om folkhälsa",
    "servicen till invånarna",
    "omställningen till en hållbar ekonomi",
    "skolans kompensatoriska uppdrag",
    "dialogen med civilsamhället",
    "kompetensförsörjningen i länet",
    "det förebyggande arbetet",
]
Q_TAIL = [
    "",
    " i hela länet",
    " på riktigt",
    " under de kommande åren",
    " tillsammans med andra aktörer",
    " för alla som bor här",
    " redan i år",
]
Q_SECOND = [
    "Det gynnar både invånare och medarbetare.",
    "Vi har mycket att lära av varandra.",
    "Erfarenheterna ska spridas vidare.",
    "Det kräver uthållighet och tydliga mål.",
    "Här finns stora vinster att göra.",
    "Frågan berör oss alla.",
    "Vi vet att det fungerar när vi arbetar långsiktigt.",
    "Resultaten hittills är mycket lovande.",
    "Det är ett arbete som aldrig blir färdigt.",
    "Ingen kan lösa det här på egen hand.",
]


# ---------------------------------------------------------------- entities


@dataclass
class Org:
    """A public body from the gazetteers."""

    name: str
    kind: str  # municipality | region | board | agency
    town: str  # a town in it (for events/venues)
    prep: str  # preposition used after a role: i / på / vid
    domain: str
    aliases: tuple[str, ...] = ()


@dataclass
class Person:
    """A recurring person with a stable role in one organisation."""

    name: str
    given: str
    female: bool
    role: str
    org: Org
    party: str | None
    press: bool
    phone: str
    email: str


@dataclass
class Edition:
    """One yearly edition of a conference series."""

    series: str
    year: int
    host: Org
    organiser: Org
    month: int
    day: int
    days: int
    venue: str

    @property
    def name(self) -> str:
        return f"{self.series} {self.year}"


@dataclass
class Project:
    """A project with fixed coordinator, participants and funder."""

    name: str
    coordinator: Org
    participants: list[Org]
    funder: str
    start: int


@dataclass
class Doc:
    """Text builder plus the facts planted in it."""

    paras: list[str] = field(default_factory=list)
    people: dict[str, dict] = field(default_factory=dict)
    orgs: set[str] = field(default_factory=set)
    events: list[dict] = field(default_factory=list)
    projects: list[dict] = field(default_factory=list)
    quotes: list[dict] = field(default_factory=list)
    contacts: list[dict] = field(default_factory=list)

    def person(self, p: Person, with_role: bool = True, with_org: bool = True) -> None:
        entry = self.people.setdefault(p.name, {"name": p.name, "role": None, "org": None})
        if with_role and (with_org or not entry["role"]):
            entry["role"], entry["org"] = p.role, (p.org.name if with_org else None)
        self.orgs.add(p.org.name)


def ascii_slug(text: str, sep: str = "") -> str:
    """'Upplands Väsby' -> 'upplandsvasby' (sep '' or '.')."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", sep, text).strip(sep)


def _data_file(name: str) -> Path:
    for d in DATA_DIRS:
        if (d / name).exists():
            return d / name
    raise FileNotFoundError(name)


def _read_csv(name: str) -> list[dict[str, str]]:
    with _data_file(name).open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


class World:
    """All recurring entities, drawn once from the seed."""

    def __init__(self, rng: random.Random, n_people: int) -> None:
        self.rng = rng
        munis = _read_csv("municipalities.csv")
        counties = _read_csv("counties.csv")
        agencies = _read_csv("agencies.csv")
        county_town = {}
        self.municipalities: list[Org] = []
        for m in munis:
            town = m["name"]
            county_town.setdefault(m["county_code"], town)
            self.municipalities.append(
                Org(m["org_name"], "municipality", town, "i", ascii_slug(town) + ".se", (m["legal_name"],))
            )
        self.regions = [
            Org(
                c["region_name"],
                "region",
                county_town.get(c["code"], c["short_name"]),
                "i",
                ascii_slug(c["region_name"]) + ".se",
            )
            for c in counties
            if c["region_name"]
        ]
        self.boards = [
            Org(
                c["county_admin_board_name"],
                "board",
                county_town.get(c["code"], c["short_name"]),
                "på",
                "lansstyrelsen.se",
                (c["county_admin_board_short_name"],),
            )
            for c in counties
            if c["county_admin_board_name"]
        ]
        # Agencies whose names are safe as organisations (no courts, no oddities).
        ag = [a for a in agencies if "tingsrätt" not in a["name"] and "domstol" not in a["name"].lower()]
        ag = [a for a in ag if len(a["name"].split()) <= 3 and not re.search(r"[,()]", a["name"])]
        self.agencies = [
            Org(
                a["name"],
                "agency",
                "Stockholm",
                rng.choice(["på", "vid"]),
                ascii_slug(a["abbreviation"] or a["name"])[:20] + ".se",
            )
            for a in ag
        ]
        self.by_name = {o.name: o for o in self.municipalities + self.regions + self.boards + self.agencies}
        # Zipf-like popularity: a few bodies appear very often, most rarely.
        self.muni_w = [1.0 / (i + 1) ** 0.8 for i in range(len(self.municipalities))]
        rng.shuffle(self.municipalities)
        rng.shuffle(self.agencies)
        self.agency_w = [1.0 / (i + 1) ** 0.9 for i in range(len(self.agencies))]

        lex = json.loads((ROOT / "kg" / "data" / "lexicon.json").read_text(encoding="utf-8"))
        stop = set(lex.get("given_name_stopwords", [])) | set(lex.get("name_stopwords", []))
        names = [
            r
            for r in _read_csv("given_names.csv")
            if int(r["count"]) >= 3000 and r["name"].isalpha() and r["name"] not in stop
        ]
        self.given = [(r["name"], int(r["count_women"]) > int(r["count_men"])) for r in names]
        self.given_w = [int(r["count"]) ** 0.5 for r in names]
        self.people: list[Person] = []
        taken: set[str] = set()
        by_org: dict[str, list[Person]] = {}
        while len(self.people) < n_people:
            org = self.pick_org()
            given, female = rng.choices(self.given, self.given_w)[0]
            name = f"{given} {rng.choice(SURNAMES)}"
            if name in taken:
                continue
            taken.add(name)
            role, politician, press = rng.choice(ROLES[org.kind])
            p = Person(
                name,
                given,
                female,
                role,
                org,
                rng.choice(PARTIES) if politician else None,
                press,
                self.phone(),
                f"{ascii_slug(given, '.')}.{ascii_slug(name.split()[-1], '.')}@{org.domain}",
            )
            self.people.append(p)
            by_org.setdefault(org.name, []).append(p)
        self.staff = by_org
        self.editions: dict[tuple[str, int], Edition] = {}
        self.series_organiser = {s: rng.choice(self.agencies[:30] + self.regions) for s in SERIES}
        self.projects: list[Project] = []
        seen: set[str] = set()
        while len(self.projects) < min(len(PROJECT_A) * len(PROJECT_B) // 2, max(40, n_people // 20)):
            pname = f"{rng.choice(PROJECT_A)} {rng.choice(PROJECT_B).lower()}"
            if pname in seen:
                continue
            seen.add(pname)
            coord = rng.choice(self.municipalities[:120] + self.regions)
            parts = [m for m in rng.sample(self.municipalities[:200], 3) if m is not coord][: rng.randint(1, 3)]
            self.projects.append(Project(pname, coord, parts, rng.choice(FUNDERS), rng.randint(2012, 2023)))

    def phone(self) -> str:
        r = self.rng
        form = r.randrange(4)
        if form == 0:
            return f"07{r.choice('0236')}-{r.randint(100, 999)} {r.randint(10, 99)} {r.randint(10, 99)}"
        if form == 1:
            return f"08-{r.randint(500, 699)} {r.randint(100, 999)} {r.randint(10, 99)}"
        if form == 2:
            return f"0{r.randint(11, 99)}{r.randint(0, 9)}-{r.randint(10, 99)} {r.randint(10, 99)} {r.randint(10, 99)}"
        return f"+46 7{r.choice('0236')} {r.randint(100, 999)} {r.randint(10, 99)} {r.randint(10, 99)}"

    def pick_muni(self) -> Org:
        return self.rng.choices(self.municipalities, self.muni_w)[0]

    def pick_org(self) -> Org:
        r = self.rng.random()
        if r < 0.55:
            return self.pick_muni()
        if r < 0.7:
            return self.rng.choice(self.regions)
        if r < 0.8:
            return self.rng.choice(self.boards)
        return self.rng.choices(self.agencies, self.agency_w)[0]

    def staff_of(self, org: Org, press: bool | None = None) -> Person | None:
        pool = self.staff.get(org.name, [])
        if press is not None:
            pool = [p for p in pool if p.press == press] or ([] if press else pool)
        return self.rng.choice(pool) if pool else None

    def edition(self, series: str, year: int) -> Edition:
        key = (series, year)
        if key not in self.editions:
            r = self.rng
            self.editions[key] = Edition(
                series,
                year,
                self.pick_muni(),
                self.series_organiser[series],
                r.randint(1, 11),
                r.randint(1, 27),
                r.choice([1, 2]),
                r.choice(VENUES),
            )
        return self.editions[key]


# ---------------------------------------------------------------- templates


def date_text(ed: Edition) -> str:
    """'den 6 september 2019' or '6–7 februari 2019'."""
    m = MONTHS[ed.month - 1]
    if ed.days == 1:
        return f"den {ed.day} {m} {ed.year}"
    return f"{ed.day}–{ed.day + 1} {m} {ed.year}"


def quote_body(rng: random.Random) -> str:
    """One or two sentences of quote text, without the closing punctuation of the last one."""
    first = f"{rng.choice(Q_OPEN)} {rng.choice(Q_VERB)} {rng.choice(Q_OBJ)}{rng.choice(Q_TAIL)}"
    if rng.random() < 0.6:
        return f"{first}. {rng.choice(Q_SECOND)[:-1]}"
    return first


def role_at(p: Person) -> str:
    """'kommundirektör i Eskilstuna kommun'; county boards also as 'landshövding i X län'."""
    return f"{p.role} {p.org.prep} {p.org.name}"


def party(p: Person) -> str:
    return f" ({p.party})" if p.party else ""


ATTRIBUTIONS = [
    "– {q}, säger {name}, {roleat}.",
    "– {q}, säger {name}{party}, {roleat}.",
    "”{q}”, säger {name}, {roleat}.",
    "- {q}, menar {name}, {roleat}.",
    "– {q}, berättar {name}, {roleat}.",
    "– {q}, konstaterar {name}, {roleat}.",
    "– {q}, understryker {name}, {roleat}.",
    "– {q}, säger {name}, {role}, {org}.",
    "– {q}, förklarar {name}, {roleat}.",
    "– {q}, tillägger {name}, {roleat}.",
    "– {q}, påpekar {name}, {roleat}.",
    "– {q}, framhåller {name}, {roleat}.",
    "– {q}, summerar {name}, {roleat}.",
    "{name}, {roleat}, kommenterar:\n\n– {q}.",
    "– {q}.\n\n– {q2}, säger {name}, {roleat}.",
    "– {q}, betonar {name}{party}, {roleat}.",
]
REPEAT_ATTRIBUTIONS = ["– {q}, säger {given}.", "– {q}, fortsätter {pron}.", "– {q}, säger {pron}."]

MENTIONS = [
    "{name}, {roleat}, inledde dagen.",
    "Bland talarna finns {name}, {roleat}.",
    "{name}, {roleat}, medverkar i ett panelsamtal.",
    "Under eftermiddagen presenterar {name}, {roleat}, erfarenheter från arbetet.",
    "{name}, {roleat}, leder samtalet.",
    "Moderator är {name}, {roleat}.",
    "{name}, {roleat}, håller i ett seminarium om uppföljning.",
    "Även {name}, {roleat}, deltar.",
    "På plats finns också {name}, {roleat}.",
    "Dagen avslutas av {name}, {roleat}.",
    "{name}, {roleat}, delar med sig av lärdomar från det egna arbetet.",
    "Inledningstalare är {name}, {roleat}.",
    "Medverkar gör bland andra {name}, {roleat}.",
    "{name}, {roleat}, ansvarar för programmet.",
    "Programmet tas fram av {name}, {roleat}.",
]

EVENT_SENT = [
    "{Date} arrangeras {event} i {town}.",
    "{host} står värd för {event}, som hålls {date} på {venue} i {town}.",
    "{event} äger rum {date} i {town}.",
    "{organiser} bjuder in till {event} i {town} {date}.",
    "Över {n} deltagare väntas till {event} när konferensen går av stapeln i {town} {date}.",
    "{event} pågår {date} på {venue} i {town}.",
    "Konferensen {event} samlar politiker och tjänstepersoner i {town} {date}.",
    "{host} arrangerar {event} tillsammans med {organiser}. Konferensen hålls {date} i {town}.",
    "{event} genomförs {date} i {town}.",
    "Välkommen till {event}!\n\nTid: {date}\nPlats: {venue}, {town}",
    "Den nationella konferensen {event} hålls i {town} {date}.",
    "{event}, en nationell konferens om {topic}, arrangeras {date} i {town}.",
    "Under {date} samlas över {n} deltagare i {town} för {event}.",
    "{host} deltar i {event}, som anordnas {date} i {town}.",
    "{Date} öppnar {event} i {town}, med {organiser} som arrangör.",
    "{event} anordnas av {organiser} och hålls {date} i {town}.",
]
EVENT_HEAD = [
    "{town} värd för {event}",
    "{event} kommer till {town}",
    "Nu startar {event}",
    "Pressinbjudan: {event}",
    "{host} arrangerar {event}",
    "Välkommen till {event} i {town}",
    "Rekordmånga anmälda till {event}",
    "{event} – program klart",
    "{host} deltar i {event}",
    "Möt oss på {event}",
    "Inbjudan till {event}",
    "{event} samlar hela landet i {town}",
    "Dags för {event}",
    "Så blir {event}",
    "Mediaackreditering till {event} öppnar",
]

PROJECT_SENT = [
    "{coord} driver projektet {P} tillsammans med {parts}.",
    "Projektet {P} leds av {coord} och finansieras av {funder}.",
    "{parts} deltar i projektet {P}, som samordnas av {coord}.",
    "Satsningen {P} drivs av {coord} med stöd från {funder}.",
    "{coord} startar projektet {P}. I projektet deltar även {parts}.",
    "Inom projektet {P} samarbetar {coord} med {parts}.",
    "{P} är ett utvecklingsprojekt som drivs av {coord}.",
    "{funder} finansierar projektet {P}, där {parts} deltar.",
    "Sedan {year} deltar {parts} i projektet {P}.",
    "Projektet {P} drivs av {coord} och pågår till och med {end}.",
    "Med stöd från {funder} har {coord} startat satsningen {P}.",
    "{coord} är projektägare för projektet {P}, ett samarbetsprojekt med {parts}.",
    "{parts} medverkar i projektet {P}, som leds av {coord}.",
    "Projektet {P} samordnas av {coord} och medfinansieras av {funder}.",
    "{coord} ansvarar för projektet {P}.",
    "I projektet {P}, som drivs av {coord}, ingår även {parts}.",
]
PROJECT_HEAD = [
    "Nytt projekt ska stärka {topic} i {town}",
    "{coord} startar projektet {P}",
    "Projektet {P} går in i nästa fas",
    "Lärdomar från projektet {P}",
    "{P}: så gick det första året",
    "Fler kommuner ansluter till {P}",
    "Miljonstöd till projektet {P}",
    "Projektet {P} förlängs",
    "Slutrapport från {P}",
    "Satsning på {topic} i {town}",
    "{coord} leder nationellt projekt",
    "Nu utvärderas projektet {P}",
    "Samverkan i fokus i projektet {P}",
    "Ny etapp i projektet {P}",
    "Projektet {P} presenteras i {town}",
]
NEWS_HEAD = [
    "{org} satsar på {topic}",
    "Ny handlingsplan för {topic} i {town}",
    "{org} redovisar årets arbete med {topic}",
    "Ökat fokus på {topic}",
    "Så arbetar {org} med {topic}",
    "Beslut om {topic} i {town}",
    "Ny rapport om {topic}",
    "{org} vill se fler insatser för {topic}",
    "Uppföljning av arbetet med {topic}",
    "Förändringar i arbetet med {topic}",
    "{town} tar nästa steg inom {topic}",
    "Satsning på {topic} fortsätter",
    "Resultat: så har arbetet med {topic} gått",
    "Fler ska nås av arbetet med {topic}",
    "Nya mål för {topic} i {town}",
]
NEWS_LEAD = [
    "{org} har beslutat om en ny plan för arbetet med {topic}.",
    "Under året har {org} arbetat brett med {topic}.",
    "Nu presenterar {org} en uppföljning av arbetet med {topic}.",
    "Arbetet med {topic} har fått ökad tyngd i {org}.",
    "{org} fördjupar nu sitt arbete med {topic}.",
    "Ett nytt uppdrag inom {topic} har getts till förvaltningen i {org}.",
    "{org} lägger fram en rapport om {topic}.",
    "Sedan i våras har {org} samlat in erfarenheter om {topic}.",
]
FILLER = [
    "Arbetet följs upp varje halvår och resultaten redovisas öppet.",
    "Målgruppen är chefer, politiker och medarbetare i offentlig sektor.",
    "Programmet innehåller föreläsningar, workshoppar och studiebesök.",
    "Erfarenheterna ska spridas till fler verksamheter under nästa år.",
    "Fokus ligger på konkreta arbetssätt som går att använda direkt.",
    "Intresset har varit stort och antalet platser är begränsat.",
    "Flera forskare medverkar med aktuella studier.",
    "Deltagarna kommer från kommuner, regioner och myndigheter.",
    "Satsningen bygger på tidigare erfarenheter av samverkan.",
    "Dokumentation från dagarna publiceras efteråt.",
]

CONTACTS = [
    "Kontakt: {name}, {role}, {org}, {phone}",
    "Kontaktperson:\n{name}, {role}\n{phone}\n{email}",
    "För mer information, kontakta:\n{name}, {role} {prep} {org}, telefon {phone}, {email}",
    "Presskontakt: {name}, {email}, {phone}",
    "Vid frågor: {name}, {role}, tel. {phone}",
    "Kontakt\n{name}\n{role}\n{org}\nTelefon: {phone}\nE-post: {email}",
    "Mer information: {name}, {role}, {phone}, {email}",
    "Kontakta gärna {name}, {role}, på {phone} eller {email}.",
    "Upplysningar: {name}, {role}, {org}, {phone}",
    "Frågor besvaras av\n{name}, {role}\nMobil: {phone}\n{email}",
    "Kontaktpersoner:\n\n{name}, {role}, {org}, telefon {phone}",
    "Ytterligare information: {name}, {phone}, {email_at}",
    "Kontakt: {name}, {role}\n{email}\n{phone}",
    "För frågor, kontakta {name} på {phone} eller via e-post {email}.",
    "Presskontakt\n{name}, {role}, {org}\n{phone} | {email}",
]
DATELINES = [
    "Publicerad {iso}",
    "Pressmeddelande {d} {month} {y}",
    "Publicerad: {d} {month} {y}",
    "{iso} kl. {hh}.{mm}",
]


def join_orgs(orgs: list[Org]) -> str:
    names = [o.name for o in orgs]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " och " + names[-1]


class Composer:
    """Writes one press release at a time and records what it planted."""

    def __init__(self, world: World) -> None:
        self.w = world
        self.rng = world.rng

    def quote(self, doc: Doc, p: Person, said: set[str]) -> None:
        rng = self.rng
        q = quote_body(rng)
        if p.name in said:
            tpl = rng.choice(REPEAT_ATTRIBUTIONS)
            if "{pron}" in tpl and doc.quotes and doc.quotes[-1]["speaker"] != p.name:
                tpl = REPEAT_ATTRIBUTIONS[0]
        else:
            tpl = rng.choice(ATTRIBUTIONS)
            if "{party}" in tpl and not p.party:
                tpl = ATTRIBUTIONS[0]
        text = tpl.format(
            q=q,
            q2=quote_body(rng),
            name=p.name,
            given=p.given,
            pron="hon" if p.female else "han",
            party=party(p),
            role=p.role,
            org=p.org.name,
            roleat=role_at(p),
        )
        doc.paras.append(text)
        doc.person(p)
        said.add(p.name)
        doc.quotes.append({"speaker": p.name, "org": p.org.name})

    def mention(self, doc: Doc, p: Person) -> None:
        doc.paras.append(self.rng.choice(MENTIONS).format(name=p.name, roleat=role_at(p)))
        doc.person(p)

    def contact(self, doc: Doc, org: Org) -> None:
        p = self.w.staff_of(org, press=True) or self.w.staff_of(org)
        if p is None:
            return
        tpl = self.rng.choice(CONTACTS)
        at = p.email.replace("@", "[at]")
        doc.paras.append(
            tpl.format(name=p.name, role=p.role, org=org.name, prep=org.prep, phone=p.phone, email=p.email, email_at=at)
        )
        doc.person(p, with_role="{role}" in tpl, with_org="{org}" in tpl)
        doc.contacts.append({"name": p.name, "phone": p.phone, "email": p.email if "{email" in tpl else None})

    def dateline(self, year: int) -> str:
        r = self.rng
        m, d = r.randint(1, 12), r.randint(1, 28)
        return r.choice(DATELINES).format(
            iso=f"{year}-{m:02d}-{d:02d}",
            d=d,
            month=MONTHS[m - 1],
            y=year,
            hh=r.randint(8, 16),
            mm=f"{r.randint(0, 59):02d}",
        )

    def speakers_for(self, orgs: list[Org], k: int) -> list[Person]:
        out: list[Person] = []
        for org in orgs:
            p = self.w.staff_of(org, press=False)
            if p and p not in out:
                out.append(p)
            if len(out) >= k:
                break
        return out

    def event_doc(self, doc: Doc) -> str:
        w, rng = self.w, self.rng
        ed = w.edition(rng.choice(SERIES), rng.randint(2012, 2024))
        topic = SERIES_TOPIC.get(ed.series.split()[-1], "samverkan")
        fmt = {
            "event": ed.name,
            "town": ed.host.town,
            "host": ed.host.name,
            "organiser": ed.organiser.name,
            "date": date_text(ed),
            "venue": ed.venue,
            "n": rng.choice([300, 500, 800, 1000, 1200]),
            "topic": topic,
        }
        fmt["Date"] = fmt["date"][0].upper() + fmt["date"][1:]
        head = rng.choice(EVENT_HEAD).format(**fmt)
        sent = rng.choice(EVENT_SENT)
        doc.paras.append(sent.format(**fmt))
        for key in ("host", "organiser"):
            if "{" + key + "}" in head + sent:
                doc.orgs.add(fmt[key])
        doc.events.append({"name": ed.name, "series": ed.series, "year": ed.year, "town": ed.host.town})
        doc.paras.append(rng.choice(FILLER))
        speakers = self.speakers_for([ed.host, ed.organiser, w.pick_muni()], rng.randint(1, 3))
        said: set[str] = set()
        for p in speakers:
            self.quote(doc, p, said)
            if rng.random() < 0.25:
                self.quote(doc, p, said)
        extra = w.staff_of(w.pick_org(), press=False)
        if extra and extra not in speakers and rng.random() < 0.5:
            self.mention(doc, extra)
        self.contact(doc, ed.host if rng.random() < 0.7 else ed.organiser)
        return head

    def project_doc(self, doc: Doc) -> str:
        w, rng = self.w, self.rng
        pr = rng.choice(w.projects)
        parts = pr.participants
        fmt = {
            "P": pr.name,
            "coord": pr.coordinator.name,
            "parts": join_orgs(parts),
            "funder": pr.funder,
            "year": pr.start,
            "end": pr.start + 3,
            "town": pr.coordinator.town,
            "topic": rng.choice(list(SERIES_TOPIC.values())),
        }
        head = rng.choice(PROJECT_HEAD).format(**fmt)
        sent = rng.choice(PROJECT_SENT)
        doc.paras.append(sent.format(**fmt))
        stated = {"coordinator": pr.coordinator.name if "{coord}" in sent + head else None}
        if "{parts}" in sent:
            stated["participants"] = [o.name for o in parts]
            doc.orgs.update(stated["participants"])
        if "{funder}" in sent:
            stated["funder"] = pr.funder
            doc.orgs.add(pr.funder)
        if stated["coordinator"]:
            doc.orgs.add(pr.coordinator.name)
        doc.projects.append({"name": pr.name, **stated})
        doc.paras.append(rng.choice(FILLER))
        said: set[str] = set()
        for p in self.speakers_for([pr.coordinator, *parts], rng.randint(1, 2)):
            self.quote(doc, p, said)
        self.contact(doc, pr.coordinator)
        return head

    def news_doc(self, doc: Doc) -> str:
        w, rng = self.w, self.rng
        org = w.pick_org()
        topic = rng.choice(list(SERIES_TOPIC.values()))
        fmt = {"org": org.name, "town": org.town, "topic": topic}
        head = rng.choice(NEWS_HEAD).format(**fmt)
        doc.paras.append(rng.choice(NEWS_LEAD).format(**fmt))
        doc.orgs.add(org.name)
        doc.paras.append(rng.choice(FILLER))
        said: set[str] = set()
        for p in self.speakers_for([org, org, w.pick_org()], rng.randint(1, 2)):
            self.quote(doc, p, said)
        if rng.random() < 0.4:
            ed = w.edition(rng.choice(SERIES), rng.randint(2012, 2024))
            doc.paras.append(f"{date_text(ed).capitalize()} deltar {org.name} i {ed.name} i {ed.host.town}.")
            doc.events.append({"name": ed.name, "series": ed.series, "year": ed.year, "town": ed.host.town})
        self.contact(doc, org)
        return head

    def compose(self) -> tuple[str, Doc]:
        """One document's text and its planted facts."""
        doc = Doc()
        kind = self.rng.random()
        if kind < 0.4:
            head = self.event_doc(doc)
        elif kind < 0.7:
            head = self.project_doc(doc)
        else:
            head = self.news_doc(doc)
        year = doc.events[0]["year"] if doc.events else self.rng.randint(2012, 2024)
        body = "\n\n".join(doc.paras)
        # the contact block goes last; a date line at the top or the bottom
        dl = self.dateline(year)
        text = f"{head}\n\n{dl}\n\n{body}\n" if self.rng.random() < 0.5 else f"{head}\n\n{body}\n\n{dl}\n"
        # organisations actually named in the text (people's orgs may be implicit in a contact line)
        doc.orgs = {o for o in doc.orgs if o in text}
        return text, doc


# ---------------------------------------------------------------- generate


def generate(n_docs: int, seed: int, out: Path) -> dict[str, int]:
    """Stream n_docs releases and _truth.json to `out`; returns counts."""
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    world = World(rng, n_people=min(30000, max(2000, n_docs // 2)))
    comp = Composer(world)
    width = max(6, len(str(n_docs)))
    counts = {"docs": 0, "people": 0, "quotes": 0, "events": 0, "projects": 0, "contacts": 0}
    with (out / "_truth.json").open("w", encoding="utf-8") as truth:
        truth.write(f'{{"seed": {seed}, "docs": {n_docs}, "documents": [\n')
        for i in range(n_docs):
            text, doc = comp.compose()
            stem = f"gen-{i:0{width}d}"
            (out / f"{stem}.txt").write_text(text, encoding="utf-8")
            rec = {
                "doc": stem,
                "people": list(doc.people.values()),
                "orgs": sorted(doc.orgs),
                "events": doc.events,
                "projects": doc.projects,
                "quotes": doc.quotes,
                "contacts": doc.contacts,
            }
            truth.write(("," if i else "") + json.dumps(rec, ensure_ascii=False) + "\n")
            counts["docs"] += 1
            for k in ("people", "quotes", "events", "projects", "contacts"):
                counts[k] += len(rec[k])
        truth.write("]}\n")
    return counts


# ---------------------------------------------------------------- check


def _norm(s: str | None) -> str:
    return re.sub(r"\s+", " ", (s or "").strip().lower())


def _run(store, name: str) -> Iterator[dict[str, str]]:
    from kg.queries import registry
    from kg.store import query, rows

    _, out = rows(query(store, registry().get(name).sparql))
    yield from out


def check(store_path: Path, out: Path) -> dict[str, tuple[int, int]]:
    """Recall of planted facts in a store built from `out`: {fact: (found, planted)}."""
    sys.path.insert(0, str(ROOT))
    from kg.store import open_read

    store = open_read(store_path)
    truth = json.loads((out / "_truth.json").read_text(encoding="utf-8"))
    aliases: dict[str, str] = {}
    for f in ("municipalities.csv",):
        for m in _read_csv(f):
            aliases[_norm(m["legal_name"])] = _norm(m["org_name"])

    def doc_of(iri: str) -> str:
        return iri.rsplit("/", 1)[-1]

    def org(s: str | None) -> str:
        return aliases.get(_norm(s), _norm(s))

    got_people, got_roles, got_orgs, got_events, got_projects, got_speakers = set(), set(), set(), set(), set(), set()
    for r in _run(store, "people"):
        d = doc_of(r["document"])
        got_people.add((d, _norm(r["personName"])))
        got_roles.add((d, _norm(r["personName"]), _norm(r.get("roleName")), org(r.get("organisationName"))))
    for r in _run(store, "organisations"):
        got_orgs.add((doc_of(r["document"]), org(r["organisationName"])))
    for r in _run(store, "events"):
        got_events.add((doc_of(r["document"]), _norm(r["eventName"]), (r.get("startDate") or "")[:4]))
    for r in _run(store, "projects"):
        got_projects.add((doc_of(r["document"]), _norm(r["projectName"])))
    for r in _run(store, "speakers"):
        got_speakers.add((doc_of(r["document"]), _norm(r["personName"]), org(r.get("organisationName"))))

    stats = {
        k: [0, 0] for k in ("people", "people+role+org", "orgs", "events", "events+year", "projects", "speakers+org")
    }
    for d in truth["documents"]:
        doc = d["doc"]
        for p in d["people"]:
            stats["people"][1] += 1
            stats["people"][0] += (doc, _norm(p["name"])) in got_people
            if p["role"]:
                stats["people+role+org"][1] += 1
                if p["org"]:
                    hit = (doc, _norm(p["name"]), _norm(p["role"]), org(p["org"])) in got_roles
                else:  # a contact line naming no organisation: the role is what the text states
                    hit = any(r[:3] == (doc, _norm(p["name"]), _norm(p["role"])) for r in got_roles)
                stats["people+role+org"][0] += hit
        for o in d["orgs"]:
            stats["orgs"][1] += 1
            stats["orgs"][0] += (doc, org(o)) in got_orgs
        for e in d["events"]:
            names = {(n, y) for dd, n, y in got_events if dd == doc and _norm(e["series"]) in n}
            stats["events"][1] += 1
            stats["events"][0] += bool(names)
            stats["events+year"][1] += 1
            stats["events+year"][0] += any(y == str(e["year"]) or str(e["year"]) in n for n, y in names)
        for p in d["projects"]:
            stats["projects"][1] += 1
            stats["projects"][0] += (doc, _norm(p["name"])) in got_projects
        for q in {(x["speaker"], x["org"]) for x in d["quotes"]}:
            stats["speakers+org"][1] += 1
            stats["speakers+org"][0] += (doc, _norm(q[0]), org(q[1])) in got_speakers
    extracted = {
        "people": len(got_people),
        "orgs": len(got_orgs),
        "events": len(got_events),
        "projects": len(got_projects),
        "speakers+org": len(got_speakers),
    }
    print(f"{'fact':<18} {'found':>7} {'planted':>8} {'recall':>7} {'extracted rows':>15}")
    for k, (f, n) in stats.items():
        print(f"{k:<18} {f:>7} {n:>8} {f / max(n, 1):>7.3f} {extracted.get(k, ''):>15}")
    return {k: (v[0], v[1]) for k, v in stats.items()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--check", type=Path, metavar="STORE", help="print recall of DIR/_truth.json in STORE")
    a = ap.parse_args(argv)
    if a.check:
        check(a.check, a.out)
        return 0
    counts = generate(a.docs, a.seed, a.out)
    print(json.dumps(counts), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
