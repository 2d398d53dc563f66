"""Date and time expressions in Swedish press releases: find them, resolve them, find the publication date.

Word lists live in ``kg/data/dates.json``; the regexes are generated from them.  Offsets are 0-based
character offsets into the given string (begin inclusive, end exclusive).  A mention's span starts at
its weekday when one is given ("torsdag den 2 oktober"), otherwise at the day number ("den" is left
out), and includes a time written right after the date ("2 oktober, kl. 09.30").
"""

from __future__ import annotations

import bisect
import datetime
import json
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib.resources import files
from typing import Any

__all__ = ["DateMention", "find_dates", "find_publication_date", "find_years"]


@dataclass(frozen=True)
class DateMention:
    """One date expression; `start`/`end_date` are None when the year could not be determined."""

    begin: int
    end: int
    text: str
    start: datetime.date | None
    end_date: datetime.date | None
    start_time: datetime.time | None = None
    end_time: datetime.time | None = None
    year_known: bool = True
    month: int | None = None
    day: int | None = None
    end_month: int | None = None
    end_day: int | None = None


@dataclass
class _Cand:
    """A candidate mention before year resolution."""

    begin: int
    end: int
    kind: str  # "text", "english", "numeric", "relative"
    month: int | None = None
    day: int | None = None
    year: int | None = None
    end_month: int | None = None
    end_day: int | None = None
    end_year: int | None = None
    weekday: int | None = None
    offset: int | None = None  # relative: days from the reference
    rel_weekday: tuple[int, int] | None = None  # relative: (weekday, +1 next / -1 last)
    start_time: datetime.time | None = None
    end_time: datetime.time | None = None

    @property
    def explicit_year(self) -> int | None:
        return self.year if self.year is not None else self.end_year


def _alt(words: Any) -> str:
    """Regex alternation of phrases, longest first, internal spaces matching any whitespace."""
    phrases = sorted(set(words), key=len, reverse=True)
    return "|".join(r"\s+".join(re.escape(p) for p in w.split()) for w in phrases)


def _lead(words: Any) -> str:
    """A lookahead for the first letters of the phrases: the regex engine then skips most positions at once.

    Exact: every match of the alternation starts with one of these letters (both case-insensitive).
    """
    first = sorted({w[0].lower() for w in words})
    return f"(?=[{''.join(first)}])" if all(c.isalpha() and c.isascii() for c in first) else ""


@dataclass(frozen=True)
class _Lex:
    data: dict[str, Any]
    rx: dict[str, re.Pattern[str]]

    def lookup(self, table: str, word: str) -> int:
        return self.data[table][" ".join(word.lower().split())]


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    return json.loads((files("kg") / "data" / "dates.json").read_text(encoding="utf-8"))


def month_names() -> list[str]:
    """The Swedish month names, lower case, in calendar order (from the lexicon)."""
    return list(_data()["month_names"])


