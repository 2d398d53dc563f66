"""Quotes and their speakers: dash and quotation-mark quotes, attribution verbs, name lines, pronouns."""

from __future__ import annotations

from functools import cache

import pytest

from kg.extract.document import DocFacts, analyse
from kg.read import document_from_text


@cache
def facts(text: str) -> DocFacts:
    return analyse(document_from_text(text))


CASES = [
    pytest.param(
        "Gåva till forskningen\n\n“Vi är stolta över att kunna bidra till forskningen”, säger Eva Lund, "
        "Stiftelsen Ekbacken.\n",
        {("Eva Lund", "Vi är stolta över att kunna bidra till forskningen")},
        id="curly-opening-quotation-mark",
    ),
    pytest.param(
        "Nya reservat\n\nLänsstyrelsen har beslutat om tre nya naturreservat i länet i dag.- Nu skyddas "
        "skogen för all framtid, säger landshövding Ola Berg.\n",
        {("Ola Berg", "Nu skyddas skogen för all framtid")},
        id="dash-glued-to-the-full-stop",
    ),
    pytest.param(
        "Besök i länet\n\n– Jämställdhet är en fråga om mänskliga rättigheter och angår oss alla i länet.\n\n"
        "Därför är det glädjande att ministern besöker oss, säger landshövding Ola Berg.\n",
        {("Ola Berg", "Jämställdhet är en fråga om mänskliga rättigheter och angår oss alla i länet.")},
        id="quote-runs-into-a-paragraph-without-dash",
    ),
    pytest.param(
        "Bra placering\n\n– Vi klättrar igen i rankingen och det är ett kvitto på arbetet, säger "
        "kommunstyrelsens ordförande Eva Berg (S) och kommunstyrelsens vice ordförande Per Lind (M).\n",
        {
            ("Eva Berg", "Vi klättrar igen i rankingen och det är ett kvitto på arbetet"),
            ("Per Lind", "Vi klättrar igen i rankingen och det är ett kvitto på arbetet"),
        },
        id="two-speakers-of-one-quote",
    ),
    pytest.param(
        "Ny cykelplan i Eskilstuna\n\n"
        "– Vi vill att fler ska välja cykeln till jobbet, säger Karin Holmqvist, kommunalråd i "
        "Eskilstuna kommun.\n",
        {("Karin Holmqvist", "Vi vill att fler ska välja cykeln till jobbet")},
        id="dash-sager-name-role",
    ),
    pytest.param(
        "Ny lekplats i Ludvika\n\n”Barnen har längtat efter det här väldigt länge”, säger kulturchef Mats Ekdahl.\n",
        {("Mats Ekdahl", "Barnen har längtat efter det här väldigt länge")},
        id="quotation-marks-sager-role-name",
    ),
    pytest.param(
        "Skolan i Hedemora byggs om\n\n"
        "– Skolan står klar till hösten och eleverna kan flytta in direkt, sa Johan Bergwall, "
        "skolchef i Hedemora kommun.\n",
        {("Johan Bergwall", "Skolan står klar till hösten och eleverna kan flytta in direkt")},
        id="dash-sa-name",
    ),
    pytest.param(
        "Samarbete över gränserna\n\n"
        "– Det är helt avgörande att vi samarbetar över kommungränserna, menar Sofia Lindahl, "
        "regionråd i Region Skåne.\n",
        {("Sofia Lindahl", "Det är helt avgörande att vi samarbetar över kommungränserna")},
        id="dash-menar-name",
    ),
    pytest.param(
        "Rekordmånga sökande till Komvux i Nässjö\n\n"
        "”Intresset för kurserna har aldrig varit större än i år”, enligt Anders Wiklund, rektor på "
        "Komvux.\n",
        {("Anders Wiklund", "Intresset för kurserna har aldrig varit större än i år")},
        id="quotation-marks-enligt-name",
    ),
    pytest.param(
        "Unga tycker till om Ystad\n\n"
        "Ylva Stenberg, fritidschef i Ystads kommun, berättar:\n\n"
        "– Vi har fått in över tvåhundra förslag från barn och unga i hela kommunen.\n",
        {("Ylva Stenberg", "Vi har fått in över tvåhundra förslag från barn och unga i hela kommunen.")},
        id="name-berattar-colon-then-dash",
    ),
    pytest.param(
        "Nytt badhus i Piteå\n\n"
        "Badhuset öppnar för allmänheten i augusti.\n\n"
        "Citat\n\n"
        "Vi ser fram emot att välkomna alla besökare till det nya badhuset.\n\n"
        "Maria Forsberg, fritidschef, Piteå kommun\n",
        {("Maria Forsberg", "Vi ser fram emot att välkomna alla besökare till det nya badhuset")},
        id="citat-box-name-line",
    ),
    pytest.param(
        "Utmärkelse till hemtjänsten i Sala\n\n"
        "- Vi är mycket stolta över utmärkelsen som går till hela personalen, säger Per Olofsson, "
        "förvaltningschef.\n",
        {("Per Olofsson", "Vi är mycket stolta över utmärkelsen som går till hela personalen")},
        id="hyphen-dash",
    ),
    pytest.param(
        "Ny skola i Umeå\n\n"
        "– Skolan kommer att stå klar hösten 2024 och vi ser fram emot invigningen, sa Lars "
        "Bergwall, skolchef.\n\n"
        "Elevantalet väntas öka de närmaste åren.\n\n"
        "– Det blir en fin skola för alla elever i området, sa Lars.\n",
        {
            ("Lars Bergwall", "Skolan kommer att stå klar hösten 2024 och vi ser fram emot invigningen"),
            ("Lars Bergwall", "Det blir en fin skola för alla elever i området"),
        },
        id="first-name-alone-points-back",
    ),
    pytest.param(
        "Renare vatten i Härnösand\n\n"
        "– Vattenkvaliteten har förbättrats mycket, säger Eva Sjöberg, miljöchef i Härnösands kommun.\n\n"
        "– Men vi har fortfarande mycket arbete kvar med de små sjöarna, fortsätter hon.\n",
        {
            ("Eva Sjöberg", "Vattenkvaliteten har förbättrats mycket"),
            ("Eva Sjöberg", "Men vi har fortfarande mycket arbete kvar med de små sjöarna"),
        },
        id="pronoun-next-paragraph",
    ),
    pytest.param(
        "Fler bostäder i Lerum\n\n"
        "– Vi bygger mer än någonsin, säger Tobias Norén, samhällsbyggnadschef. "
        "Nästa år planerar vi för ytterligare tvåhundra lägenheter, fortsätter han.\n",
        {
            ("Tobias Norén", "Vi bygger mer än någonsin"),
            ("Tobias Norén", "Nästa år planerar vi för ytterligare tvåhundra lägenheter"),
        },
        id="pronoun-same-paragraph",
    ),
    pytest.param(
        "Simrishamns kommun\n\n"
        "Kommunalrådet Petra Lindqvist (S) välkomnar beslutet om den nya hamnen.\n\n"
        "– Det här är en viktig dag för hela kommunen och alla som bor här, säger hon.\n",
        {("Petra Lindqvist", "Det här är en viktig dag för hela kommunen och alla som bor här")},
        id="pronoun-back-to-person-in-lead",
    ),
    pytest.param(
        "Trygghetsvandring i Kungsbacka\n\n"
        "– Vi vill höra vad invånarna själva upplever som otryggt, säger Helena Brandt, "
        "trygghetssamordnare.\n\n"
        "– Alla synpunkter tas med i det fortsatta arbetet med stadsmiljön under våren.\n",
        {
            ("Helena Brandt", "Vi vill höra vad invånarna själva upplever som otryggt"),
            ("Helena Brandt", "Alla synpunkter tas med i det fortsatta arbetet med stadsmiljön under våren."),
        },
        id="multi-paragraph-attribution-first",
    ),
    pytest.param(
        "Nya vindkraftsplaner i Sundsvall\n\n"
        "– Vi har lyssnat noga på alla synpunkter från de boende i området.\n\n"
        "– Därför minskar vi antalet verk från tolv till åtta, säger Oskar Lindgren, planchef i "
        "Sundsvalls kommun.\n",
        {
            ("Oskar Lindgren", "Vi har lyssnat noga på alla synpunkter från de boende i området."),
            ("Oskar Lindgren", "Därför minskar vi antalet verk från tolv till åtta"),
        },
        id="multi-paragraph-attribution-last",
    ),
    pytest.param(
        "Biblioteket i Tranås förlänger öppettiderna\n\n"
        "– Biblioteket ska vara öppet när invånarna har tid att komma, säger Annika Rydén, "
        "bibliotekschef.\n\n"
        "Citat\n\n"
        "Biblioteket ska vara öppet när invånarna har tid att komma.\n\n"
        "Annika Rydén, bibliotekschef\n",
        {("Annika Rydén", "Biblioteket ska vara öppet när invånarna har tid att komma")},
        id="citat-box-repeat-is-one-quote",
    ),
    pytest.param(
        "Borås bästa föreningar prisade\n\n"
        "– Vilken fantastisk kväll för alla ideella krafter i Borås! säger Linnea Åberg, ordförande "
        "i fritidsnämnden.\n",
        {("Linnea Åberg", "Vilken fantastisk kväll för alla ideella krafter i Borås!")},
        id="exclamation-kept",
    ),
    pytest.param(
        "Ny förskola i Vänersborg\n\n"
        "– Förskolan får plats för hundra barn och en stor utegård, sade kommunalrådet Gunilla Ek (C).\n",
        {("Gunilla Ek", "Förskolan får plats för hundra barn och en stor utegård")},
        id="sade-definite-title-name",
    ),
    pytest.param(
        "Besök\n\nOmställningen är i fokus för besöket. - Det här är en möjlighet att visa upp länet, säger "
        "landshövding Eva Holm.\n",
        {("Eva Holm", "Det här är en möjlighet att visa upp länet")},
        id="a-hyphen-quote-inside-a-paragraph-with-its-speaker",
    ),
    pytest.param(
        "Nytt kontor\n\n– Vi har ett allvarligt läge, säger justitieminister Per Ek.\n\n"
        "- Att ha vår verksamhet mitt i centrum stärker kontakten med de boende! Säger Sara Lind, avdelningschef.\n\n"
        "– EM i Finland känns både tryggt och lyxigt, skrattar Karin Olsson som är landslagsledare.\n",
        {
            ("Per Ek", "Vi har ett allvarligt läge"),
            ("Sara Lind", "Att ha vår verksamhet mitt i centrum stärker kontakten med de boende!"),
            ("Karin Olsson", "EM i Finland känns både tryggt och lyxigt"),
        },
        id="a-capitalised-verb-after-an-exclamation-and-a-laugh-are-no-earlier-speaker-s",
    ),
    pytest.param(
        "Besök i Sarajevo\n\n– Folkmordet krävde tusentals liv och fortfarande, 30 år senare, fortsätter identifiering "
        "av offer, säger utrikesminister Anna Ek.\n",
        {
            (
                "Anna Ek",
                "Folkmordet krävde tusentals liv och fortfarande, 30 år senare, fortsätter identifiering av offer",
            )
        },
        id="a-speech-verb-inside-the-quote-is-not-its-attribution",
    ),
    pytest.param(
        "Tränarbyte\n\n”Jag vill tacka Peter för det arbete han lagt ner på A-laget under säsongen”.\n\n"
        "-Alexander Ytterberg, Sportchef\n",
        {("Alexander Ytterberg", "Jag vill tacka Peter för det arbete han lagt ner på A-laget under säsongen")},
        id="a-signature-line-under-the-quote",
    ),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_quotes_and_speakers(text: str, expected: set[tuple[str, str]]) -> None:
    assert {(q.speaker, q.text) for q in facts(text).quotes} == expected


def test_repeated_citat_box_quote_has_two_spans() -> None:
    text = next(c.values[0] for c in CASES if c.id == "citat-box-repeat-is-one-quote")
    quotes = facts(text).quotes
    assert len(quotes) == 1
    assert len(quotes[0].spans) == 2


@pytest.mark.parametrize(("text", "expected"), CASES[:6] + CASES[8:12])
def test_quote_text_is_its_span(text: str, expected: set[tuple[str, str]]) -> None:
    f = facts(text)
    assert f.quotes
    for q in f.quotes:
        assert f.doc.text[q.begin : q.end] == q.text
        for b, e in q.spans:
            assert f.doc.text[b:e].rstrip(".") == q.text.rstrip(".")


NEGATIVE = [
    pytest.param(
        "Program för dagen\n\n"
        "- Guidade turer genom den gamla stadsdelen under hela dagen\n"
        "- Musik och dans på torget för hela familjen hela eftermiddagen\n",
        id="dash-bullets-are-not-quotes",
    ),
    pytest.param(
        "Nya cykelbanor i Motala\n\n– Det här blir riktigt bra för alla som cyklar till jobbet, säger hon.\n",
        id="pronoun-without-antecedent-has-no-speaker",
    ),
    pytest.param(
        "Gatuarbeten i Kiruna\n\nEnligt Trafikverket blir vägen avstängd under hela veckan.\n",
        id="enligt-organisation-is-not-a-quote",
    ),
]


@pytest.mark.parametrize("text", NEGATIVE)
def test_no_attributed_quote(text: str) -> None:
    assert [(q.speaker, q.text) for q in facts(text).quotes if q.speaker] == []


def test_a_dash_quote_whose_next_paragraph_names_the_speaker_is_not_the_name_before_it() -> None:
    from kg.extract.document import analyse
    from kg.read import document_from_text

    f = analyse(
        document_from_text(
            "Uppsägning\n\nKommunstyrelsen har i dag beslutat att säga upp kommundirektör Eva Lind.\n\n"
            "- Vi har gjort en helhetsbedömning av Eva Linds förutsättningar och kommit fram till något.\n\n"
            "Förtroendet saknas, säger Olle Berg (S), kommunstyrelsens ordförande.\n"
        )
    )
    assert [q.speaker for q in f.quotes] == ["Olle Berg"], [(q.speaker, q.text) for q in f.quotes]


def test_a_list_of_dash_name_lines_is_no_quote() -> None:
    text = (
        "Kulturpris\n\nPå scenen:\n\n- Anja Nordberg Sonesson, 2:e vice ordförande kommunfullmäktige och "
        "kulturnämnden\n\n"
        "- Janne Grönholm, ordförande kulturnämnden\n\n- Annika Cedhagen, kulturdirektör\n"
    )
    assert facts(text).quotes == []


def test_a_foreign_official_quoted_in_a_government_release_speaks_for_no_swedish_body() -> None:
    f = facts(
        "# Fördjupat samarbete om specialförband\n\nRegeringen har i dag undertecknat en avsiktsförklaring.\n\n"
        "– Samarbete är vår största kollektiva tillgång, säger Christopher P. Maier, Assistant Secretary of "
        "Defense for Special Operations.\n"
    )
    assert f.speaker_org.get("Christopher P. Maier") is None, f.speaker_org
