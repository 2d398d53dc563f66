"""Contact blocks and headings: a name alone on its line with its title and organisation on the
next lines, "Pressansvarig:" header lines, a person named in a heading."""

from __future__ import annotations

import re

from kg.extract.around_names import genitive_country_before, genitive_org_before, looks_like_person
from kg.extract.contacts import EMAIL, PHONE
from kg.extract.membership import Context, Membership, membership
from kg.extract.orgs import OrgMention, new_org
from kg.extract.roles import is_modifier, parse_title, role_head
from kg.extract.text import CAP, LOWER, UPPER, NameCandidate
from kg.gazetteer import load

_LINE_LABEL = re.compile(
    r"^(?:press\s*kontakt(?:er)?|kontakt(?:person)?(?:er)?|press(?:jour)?|titel|befattning|roll)\b[:\s]*", re.IGNORECASE
)


_OTHER_LABEL = re.compile(r"[^:]{1,30}:\s*[A-ZÅÄÖ]")
_PARTY_TAIL = re.compile(r"(?:\([A-ZÅÄÖ][A-Za-zåäö]{0,2}\))?")
_ORG_LINE = re.compile(rf"[{UPPER}][\w&-]*(?:\s(?:och\s|&\s)?[{UPPER}\d][\w&-]*){{0,4}}")


_LINE_NOISE = re.compile(r"\b(?:tfn|tel|telefon|mobil|mob|e-post|epost|mail|mejl|direkt|växel)\b\.?:?", re.IGNORECASE)


def block_roles(ctx: Context, accepted: list[NameCandidate]) -> list[Membership]:
    """A contact block: a name alone on its line, then its title and organisation on the next lines
    ('Presskontakt Kommunikationschef Länsstyrelsen Dalarna 010-22 50 204')."""
    text = ctx.text
    out = []
    for c in accepted:
        line_start = text.rfind("\n", 0, c.begin) + 1
        line_end = text.find("\n", c.end)
        rest = text[c.end : line_end].strip() if line_end >= 0 else ""
        if line_end < 0 or text[line_start : c.begin].strip() or not _PARTY_TAIL.fullmatch(rest):
            continue  # a name alone on its line, or with its party: "Jeanette Wäppling (V)"
        title, org, pos = None, None, line_end + 1
        for _ in range(3):
            nxt_end = text.find("\n", pos)
            nxt_end = len(text) if nxt_end < 0 else nxt_end
            raw = text[pos:nxt_end]
            line = raw.strip()
            if not line:
                pos = nxt_end + 1
                continue
            if looks_like_person(line) or (_OTHER_LABEL.match(line) and not _LINE_LABEL.match(line)):
                break  # the next name of the block, or a line for someone else ("Moderator: Mathias Helge")
            label = _LINE_LABEL.match(line)
            body = line[label.end() :] if label else line
            had_contact = bool(PHONE.search(body) or EMAIL.search(body))
            body = _LINE_NOISE.sub(" ", EMAIL.sub(" ", PHONE.sub(" ", body)))
            body = re.sub(r"\s*[,;|]\s*", ", ", re.sub(r"\s+", " ", body)).strip(" ,.:")
            body_start = pos + raw.find(line) + (label.end() if label else 0)
            line_orgs = [o for o in ctx.orgs if pos <= o.begin < nxt_end]
            if line_orgs and not org:
                org = line_orgs[0].ref
            first = body.split(", ")[0] if body else ""
            if line_orgs and first:
                cut = text[body_start : line_orgs[0].begin].strip(" ,")
                first = cut or first  # "Kommunikationschef Länsstyrelsen Dalarna …": the title before the name
            parsed = parse_title(first.rstrip(",.")) if first and len(first.split()) <= 6 else None
            before_slash = first.split("/")[0].split()  # "Pressekreterare/projektledare", "Enhetschef/Kulturcentrum"
            if not parsed and "/" in first and before_slash and role_head(before_slash[-1]):
                parsed = parse_title(" ".join(before_slash))
            if parsed and not title:
                title = parsed[0]
            elif not line_orgs and not parsed and title and not org and _ORG_LINE.fullmatch(body):
                org = new_org(body)  # "Catarina Berg / Informationschef / Skellefteå Kraft": a body no list knows
                if body == line:
                    ob = pos + raw.find(line)
                    ctx.new_orgs.append(OrgMention(ob, ob + len(line), org))
            elif not line_orgs and not parsed:
                break
            pos = nxt_end + 1
            if had_contact:
                break
        if title or org:
            out.append(membership(c.name, title, org, c.begin, c.end, False, None))
    return out


def header_roles(text: str, accepted: list[NameCandidate]) -> list[Membership]:
    """'Pressansvarig:' on its own line titles the person on the next line."""
    out = []
    for m in re.finditer(rf"^([{UPPER}][{LOWER}]+):\s*\n+\s*({CAP}(?:[ -]{CAP})+)", text, re.MULTILINE):
        title = role_head(m.group(1))
        if not title:
            continue
        for c in accepted:
            if c.begin == m.start(2):
                out.append(membership(c.name, title, None, m.start(1), c.end, False, None))
    return out


_STATE_VERB = re.compile(r"\s+(?:är|var|har|hade|blev|blir|tillträdde|tillträder|kommer|föddes|började)\b")


def heading_person_roles(ctx: Context, accepted: list[NameCandidate]) -> list[Membership]:
    """A name on a heading line ('Mr. Sultan Alkaitoob, Förenade Arabemiraten'), then a paragraph that
    opens with a title and no name ('Förenade Arabemiratens nyutnämnde ambassadör är född …')."""
    text = ctx.text
    out = []
    honorifics = {h for h in load().lexicon["honorifics"]}
    for c in accepted:
        line_start = text.rfind("\n", 0, c.begin) + 1
        line_end = text.find("\n", c.end)
        if line_end < 0:
            continue
        lead = text[line_start : c.begin].split()
        tail = text[c.end : line_end]
        if any(w.lower().rstrip(".") not in honorifics for w in lead) or not re.fullmatch(
            r"(?:,\s*[^,.]{1,60})?", tail
        ):
            continue
        nxt = re.search(r"\S", text[line_end:])
        if not nxt:
            continue
        p_begin = line_end + nxt.start()
        p_end = text.find("\n", p_begin)
        p_end = len(text) if p_end < 0 else p_end
        words = list(re.finditer(r"[\w:.-]+", text[p_begin : min(p_end, p_begin + 160)]))[:8]
        for i, w in enumerate(words):
            head = role_head(w.group(0))
            if not head:
                continue
            after = re.sub(r"^,[^,.]{1,40},", "", text[p_begin + w.end() : p_end])  # ", med säte i London,"
            if not _STATE_VERB.match(after):
                break
            first = i
            while first > 0 and is_modifier(words[first - 1].group(0)):
                first -= 1
            title = " ".join([*(x.group(0).lower() for x in words[first:i]), head])
            start = p_begin + words[first].start()
            org = genitive_country_before(text, start) or genitive_org_before(ctx, start)
            out.append(membership(c.name, title, org, p_begin, p_begin + w.end(), False, None))
            break
    return out