@lru_cache(maxsize=1)
def _lex() -> _Lex:
    """Load the lexicon and compile the regexes generated from it."""
    data = {**_data()}
    data["month_names"] = {**data["month_names"], **data["english_month_names"]}  # a date may be in English
    month_words = [*data["month_names"], *data["month_abbreviations"]]
    months = _alt(month_words)
    weekdays = _alt([*data["weekdays"], *data["weekdays_definite"], *data["weekday_abbreviations"]])
    dash = _alt(["-", "–", "—"])
    rng = _alt(data["range_connectors"])
    kl = _alt(data["time_prefixes"])
    year = r"(?:19|20)\d\d(?!\d)"
    hour = r"(?:[01]?\d|2[0-4])"
    kl_time = (
        rf"(?<!\w)(?:{kl})\s*(?P<h1>{hour})(?:[.:](?P<m1>[0-5]\d))?"
        rf"(?:\s*(?:{dash}|till)\s*(?:(?:{kl})\s*)?(?P<h2>{hour})(?:[.:](?P<m2>[0-5]\d))?)?(?![\d])"
    )
    bare_time = (
        rf"(?P<h1>{hour})[.:](?P<m1>[0-5]\d)"
        rf"(?:\s*(?:{dash})\s*(?P<h2>{hour})[.:](?P<m2>[0-5]\d))?(?![.:,]?\d)"
    )
    lead = r"[ \t]*,?[ \t]*(?:från[ \t]+)?"
    day = r"(?P<{0}>[0-3]?\d)(?::?[ae])?\.?"
    src = {
        "text": (
            rf"(?<![\w.,/:]){day.format('d1')}"
            rf"(?:(?P<sep>\s*(?:{dash})\s*|\s+(?:till|{_alt(data['pair_connectors'])})\s+)"
            rf"(?:den\s+)?{day.format('d2')})?"
            rf"\s+(?P<mon>{months})\b(?P<dot>\.)?(?:,?\s+(?P<y>{year}))?"
        ),
        "english": (
            rf"{_lead(month_words)}(?<!\w)(?P<mon>{months})\.?\s+(?P<d1>[0-3]?\d)(?:st|nd|rd|th)?,?\s+(?P<y>{year})"
        ),
        "iso": rf"(?<![\w./:\-–])(?P<y>{year})-(?P<m>[01]?\d)-(?P<d>[0-3]?\d)(?!\d|[-/]\d)",
        "dotted": rf"(?<![\w.,/:\-])(?P<d>[0-3]?\d)\.(?P<m>[01]?\d)\.(?P<y>{year})(?![.,]\d)",
        "slash": (
            rf"(?<![\w.,/:\-])(?P<d>[0-3]?\d)/(?P<m>[01]?\d)(?:(?:/|-|\s+)(?P<y>{year}))?"
            r"(?![\w/%]|[.,]\d)"
        ),
        "relative": rf"{_lead(data['relative_days'])}(?<!\w)(?P<rel>{_alt(data['relative_days'])})(?!\w)",
        "past": rf"{_lead(data['past_weekdays'])}(?<!\w)(?P<pw>{_alt(data['past_weekdays'])})(?!\w)",
        "next": (
            rf"{_lead(data['next_weekday_prefixes'])}(?<!\w)(?:{_alt(data['next_weekday_prefixes'])})\s+"
            rf"(?P<nw>{_alt(data['weekdays'])})(?!\w)"
        ),
        "weekday_prefix": rf"(?<!\w)(?P<wd>{weekdays})\.?,?\s+(?:den\s+)?$",
        "kl_time": _lead(data["time_prefixes"]) + kl_time,
        "kl_suffix": lead + kl_time[len(r"(?<!\w)") :],
        "bare_suffix": lead + bare_time,
        "range_gap": rf"\s*(?:{rng})\s*(?:den\s+)?",
        "quantity": rf"\s*(?:{_alt(data['quantity_words'])})(?!\w)",
        "fraction": rf"\s*(?:{_alt(data['quantity_words'] + data['fraction_words'])})(?!\w)",
        "year": rf"(?<![\w.,/:])(?P<y>{year})(?!\w|[.,:/]\d)",
        "year_bad_after": r"[ \t-]\d{1,3}(?![\d.:])|-tal",
        "pub_label": rf"(?P<label>{_alt(data['publication_labels'])})[\s:•·|\-–—]*",
        "pub_tail": rf"(?-i:(?<=\d)[A-ZÅÄÖ][a-zåäö]+)?[\s,]*(?:(?:{_alt(data['timezones'])})\b)?[\s.|]*",
        # "28 september 2015Kommunen", "20 mars, 2011 |": a scraped page glues the section's name to the date
        "pub_label_after": (
            r"[\s,]*(?:(?:kl\.?\s*)?[0-2]?\d[:.][0-5]\d)?[\s,]*"
            rf"(?:(?:{_alt(data['timezones'])})\b)?[\s•·|\-–—]*(?P<label>{_alt(data['publication_labels'])})[\s.]*"
        ),  # "2018-01-16 09:33 Pressmeddelande"
        "time_label": rf"[ \t]*(?:{_alt(data['time_labels'])})\s*:",
        "dateline": r"(?-i:[A-ZÅÄÖ][\w-]+(?:\s[A-ZÅÄÖ][\w-]+)?)(?:\s*,\s*|\s+den\s+)",
    }
    return _Lex(data, {k: re.compile(v, re.IGNORECASE) for k, v in src.items()})


