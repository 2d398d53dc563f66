"""Lists of names: a plural title over them, an organisation after the last one or before a colon."""

from __future__ import annotations

import re
from functools import lru_cache

from kg.extract.membership import Context, Membership, membership
from kg.extract.roles import is_organ_genitive, role_head
from kg.extract.text import LOWER, UPPER, NameCandidate


def shared_orgs(text: str, accepted: list[NameCandidate], own: list[list[Membership]]) -> list[Membership]:
    """'Jonas Danielsson, Thomas Holmlund och Peter Linnskog, Trafikverket': the organisation after the
    last of a list of names belongs to every name of the list."""
    out: list[Membership] = []
    run: list[int] = []
    for i, c in enumerate(accepted):
        if run and not LIST_NAME_GAP.fullmatch(text[accepted[run[-1]].end : c.begin]):
            run = []
        orgs_only = [m for m in own[i] if m.title is None and m.org is not None]
        if own[i] and orgs_only and len(run) >= 1 and re.match(r",\s*[A-ZÅÄÖ]", text[c.end : c.end + 3]):
            for j in run:
                m = orgs_only[0]
                out.append(membership(accepted[j].name, None, m.org, m.begin, m.end, False, None))
            run = []
        elif own[i]:
            run = []
        else:
            run.append(i)
    return out


_PLURAL_ENDINGS = ("erna", "arna", "orna", "rna", "na", "er", "ar", "or", "en", "s")


@lru_cache(maxsize=65536)
def singular_role(word: str) -> str | None:
    """The role title a plural form names: 'styrelseledamöter' -> 'styrelseledamot', 'forskarna' -> 'forskare'."""
    w = word.lower().replace("ledamöt", "ledamot")
    for ending in _PLURAL_ENDINGS:
        if w.endswith(ending) and len(w) > len(ending) + 3:
            stem = w[: -len(ending)]
            for form in (stem, stem + "e", stem + "a"):  # "stjärnorna" -> "stjärna"
                head = role_head(form)
                if head and head == form:
                    return head
    return None


LIST_NAME_GAP = re.compile(r"\*?\s*(?:\([^)]{1,4}\))?\s*(?:,\s*|\s+och\s+|\s+samt\s+)")  # "A*, B och C"


_LIST_ODD_NAME = re.compile(rf"[{UPPER}][\w{LOWER}.-]*(?:\s[{UPPER}][\w{LOWER}.-]*){{1,3}}(?=,|\s+och\s|\s+samt\s)")


def _plural_title(word: str) -> str | None:
    """The singular title a plural (or genitive plural) word names: 'styrelseledamöter' -> 'styrelseledamot'."""
    if word.endswith(("ares", "andes")):
        word = word[:-1]  # "Dessa forskares ansökningar": the genitive plural
    same = word.endswith(("are", "ande", "ende")) and role_head(word) == word.lower()  # "forskare"
    if same:
        return word.lower()
    if role_head(word) == word.lower():
        return None  # a singular title is handled where it stands before a name
    return singular_role(word)


def _listed(text: str, first: NameCandidate, starts: dict[int, NameCandidate], skip: int = 0) -> list[NameCandidate]:
    """The names of a list that starts with `first` ('A, B och C'), passing over up to `skip` items in a
    row that look like names the name rules did not accept."""
    names, pos = [first], first.end
    while True:
        g = LIST_NAME_GAP.match(text, pos)
        for _ in range(skip):
            if not g or g.end() in starts:
                break
            odd = _LIST_ODD_NAME.match(text, g.end())
            g = LIST_NAME_GAP.match(text, odd.end()) if odd else None
        if not g or g.end() not in starts:
            return names
        names.append(starts[g.end()])
        pos = names[-1].end


