"""Projects and programmes, and who coordinates, takes part in or funds them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kg.extract.orgs import OrgMention
from kg.extract.text import LOWER, UPPER, Segment, proper_name_at
from kg.gazetteer import OrgRef, government_ref, load


@dataclass(eq=False)
class Project:
    name: str
    begin: int
    end: int
    spans: list[tuple[int, int]] = field(default_factory=list)
    relations: dict[tuple[str, str], tuple[OrgRef, str, int, int]] = field(default_factory=dict)
    titled: bool = False  # named as a strategy, operation, package or programme: a project in its own right
    national: bool = False  # "regeringens strategi för …", "en nationell strategi mot …": the government's plan

    def relate(self, org: OrgRef, relation: str, b: int, e: int) -> None:
        self.relations.setdefault((org.key, relation), (org, relation, b, e))


_HEADS = (
    r"(?:(?:[A-ZÅÄÖ]{2,}-)?[Pp]rojekt(?:et)?|[Ss]atsning(?:en)?(?:[ ]på)?|[Pp]rogram(?:met)?|[Ii]nitiativ(?:et)?"
    r"|[Kk]ampanj(?:en)?|[Uu]tvecklingsprojekt(?:et)?|nätverk)"
)
_MENTION = re.compile(rf"(?<![\w]){_HEADS}[ ]+(?=[”\"A-ZÅÄÖ0-9])")
_MENTION_HINTS = ("rojekt", "atsning", "rogram", "nitiativ", "ampanj", "nätverk")  # every head holds one
# "Program för hållbar jämställdhet": a capitalised head word mid-sentence starts the name itself
_TITLED = re.compile(rf"(?<=[{LOWER},:] )(?:Program|Projekt|Satsning|Programmet|Projektet)[ ](?:för|om|mot|kring)[ ]")
_COPULA_TAIL = re.compile(
    rf"[ ](?:är|var)[ ](?:ett|en)[ ](?:[{LOWER}]+[ ]){{0,3}}?[{LOWER}]*"
    r"(?:projekt|program|satsning|samarbete|initiativ)\b"
)
_COMPOUND = re.compile(rf"(?<![\w-])(?P<n>[{UPPER}][\w{LOWER}]+)-projektet\b")
_COMPOUND_NAME = re.compile(rf"(?<![\w-])(?P<n>[{UPPER}][{LOWER}]{{3,}}projekt)(?:et)?(?![\w{LOWER}])")
# "Regeringens klimathandlingsplan", "Kulturdepartementets åtgärdspaket": a body's plan, named by a compound
_OWNED_PLAN = re.compile(
    rf"(?<![\w-])(?P<n>[{LOWER}]{{3,}}(?:strategi|handlingsplan|åtgärdsplan|åtgärdspaket|satsning|reform))(?![\w{LOWER}-])"
)
_OWNER_BEFORE = re.compile(rf"(?:[{UPPER}][\w{LOWER}]*[^s\W]s|:s)\s$")
# "insamlingsprojektet Nordiska dagar och nätter": a kind of project, then its name
_COMPOUND_HEAD = re.compile(rf"(?<![\w-])[{LOWER}]{{3,}}(?:projektet|programmet|satsningen)[ ]+(?=[”\"{UPPER}])")
_EVENT_WORD = re.compile(r"(?i)konferens|seminari|möte|mässa|träff|dagen|veckan|ceremoni|gala|kampanj")
_ANAPHOR = re.compile(
    r"(?<![\w-])(?:[a-zåäö]*projektet|Projektet|[Ss]atsningen|[Ss]amarbetet|[Pp]rogrammet|[Ii]nitiativet|[Kk]onceptet)\b"
    r"|^(?:Det|Den) (?:finansieras|drivs|leds|samordnas|koordineras|stöds|bekostas)\b"
)


# "Strategi för företag i kulturella och kreativa branscher", "Operation Rimfrost": a named plan or operation
_STRATEGY = re.compile(rf"(?<![\w-])(?:Strategin?|Handlingsplanen?|Operation)[ ](?=(?:(?:för|om|mot)[ ]|[{UPPER}]))")
# "regeringens strategi för att stärka judiskt liv", "en ny nationell strategi mot våldsbejakande extremism": a plan
# named in running text by its kind and its aim
_STRATEGY_LOWER = re.compile(
    r"(?<![\w-])(?P<owner>[Rr]egeringens\s+)?(?:(?:en|den)\s+)?(?P<new>(?:ny|nya)\s+)?"
    r"(?P<s>(?P<kind>(?:nationell|nationella|samlad|samlade)\s+)?(?:strategi|strategin|handlingsplan|handlingsplanen))"
    r"[ ](?=(?:för|mot)[ ])"
)
_PLAN_STOP_LOWER = re.compile(
    r"[ ](?:som|där|vilket|vilken|samt|ska|skall|har|är|var|kommer|blir|och[ ](?:i|på|för|att|det|den|de)|"
    r"bygger|omfattar|riktas|gäller|syftar|innebär|innehåller|beslutades|antogs|togs|presenterades|lanserades|"
    r"fokuserar|löper|särskilt|under|inom|från|skulle|kan|kunde|måste|bör|får|vill|nu|utgör|lyfter|visar|pekar|"
    r"ger|tar|beskriver|anger|lägger|sitt|sin|sina|[–-])[ ]|,"
    r"|[ ]och[ ](?=(?:myndigheten|handlingsplanen|strategin|regeringen|arbetet|uppdraget)[ .,])"
    r"|[ ](?=[a-zåäö]+[ ](?:vi|jag|de|han|hon|man)[ ])"
    r"|(?<!för)(?<!mot)(?<!om)(?<!av)(?<!med)(?<!till)[ ](?:en|ett)[ ]"  # "… och terrorism en viktig utgångspunkt"
)
# the rest of a plan's name in sentence case: up to the clause's end, at most 12 words
_PLAN_FOR = re.compile(r"(?:för|om|mot)[ ][^.;:()\n”\"]{3,140}")
_PLAN_STOP = re.compile(
    r"[ ](?:som|där|vilket|vilken|samt|ska|skall|har|är|var|kommer|blir|och[ ](?:i|på|för|att|det|den|de)|"
    r"bygger|omfattar|riktas|gäller|syftar|innebär|innehåller|beslutades|antogs|togs|presenterades|lanserades|"
    r"fokuserar|löper|särskilt|(?:av|till|under|från)(?=[ ][a-zåäö])|"
    r"[–-])[ ]|,[ ](?:och[ ])?(?:som|där|men|vilket|med|i|på)[ ]"
)
# "Äldreomsorgslyftet", "vildsvinspaketet": a named government push or package
_NAMED_COMPOUND = re.compile(rf"(?<![\w-])[{UPPER}{LOWER}][{LOWER}]{{3,}}(?:lyftet|paketet)(?![\w-])")
# "Wallenberg AI, Autonomous Systems and Software Program (WASP)"
_ACRONYM_PROGRAMME = re.compile(
    rf"(?P<n>[{UPPER}][\w-]*(?:,?[ ][\w-]+){{0,8}}[ ](?:Program|Programme|Project|Initiative))[ ]\([{UPPER}]{{2,8}}\)"
)


_PROGRAMME_HINT = re.compile(r"(?:Program|Programme|Project|Initiative) \(")


def _titled(text: str) -> list[tuple[int, int]]:
    """Spans of names that say by themselves that they name a project: strategies, operations,
    packages, programmes with an acronym."""
    out = []
    for m in _STRATEGY.finditer(text) if any(h in text for h in ("trategi", "andlingsplan", "Operation")) else ():
        span = proper_name_at(text, m.start(), max_words=9, allow_and=True)
        plan = _PLAN_FOR.match(text, m.end())
        if plan:  # "Strategin för Sveriges utrikeshandel, investeringar och globala konkurrenskraft"
            end = m.end() + len(_PLAN_STOP.split(plan.group(0))[0].rstrip(" ,"))
            span = (m.start(), max(end, span[1] if span else 0))
        if span and span[1] > m.end() + 2:
            out.append(span)
    out += national_plans(text)
    if "lyftet" in text or "paketet" in text:
        out += [(m.start(), m.end()) for m in _NAMED_COMPOUND.finditer(text)]
    for m in _ACRONYM_PROGRAMME.finditer(text) if _PROGRAMME_HINT.search(text) else ():
        first = re.match(r"[\w-]+[ ]", m.group("n"))
        b = m.start("n")
        if first and first.group(0).strip().lower().endswith(("programmet", "projektet", "satsningen")):
            b += first.end()  # "forskningsprogrammet Wallenberg AI, …": the name after the common noun
        out.append((b, m.end("n")))
    return out


def national_plans(text: str) -> list[tuple[int, int]]:
    """Spans of the government's plans named in running text by their kind and aim ('regeringens strategi för …',
    'en nationell strategi mot …')."""
    out = []
    for m in _STRATEGY_LOWER.finditer(text) if "strategi" in text or "handlingsplan" in text else ():
        plan = _PLAN_FOR.match(text, m.end())
        if plan and (m.group("owner") or m.group("kind")):
            words = _PLAN_STOP_LOWER.split(plan.group(0))[0].rstrip(" ,").split()
            while words and words[-1] in ("och", "samt", "i"):
                words.pop()
            if 2 <= len(words) <= 14:
                out.append((m.start("s"), m.end() + len(" ".join(words))))
    return out


def _candidates(text: str, sents: list[Segment], titled: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans of project names: after a head word, in a titled head, before 'är ett projekt', compounds."""
    out = []
    for m in _MENTION.finditer(text) if any(h in text for h in _MENTION_HINTS) else ():
        pos = m.end()
        if text[pos] in '”"':
            q = re.match(r"[”\"]([^”\"\n]{3,60})[”\"]", text[pos:])
            if q:
                out.append((pos + 1, pos + 1 + len(q.group(1))))
        else:
            span = proper_name_at(text, pos, max_words=6)
            if span:
                out.append(span)
    for m in _TITLED.finditer(text) if any(h in text for h in ("Program", "Projekt", "Satsning")) else ():
        span = proper_name_at(text, m.start(), max_words=6)
        if span:
            out.append(span)
    copula = any(c in text for c in (" är en ", " är ett ", " var en ", " var ett "))  # every tail holds one
    for s in sents if copula else ():
        span = proper_name_at(text, s.begin, max_words=5)
        if span and _COPULA_TAIL.match(text, span[1]):
            out.append(span)
    out += titled
    for m in (
        _OWNED_PLAN.finditer(text)
        if any(h in text for h in ("strategi", "plan", "paket", "satsning", "reform"))
        else ()
    ):
        if _OWNER_BEFORE.search(text, max(0, m.start() - 40), m.start()):
            out.append((m.start("n"), m.end("n")))
    for m in _COMPOUND_HEAD.finditer(text) if any(h in text for h in ("projektet", "programmet", "satsningen")) else ():
        span = proper_name_at(text, m.end(), max_words=6, allow_and=True)
        if span:
            out.append(span)
    if "projekt" not in text:  # in every compound below
        return out
    out += [(m.start("n"), m.end("n")) for m in _COMPOUND.finditer(text)]
    # "SKL:s Ansvarsprojekt": a capitalised compound is a name when an owner in the genitive precedes it
    out += [
        (m.start("n"), m.end("n"))
        for m in _COMPOUND_NAME.finditer(text)
        if re.search(r"(?:[A-ZÅÄÖ]\w*s|:s)\s$", text[max(0, m.start() - 40) : m.start()])
    ]
    return out


