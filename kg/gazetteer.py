"""Reference data: municipalities, county boards, regions, agencies, parties, given names.

Everything is read from the CSV/JSON files in kg/data; surface forms (genitives, short forms,
former names) are generated here, never hand-listed.
"""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources

from kg.surfaces import SurfaceIndex


@dataclass(frozen=True)
class OrgRef:
    """A known organisation: stable key, preferred name, class and identifiers."""

    key: str
    name: str
    kind: str  # local name of the kgo: class
    wikidata: str = ""
    code: str = ""
    aliases: tuple[str, ...] = ()
    county: str = ""  # county code for municipalities, boards and regions
    only_as: str = ""  # e.g. "funder": only taken when it plays that part


@dataclass
class Gazetteer:
    orgs: dict[str, OrgRef] = field(default_factory=dict)  # key -> OrgRef
    surfaces: dict[str, str] = field(default_factory=dict)  # lower-cased surface -> key
    exact_surfaces: dict[str, str] = field(default_factory=dict)  # case-sensitive abbreviations -> key
    towns: dict[str, str] = field(default_factory=dict)  # municipality short name (and genitive) -> key
    counties: dict[str, str] = field(default_factory=dict)  # county short name forms -> county code
    given_names: dict[str, int] = field(default_factory=dict)
    countries: dict[str, str] = field(default_factory=dict)  # Swedish name (and genitive) -> ISO code
    lexicon: dict = field(default_factory=dict)
    county_rows: list[dict[str, str]] = field(default_factory=list)
    org_pattern: SurfaceIndex | None = None
    town_pattern: SurfaceIndex | None = None


