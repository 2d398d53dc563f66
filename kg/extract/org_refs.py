"""An organisation as the extractor holds it: a mention's span and the body it names, known or new."""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.gazetteer import OrgRef, load, slug


@dataclass(frozen=True)
class OrgMention:
    begin: int
    end: int
    ref: OrgRef
    genitive: bool = False
    learned: bool = False  # found by the trained classifier: listed only when a fact uses it


def strip_genitive(surface: str) -> tuple[str, bool]:
    if surface.endswith(":s"):
        return surface[:-2], True
    return surface, False


def lookup(surface: str) -> OrgRef | None:
    g = load()
    key = g.exact_surfaces.get(surface) or g.surfaces.get(surface.lower())
    return g.orgs.get(key) if key else None


def kind_for(name: str) -> str:
    low = name.lower()
    if re.match(r"(?:institutionen|avdelningen|fakulteten|enheten) för ", low):
        return "OrganizationalUnit"  # a department of a university or an agency
    if "sjukhus" in low:
        return "Organisation"  # "Karolinska Universitetssjukhuset": a hospital, not a university
    if re.search(r"universitet|högskola|högskolan|akademi", low):
        return "EducationalOrganization"
    if re.search(r"\b(ab|hb|kb)$", low):
        return "Company"
    if re.search(r"nämnden$|rådet$|verket$|kassan$|myndigheten$", low):
        return "GovernmentAgency"
    if re.search(r"förbund|förening|jour|lobby|kör$|kören$|teatern$|nätverk|samverkan|alliansen|sällskap", low):
        return "Association"
    return "Organisation"


def new_org(name: str, kind: str | None = None) -> OrgRef:
    """An organisation found by a pattern (not in the gazetteers)."""
    name = name.strip()
    known = lookup(name)
    if known:
        return known
    return OrgRef(slug(name), name, kind or kind_for(name))
