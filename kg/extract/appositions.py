"""What follows a name: 'Anna Berg, kommunstrateg demokrati, Luleå kommun, tfn …' — titles and
organisations in an apposition, up to a contact number or the next person."""

from __future__ import annotations

import re
from functools import cache

from kg.extract.around_names import county_org, genitive_country_before, looks_like_person, sentence_case
from kg.extract.contacts import EMAIL, PHONE
from kg.extract.membership import Context, Membership, membership, org_at, title_scope
from kg.extract.orgs import OrgMention, new_org
from kg.extract.roles import parse_title, role_head
from kg.extract.text import LOWER, UPPER, NameCandidate
from kg.gazetteer import OrgRef, load, party_ref, word_set

_PREP = re.compile(r"\s(i|på|för|vid|hos|inom|åt)\s")
_COMMA = re.compile(r",\s*")
_CAPITAL_TAIL = re.compile(
    rf"(?P<t>(?:[{UPPER}]?[{LOWER}][\w{LOWER}/-]*|VD|vd)(?:\s[{LOWER}][\w{LOWER}/-]*)*)"
    rf"\s(?P<o>[{UPPER}][\w{LOWER}&-]*(?:\s[{UPPER}][\w{LOWER}&-]*){{0,3}}(?:\s(?:och|&)\s[\w{LOWER}]+)?)"
)


@cache
def _kind_then_name_re() -> re.Pattern[str]:
    kinds = "|".join(map(re.escape, word_set("body_kinds_before_name")))
    name = rf"[{UPPER}][\w&-]*(?:\s(?:[{UPPER}][\w&-]*|for|of|and|och|ska|i|på))*(?<=[\w])"
    return re.compile(rf"(?:{kinds})\s+(?P<n>{name})")


def _kind_then_name(comp: str) -> str | None:
    """The capitalised name after a kind of body ('tankesmedjan Bruegel'), when it ends where the chunk does."""
    m = _kind_then_name_re().match(comp)
    if not m or re.search(r"\s(?:for|of|and|och|ska|i|på)$", m.group("n")) or comp[m.end() :].strip(" .,;"):
        return None
    return m.group("n")


_LOWER_BODY = re.compile(
    r"(?:kommissionen|kommittén|delegationen|utredningen|beredningen|rådet|nämnden|myndigheten|institutet|centret)"
    r"\s+(?:för|om|mot)\s+[a-zåäö]+(?:,?\s+(?:och\s+)?(?!(?:i|på|vid|hos|inom|med|som|från|till)\b)[a-zåäö]+){0,5}"
    r"(?![\w-])"
)
_STATE_FIRST = re.compile(rf"[{UPPER}][\w{LOWER}-]+s\s")  # "Storbritanniens minister för …"
_UNKNOWN_BODY = re.compile(rf"[{UPPER}][\w{LOWER}&-]*(?: (?:[{UPPER}][\w{LOWER}&-]*|&|och|AB)){{0,3}}")


def _ends_clause(text: str, pos: int) -> bool:
    return re.match(r"\s*(?:[.;\n]|$|,\s*(?:tfn|tel|telefon|mobil|e-post|\d|\+))", text[pos : pos + 12]) is not None


_TOWN_TAIL = re.compile(rf",\s*(?P<t>[{UPPER}][\w{LOWER}-]+)")


def _town_ends(ctx: Context, pos: int) -> bool:
    """'Edim Hrustic, Transdev, Norrköping': a town and the clause's end after the chunk."""
    m = _TOWN_TAIL.match(ctx.text, pos)
    return m is not None and bool(ctx.towns.get(m.group("t"))) and _ends_clause(ctx.text, m.end())


_CHUNK_SPLIT = re.compile(
    r"(?<!-),\s*|(?<!-)\s+och\s+(?=(?:[\w-]+\s){0,3}?[\w-]*(?:ordförande|chef|ansvarig|direktör|strateg))"
)


