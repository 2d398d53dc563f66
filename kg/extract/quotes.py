"""Direct speech and who said it: dash and quotation-mark quotes, name lines, 'fortsätter han'."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kg.extract.text import DASH, DASHES, Segment, paragraphs
from kg.gazetteer import load


@dataclass
class Quote:
    text: str
    begin: int
    end: int
    speaker: str | None  # full person name
    spans: list[tuple[int, int]] = field(default_factory=list)
    attribution: tuple[int, int] | None = None


def _verbs() -> str:
    verbs = sorted(load().lexicon["speech_verbs"] + ["enligt"], key=len, reverse=True)
    return "|".join(map(re.escape, verbs))


def _capitalised_verbs() -> str:
    return "|".join(re.escape(v.capitalize()) for v in sorted(load().lexicon["speech_verbs"], key=len, reverse=True))


_ATTR_RE: re.Pattern | None = None
_INLINE_RE: re.Pattern | None = None


def _attr_re() -> re.Pattern:
    global _ATTR_RE, _INLINE_RE
    if _ATTR_RE is None:
        v = _verbs()
        # ", säger X" / "? säger X" / ". Fortsätter han" / "”, sa X"
        cap = _capitalised_verbs()  # "… i Landskrona! Säger Marija Filipovic"
        _ATTR_RE = re.compile(
            rf"(?:(?P<punct>[,.!?…])[”\"»“]?|[”\"»“])\s+(?P<verb>{v}|(?<=[!?]\s){cap})(?:\s+(?:också|även|vidare|då))?"
            rf"\s+(?P<who>[^.!?\n]*?)(?=[.!?:\n]|$|,\s*[a-zåäö]+\s)"
        )
        _INLINE_RE = re.compile(
            rf"[”\"«“„](?P<q>[^”\"»“\n]{{15,}}?)[,.!?]?[”\"»“],?\s+(?P<verb>{v})\s+(?P<who>[^.!?\n]*)"
        )
    return _ATTR_RE


def _also_saying(who_begin: int, who_end: int, speaker: str, occurrences) -> list[str]:
    """The other people the attribution names ('säger A (S) och kommunalrådet B (M)')."""
    return list(dict.fromkeys(n for b, _e, n in occurrences if who_begin <= b < who_end and n != speaker))


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(b <= pos < e for b, e in spans)


def _speaker_in(
    who_begin: int,
    who_end: int,
    occurrences: list[tuple[int, int, str]],
    people: dict,
    last: str | None,
    text: str,
    quote_spans: list[tuple[int, int]] = (),
) -> str | None:
    for b, _e, name in occurrences:
        if who_begin <= b < who_end:
            return name
    who = text[who_begin:who_end].strip()
    first = who.split()[0] if who else ""
    if first.lower() in load().lexicon["pronouns"]:
        # the person named last before the quote ('Jourens ordförande Sara Mäki …  – …, berättar hon')
        before = [(b, n) for b, _e, n in occurrences if b < who_begin and not _inside(b, quote_spans)]
        return max(before)[1] if before else last
    # a first name alone ("sa Lars") points back to the person with that given name
    matches = [n for n, p in people.items() if p.given == first or p.given.split("-")[0] == first]
    if matches:
        before = [(b, n) for b, _e, n in occurrences if n in matches and b < who_begin]
        return max(before)[1] if before else matches[0]
    return None


def find_quotes(text: str, occurrences: list[tuple[int, int, str]], people: dict) -> list[Quote]:
    """Every direct quote, its span and its speaker (None when no one can be named)."""
    attr = _attr_re()
    paras = _split_run_on(paragraphs(text))
    quotes: list[Quote] = []
    last_speaker: str | None = None
    last_quote_para = -10
    intro_speaker: str | None = None
    in_box = False
    pending: list[tuple[int, int]] = []  # unattributed dash paragraphs still without a speaker
    for i, para in enumerate(paras):
        s = para.text
        if s.lower().rstrip(":") in load().lexicon["quote_box_headers"]:
            in_box = True
            continue
        if in_box:
            q = _box_quote(paras, i, occurrences)
            if q:
                quotes.append(q)
            continue
        dash = re.match(rf"{DASH}\s*", s) if s[:1] in DASHES else None
        opening = s[:1] in '”"«“„'
        if dash or opening:
            start = para.begin + (dash.end() if dash else 1)
            body = text[start : para.end]
            # the first attribution that names someone ("…, 30 år senare, fortsätter identifiering …, säger X")
            for m in attr.finditer(body):
                if len(body[: m.start()].split()) < 3:
                    continue
                punct = m.group("punct") or ""
                q_end = start + m.start() + (1 if punct and punct in "!?" else 0)
                who_b, who_e = start + m.start("who"), start + m.end("who")
                speaker = _speaker_in(
                    who_b,
                    who_e,
                    occurrences,
                    people,
                    last_speaker,
                    text,
                    [(q.begin, q.end) for q in quotes] + [(start, q_end)],
                )
                if speaker:
                    break
            else:
                speaker = None
            if speaker:
                for pb, pe in pending:  # '– … \n\n – …, säger X': the quote ran over paragraphs
                    quotes.append(_quote(text, pb, pe, speaker, None))
                pending = []
                quotes.append(_quote(text, start, q_end, speaker, (start + m.start("verb"), who_e)))
                for other in _also_saying(who_b, who_e, speaker, occurrences):  # "säger A och B"
                    quotes.append(_quote(text, start, q_end, other, (start + m.start("verb"), who_e)))
                last_speaker, last_quote_para = speaker, i
                rest_b = start + m.end("who")
                more = re.match(r"[.!?]\s+(?=\S)", text[rest_b : para.end])
                if more:
                    _continuation(text, rest_b + more.end(), para.end, speaker, quotes)
                continue
            signed = _signature(paras[i + 1], occurrences) if i + 1 < len(paras) else None
            if (
                signed
                and len(body.split()) >= 6
                and _signature(para, occurrences) is None  # (not a list of "- Name, title" lines)
                and re.search(r"[.!?”\"»][.”\"»]?\s*$", body)
            ):  # '”Jag vill tacka Peter …”.' then '-Alexander Ytterberg, Sportchef'
                for pb, pe in pending:
                    quotes.append(_quote(text, pb, pe, signed, None))
                pending = []
                end = para.end - (1 if text[para.end - 1] == "." else 0)
                quotes.append(_quote(text, start, end, signed, (paras[i + 1].begin, paras[i + 1].end)))
                last_speaker, last_quote_para = signed, i
                continue
            if dash and len(body.split()) >= 6:
                prev = paras[i - 1] if i > 0 else None
                introduced = None
                if prev is not None and i - 1 != last_quote_para and prev.text[:1] not in DASHES + '”"«“„':
                    names = [n for b, _e, n in occurrences if prev.begin <= b < prev.end]
                    introduced = names[0] if names else None  # "Stadens strateg Karin Lundberg tog emot priset."
                speaker = intro_speaker or introduced or (last_speaker if i - last_quote_para <= 3 else None)
                nxt = paras[i + 1].text if i + 1 < len(paras) else ""
                if not intro_speaker and nxt[:1] not in DASHES + '”"«“„' and attr.search(nxt):
                    speaker = None  # '– … \n\nDärför …, säger X.': the next paragraph goes on and names the speaker
                if speaker:
                    quotes.append(_quote(text, start, para.end, speaker, None))
                    last_speaker, last_quote_para = speaker, i
                else:
                    pending.append((start, para.end))
                continue
        tail = attr.search(s) if pending else None
        if tail:  # '– …\n\nDärför …, säger X.': a quote that ran into a paragraph without its dash
            speaker = _speaker_in(
                para.begin + tail.start("who"), para.begin + tail.end("who"), occurrences, people, last_speaker, text
            )
            if speaker:
                for pb, pe in pending:
                    quotes.append(_quote(text, pb, pe, speaker, None))
                last_speaker, last_quote_para = speaker, i
        pending = []
        intro_speaker = _intro(para, occurrences, people, last_speaker, text)
        for m in _INLINE_RE.finditer(s) if _INLINE_RE else []:
            b = para.begin + m.start("q")
            who_b, who_e = para.begin + m.start("who"), para.begin + m.end("who")
            speaker = _speaker_in(who_b, who_e, occurrences, people, last_speaker, text)
            if speaker:
                quotes.append(_quote(text, b, b + len(m.group("q")), speaker, (para.begin + m.start("verb"), who_e)))
                last_speaker, last_quote_para = speaker, i
    return _dedupe(quotes)


def _split_run_on(paras: list[Segment]) -> list[Segment]:
    """'… i år. – Vi är glada, säger X.': a dash quote that starts inside a paragraph starts a new one."""
    out = []
    attr = _attr_re()
    for p in paras:
        start = 0
        for m in re.finditer(r"(?<=[.!?”])(?:\s+(?=[–—]\s+[A-ZÅÄÖ”])|(?=-\s[A-ZÅÄÖ])|\s+(?=-\s+[A-ZÅÄÖ]))", p.text):
            if m.group(0) and p.text[m.end()] == "-" and not attr.search(p.text, m.end()):
                continue  # "… besöket. - Det här är …, säger X": a hyphen starts a quote only with its speaker
            out.append(Segment(p.begin + start, p.begin + m.start(), p.text[start : m.start()]))
            start = m.end()
        out.append(Segment(p.begin + start, p.end, p.text[start:]))
    return out


def _signature(para: Segment, occurrences) -> str | None:
    """A line that only signs the quote above it: '-Alexander Ytterberg, Sportchef', '– Anna Berg'."""
    lead = re.match(rf"{DASH}?\s*", para.text)
    b = para.begin + lead.end()
    names = [(e, n) for nb, e, n in occurrences if nb == b]
    if not names:
        return None
    e, name = names[0]
    rest = para.text[e - para.begin :]
    return name if re.fullmatch(r"(?:,\s*[^,.!?\n]{1,60}){0,2}\.?\s*", rest) else None


def _quote(text: str, b: int, e: int, speaker: str, attribution) -> Quote:
    chunk = text[b:e]
    stripped = chunk.rstrip(' ,”"»“')
    lead = len(chunk) - len(chunk.lstrip(' ”"«“„'))
    b, e = b + lead, b + len(stripped)
    return Quote(text[b:e], b, e, speaker, [(b, e)], attribution)


def _continuation(text: str, b: int, end: int, speaker: str, quotes: list[Quote]) -> None:
    """'… säger t f landshövding Kurt Ekelund. Det här projektet …, fortsätter han.'"""
    body = text[b:end]
    m = _attr_re().search(body)
    if not m:
        return
    e = b + m.start()
    if len(text[b:e].split()) >= 4:
        quotes.append(_quote(text, b, e, speaker, None))


def _intro(para: Segment, occurrences, people, last, text) -> str | None:
    """'Kommunalrådet Lars Persson (FP) kommenterar:' introduces the quote that follows."""
    if not para.text.endswith(":"):
        return None
    intro_verbs = load().lexicon["speech_intro_verbs"]
    if not any(re.search(rf"\b{v}\b", para.text) for v in intro_verbs):
        return None
    names = [n for b, _e, n in occurrences if para.begin <= b < para.end]
    return names[0] if names else None


def _box_quote(paras: list[Segment], i: int, occurrences) -> Quote | None:
    """In a 'Citat' box a quote paragraph is followed by a 'Name, title' line."""
    if i + 1 >= len(paras):
        return None
    para, nxt = paras[i], paras[i + 1]
    names = [(b, n) for b, _e, n in occurrences if b == nxt.begin]
    starts_name = [n for b, _e, n in occurrences if b == para.begin]
    if not names or starts_name or len(para.text.split()) < 5:
        return None
    e = para.end - (1 if para.text.endswith(".") else 0)
    return Quote(para.text[: e - para.begin], para.begin, e, names[0][1], [(para.begin, e)], (nxt.begin, nxt.end))


def _key(text: str) -> str:
    return re.sub(r"\W+", " ", text).strip().lower()


def _dedupe(quotes: list[Quote]) -> list[Quote]:
    """A quote repeated verbatim (a page's 'Citat' box) is one quote with several spans."""
    out: dict[str, Quote] = {}
    for q in quotes:
        k = _key(q.text)
        if k in out and out[k].speaker != q.speaker and out[k].begin == q.begin:
            k += "\x00" + (q.speaker or "")  # one quote, two speakers ("säger A och B")
        if k in out:
            out[k].spans.append((q.begin, q.end))
        else:
            out[k] = q
    return sorted(out.values(), key=lambda q: q.begin)
