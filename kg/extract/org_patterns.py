"""Organisations recognised by patterns over their make-up: a head word before or after the name, a
kind after a genitive, a county's body, an embassy; each pattern runs only on texts holding a literal
that every one of its matches holds."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from kg.extract.text import CAP, LOWER, UPPER
from kg.gazetteer import load

# "Nationellt centrum för kvinnofrid", "Institutionen för biologi och miljö": a head, "för", its field
_CENTRES = (
    "Nationellt centrum för",
    "Centrum för",
    "Institutet för",
    "Rådet för",
    "Myndigheten för",
)
# "Institutionen för biologi och miljö": a department, only where its name visibly ends (not "Enheten för
# främjande och hållbart …", cut short)
_NOT_KIND_NAMES = ("Nya", "Ny", "Nytt", "Den", "Det", "En", "Ett", "Vår", "Vårt", "Sin", "Sitt", "Hela")
_UNITS = ("Institutionen för", "Avdelningen för", "Fakulteten för", "Enheten för")


def _pattern_res() -> list[re.Pattern]:
    lex = load().lexicon
    heads = "|".join(sorted(map(re.escape, lex["org_heads_suffix"]), key=len, reverse=True))
    prefixes = "|".join(sorted(map(re.escape, lex["org_heads_prefix"]), key=len, reverse=True))
    kinds = "|".join(f"[{k[0].upper()}{k[0]}]{k[1:]}" for k in lex["org_kind_words"])
    word = rf"[{UPPER}][\w{LOWER}]*"
    return [
        # "Föreningen Tjejzonen", "Nationellt centrum för kvinnofrid", "Nätverket Nationell myndighetssamverkan"
        re.compile(
            rf"(?<![\w-])(?:{prefixes})"
            rf"(?:[ \t\u00a0]+(?:{word}|[{LOWER}]+(?=\s*(?:\([{UPPER}]{{2,}}\)|:[ \t]*(?:\n|$))))){{1,4}}"
        ),  # (a lower-case word only where the name visibly ends: "Riksförbundet Sällsynta diagnoser:")
        re.compile(rf"(?<![\w-])(?:{prefixes})\s+[{LOWER}]+(?:\s+(?:och|för|mot|i)\s+[{LOWER}]+)?(?=\s*\()"),
        re.compile(rf"(?<![\w-])(?:{'|'.join(_CENTRES)})\s+[{LOWER}]+(?:\s+och\s+[{LOWER}]+)?"),
        re.compile(
            rf"(?<=\bnätverket\s)(?:{CAP}|[{UPPER}]{{2,}})(?:\s(?!(?:där|som|och|i|är|har|med|av|på|till|ska|kan)\b)[{LOWER}]+){{0,2}}(?:\s(?:för|mot)\s[{LOWER}]+)?(?=[\s.,])"
        ),
        # "Länsarbetsnämnden", "Oktoberteatern", "ESF-rådet", "Mälardalens Högskola", "Stockholms gaykör",
        # "Karolinska Universitetssjukhuset"
        re.compile(  # (every match starts with a capital: the lookahead lets the engine skip the rest fast)
            rf"(?=[{UPPER}])(?<![\w-])(?:{CAP}s\s+|[{UPPER}][{LOWER}]+ska\s+(?=[{UPPER}])|(?:Svenska|Sveriges|Nordiska|Nationella|Internationella|Riks)\s+|{CAP}\s(?=[{UPPER}][\w{LOWER}]*-))?[{UPPER}][\w{LOWER}-]*(?:{heads})s?(?![\w{LOWER}])"
        ),
        # "Svensk biblioteksförening", "Svenska kyrkan", "Svenska samernas riksförbund"
        re.compile(
            rf"(?<![\w-])(?:Svensk|Svenska|Sveriges|Nordisk|Nordiska|Europeiska|Internationella|Kungliga|Statens)"
            rf"\s+(?:[{LOWER}]+s\s+)?[{LOWER}]+(?:{heads}|förbund|förening)s?(?![\w{LOWER}])"
        ),
        re.compile(
            rf"(?<![\w-])(?:{'|'.join(_UNITS)})\s+[{LOWER}][\w{LOWER}-]*(?:\s+och\s+[{LOWER}][\w{LOWER}-]*)?"
            rf"(?=\s*(?:,(?!\s*[{LOWER}])|[.;:()\n]|$)|\s(?:vid|på|inom)\s[{UPPER}])"
        ),
        # "Region Väster", "Trafikverket Region Syd": a region named by its area
        re.compile(rf"(?<![\w-])Region\s+{CAP}(?![\w{LOWER}])"),
        # "Stockholms gaykör", "Helsingborgs Symfoniorkester", "Helsingborgs Konserthus"
        re.compile(
            rf"(?<![\w-])(?:{CAP}-)?{CAP}s\s+(?:[{UPPER}]?[{LOWER}]*)(?:{kinds})(?:en|an|n|t)?s?(?![\w{LOWER}])"
            rf"(?:\s(?:om|för)\s[{UPPER}][{LOWER}]+(?![\w-]))?"  # "Sveriges museum om Förintelsen"
        ),
        # "Musik- och kulturskolan", "Astma- och Allergiförbundet"
        re.compile(rf"(?<![\w-]){CAP}-\s+och\s+[{UPPER}{LOWER}][{LOWER}]+(?:{heads})(?![\w{LOWER}])"),
        # "Crafoordska stiftelsen", "Sahlgrenska akademin": an adjective made of a name, then the head
        re.compile(rf"(?<![\w-])[{UPPER}][\w{LOWER}]+ska\s+(?:{heads})(?![\w{LOWER}])"),
        # "Kungl. Hovstaterna", "Kungl. Maj:ts Orden" (not "Kungl. Slottet", a building)
        re.compile(
            rf"(?<![\w-])Kungl\.\s+(?!Slott)[{UPPER}][\w{LOWER}:]*(?:-\s+och\s+[\w{LOWER}]+|\s+[{UPPER}][\w{LOWER}]*)?"
        ),  # "Kungl. Skogs- och Lantbruksakademien"
        # "Företaget AB", "Nordbygg ProjektTeknik AB"
        re.compile(rf"(?<![\w-])(?:(?:{CAP}(?:[{UPPER}][{LOWER}]+)?|[{UPPER}]{{2,}})\s+){{1,3}}AB(?![\w])"),
        # "Kalmar läns museum", "Kalmar läns hembygdsförbund": a county's body
        re.compile(rf"(?<![\w-]){CAP}\s+läns\s+[{LOWER}]*(?:{heads}|{kinds})(?:et|en|n)?(?![\w{LOWER}])"),
        # "på Idala förskola", "vid Backa teater": a name, then its kind, where a place is named
        re.compile(
            rf"(?:(?<=på )|(?<=vid )|(?<=hos )|(?<=till )|(?<=från )|(?<=av ))"
            rf"(?!(?:{'|'.join(_NOT_KIND_NAMES)})\s){CAP}\s+[{LOWER}]*(?:{kinds})(?![\w{LOWER}])"
        ),
    ]


Finder = Callable[[str], Iterable[re.Match[str]]]


def pattern_finders() -> list[Finder]:
    """`rx.finditer` for each of `_pattern_res()`, run only on texts holding what every match holds."""
    lex = load().lexicon
    prefixes, heads = tuple(lex["org_heads_prefix"]), tuple(lex["org_heads_suffix"])
    hints: list[tuple[str, ...] | re.Pattern[str]] = [
        prefixes,
        prefixes,
        _CENTRES,
        ("nätverket",),
        heads,
        ("Svensk", "Sveriges", "Nordisk", "Europeiska", "Internationella", "Kungliga", "Statens"),
        _UNITS,
        ("Region",),
        tuple(k for w in lex["org_kind_words"] for k in (w, w.capitalize())),
        re.compile(r"-\s+och\s"),
        ("ska ",),
        ("Kungl.",),
        ("AB",),
        (" läns ",),
        tuple(k for w in lex["org_kind_words"] for k in (w, w.capitalize())),
    ]

    def finder(rx: re.Pattern[str], hint: tuple[str, ...] | re.Pattern[str]) -> Finder:
        if not isinstance(hint, re.Pattern):  # one scan for all the hint words instead of one per word
            hint = re.compile("|".join(map(re.escape, sorted(set(hint), key=len, reverse=True))))
        return lambda text: rx.finditer(text) if hint.search(text) else ()

    return [finder(rx, hint) for rx, hint in zip(_pattern_res(), hints, strict=True)]