def apposition(ctx: Context, c: NameCandidate, pos: int, limit: int, party, have_role: bool) -> list[Membership]:
    """'Anna Berg, kommunstrateg demokrati, Luleå kommun, tfn …': titles and organisations after a name."""
    text = ctx.text
    rest = text[pos:limit]
    if rest.startswith(" som är "):  # "säger Anna Berg som är ordförande i …"
        rest = "," + rest[len(" som är") :]
        pos += len(" som är") - 1
    stop = re.match(r"\. (?=[A-ZÅÄÖ][a-zåäö]+(?: [a-zåäö]+)?,)", rest)
    if stop and parse_title(rest[2:].split(",", 1)[0]) and role_head(rest[2:].split(",", 1)[0].split()[-1]):
        rest = "," + rest[stop.end() :]  # "1. Jan Berg. Smittskyddsläkare, lämnar lägesrapport": a list item
        pos += stop.end() - 1
    dash = re.match(r" [–-] (?=[a-zåäö])", rest)
    if dash:  # "Lena Rådström-Baastad – partisekreterare (S)"
        rest = "," + rest[dash.end() :]
        pos += dash.end() - 1
    if not rest.startswith(","):
        words = re.match(r" ((?:[\wåäö:-]+ ?){1,4})", rest)
        ws = words.group(1).split() if words else []
        if not ws or not (ws[0][0].islower() or ws[0][0].isdigit() or role_head(ws[0])):
            return []  # (a capitalised title: "kontakta: Jörgen Boman Pressinformatör Umeå kommun")
        if not any(parse_title(" ".join(ws[:n])) for n in range(1, len(ws) + 1)):
            return []
        rest = "," + rest  # "säger Tomas Riste ordförande i regionstyrelsen": an apposition without its comma
        pos -= 1
    out: list[Membership] = []
    titles: list[tuple[str, bool, int, int]] = []
    org: OrgRef | None = None
    unit = False
    cursor = pos + 1
    stop_after = False
    for piece in _CHUNK_SPLIT.split(rest[1:]):
        if stop_after:
            break
        b = text.find(piece, cursor)
        cursor = b + len(piece)
        chunk = piece.strip()
        if chunk and not PHONE.sub("", EMAIL.sub("", chunk)).strip(" .,:;") and len(titles) + bool(org) == 0:
            continue  # "Brita Wessinger, 073-073 49 48, Ordförande i …": the number before the title
        contact = PHONE.search(chunk) or EMAIL.search(chunk)
        if contact:  # "kommunikationsstrateg Upplands Väsby Kommun 073-910 47 67": what comes before the number
            chunk = re.sub(
                r"\s*(?:tfn|tel|telefon|mobil|e-post|epost|mail)\.?:?\s*$", "", chunk[: contact.start()].rstrip()
            )
            stop_after = True
        if not chunk:
            break
        low = chunk.lower()
        if re.match(r"(tfn|tel|telefon|mobil|e-post|epost|mail)\b", low):
            break
        chunk = re.sub(r"^(som är|som|är)\s+", "", chunk).rstrip(".")
        nominated = re.fullmatch(r"(?:nominerad|nominerade|föreslagen|föreslagna)\s+av\s+(\S+)", chunk)
        if nominated:  # "Birgit Hansson, nominerad av V": the party that nominated her, no title
            party = party or party_ref(nominated.group(1))
            continue
        party_tail = re.search(r"\s*\(([A-Za-zÅÄÖåäö]{1,3})\)$", chunk)
        if party_tail and party_ref(party_tail.group(1)):  # "rättspolitisk talesperson (L)"
            party = party or party_ref(party_tail.group(1))
            chunk = chunk[: party_tail.start()]
        elif re.search(r"\s\([A-ZÅÄÖ][\wåäö]{1,5}\)$", chunk):  # "… Akademikerförbundet SSR (Saco)"
            chunk = chunk[: chunk.rindex("(")].rstrip()
        elif (aside := re.search(r"\s\([a-zåäö][^()]*(?:\)|$)", chunk)) and not (
            looks_like_person(chunk[aside.end() :].strip()) and parse_title(chunk[: aside.start()])
        ):  # "Göteborgs universitet (ordförande, omval)" (not "utvecklaren (från X) Anna Berg": her title)
            chunk = chunk[: aside.start()].rstrip()
            stop_after = True
        if not chunk:  # "Camilla Rinaldho Miller, (KD), är föreslagen": the party alone
            continue
        if looks_like_person(chunk):
            break
        inner = next(
            (m.start() for m in re.finditer(r"(?<=\s)[A-ZÅÄÖ]", chunk) if looks_like_person(chunk[m.start() :])),
            None,
        )
        if inner is not None and re.search(r"\s(?:och|samt)\s*$", chunk[:inner]):
            chunk = re.sub(r"\s+(?:och|samt)\s*$", "", chunk[:inner])  # "regionchef på Trafikverket och Peter K"
            stop_after = True
        elif inner is not None and not re.search(r"\s(?:åt|till|för|hos|med|av)\s*$", chunk[:inner]):
            break  # "landshövding Lars Bäckström": a title that belongs to the next person
        o = org_at(ctx.orgs, b + piece.find(chunk), b + len(piece))
        if o and o.end >= b + piece.find(chunk) + len(chunk.rstrip(". ")) - 1:
            org = org or o.ref
            continue
        if o and o.genitive and re.fullmatch(r"[\wåäö]+s(?:\s+[a-zåäö-]+){1,4}", chunk):
            if role_head(chunk.split()[-1]):  # "Valnämndens ordförande": the organ's title
                titles.append((chunk.lower(), False, b, b + len(piece), o.ref))
            else:
                org = org or o.ref  # "Länsstyrelsens naturvårdsenhet": a unit of the organisation
            continue
        unit_word = re.fullmatch(  # "från enheten för social hållbarhet": a unit of the publisher
            rf"(?:från\s+)?[{LOWER}]*(?:avdelningen|enheten|kontoret|förvaltningen|sektionen|staben|kansliet)"
            rf"(?:\s+(?:för|inom)\s+[{LOWER} -]+)?",
            chunk,
        )
        if unit_word:
            unit = True
            continue
        state = _STATE_FIRST.match(chunk)
        if state and (ref := genitive_country_before(chunk, state.end())) and parse_title(chunk[state.end() :]):
            title, acting = parse_title(chunk[state.end() :])  # "Hanno Pevkur, Estlands försvarsminister"
            titles.append((title, acting, b, b + len(piece), ref))
            continue
        parsed = parse_title(chunk)
        nxt = _COMMA.match(text, b + len(piece))
        before_org = nxt is not None and (
            org_at(ctx.orgs, nxt.end(), len(text)) is not None or PHONE.match(text, nxt.end()) is not None
        )
        if not parsed and before_org and re.fullmatch(rf"[{LOWER}][{LOWER} -]*", chunk) and len(chunk.split()) <= 3:
            parsed = (chunk.lower(), False)  # "Name, överläkare, Region X": a lower-case chunk before the org
        if parsed:
            title, acting = parsed
            title_org = None
            chunk_end = b + piece.find(chunk) + len(chunk)
            inner = [o for o in ctx.orgs if b <= o.begin and o.end <= chunk_end + 1 and not o.genitive]
            tail = re.match(r"(?P<t>.+?)\s+(?P<o>\S.*)$", chunk)
            if inner and tail and inner[-1].end >= chunk_end - 1 and not _PREP.search(" " + chunk + " "):
                # "kommunikatör ROKS": the organisation written after the title without a preposition
                head = chunk[: inner[-1].begin - b - piece.find(chunk)].strip()
                if parse_title(head):
                    titles.append((parse_title(head)[0], acting, b, b + len(piece), inner[-1].ref))
                    continue
            pm = _PREP.search(" " + chunk + " ")
            named = None if pm or inner else _CAPITAL_TAIL.fullmatch(chunk)
            if (
                named
                and role_head(named.group("t").split()[-1])
                and parse_title(named.group("t"))
                and not looks_like_person(named.group("o"))
            ):
                # "informationschef Sandviken Energi, 070-…": a name written after the title
                o_begin = b + piece.find(chunk) + named.start("o")
                name = named.group("o")
                town = ctx.towns.get(name)
                if name not in ctx.foreign and (town or not role_head(name.split()[0])):
                    ref = load().orgs[town] if town else new_org(name)
                    ctx.new_orgs.append(OrgMention(o_begin, o_begin + len(name), ref))
                    titles.append((parse_title(named.group("t"))[0], acting, b, b + len(piece), ref))
                    continue
            if pm:
                comp_start = b + piece.find(chunk) + pm.end() - 1
                head_part = chunk[: pm.start()].strip()
                o2 = org_at(ctx.orgs, comp_start, b + len(piece) + 1)
                comp = chunk[pm.end() - 1 :].strip()
                town = ctx.towns.get(comp.split()[0].strip(".,;:")) if comp else None
                county = county_org(comp, title_scope(parse_title(head_part)[0] if parse_title(head_part) else title))
                if county and not o2:
                    title_org = county
                    title = parse_title(head_part)[0] if parse_title(head_part) else title
                elif o2:
                    title_org = o2.ref
                    title = parse_title(head_part)[0] if parse_title(head_part) else title
                elif town and pm.group(1) in {"i", "för"}:
                    title_org = load().orgs[town]
                    title = parse_title(head_part)[0] if parse_title(head_part) else title
                elif (name := _kind_then_name(comp)) and not looks_like_person(name):
                    # "chef för tankesmedjan Bruegel" (not "föreningen Hela Sverige ska leva": a name that runs on)
                    nb = comp_start + comp.index(name)
                    known = org_at(ctx.orgs, nb, nb + len(name))
                    ref = known.ref if known else new_org(name)
                    if not known:
                        ctx.new_orgs.append(OrgMention(nb, nb + len(name), ref))
                    title_org = ref
                    title = parse_title(head_part)[0] if parse_title(head_part) else title
                elif pm.group(1) in {"i", "för", "vid"} and (body := _LOWER_BODY.match(text, comp_start)):
                    ref = new_org(body.group(0))  # "ordförande i kommissionen för jämställdhet och …"
                    ctx.new_orgs.append(OrgMention(comp_start, comp_start + len(body.group(0)), ref))
                    title_org = ref
                    title = parse_title(head_part)[0] if parse_title(head_part) else title
                elif (
                    comp
                    and comp[0].isupper()
                    and pm.group(1) in {"i", "på", "vid", "hos", "för"}
                    and not (pm.group(1) == "för" and sentence_case(comp))
                    and comp.split()[0] not in ctx.foreign
                    and not looks_like_person(comp)
                ):
                    name = re.match(rf"[{UPPER}][\w{LOWER}-]*(?:\s[{UPPER}][\w{LOWER}-]*)*", comp).group(0)
                    ref = new_org(name)
                    ctx.new_orgs.append(OrgMention(comp_start, comp_start + len(name), ref))
                    title_org = ref
                    title = parse_title(head_part)[0] if parse_title(head_part) else title
                elif (
                    comp
                    and comp.split()[0][0].islower()
                    and re.search(
                        r"(kontoret|avdelningen|enheten|förvaltningen|sekretariatet|kansliet)$",
                        comp.split()[0],
                    )
                ):
                    title = parse_title(head_part)[0] if parse_title(head_part) else title
                    unit = True
                if title_org is None:
                    later = [o for o in ctx.orgs if comp_start < o.begin < b + len(piece) and not o.genitive]
                    if later:  # "verksamhetschef för kvinnokliniken vid Universitetssjukhuset i Linköping"
                        title_org = later[-1].ref
                        title = parse_title(head_part)[0] if parse_title(head_part) else title
            titles.append((title, acting, b, b + len(piece), title_org))
            continue
        if ctx.towns.get(chunk) or chunk in ctx.foreign or chunk.split()[0] in ctx.foreign:
            continue
        if (
            org is None
            and _UNKNOWN_BODY.fullmatch(chunk)
            and (
                _ends_clause(text, b + piece.find(chunk) + len(chunk))
                or _town_ends(ctx, b + piece.find(chunk) + len(chunk))
            )
            and not (looks_like_person(chunk) or chunk in load().countries or role_head(chunk.split()[0]))
            and not any(ctx.towns.get(part) for part in chunk.split(" och "))  # "Gävle och Borlänge"
            and not re.search(r"(?:veckan|dagen|dagarna|mässan|festivalen)$", chunk)  # an event
        ):
            o_begin = b + piece.find(chunk)  # "säger Birger Lund, Ikano.": a body no list knows
            org = new_org(chunk)
            ctx.new_orgs.append(OrgMention(o_begin, o_begin + len(chunk), org))
            continue
        break
    for title, acting, b, e, title_org in titles:
        out.append(membership(c.name, title, title_org or org, b, e, acting, party, unit))
    if not titles and (org or unit):
        out.append(membership(c.name, None, org, c.begin, c.end, False, party, unit))
    return out