def plural_roles(ctx: Context, accepted: list[NameCandidate]) -> list[Membership]:
    """'Nya styrelseledamöter är A, B och C', 'de två riksdagsledamöterna från Gotland, A (C) och B (S)',
    'Dessa forskares ansökningar valdes ut: A, B, …': a plural title, then a list of names.

    Looked for backwards from each name (a few names per text), not forwards from every word."""
    text = ctx.text
    starts = {c.begin: c for c in accepted}
    out = []
    consumed: set[int] = set()
    for first in accepted:
        if first.begin in consumed:
            continue
        s_begin, _ = ctx.sentence_bounds(first.begin)
        lo = max(s_begin, first.begin - 80)
        window = text[lo : first.begin]
        if not window.strip():  # "…valdes ut:" on the line before the list
            prev_end = text.rfind("\n", 0, first.begin)
            prev = text[:prev_end].rstrip()
            if not prev.endswith(":"):
                continue
            lo = max(text.rfind("\n", 0, len(prev)) + 1, len(prev) - 100)
            window = text[lo : len(prev)]
            colon_list = True
        else:
            colon_list = False
        words = list(re.finditer(r"(?<![\w-])([a-zåäö][\wåäö-]{3,}|(?<=: )[A-ZÅÄÖ][a-zåäö-]{3,})(?![\w-])", window))
        if lo == s_begin and (initial := re.match(r"([A-ZÅÄÖ][a-zåäö-]{3,})(?![\w-])", window)):
            words.insert(0, initial)  # "Styrelseledamöter valda sedan tidigare är A, B och C"
        for m in reversed(words):
            title = _plural_title(m.group(1))
            if not title or window[m.start() - 1 : m.start()] == "(":
                continue  # (not "Evalena Öman (sekreterare), Peter Persson": one person's title in brackets)
            gap = window[m.end() :]
            if not colon_list and (len(gap) > 60 or re.search(r"[.;]", gap)):
                break
            names = _listed(text, first, starts, skip=2)  # "…, Göran K Hansson, MaiLis Hellenius, …"
            if len(names) < 2 and not (colon_list or re.search(r"(?:är|blir|:)\s*$", gap)):
                break
            for c in names:
                consumed.add(c.begin)
                out.append(membership(c.name, title, None, lo + m.start(), lo + m.end(), False, None))
            break
    return out


_ELECTED_AFTER = re.compile(
    r"(?:\s+(?:är\s+)?(?:nyvalda|omvalda|invalda|valda|nyvald|omvald|invald|vald)"
    r"|\s+(?:valdes|omvaldes|nyvaldes|invaldes|utsågs)(?:\s+(?:också|även|in))?)?"
    r"(?:\s+(?:på|för)\s+(?:ett|två|tre|fyra|\d)\s+år)?"
    r"\s+(?:till|som)\s+(?:nya\s+)?(?P<t>[a-zåäö][\wåäö-]+)(?P<board>\s+i\s+styrelsen)?"
)


def elected_lists(ctx: Context, accepted: list[NameCandidate]) -> list[Membership]:
    """'Årsmötet valde A och B som ledamöter i styrelsen', 'A och B är nyvalda till styrelsen': the names
    before an election's plural title (or the board) hold it, in the body the text is about."""
    text = ctx.text
    if "vald" not in text and "valde" not in text and "styrelse" not in text:
        return []
    starts = {c.begin: c for c in accepted}
    out: list[Membership] = []
    consumed: set[int] = set()
    for first in accepted:
        if first.begin in consumed:
            continue
        board = _BOARD_BEFORE.search(text, max(0, first.begin - 60), first.begin)
        if board:  # "Till ny styrelse valdes A (ordförande), B (sekreterare), C och D"
            names = _board_listed(text, first, starts)
            consumed.update(c.begin for c in names)
            for c in names:
                own = _BRACKET_AFTER.match(text, c.end)
                if not own or not (own.group(1) == "(" or role_head(own.group(2))):  # (a name with its own title)
                    out.append(
                        Membership(c.name, "styrelseledamot", None, board.start(), board.end(), default_org=True)
                    )
            continue
        names = _listed(text, first, starts)
        consumed.update(c.begin for c in names)
        m = _ELECTED_AFTER.match(text, names[-1].end)
        if m is None:
            continue
        word = m.group("t")
        title = "styrelseledamot" if word == "styrelsen" else _plural_title(word)
        elected = m.group(0).split()[0] not in {"till", "som", "på", "för"}
        if title is None or (word != "styrelsen" and len(names) < 2) or not (elected or m.group("board")):
            continue
        for c in names:
            out.append(Membership(c.name, title, None, m.start("t"), m.end("t"), default_org=True))
    return out