def _verbs(key: str) -> str:
    return "|".join(sorted(map(re.escape, load().lexicon[key]), key=len, reverse=True))


_NOT_FIRST = frozenset({"Det", "Den", "Detta", "Vi", "Ett", "En", "Pressmeddelande"})


def find_projects(
    text: str,
    sents: list[Segment],
    orgs: list[OrgMention],
    towns: list[tuple[int, int, str]],
    blocked: list[tuple[int, int]],
) -> list[Project]:
    """Named projects with their coordinators, participants and funders."""
    projects: dict[str, Project] = {}
    mentions: list[tuple[int, int, Project]] = []
    titled_spans = _titled(text)
    titled = set(titled_spans)
    national = set(national_plans(text))
    for b, e in _candidates(text, sents, titled_spans):
        name = text[b:e].strip()
        quoted = b > 0 and text[b - 1] in '”"'  # "projektet ”Ett Västerbottenskontor i Stockholm”": a title as written
        if not name or (name.split()[0] in _NOT_FIRST and not quoted):
            continue
        if any(x <= b < y for x, y in blocked) or _is_org(orgs, b, e) or name in load().towns:
            continue
        p = projects.setdefault(name.lower(), Project(name, b, e))
        p.spans.append((b, e))
        p.titled = p.titled or (b, e) in titled
        p.national = p.national or (b, e) in national
        mentions.append((b, e, p))
    granted = _grant_list(text, orgs)
    if not projects:
        return granted
    main = min(mentions, key=lambda x: x[0])[2]
    coord, part, fund = _verbs("coordinator_verbs"), _verbs("participant_verbs"), _verbs("funder_phrases")
    for s in sents:
        here = [p for b, _e, p in mentions if s.begin <= b < s.end]
        anaphor = _ANAPHOR.search(text[s.begin : s.end])
        if not here and (
            anaphor
            or (
                len(projects) == 1
                and re.search(r"\b(deltar|deltagande|medverkar|ingår)\b", text[s.begin : s.end])
                and not _EVENT_WORD.search(text[s.begin : s.end])
            )
        ):
            earlier = [p for b, _e, p in sorted(mentions, key=lambda x: x[0]) if b < s.begin]
            here = [earlier[-1] if anaphor and earlier else main]  # "Projektet får stöd …": the one just named
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
        phrases = sorted(
            [(m.start(), m.end(), "funder", m.group(0)) for m in re.finditer(rf"\b(?:{fund})\b", sent)]
            + [(m.start(), m.end(), "funder", m.group(0)) for m in _AMOUNT_FROM.finditer(sent)]
            + [(m.start(), m.end(), "funder", m.group(0)) for m in _FUNDERS_ARE.finditer(sent)]
            + [(m.start(), m.end(), "coordinator", m.group(0)) for m in re.finditer(rf"\b(?:{coord})\b", sent)]
        )
        phrases = [p for i, p in enumerate(phrases) if not (i and phrases[i - 1][1] > p[0])]  # overlapping: the first
        for i, (pb, pe, relation, phrase) in enumerate(phrases):
            passive = re.search(r"\b(av|från|ur|genom|är)$", phrase) is not None
            if passive:  # "drivs av X och finansieras av Y": X up to the next phrase
                stop = phrases[i + 1][0] if i + 1 < len(phrases) else len(sent)
                partner = re.search(r"\b(?:i samarbete med|tillsammans med|i samverkan med|med stöd)\b", sent[pe:stop])
                stop = pe + partner.start() if partner else stop
                chosen = [o for o in s_orgs if s.begin + pe <= o.begin < s.begin + stop]
            else:  # "X finansierar", "X och Y driver projektet"
                before = [
                    o
                    for o in s_orgs
                    if o.end <= s.begin + pb and not o.genitive and (o.ref.key, "funder") not in project.relations
                ]
                if before and len(text[before[-1].end : s.begin + pb].split()) > 3:
                    before = []  # the subject is not an organisation ("Projektet … startar")
                chosen = before[-1:] if relation == "funder" else before[:1]
                for o in before[1:] if relation == "coordinator" else []:
                    project.relate(o.ref, "participant", o.begin, o.end)
            for o in chosen:
                project.relate(o.ref, relation, o.begin, o.end)
        for tm in re.finditer(r"\b(?:tillsammans med|i samarbete med|i samverkan med)\s", sent):
            for o in s_orgs:
                if o.begin >= s.begin + tm.end() and o.ref.key not in {k[0] for k in project.relations}:
                    project.relate(o.ref, "participant", o.begin, o.end)
        pm = re.search(rf"\b(?:{part})\b", sent)
        if pm:
            taken = {k[0] for k, v in project.relations.items() if v[1] in {"coordinator", "funder"}}
            subjects = [o for o in s_orgs if o.ref.key not in taken and not o.genitive]
            for o in subjects:
                project.relate(o.ref, "participant", o.begin, o.end)
            for b, e, key in towns:
                if s.begin <= b < s.begin + pm.start() and (b == s.begin or text[s.begin : b].strip() == ""):
                    project.relate(load().orgs[key], "participant", b, e)  # "Västerås deltar i …"
    for p in projects.values():
        if p.national:  # the government's plan, whoever the sentence names
            p.relations = {}
            b, e = p.spans[0]
            p.relate(government_ref(), "coordinator", b, e)
    return list(projects.values()) + [g for g in granted if g.name.lower() not in projects]


