"""Contact lines: phone numbers in Swedish formats and e-mail addresses, each with its person."""

from __future__ import annotations

from functools import cache

import pytest

from kg.extract.document import DocFacts, analyse
from kg.read import document_from_text


@cache
def facts(text: str) -> DocFacts:
    return analyse(document_from_text(text))


def contacts(text: str) -> set[tuple[str, str | None, str | None]]:
    return {(c.person, c.phone, c.email) for c in facts(text).contacts}


HEAD = (
    "Ny cykelväg i Ljungby\n\nCykelvägen mellan centrum och stationen öppnar i maj.\n\nFör mer information, kontakta:\n"
)

CASES = [
    pytest.param(
        HEAD + "VD Lennart Ek mobil 0705\u2010123295\n",
        {("Lennart Ek", "0705\u2010123295", None)},
        id="unicode-hyphen",
    ),
    pytest.param(
        HEAD + "Karin Holmgren, trafikplanerare, 070-318 27 54\n",
        {("Karin Holmgren", "070-318 27 54", None)},
        id="mobile-dash-groups",
    ),
    pytest.param(
        HEAD + "Tomas Ek, gatuchef, tfn 08-555 12 345\n",
        {("Tomas Ek", "08-555 12 345", None)},
        id="stockholm-area-code",
    ),
    pytest.param(
        HEAD + "Maria Nyberg, kommunikatör, telefon 0155 - 24 18 90\n",
        {("Maria Nyberg", "0155 - 24 18 90", None)},
        id="spaced-hyphen",
    ),
    pytest.param(
        HEAD + "Johan Sundin, projektledare, 070 – 612 09 83\n",
        {("Johan Sundin", "070 – 612 09 83", None)},
        id="spaced-en-dash",
    ),
    pytest.param(
        HEAD + "Lisa Berglöf, miljöstrateg\nTel: 0372-78 90 12\nE-post: lisa.berglof@ljungby.se\n",
        {("Lisa Berglöf", "0372-78 90 12", None), ("Lisa Berglöf", None, "lisa.berglof@ljungby.se")},
        id="phone-and-email-on-following-lines",
    ),
    pytest.param(
        HEAD + "Anna Björkström, kommunikatör, anna.bjorkstrom[at]ljungby.se\n",
        {("Anna Björkström", None, "anna.bjorkstrom@ljungby.se")},
        id="email-with-at-in-brackets",
    ),
    pytest.param(
        HEAD + "Per Malmgren, gatuchef, 0372-78 91 00\nSofia Hedin, trafikingenjör, 0372-78 91 50\n",
        {("Per Malmgren", "0372-78 91 00", None), ("Sofia Hedin", "0372-78 91 50", None)},
        id="two-people-each-their-phone",
    ),
    pytest.param(
        HEAD + "Per Malmgren, gatuchef, och Sofia Hedin, trafikingenjör\n"
        "per.malmgren@ljungby.se, sofia.hedin@ljungby.se\n",
        {("Per Malmgren", None, "per.malmgren@ljungby.se"), ("Sofia Hedin", None, "sofia.hedin@ljungby.se")},
        id="emails-assigned-by-local-part",
    ),
    pytest.param(
        HEAD + "Erik Thorsson, enhetschef, +46 70 318 27 54\n",
        {("Erik Thorsson", "+46 70 318 27 54", None)},
        id="international-prefix",
    ),
    pytest.param(
        HEAD + "Helena Wik, stadsarkitekt, 08 555 123 45\n",
        {("Helena Wik", "08 555 123 45", None)},
        id="spaces-only",
    ),
    pytest.param(
        HEAD + "Pressansvarig:\nMarcus Lind\n0372-78 95 55\n",
        {("Marcus Lind", "0372-78 95 55", None)},
        id="header-role-name-phone-lines",
    ),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_contacts(text: str, expected: set) -> None:
    assert contacts(text) == expected


NEGATIVE = [
    pytest.param(
        "Öppet hus på biblioteket i Tierp\n\nVälkommen på öppet hus tisdag kl 09.00 – 11.45. "
        "Anna Malm, bibliotekarie, visar de nya lokalerna.\n",
        set(),
        id="time-range-is-not-a-phone",
    ),
    pytest.param(
        "Beslut i Tierp\n\nBeslutet fattades 2019-03-12 av kommunstyrelsen. Det säger Anna Malm, kommunsekreterare.\n",
        set(),
        id="iso-date-is-not-a-phone",
    ),
    pytest.param(
        "Bidrag till föreningar\n\nÅrets bidrag är 120 000 kronor. Ansökan skickas till "
        "Anna Malm, föreningskonsulent.\n",
        set(),
        id="amount-is-not-a-phone",
    ),
]


@pytest.mark.parametrize(("text", "expected"), NEGATIVE)
def test_no_false_contacts(text: str, expected: set) -> None:
    assert contacts(text) == expected


def test_time_range_next_to_phone() -> None:
    text = HEAD + "Anna Malm, trafikplanerare, nås kl 09.00 – 11.45 på 0372-78 93 21\n"
    assert contacts(text) == {("Anna Malm", "0372-78 93 21", None)}


@pytest.mark.parametrize(
    "line",
    ["Eva Lind 0730449853", "Eva Lind +46104508064", "Eva Lind 019 602 7358", "Eva Lind, telefon:0760 34 50 59"],
)
def test_phone_numbers_without_separators_or_after_a_colon(line: str) -> None:
    f = analyse(document_from_text(f"Kontakt\n\nFör mer information kontakta:\n{line}\n"))
    assert [c.person for c in f.contacts if c.phone] == ["Eva Lind"], f.contacts


def test_a_time_range_is_no_phone_number() -> None:
    f = analyse(document_from_text("Program\n\nEva Lind talar kl 10:05 - 11:00 i aulan.\n"))
    assert not [c for c in f.contacts if c.phone]