_BOARD_BEFORE = re.compile(
    r"(?:[Tt]ill\s+(?:ny|nya|den\s+nya)\s+styrelse(?:n)?\s+(?:valdes|omvaldes|utsågs)"
    r"|(?:[Nn]ya\s+)?[Ss]tyrelsen\s+består\s+(?:därmed\s+|då\s+|nu\s+)?av)\s*:?\s*(?:\n\s*(?:[•*-]\s*)?)?$"
)
_BRACKET_AFTER = re.compile(r"\s*(?:(\()\s*[a-zåäö]|,\s*([a-zåäöA-ZÅÄÖ][a-zåäö]+))")
_BOARD_GAP = re.compile(
    r"\s*(?:\([^()\n]{1,40}\))?(?:,\s*[A-ZÅÄÖa-zåäö][a-zåäö]+(?=\s*\n))?"
    r"\s*(?:,\s*|\s+och\s+|\s+samt\s+|\s*\n\s*(?:[•*-]\s*)?)"
)


def _board_listed(text: str, first: NameCandidate, starts: dict[int, NameCandidate]) -> list[NameCandidate]:
    """The names of a board's list: 'A (ordförande), B, C och D' or one per line ('• A, Ordförande')."""
    names, pos = [first], first.end
    while (g := _BOARD_GAP.match(text, pos)) is not None and g.end() in starts:
        names.append(starts[g.end()])
        pos = names[-1].end
    return names


_FROM_ORG_COLON = re.compile(r"\b[Ff]rån\s+$")


def listed_from(ctx: Context, accepted: list[NameCandidate]) -> list[Membership]:
    """'Från Länsstyrelsen i Västra Götalands län är det följande personer som kommer att vara på plats:
    A, B, C och D': every name of a list after a colon belongs to the one organisation named 'från' before it."""
    text = ctx.text
    if ":" not in text:
        return []
    starts = {c.begin: c for c in accepted}
    out: list[Membership] = []
    for first in accepted:
        colon = text.rfind(":", max(0, first.begin - 3), first.begin)
        if colon < 0:
            continue
        s_begin, _ = ctx.sentence_bounds(colon)
        before = [o for o in ctx.orgs if s_begin <= o.begin and o.end <= colon]
        if len({o.ref.key for o in before}) != 1 or not _FROM_ORG_COLON.search(
            text[max(0, before[0].begin - 8) : before[0].begin]
        ):
            continue
        names = _listed(text, first, starts)
        if len(names) >= 2:
            o = before[0]
            out += [membership(c.name, None, o.ref, o.begin, o.end, False, None) for c in names]
    return out


# "regionstyrelsens arbetsutskott Mats Eriksson, Stefan Bengtsson, …": members of a committee of the home body
_ORGAN_BEFORE = re.compile(r"(?<![\w-])(?P<organ>[a-zåäö]+s)\s+(?:arbetsutskott|presidium|ledamöter)\s+$")


def organ_lists(ctx: Context, accepted: list[NameCandidate]) -> list[Membership]:
    """A committee named by an organ genitive right before a list of names: every name is a member of
    the municipality or region the committee belongs to."""
    text = ctx.text
    starts = {c.begin: c for c in accepted}
    out: list[Membership] = []
    for first in accepted:
        m = _ORGAN_BEFORE.search(text, max(0, first.begin - 60), first.begin)
        if not m or not is_organ_genitive(m.group("organ")):
            continue
        names = _listed(text, first, starts)
        for c in names if len(names) >= 2 else ():
            out.append(Membership(c.name, None, None, m.start(), m.end(), default_org=True, role_scope="organ"))
    return out