# "får stöd med drygt 8,6 miljoner kronor från Arvsfonden", "5 miljoner kronor i stöd av Vinnova"
_AMOUNT_FROM = re.compile(r"\b(?:stöd|bidrag|medel|kronor)\b[^.]{0,40}?\b(?:från|av|ur)\b")
_FUNDERS_ARE = re.compile(r"\b(?:[Mm]ed)?[Ff]inansiär(?:er(?:na)?)?\b[^.]{0,30}?\bär\b")  # "Medfinansiärer … är X, Y"
_GRANT = re.compile(r"\b(?:beviljas|beviljades|beviljat|tilldelas|tilldelats|tilldelades|anslår|anslag|medel|bidrag)\b")
_AMOUNT_LINE = re.compile(r"(?m)^\d[\d \u00a0.,]*(?:\s*(?:kr|kronor|kornor|miljoner(?: kronor)?|mkr|tkr))?\.?[ \t]*$")
# "Arvid Erlandsson, docent på Avdelningen för psykologi: Politisk beröringsskräck: …, 5,2 miljoner kronor."
_INLINE_GRANT = re.compile(
    r"(?m)^[^\n:]{5,120}?:[ ](?P<t>[^\n]{5,300}?),[ ]\d[\d,. ]*(?:miljoner|kronor|mkr|tkr|kr)\b[^\n]*$"
)
_FUNDER_KINDS = frozenset({"GovernmentAgency", "Organisation", "Foundation", "Association"})