@lru_cache(maxsize=16384)
def fold_ascii(text: str) -> str:
    """Lower-case ASCII: 'Västerås' -> 'vasteras' (accents dropped)."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def slug(text: str) -> str:
    """ASCII slug of a name: 'Forum Jämställdhet' -> 'forum-jamstalldhet'.

    >>> slug("Länsstyrelsen i Södermanlands län")
    'lansstyrelsen-i-sodermanlands-lan'
    """
    return re.sub(r"[^a-z0-9]+", "-", fold_ascii(text)).strip("-") or "x"


def genitives(name: str) -> list[str]:
    """Swedish genitive forms of a name: 'SKL' -> 'SKL:s', 'Eskilstuna' -> 'Eskilstunas'.

    >>> genitives("SKL"), genitives("Västerås"), genitives("Luleå kommun")
    (['SKL:s'], [], ['Luleå kommuns'])
    """
    last = name[-1]
    if last.isupper() or last.isdigit():
        return [name + ":s", name + "s"] if " " in name else [name + ":s"]  # "Fackförbundet STs"
    if last.lower() in "sxz":
        return []
    return [name + "s"]


def _data(name: str):
    return resources.files("kg") / "data" / name


def _rows(name: str) -> list[dict[str, str]]:
    with _data(name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def lexicon() -> dict:
    return load().lexicon


def _add(g: Gazetteer, ref: OrgRef, forms: list[str], exact: list[str] = ()) -> None:
    g.orgs.setdefault(ref.key, ref)
    for form in forms:
        for variant in [form, *genitives(form)]:
            g.surfaces.setdefault(variant.lower(), ref.key)
    for ab in exact:
        for variant in [ab, *genitives(ab)]:
            g.exact_surfaces.setdefault(variant, ref.key)


def _definite(name: str, endings: dict[str, str]) -> str | None:
    """'Statens kulturråd' -> 'Kulturrådet': the short name a 'Statens X' agency goes by."""
    m = re.fullmatch(r"Statens ([a-zåäö]+)", name)
    if not m:
        return None
    noun = m.group(1)
    end = next((e for tail, e in endings.items() if noun.endswith(tail)), None)
    return noun.capitalize() + end if end else None


def _is_abbreviation(text: str) -> bool:
    return 3 <= len(text) <= 8 and " " not in text and sum(c.isupper() for c in text) >= 2


@cache
def load() -> Gazetteer:
    """Load and index every gazetteer once per process."""
    g = Gazetteer()
    g.lexicon = json.loads(_data("lexicon.json").read_text(encoding="utf-8"))
    g.county_rows = _rows("counties.csv")
    for row in g.county_rows:
        code, short = row["code"], row["short_name"]
        g.counties[short] = code
        county_gen = row["name"].removesuffix(" län")  # "Södermanlands"
        g.counties[county_gen] = code
        board = OrgRef(
            f"lansstyrelsen-{code}",
            row["county_admin_board_name"],
            "CountyAdministrativeBoard",
            row["wikidata_board"],
            code,
            (row["county_admin_board_short_name"],),
            code,
        )
        _add(
            g,
            board,
            [
                row["county_admin_board_name"],
                row["county_admin_board_short_name"],
                f"Länsstyrelsen i {short}",
                f"Länsstyrelsen {county_gen} län",
                f"Länsstyrelsen i {county_gen}",
            ],
        )
        if code != "09":
            region_forms = [
                row["region_name"],
                f"Region {short}",
                f"Landstinget {short}",
                f"Landstinget i {row['name']}",
                f"{row['name']}s landsting",
                f"{county_gen} läns landsting",
                f"Landstinget i {short}",
            ]
            region = OrgRef(
                f"region-{code}",
                row["region_name"],
                "Region",
                row["wikidata_region"],
                code,
                tuple(f for f in region_forms[1:] if f != row["region_name"]),
                code,
            )
            _add(g, region, region_forms)
    for row in _rows("municipalities.csv"):
        code, short = row["code"], row["name"]
        forms = [row["org_name"], row["legal_name"]]
        if f"{short} kommun" not in forms:
            forms.append(f"{short} kommun")  # "Sandviken kommun": the genitive left out, a common slip
        aliases = tuple(f for f in forms if f != row["org_name"])
        ref = OrgRef(
            f"kommun-{code}",
            row["org_name"],
            "Municipality",
            row["wikidata"],
            code,
            aliases,
            row["county_code"],
        )
        _add(g, ref, forms)
        for town in [short, *genitives(short)]:
            g.towns.setdefault(town, ref.key)
    wrong = g.lexicon["agency_names_wrong"]
    for row in _rows("agencies.csv") + _rows("agencies_extra.csv"):
        name = row["name"]
        known = g.surfaces.get(name.lower())
        if known:
            continue
        other = [o.strip() for o in row["other_names"].split(";") if o.strip() and o.strip() not in wrong.get(name, ())]
        abbrevs = [a for a in [row["abbreviation"], *other] if _is_abbreviation(a)]
        names = [o for o in other if not _is_abbreviation(o)]
        is_agency = not row["category"].startswith("Organisation")
        key = slug(name)
        kind = "GovernmentAgency" if is_agency else "Association"
        if re.search(r"universitet|högskola|Högskola", name):
            kind = "EducationalOrganization"
        display = g.lexicon["display_names"].get(name) or next(
            (
                n
                for n in names
                if name.startswith(("Statens ", "Affärsverket "))
                and re.fullmatch(r"[A-ZÅÄÖ]\w+(?:et|en)", n)
                and n.lower().endswith(tuple(name.split()[-1].lower() + e for e in ("et", "en", "t", "n")))
            ),
            name,
        )  # "Statens jordbruksverk" goes by "Jordbruksverket" (not ArkDes by its former "Arkitekturmuseet")
        names += [n for n in [_definite(name, g.lexicon["definite_endings"])] if n and n not in names]
        aliases = tuple(
            dict.fromkeys(([name] if display != name else []) + [n for n in names if n != display] + abbrevs)
        )
        ref = OrgRef(key, display, kind, row["wikidata"], row["org_nr"], aliases)
        # ESV's short codes for agencies are often internal (e.g. SOS, SKOL): only names from
        # Wikidata's aliases and abbreviations of non-agencies are matched on their own.
        exact = [a for a in abbrevs if a in other or not is_agency]
        _add(g, ref, list(dict.fromkeys([name, display, *names])), exact)
    for item in [*g.lexicon["international_orgs"], *g.lexicon["former_agencies"]]:
        item.setdefault("aliases", [])
        display = g.lexicon["display_names"].get(item["name"], item["name"])  # "TCO", its id kept
        aliases = [item["name"], *item["aliases"]] if display != item["name"] else item["aliases"]
        aliases = [a for a in aliases if a != display]
        ref = OrgRef(
            slug(item["name"]),
            display,
            item["type"],
            item.get("wikidata", ""),
            "",
            tuple(aliases),
            "",
            item.get("only_as", ""),
        )
        forms = list(dict.fromkeys([item["name"], display, *aliases]))
        short = [a for a in forms if _is_abbreviation(a) or len(a) <= 3]
        _add(g, ref, [a for a in forms if a not in short], short)
    for letter, party in g.lexicon["parties"].items():
        if f"parti-{slug(party)}" in g.orgs:
            continue
        other = g.lexicon["party_aliases"].get(party, [])
        ref = OrgRef(f"parti-{slug(party)}", party, "PoliticalParty", "", letter, tuple(other))
        _add(g, ref, [party, *other])
    for name, short in g.lexicon["org_aliases"].items():
        key = g.surfaces.get(name.lower())
        if key is None:
            continue
        for alias in short:
            if _is_abbreviation(alias) or len(alias) <= 4:
                for variant in [alias, *genitives(alias)]:
                    g.exact_surfaces.setdefault(variant, key)
            else:
                _add(g, g.orgs[key], [alias])
    for row in _rows("countries.csv"):
        for form in [row["name"], *genitives(row["name"])]:
            g.countries.setdefault(form, row["code"])
    for row in _rows("given_names.csv"):
        g.given_names[row["name"]] = int(row["count"])
    g.org_pattern = SurfaceIndex(g.surfaces, ignore_case=True, before=":-")
    g.town_pattern = SurfaceIndex(g.towns, before="-")
    return g


@cache
def word_set(key: str) -> frozenset[str]:
    """A word list of the lexicon as a set ('independent_roles', 'honorifics', …), built once."""
    return frozenset(load().lexicon[key])


def party_ref(letter: str) -> OrgRef | None:
    """The political party for a bracketed letter such as 'S' or 'FP'."""
    parties = load().lexicon["parties"]
    name = parties.get(letter) or (parties.get(letter.upper()) if letter.islower() else None)
    return load().orgs.get(f"parti-{slug(name)}") if name else None


@cache
def nominative_towns() -> dict[str, str]:
    """Municipality key -> the nominative: the shortest form of its town's name."""
    towns: dict[str, str] = {}
    for town, key in load().towns.items():
        if key not in towns or len(town) < len(towns[key]):
            towns[key] = town
    return towns


