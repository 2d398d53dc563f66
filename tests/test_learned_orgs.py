"""The trained organisation-name classifier: it retrains from the repository to the shipped file, never
sees the held-out batches, and fills a person's organisation that no list or pattern knows."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg import train
from kg.extract import learned_orgs
from kg.extract.document import analyse
from kg.read import read_document

REAL = Path(__file__).parent / "data" / "real"


def _facts(tmp_path: Path, text: str):
    path = tmp_path / "release.txt"
    path.write_text(text, encoding="utf-8")
    return analyse(read_document(path))


def test_retraining_from_the_repository_gives_the_shipped_model():
    shipped = json.loads(learned_orgs.MODEL_PATH.read_text(encoding="utf-8"))
    model = train.build_org_model(REAL)
    assert model["trained_on"] == shipped["trained_on"]
    assert model["lower_heads"] == shipped["lower_heads"]
    assert model["threshold"] == shipped["threshold"]
    a, b = model["weights"], shipped["weights"]
    assert len(a.keys() ^ b.keys()) <= len(b) // 1000, "run `python -m kg.train` and commit kg/data/org_model.json"
    assert all(abs(a[k] - b[k]) <= 2e-3 for k in a.keys() & b.keys())


def test_held_out_batches_are_kept_out_of_training():
    shipped = json.loads(learned_orgs.MODEL_PATH.read_text(encoding="utf-8"))
    present = {p.name for p in REAL.iterdir() if p.is_dir()}
    assert present >= train.HELD_OUT  # the measuring batches exist, so keeping them out means something
    assert not set(shipped["trained_on"]) & train.HELD_OUT
    assert shipped["documents"] == len(train.documents(REAL))


def test_a_body_no_list_knows_becomes_the_persons_organisation(tmp_path):
    text = (
        "Ny vd för Nordlys Kraftbolag\n\nStyrelsen har utsett Karin Sundberg till vd för Nordlys Kraft. "
        "Hon tillträder i maj.\n"
    )
    facts = _facts(tmp_path, text)
    members = [(m.person, m.org.name if m.org else None) for m in facts.memberships]
    assert members == [("Karin Sundberg", "Nordlys Kraft")]
    assert "Nordlys Kraft" in {ref.name for ref, _spans in facts.orgs.values()}


def test_a_name_the_classifier_finds_is_listed_only_when_a_fact_uses_it(tmp_path):
    text = "Nytt stöd\n\nPengarna till projektet kommer från Nordlys Kraft.\n"
    assert [text[b:e] for b, e, _p in learned_orgs.find(text)] == ["Nordlys Kraft"]
    assert "Nordlys Kraft" not in {ref.name for ref, _spans in _facts(tmp_path, text).orgs.values()}


@pytest.mark.parametrize(
    "text",
    [
        "Styrelsen har utsett Karin Sundberg till vd. Stiftelsen delar ut priset.",  # anaphoric nouns
        "Karin Sundberg och Per Ek talade i Umeå.",  # people and a town
        "Varje år arrangeras Forum Jämställdhet i en ny stad.",  # an event is the rules' to name
    ],
)
def test_no_organisation_in_anaphors_people_places_or_events(text):
    assert learned_orgs.find(text) == []


def test_rule_found_names_are_left_alone():
    text = "Hon är inköpschef på Valhalla Logistics sedan 2019."
    begin = text.index("Valhalla")
    assert learned_orgs.find(text, [(begin, begin + len("Valhalla Logistics"))]) == []


def test_training_names_a_missing_folder(tmp_path, capsys):
    assert train.main(["--real", str(tmp_path / "nowhere")]) == 2
    assert "nowhere" in capsys.readouterr().err