def _valid(year: int | None, month: int, day: int) -> bool:
    try:
        datetime.date(year or 2000, month, day)  # 2000 is a leap year: 29 februari passes
    except ValueError:
        return False
    return True


def _time(hour: str | None, minute: str | None) -> datetime.time | None:
    if hour is None or int(hour) > 23:
        return None
    return datetime.time(int(hour), int(minute or 0))


def _month(lex: _Lex, word: str) -> int:
    w = word.lower()
    return lex.data["month_names"].get(w) or lex.data["month_abbreviations"][w]


_YEAR_DASH = re.compile(r"(?:19|20)\d\d-")  # in every "iso" match
_DOT_YEAR = re.compile(r"\.(?:19|20)\d\d")  # in every "dotted" match
_HINTS = {
    "iso": lambda t: _YEAR_DASH.search(t) is not None,
    "dotted": lambda t: _DOT_YEAR.search(t) is not None,
    "slash": lambda t: "/" in t,
}


def _raw_candidates(text: str, lex: _Lex) -> list[_Cand]:
    """Every pattern match, before overlap resolution."""
    rx, out = lex.rx, []
    quantity = rx["quantity"]
    for m in rx["text"].finditer(text):
        mon = _month(lex, m["mon"])
        d1 = int(m["d1"])
        y = int(m["y"]) if m["y"] and not quantity.match(text, m.end("y")) else None
        full_name = m["mon"].lower() in lex.data["month_names"]
        end = m.end("y") if y else (m.end("mon") if full_name or not m["dot"] else m.end("dot"))
        if m["d2"] is None:
            out.append(_Cand(m.start("d1"), end, "text", mon, d1, y))
            continue
        d2, sep = int(m["d2"]), m["sep"].strip().lower()
        if sep in lex.data["pair_connectors"] and d2 != d1 + 1:  # "den 5 och 12 mars": two days
            out.append(_Cand(m.start("d1"), m.end("d1"), "text", mon, d1, y))
            out.append(_Cand(m.start("d2"), end, "text", mon, d2, y))
        elif d2 > d1:
            out.append(_Cand(m.start("d1"), end, "text", mon, d1, y, mon, d2, y))
    for m in rx["english"].finditer(text):
        out.append(_Cand(m.start(), m.end(), "english", _month(lex, m["mon"]), int(m["d1"]), int(m["y"])))
    for key in ("iso", "dotted", "slash"):
        if not _HINTS[key](text):
            continue  # the cheap test finds no part every match has
        for m in rx[key].finditer(text):
            if key == "slash" and (
                m.group().split()[0] in lex.data["slash_exclusions"] or rx["fraction"].match(text, m.end())
            ):
                continue
            out.append(_Cand(m.start(), m.end(), "numeric", int(m["m"]), int(m["d"]), int(m["y"]) if m["y"] else None))
    for m in rx["relative"].finditer(text):
        out.append(_Cand(m.start(), m.end(), "relative", offset=lex.lookup("relative_days", m["rel"])))
    for m in rx["past"].finditer(text):
        wd = lex.lookup("past_weekdays", m["pw"])
        out.append(_Cand(m.start(), m.end(), "relative", rel_weekday=(wd, -1)))
    for m in rx["next"].finditer(text):
        out.append(_Cand(m.start(), m.end(), "relative", rel_weekday=(lex.lookup("weekdays", m["nw"]), 1)))
    return [
        c
        for c in out
        if c.kind == "relative"
        or (
            c.month is not None
            and c.day is not None
            and _valid(c.year, c.month, c.day)
            and (c.end_day is None or _valid(c.end_year, c.end_month or 0, c.end_day))
        )
    ]


