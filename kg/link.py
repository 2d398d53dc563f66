"""Stage 3, link: stable IRIs for everything extracted. Same input, same IRIs, on every rebuild.

Municipalities are keyed by SCB code, county boards and regions by county code, other named
entities by their normalised name; n-ary nodes by a hash of what identifies them.
"""

from __future__ import annotations

import hashlib
import os
import re

from kg.gazetteer import OrgRef, slug

DEFAULT_BASE = "https://w3id.org/sv-press-kg/"


def default_base() -> str:
    base = os.environ.get("KG_BASE", DEFAULT_BASE)
    return base if base.endswith(("/", "#")) else base + "/"


def digest(*parts: object) -> str:
    """A short deterministic hash of the parts that identify an n-ary node."""
    return hashlib.sha1("|".join(map(str, parts)).encode("utf-8")).hexdigest()[:12]


def person_key(name: str) -> str:
    """'Karl- Erik Pettersson' and 'Karl-Erik Pettersson' are one person."""
    return slug(re.sub(r"-\s+", "-", name))


class Linker:
    """Mints the IRIs of one build under one base."""

    def __init__(self, base: str | None = None):
        self.base = base or default_base()

    def org(self, ref: OrgRef) -> str:
        return f"{self.base}id/org/{ref.key}"

    def person(self, name: str) -> str:
        return f"{self.base}id/person/{person_key(name)}"

    def role(self, title: str) -> str:
        return f"{self.base}def/role/{slug(title)}"

    def project_role(self, relation: str) -> str:
        return f"{self.base}def/project-role/{relation}"

    def series(self, name: str) -> str:
        return f"{self.base}id/event/{slug(name)}"

    def event(self, name: str, series: str | None, start, doc_id: str, n: int, generic: bool) -> str:
        """Series editions by year, named one-offs by date, generic meetings within their document."""
        if series and start:
            return f"{self.series(series)}/{start.year}"
        if series:
            return f"{self.series(series)}/doc-{doc_id}"
        if not generic and start:
            return f"{self.base}id/event/{slug(name)}/{str(start)[:10]}"
        return f"{self.base}id/event/doc-{doc_id}/{slug(name)}-{n}"

    def place(self, name: str) -> str:
        return f"{self.base}id/place/{slug(name)}"

    def project(self, name: str) -> str:
        return f"{self.base}id/project/{slug(name)}"

    def node(self, kind: str, *parts: object) -> str:
        return f"{self.base}id/{kind}/{digest(*parts)}"

    def doc(self, doc_id: str) -> str:
        return f"{self.base}res/doc/{doc_id}"

    def text(self, doc_id: str) -> str:
        return f"{self.base}res/doc/{doc_id}/text"

    def span(self, doc_id: str, b: int, e: int) -> str:
        return f"{self.base}res/doc/{doc_id}/text/{b}-{e}"

    def graph(self, doc_id: str) -> str:
        return f"{self.base}graph/doc/{doc_id}"

    def reference_graph(self) -> str:
        return f"{self.base}graph/reference"
