"""Contact lines: phone numbers and e-mail addresses, and the person they belong to."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass

from kg.extract.orgs import OrgMention
from kg.extract.scan import starts_within
from kg.extract.text import lines
from kg.gazetteer import OrgRef, fold_ascii


class _Guarded:
    """A regex that is only run on strings holding one of `hints` (every match holds one)."""

    def __init__(self, pattern: re.Pattern[str], hints: tuple[str, ...]) -> None:
        self.pattern, self.hints = pattern, hints

    def _may_match(self, text: str) -> bool:
        return any(h in text for h in self.hints)

    def search(self, text: str) -> re.Match[str] | None:
        return self.pattern.search(text) if self._may_match(text) else None

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return self.pattern.finditer(text) if self._may_match(text) else iter(())

    def sub(self, repl: str, text: str) -> str:
        return self.pattern.sub(repl, text) if self._may_match(text) else text

    def match(self, text: str, pos: int = 0) -> re.Match[str] | None:
        return self.pattern.match(text, pos)


_START = r"(?:(?<![\d.:,-])|(?<=[A-Za-zåäö]:))"  # not inside a number or a time; "telefon:0760 …" is fine
_PHONE = re.compile(
    rf"{_START}(?:\+46\s?\(?0?\)?\s?|0)\d{{1,4}}\s?[-–‐‑‒]\s?\d{{2,8}}"
    r"(?:[ ]\d{2,4}(?!\s?[-–‐‑‒]\s?\d)){0,3}(?![\d])"
    rf"|{_START}0\d{{1,3}}(?:[ ]\d{{2,3}}){{1,3}}[ ]\d{{2,4}}(?![\d])"
    r"|\+46[ ]?\(?0?\)?[ ]?\d{1,3}(?:[ -]\d{2,4}){2,4}(?![\d])"
    rf"|{_START}(?:0[1-9]\d{{7,8}}|\+46[1-9]\d{{7,8}})(?![\d])"  # "0730449853", "+46104508064": no separators
)
_EMAIL = re.compile(r"[\w.+-]+(?:@|\s?\[at\]\s?|\(at\))[\w-]+(?:\.[\w-]+)+", re.IGNORECASE)
PHONE = _Guarded(_PHONE, ("0", "+46"))  # every number starts with 0 or +46
EMAIL = _Guarded(_EMAIL, ("@", "[", "("))  # "@", "[at]" or "(at)"


@dataclass(frozen=True)
class Contact:
    person: str
    phone: str | None
    email: str | None
    begin: int
    end: int


def normalise_email(raw: str) -> str:
    """'anna.bjorkman[at]vasteras.se' -> 'anna.bjorkman@vasteras.se'."""
    return re.sub(r"\s?\[at\]\s?|\(at\)", "@", raw, flags=re.IGNORECASE).lower().rstrip(".")


_SERVES = re.compile(r"\b(hos|till|åt|för)\s+(\S+\s+)?$")
_SWITCHBOARD = re.compile(r"(?i)pressjour|presstjänst|växel|kundtjänst|kontaktcenter|reception|servicecenter")


_COMMA_ONLY = re.compile(r",\s*")


_HEADING_TAIL = re.compile(r"\s*(?:\([^()]{1,12}\))?\s*:?\s*")


def find_contacts(
    text: str, occurrences: list[tuple[int, int, str]], people: dict, orgs: list[OrgMention]
) -> tuple[list[Contact], dict[str, OrgRef]]:
    """Every phone and e-mail with its person; and the organisation a contact line names for a person."""
    contacts: list[Contact] = []
    line_orgs: dict[str, OrgRef] = {}
    segs = lines(text)
    heading: OrgRef | None = None  # an organisation alone on the line above a contact block's people
    current: str | None = None
    since = 99
    switchboards = [m.start() for m in _SWITCHBOARD.finditer(text)]  # no match spans two lines
    starts = [b for b, _e, _n in occurrences]
    in_order = starts == sorted(starts)  # (they are): then a line's occurrences are a slice
    for seg in segs:
        if not seg.text:
            continue  # an empty line changes nothing
        here = (
            occurrences[bisect.bisect_left(starts, seg.begin) : bisect.bisect_left(starts, seg.end)]
            if in_order
            else occurrences
        )
        on_line = [
            (b, n)
            for b, _e, n in here
            if seg.begin <= b < seg.end and not _SERVES.search(text[max(seg.begin, b - 40) : b])
        ]
        # "Pressekreterare hos försvarsminister X": X is not the contact
        if on_line:
            current, since = on_line[0][1], 0
            first = on_line[0][0]
            before = [o for o in orgs if seg.begin <= o.begin and o.end <= first]
            reachable = PHONE.search(seg.text) or EMAIL.search(seg.text)
            if before and (reachable or re.match(r"\s*(press)?kontakt", seg.text, re.IGNORECASE)):
                line_orgs.setdefault(on_line[0][1], before[-1].ref)
            elif heading is not None and reachable:
                line_orgs.setdefault(on_line[0][1], heading)  # "Förbundet X:\nAnna Berg, ordförande, 070-…"
            for b, name in on_line[1:] if reachable else ():
                # "Eskilstuna kommun, Gudrun Nyqvist, …, 070-… Länsstyrelsen, Birgitta Lundh, …": each its own
                own = [o for o in orgs if seg.begin <= o.begin <= o.end <= b and _COMMA_ONLY.fullmatch(text, o.end, b)]
                if own:
                    line_orgs.setdefault(name, own[-1].ref)
        elif seg.text.strip():
            since += 1
            named = [o for o in orgs if seg.begin <= o.begin < seg.end]
            rest = text[named[0].end : seg.end] if named and named[0].begin == seg.begin else None
            heading = named[0].ref if rest is not None and _HEADING_TAIL.fullmatch(rest) else None
        if not on_line and starts_within(switchboards, seg.begin, seg.end):
            continue
        items = [(m, "phone") for m in PHONE.finditer(seg.text)] + [(m, "email") for m in EMAIL.finditer(seg.text)]
        for m, kind in sorted(items, key=lambda x: x[0].start()):
            b, e = seg.begin + m.start(), seg.begin + m.end()
            owner = None
            if kind == "email":
                local = fold_ascii(m.group(0).split("@")[0].split("[")[0])
                owner = next((n for n, p in people.items() if fold_ascii(p.family.split()[-1]) in local), None)
            if owner is None:
                candidates = [(pb, n) for pb, n in on_line if pb < b]
                short = len(PHONE.sub("", EMAIL.sub("", seg.text)).split()) <= 5 or re.match(
                    r"\s*(tfn|tel|telefon|mobil|e-post|epost|mail|mejl|växel)\b", seg.text, re.IGNORECASE
                )
                owner = candidates[-1][1] if candidates else (current if since <= 4 and short else None)
            if owner is None:
                continue
            value = m.group(0).strip()
            if kind == "phone" and len(re.sub(r"\D", "", value)) < 7:
                continue
            contacts.append(
                Contact(
                    owner,
                    value if kind == "phone" else None,
                    normalise_email(value) if kind == "email" else None,
                    b,
                    e,
                )
            )
    return contacts, line_orgs