def _extend(text: str, c: _Cand, lex: _Lex) -> None:
    """Widen a candidate to a preceding weekday and a following clock time."""
    if c.kind != "relative":
        wd = lex.rx["weekday_prefix"].search(text, max(0, c.begin - 20), c.begin)
        if wd:
            word = wd["wd"].lower()
            for table in ("weekdays", "weekdays_definite", "weekday_abbreviations"):
                c.weekday = lex.data[table].get(word, c.weekday)
            c.begin = wd.start()
    for key in ("kl_suffix", "bare_suffix"):
        m = lex.rx[key].match(text, c.end)
        if m and _time(m["h1"], m["m1"]):
            c.start_time, c.end_time = _time(m["h1"], m["m1"]), _time(m["h2"], m["m2"])
            c.end = max(m.end(g) for g in ("h1", "m1", "h2", "m2") if m[g])
            return


_CACHE: dict[str, list[_Cand]] = {}


def _candidates(text: str) -> list[_Cand]:
    """Non-overlapping candidates (longest wins), ranges merged, sorted by begin.

    Several finders ask for the same text in turn; the last few answers are kept (as copies).
    """
    if text not in _CACHE:
        if len(_CACHE) >= 4:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[text] = _compute_candidates(text)
    return [replace(c) for c in _CACHE[text]]


def _compute_candidates(text: str) -> list[_Cand]:
    lex = _lex()
    cands = _raw_candidates(text, lex)
    for c in cands:
        _extend(text, c, lex)
    kept: list[_Cand] = []
    for c in sorted(cands, key=lambda c: (c.begin - c.end, c.begin)):
        if all(c.end <= k.begin or c.begin >= k.end for k in kept):
            kept.append(c)
    kept.sort(key=lambda c: c.begin)
    merged: list[_Cand] = []
    for c in kept:
        prev = merged[-1] if merged else None
        if (
            prev
            and prev.kind != "relative"
            and c.kind != "relative"
            and prev.end_day is None
            and c.end_day is None
            and prev.start_time is None
            and c.start_time is None
            and lex.rx["range_gap"].fullmatch(text, prev.end, c.begin)
            and _ordered(prev, c)
        ):
            prev.end, prev.end_month, prev.end_day, prev.end_year = c.end, c.month, c.day, c.year
        else:
            merged.append(c)
    return merged


def _ordered(a: _Cand, b: _Cand) -> bool:
    """Could `b` end a range that starts at `a`?"""
    if a.year is not None and b.year is not None:
        return (a.year, a.month, a.day) < (b.year, b.month, b.day)
    return (a.month, a.day) != (b.month, b.day)


def _attach_times(text: str, cands: list[_Cand]) -> None:
    """Give a free-standing "kl. 10" to the nearest timeless mention of its sentence (or a Tid: line)."""
    lex = _lex()
    sents, paras = _breaks(text, r"[.!?](?=\s+[A-ZÅÄÖ])|\n"), _breaks(text, r"\n[ \t]*\n")
    for m in lex.rx["kl_time"].finditer(text):
        if any(c.begin <= m.start() < c.end for c in cands) or _time(m["h1"], m["m1"]) is None:
            continue
        free = [c for c in cands if c.start_time is None]
        pool = [c for c in free if _seg(sents, c.begin) == _seg(sents, m.start())]
        if not pool:
            line_start = text.rfind("\n", 0, m.start()) + 1
            if lex.rx["time_label"].match(text, line_start):
                para = _seg(paras, m.start())
                pool = [c for c in free if c.end <= m.start() and _seg(paras, c.begin) == para][-1:]
        if pool:
            best = min(pool, key=lambda c: c.begin - m.end() if c.begin >= m.end() else m.start() - c.end)
            best.start_time, best.end_time = _time(m["h1"], m["m1"]), _time(m["h2"], m["m2"])


@lru_cache(maxsize=8)
def _breaks(text: str, pattern: str) -> list[int]:
    """Ends of the pattern's matches (kept per text and pattern: callers only read them)."""
    return [m.end() for m in re.finditer(pattern, text)]


