"""The surface index finds exactly what the equivalent regex alternation finds."""

from __future__ import annotations

import pytest

from kg.gazetteer import load
from kg.surfaces import SurfaceIndex

TEXTS = [
    "Eskilstuna kommun och Västerås stad bjuder in. SKL:s nätverk träffas i Örebro.",
    "Länsstyrelsen i Västra Götalands län, länsstyrelsen i Skåne och Region Skånes folkhälsa.",
    "x-Eskilstuna kommun, Eskilstuna kommuns, Eskilstunakommun, :Umeå kommun och (Umeå kommun).",
    "İstanbul kommun och Eskilstuna kommun",  # lower() changes the length: the regex path
    "",
]


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("ignore_case", [True, False])
def test_the_index_equals_the_regex(text: str, ignore_case: bool) -> None:
    g = load()
    surfaces = list(g.surfaces) if ignore_case else list(g.towns)
    index = SurfaceIndex(surfaces, ignore_case=ignore_case, before=":-")
    found = [(m.start(), m.end(), m.group(0)) for m in index.finditer(text)]
    expected = [(m.start(), m.end(), m.group(0)) for m in index.regex().finditer(text)]
    assert found == expected


def test_longest_surface_wins_and_matches_do_not_overlap() -> None:
    index = SurfaceIndex(["Region Skåne", "Region", "Skåne län", "Skåne"])
    found = [m.group(0) for m in index.finditer("Region Skåne län och Skåne län")]
    assert found == ["Region Skåne", "Skåne län"]
    assert [m.group(0) for m in SurfaceIndex(["a-b"], before="-").finditer("x-a-b a-b a-bc")] == ["a-b"]
