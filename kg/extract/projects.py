"""Projects and programmes, and who coordinates, takes part in or funds them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kg.extract.orgs import OrgMention
from kg.extract.text import CAP, LOWER, UPPER, Segment
from kg.gazetteer import OrgRef, load


@dataclass(eq=False)
class Project:
    name: str
    begin: int
    end: int
    spans: list[tuple[int, int]] = field(default_factory=list)
    relations: dict[tuple[str, str], tuple[OrgRef, str, int, int]] = field(default_factory=dict)

    def relate(self, org: OrgRef, relation: str, b: int, e: int) -> None:
        self.relations.setdefault((org.key, relation), (org, relation, b, e))


_STOP = (r"(?:som|och|är|var|har|hade|kan|ska|skall|kommer|vill|tillsammans|startar|startade|pågår|pågick|syftar|"
         r"handlar|innebär|genomförs|genomfördes|drivs|leds|finansieras|fick|får|blir|blev|ger|gav|med|på|i|av|till|"
         r"från|under|efter|inom|mellan|där|när|nu|också|även|redan|samt|eller|men|att|det|den|de|en|ett|om|vid|hos|"
         r"mot|för|sedan|ut|in|upp|inte|alla|sina|sin|sitt|vår|våra|deras)")
_NAME = (rf"(?:(?:{CAP}|[{UPPER}]{{2,}})(?:[ -](?:{CAP}|[{UPPER}]{{2,}}|\d{{4}}))+"
         rf"|{CAP}(?:\s(?!{_STOP}\b)[{LOWER}]+(?<!ats)(?<!ade)){{1,2}}(?=[\s.,;:!?)])"
         rf"|(?:{CAP}|[{UPPER}]{{2,}}))"
         rf"(?:\s(?:för|mot|i|inom)\s(?:[{LOWER}]+|{CAP})(?=[.,;:!?)]|\s(?:och|är|har|som|ska|pågår|finansieras)\b))?")
_HEADS = r"(?:(?:[A-ZÅÄÖ]{2,}-)?[Pp]rojekt(?:et)?|[Ss]atsning(?:en)?(?:\spå)?|[Pp]rogram(?:met)?|[Ii]nitiativ(?:et)?|[Kk]ampanj(?:en)?|[Uu]tvecklingsprojekt(?:et)?)"
_MENTION = re.compile(rf"(?<![\w]){_HEADS}\s+(?:”(?P<q>[^”\n]{{3,60}})”|(?P<n>{_NAME}))")
_COPULA = re.compile(rf"(?m:^|(?<=[.!?]\s))(?P<n>{_NAME})\s(?:är|var)\s(?:ett|en)\s(?:[{LOWER}]+\s){{0,3}}?[{LOWER}]*(?:projekt|program|satsning|samarbete|initiativ)\b")
_COMPOUND = re.compile(rf"(?<![\w-])(?P<n>[{UPPER}][\w{LOWER}]+)-projektet\b")
_COMPOUND_NAME = re.compile(rf"(?<![\w-])(?P<n>[{UPPER}][{LOWER}]{{3,}}projekt)(?:et)?(?![\w{LOWER}])")
_ANAPHOR = re.compile(r"(?<![\w-])(?:[Pp]rojektet|[Ss]atsningen|[Ss]amarbetet|[Pp]rogrammet|[Ii]nitiativet|[Kk]onceptet)\b"
                      r"|^(?:Det|Den) (?:finansieras|drivs|leds|samordnas|koordineras|stöds|bekostas)\b")


def _verbs(key: str) -> str:
    return "|".join(sorted(map(re.escape, load().lexicon[key]), key=len, reverse=True))


def find_projects(text: str, sents: list[Segment], orgs: list[OrgMention], towns: list[tuple[int, int, str]],
                  blocked: list[tuple[int, int]]) -> list[Project]:
    """Named projects with their coordinators, participants and funders."""
    projects: dict[str, Project] = {}
    mentions: list[tuple[int, int, Project]] = []
    for rx in (_MENTION, _COPULA, _COMPOUND, _COMPOUND_NAME):
        for m in rx.finditer(text):
            g = "q" if "q" in rx.groupindex and m.group("q") else "n"
            name = m.group(g).strip()
            if not name or name.split()[0] in {"Det", "Den", "Detta", "Vi", "Ett", "En"}:
                continue
            if any(b <= m.start(g) < e for b, e in blocked) or _is_org(orgs, m.start(g), m.start(g) + len(name)):
                continue
            p = projects.setdefault(name.lower(), Project(name, m.start(g), m.start(g) + len(name)))
            p.spans.append((m.start(g), m.start(g) + len(name)))
            mentions.append((m.start(g), m.start(g) + len(name), p))
    if not projects:
        return []
    main = min(mentions, key=lambda x: x[0])[2]
    coord, part, fund = _verbs("coordinator_verbs"), _verbs("participant_verbs"), _verbs("funder_phrases")
    for s in sents:
        here = [p for b, _e, p in mentions if s.begin <= b < s.end]
        anaphor = _ANAPHOR.search(text[s.begin : s.end])
        if not here and anaphor:
            here = [main]
        if not here:
            continue
        project = here[0]
        s_orgs = [o for o in orgs if s.begin <= o.begin < s.end and o.ref.kind != "PoliticalParty"]
        head = re.search(_HEADS, text[s.begin : s.end])
        p_start = min((b for b, _e, p in mentions if s.begin <= b < s.end and p is project), default=None)
        for o in s_orgs:
            gap = text[o.end : (s.begin + head.start()) if head else o.end]
            if o.genitive and head and re.fullmatch(r"\s*(?:\([^)]*\))?\s*,?\s*", gap):
                project.relate(o.ref, "coordinator", o.begin, o.end)  # "SKL:s projekt Modellkommuner"
            elif o.genitive and p_start is not None and 0 <= p_start - o.end <= 2:
                project.relate(o.ref, "coordinator", o.begin, o.end)  # "SKL:s Ansvarsprojekt"
        sent = text[s.begin : s.end]
        phrases = sorted([(m.start(), m.end(), "funder", m.group(0)) for m in re.finditer(rf"\b(?:{fund})\b", sent)]
                         + [(m.start(), m.end(), "coordinator", m.group(0))
                            for m in re.finditer(rf"\b(?:{coord})\b", sent)])
        for i, (pb, pe, relation, phrase) in enumerate(phrases):
            passive = re.search(r"\b(av|från|ur|genom)$", phrase) is not None
            if passive:  # "drivs av X och finansieras av Y": X up to the next phrase
                stop = phrases[i + 1][0] if i + 1 < len(phrases) else len(sent)
                chosen = [o for o in s_orgs if s.begin + pe <= o.begin < s.begin + stop]
            else:  # "X finansierar", "X driver projektet"
                chosen = [o for o in s_orgs if o.end <= s.begin + pb][-1:]
            for o in chosen:
                project.relate(o.ref, relation, o.begin, o.end)
        for tm in re.finditer(r"\b(?:tillsammans med|i samarbete med|i samverkan med)\s", sent):
            for o in s_orgs:
                if o.begin >= s.begin + tm.end() and o.ref.key not in {k[0] for k in project.relations}:
                    project.relate(o.ref, "participant", o.begin, o.end)
        pm = re.search(rf"\b(?:{part})\b", sent)
        if pm:
            taken = {k[0] for k, v in project.relations.items() if v[1] in {"coordinator", "funder"}}
            limit = p_start if p_start is not None else (s.begin + anaphor.start() if anaphor else s.begin + pm.start())
            subjects = [o for o in s_orgs if o.end <= max(limit, s.begin + pm.start()) and o.ref.key not in taken
                        and not o.genitive]
            for o in subjects:
                project.relate(o.ref, "participant", o.begin, o.end)
            for b, e, key in towns:
                if s.begin <= b < s.begin + pm.start() and (b == s.begin or text[s.begin:b].strip() == ""):
                    project.relate(load().orgs[key], "participant", b, e)  # "Västerås deltar i …"
    return list(projects.values())


def _is_org(orgs: list[OrgMention], b: int, e: int) -> bool:
    return any(o.begin <= b and e <= o.end for o in orgs)