def _seg(breaks: list[int], pos: int) -> int:
    return bisect.bisect_right(breaks, pos)


_NUMBER_BEFORE = re.compile(r"\d[ \t\-–]$")
_YEAR_BEFORE = re.compile(r"(?<!\d)(?:19|20)\d\d\s*[-–]?\s*$")


def _bare_years(text: str, cands: list[_Cand]) -> list[tuple[int, int, int]]:
    rx = _lex().rx
    out = []
    for m in rx["year"].finditer(text):
        b, e = m.span()
        before = text[max(0, b - 8) : b]
        if (
            (_NUMBER_BEFORE.search(before) and not _YEAR_BEFORE.search(before))
            or rx["year_bad_after"].match(text, e)
            or rx["quantity"].match(text, e)
            or any(c.begin < e and b < c.end for c in cands)
        ):
            continue
        out.append((int(m["y"]), b, e))
    return out


def find_years(text: str) -> list[tuple[int, int, int]]:
    """(year, begin, end) of 4-digit years 1900–2099 that are not part of dates, phone numbers or amounts."""
    return list(_text_years(text))


@lru_cache(maxsize=4)
def _text_years(text: str) -> tuple[tuple[int, int, int], ...]:
    """`_bare_years` against the text's own candidates (it reads only their spans): asked twice per text."""
    return tuple(_bare_years(text, _candidates(text)))


@lru_cache(maxsize=4)
def _text_publication(text: str) -> tuple[datetime.date, int, int] | None:
    """`_publication` against the text's own candidates (their times do not matter): asked twice per text."""
    return _publication(text, _candidates(text))


def _publication(text: str, cands: list[_Cand]) -> tuple[datetime.date, int, int] | None:
    lex = _lex()
    data, rx = lex.data, lex.rx
    lines = [(m.start(), m.end()) for m in re.finditer(r"[^\n]*\S[^\n]*", text)]
    best: tuple[int, int, datetime.date, int, int] | None = None
    for idx, (lb, le) in enumerate(lines):
        lb += len(text[lb:le]) - len(text[lb:le].lstrip())
        le -= len(text[lb:le]) - len(text[lb:le].rstrip())
        first = next((c for c in cands if lb <= c.begin < le and c.kind != "relative"), None)
        if first is None or first.explicit_year is None or first.end > le:
            continue
        label = rx["pub_label"].fullmatch(text, lb, first.begin)
        if label is None and not text[lb : first.begin].strip():
            label = rx["pub_label_after"].fullmatch(text, first.end, le)
        if label:
            prio = lex.lookup("publication_labels", label["label"])
        elif idx and rx["dateline"].fullmatch(text, lb, first.begin) and rx["pub_tail"].fullmatch(text, first.end, le):
            prio = data["bare_line_priority"]["dateline"]  # "Stockholm den 31 maj 2010"
        elif text[lb : first.begin].strip(" \t•·|-–—:") or not rx["pub_tail"].fullmatch(text, first.end, le):
            continue
        elif first.kind == "english":
            prio = data["bare_line_priority"]["english"]
        elif idx < data["bare_line_top_window"]:
            prio = data["bare_line_priority"]["top"]
        elif idx >= len(lines) - data["bare_line_bottom_window"]:
            prio = data["bare_line_priority"]["bottom"]
        else:
            continue
        year = first.year if first.year is not None else first.explicit_year
        assert first.month is not None and first.day is not None and year is not None
        if _valid(year, first.month, first.day) and (best is None or (prio, idx) < best[:2]):
            best = (prio, idx, datetime.date(year, first.month, first.day), lb, le)
    return best[2:] if best else None


def find_publication_date(text: str) -> tuple[datetime.date, int, int] | None:
    """(date, begin, end) of the document's date line ("Publicerad 2018-11-23 15.07"); span is the line."""
    if "19" not in text and "20" not in text:
        return None  # the date line needs a year (19xx or 20xx): headlines are asked too
    return _text_publication(text)