def municipality_town(name: str) -> str | None:
    """The town of a municipality named as a body ('Göteborgs Stad' -> 'Göteborg'), else None."""
    g = load()
    key = g.surfaces.get(name.lower())
    if key is None or g.orgs[key].kind != "Municipality":
        return None
    return nominative_towns().get(key)


def is_place(name: str) -> bool:
    """A town, a country or a foreign place the lexicon knows ('Umeå', 'Polen', 'Haag')."""
    g = load()
    return name in g.towns or name in g.countries or name in word_set("foreign_places")


def government_ref() -> OrgRef:
    """The Swedish government (Regeringen)."""
    return load().orgs[slug("Regeringen")]


def is_government_title(title: str | None) -> bool:
    """'justitieminister', 'statssekreterare hos …', 'minister för civilt försvar': a post in the government."""
    if not title:
        return False
    head = re.split(r"\s(?:för|med|hos|i|på|till)\s", title.lower(), maxsplit=1)[0].split()
    if not head:
        return False
    last = head[-1]
    if re.match(r"(tidigare|före detta|f\.d\.|fd|förre|dåvarande)$", head[0]):
        return False
    return (
        last.endswith(("minister", "statsråd"))
        or " ".join(head[-2:]) in load().lexicon["government_roles"]
        or (last in load().lexicon["government_roles"])
    )


@lru_cache(maxsize=256)
def country_ref(code: str) -> OrgRef:
    """The state of a country (as the organisation an ambassador represents), by ISO code."""
    g = load()
    name = next(n for n, c in g.countries.items() if c == code)
    return OrgRef(f"land-{code.lower()}", name, "Organisation", "", code)