def _grant_list(text: str, orgs: list[OrgMention]) -> list[Project]:
    """A list of research grants (a person, a unit, a project title, an amount): each title names a
    project the granting body funds ('Formas', 'Vetenskapsrådet' in the lead)."""
    if "kron" not in text and "miljon" not in text:
        return []
    lead = text[: max(600, text.find("\n\n", 400))]
    if not _GRANT.search(lead) and not re.search(r"\b(?:får|fått)\b[^.]*\b(?:kronor|miljoner)\b", lead):
        return []
    funders = [o for o in orgs if o.begin < len(lead) and o.ref.kind in _FUNDER_KINDS and not o.genitive]
    funder = next((o for o in funders if re.search(r"(?:från|av)\s+$", text[max(0, o.begin - 6) : o.begin])), None)
    funder = funder or (funders[0] if funders else None)
    if funder is None:
        return []
    titles: list[tuple[int, int]] = []
    for m in _AMOUNT_LINE.finditer(text):
        prev_end = m.start() - 1
        if prev_end <= 0 or text[prev_end] != "\n":
            continue
        prev_start = text.rfind("\n", 0, prev_end) + 1
        title = text[prev_start:prev_end].strip()
        if title and title[:1].isupper() and not title.endswith(":") and len(title.split()) <= 40:
            titles.append((prev_start, prev_start + len(title)))  # "Intermedial ekokritik\n2 995 053 kronor."
    for m in _INLINE_GRANT.finditer(text):
        titles.append((m.start("t"), m.end("t")))
    out = []
    for b, e in titles if len(titles) >= 2 else ():
        name = text[b:e].strip()
        if name:
            p = Project(name, b, e, spans=[(b, e)], titled=True)
            p.relate(funder.ref, "funder", funder.begin, funder.end)
            out.append(p)
    return out


def _is_org(orgs: list[OrgMention], b: int, e: int) -> bool:
    return any(o.begin <= b and e <= o.end for o in orgs)