def _context_year(
    c: _Cand, anchors: list[tuple[int, int, bool]], sents: list[int], paras: list[int]
) -> tuple[int, bool, bool] | None:
    """Year stated nearby, whether it is a date's, and whether it is in the date's own sentence:
    nearest in the sentence, else in the paragraph (preceding first), else the last preceding mention
    with a year."""

    def rank(pos: int, later: bool) -> tuple[int, int]:
        if pos >= c.end:
            return (int(later), pos - c.end)
        return (0, c.begin - pos)

    positions = [p for p, _y, _d in anchors]  # anchors are sorted by position
    for breaks, later in ((sents, False), (paras, True)):
        k = _seg(breaks, c.begin)
        lo = breaks[k - 1] if k > 0 else 0
        hi = breaks[k] if k < len(breaks) else len(positions) and positions[-1] + 1
        i, j = bisect.bisect_left(positions, lo), bisect.bisect_left(positions, hi)
        near = [(rank(p, later), y, dated) for p, y, dated in anchors[i:j]]
        if near:
            _r, y, dated = min(near)
            return y, dated, not later
    i = bisect.bisect_left(positions, c.begin)
    before = [y for p, y, dated in anchors[:i] if dated]
    return (before[-1], True, False) if before else None


def _upcoming_despite(c: _Cand, ref: datetime.date, year: int) -> bool:
    """A later year named as a label nearby would put the date over ten months after the publication,
    while the date is due within four months of it: the text speaks of the coming date."""
    if year <= ref.year or c.month is None or c.day is None:
        return False
    near = _closest_year(c, ref)
    if near is None or not _valid(year, c.month, c.day):
        return False
    ahead = (datetime.date(near, c.month, c.day) - ref).days
    return -30 <= ahead <= 120 and (datetime.date(year, c.month, c.day) - ref).days > 300


def _closest_year(c: _Cand, ref: datetime.date) -> int | None:
    """The year (reference year ±1) that puts the date closest to the reference; weekday breaks ties."""
    assert c.month is not None and c.day is not None
    options = [y for y in (ref.year - 1, ref.year, ref.year + 1) if _valid(y, c.month, c.day)]
    if c.weekday is not None:
        options = [y for y in options if datetime.date(y, c.month, c.day).weekday() == c.weekday] or options
    return min(options, key=lambda y: abs((datetime.date(y, c.month, c.day) - ref).days), default=None)


def _weekday_year(c: _Cand, year: int) -> int:
    """The year within three of `year` whose calendar puts the stated weekday on the date (the year
    itself when it does, or when none does)."""
    assert c.month is not None and c.day is not None and c.weekday is not None
    fits = [
        y
        for y in range(year - 3, year + 4)
        if _valid(y, c.month, c.day) and datetime.date(y, c.month, c.day).weekday() == c.weekday
    ]
    return year if not fits or year in fits else min(fits, key=lambda y: (abs(y - year), y > year))


def _resolve(text: str, c: _Cand, ref: datetime.date | None, ctx: int | None) -> DateMention | None:
    span = {
        "begin": c.begin,
        "end": c.end,
        "text": text[c.begin : c.end],
        "start_time": c.start_time,
        "end_time": c.end_time,
    }
    if c.kind == "relative":
        if ref is None:
            return DateMention(start=None, end_date=None, year_known=False, **span)
        if c.rel_weekday:
            wd, step = c.rel_weekday
            days = ((wd - ref.weekday()) % 7 or 7) if step > 0 else -((ref.weekday() - wd) % 7 or 7)
        else:
            days = c.offset or 0
        d = ref + datetime.timedelta(days=days)
        return DateMention(start=d, end_date=d, month=d.month, day=d.day, **span)
    assert c.month is not None and c.day is not None
    em, ed = c.end_month or c.month, c.end_day or c.day
    wrap = int((em, ed) < (c.month, c.day))
    raw = {
        "month": c.month,
        "day": c.day,
        "end_month": c.end_month if c.end_day else None,
        "end_day": c.end_day,
    }
    year = c.year if c.year is not None else (c.end_year - wrap if c.end_year is not None else ctx)
    if year is None and ref is not None:
        year = _closest_year(c, ref)
    elif c.year is None and year is not None and c.weekday is not None:
        year = _weekday_year(c, year)  # "Torsdag 18 oktober" near "hösten 2014": 2012, when 18 October was a Thursday
    if year is None:
        return DateMention(start=None, end_date=None, year_known=False, **raw, **span)
    end_year = c.end_year if c.end_year is not None else year + wrap
    if not (_valid(year, c.month, c.day) and _valid(end_year, em, ed)):
        return None
    start, end = datetime.date(year, c.month, c.day), datetime.date(end_year, em, ed)
    return DateMention(start=start, end_date=end, **raw, **span) if start <= end else None


_FOR_YEAR = re.compile(r"\bför\s$")  # "bokslut för 2016": the period a report covers, not when a date falls
# "delats ut sedan 1965", "grundades 1919": a year long past, never the year of a date without one
_PAST_YEAR = re.compile(r"(?i)\b(?:sedan|grundades|grundad|bildades|född|föddes|invigdes|byggdes)\s+(?:år\s+)?$")


def _headline_year(text: str, anchors: list[tuple[int, int, bool]]) -> int | None:
    """The one year the first line names ('Kulturpris 2024 - dags att nominera')."""
    first = text.find("\n") % (len(text) + 1)  # (the whole text when it is one line)
    years = {y for b, y, _d in anchors if b < first}
    if len(years) != 1:
        return None
    year = years.pop()
    label = re.search(
        rf"(?i)(?<!under )(?<!i )(?<!sedan )(?<!från )(?<!till )(?<!för )(?<!år )\b{year}\b", text[:first]
    )
    return year if label else None  # "Kulturpris 2024", not "Under 2019 ökade antalet"


def find_dates(
    text: str, reference: datetime.date | None = None, context_year: int | None = None, day_known: bool = True
) -> list[DateMention]:
    """All date expressions in `text`, sorted by begin, resolved as far as the evidence allows.

    `day_known` False says `reference` stands for a month or a year ('2015-04' in a manifest): it
    still gives years, but 'i dag' and 'på tisdag' stay unresolved.

    A date without a year takes a year stated nearby (sentence, paragraph, preceding dated mention),
    else `context_year`, else the year closest to `reference` (default: the publication date line),
    else stays unresolved (start None, year_known False).
    """
    cands = _candidates(text)
    _attach_times(text, cands)
    pub = _text_publication(text)
    ref = reference or (pub[0] if pub else None)
    anchors = sorted(
        [
            (b, y, False)
            for y, b, _ in _text_years(text)
            if not (ref and _FOR_YEAR.search(text, max(0, b - 4), b)) and not _PAST_YEAR.search(text, max(0, b - 16), b)
        ]
        + [
            (c.begin, c.explicit_year, True)
            for c in cands
            if c.explicit_year is not None and not (pub and pub[1] <= c.begin < pub[2])
        ]
    )
    sents, paras = _breaks(text, r"[.!?](?=\s+[A-ZÅÄÖ])|\n"), _breaks(text, r"\n[ \t]*\n")
    out = []
    own = ref.year if ref else _headline_year(text, anchors)  # the release's own year
    for c in cands:
        ctx = None
        if c.kind != "relative" and c.explicit_year is None:
            found = _context_year(c, anchors, sents, paras)
            ctx = (context_year or (None if ref else own)) if found is None else found[0]
            if found and not found[1] and not found[2] and own and abs(found[0] - own) > 1:
                ctx = own  # "… medalj som Heidenstam fick 1919" in a release headed "Övralidspriset 2023"
            if found and not found[1] and ref and _upcoming_despite(c, ref, found[0]):
                ctx = None  # "arbetsprogrammet 2024 och … mötet den 14–15 december" in November 2023
        exact = day_known or reference is None
        mention = _resolve(text, c, ref if exact or c.kind != "relative" else None, ctx)
        if mention is not None:
            out.append(mention)
    return out
