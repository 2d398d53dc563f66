"""Train the organisation-name classifier of kg/extract/learned_orgs.py from the annotated releases.

    python -m kg.train [--real tests/data/real]      writes kg/data/org_model.json

Labels come from the hand-written gold beside each text (tests/data/real/batchNN/gold): a candidate
span is an organisation when its words, or its words without a genitive "s", are one of the names
the gold gives any organisation of that document (as a body, a person's or a speaker's
organisation, a project's partner); every other candidate is not. The model is a logistic
regression fitted by stochastic gradient descent, its weights averaged over the steps. The batches
kept for measuring it (HELD_OUT) are never read. Training is deterministic: the same data give the
same file.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import sys
from pathlib import Path

from kg.extract import learned_orgs
from kg.read import read_document

# Batches that measure the model and must not train it; every other folder of tests/data/real does, so a
# new blind batch goes here before it is scored (and out again, with a retrained model, once it is read).
HELD_OUT = frozenset(
    {"batch30", "batch31", "batch32", "batch33", "batch34", "batch35", "batch36", "batch37", "batch38", "batch39"}
)
EPOCHS = 8
L2 = 1e-5
SEED = 20261207
ORG_THRESHOLD = 0.9
_GENITIVE = re.compile(r"(?::s|s)$")


def _norm(name: str) -> str:
    return re.sub(r"\s+", " ", name.replace("\u00a0", " ")).strip().casefold()


def gold_names(gold: dict) -> set[str]:
    """Every name the gold gives an organisation of the document, required or optional."""
    names: set[str] = set()
    for part in (gold, gold.get("optional", {})):
        for o in part.get("organisations", []):
            names.update(o.get("name", []))
        for key, field in (
            ("people", "organisation"),
            ("speakers", "organisation"),
            ("projects", "organisation"),
            ("municipality_speakers", "municipality"),
        ):
            for item in part.get(key, []):
                names.update(item.get(field, []))
    return {n for n in names if n}


def documents(real: Path, held_out: frozenset[str] = HELD_OUT) -> list[tuple[str, str, set[str]]]:
    """(name, text, gold organisation names) of every annotated release outside the held-out batches."""
    out = []
    for batch in sorted(p for p in real.iterdir() if p.is_dir() and p.name not in held_out):
        for gold_path in sorted((batch / "gold").glob("*.json")):
            text_path = batch / "docs" / (gold_path.stem + ".txt")
            if not text_path.exists():
                continue
            gold = json.loads(gold_path.read_text(encoding="utf-8"))
            out.append((f"{batch.name}/{text_path.name}", read_document(text_path).text, gold_names(gold)))
    return out


def lower_heads(docs: list[tuple[str, str, set[str]]]) -> list[str]:
    """Lower-case last words of gold names ("riksförbund", "museer"): a candidate may end in one."""
    heads = set()
    for _, _, names in docs:
        for n in names:
            words = n.split()
            if len(words) > 1 and words[-1].isalpha() and words[-1].islower() and len(words[-1]) >= 4:
                heads.add(words[-1])
    return sorted(heads)


def examples(docs, heads: list[str]) -> list[tuple[list[str], int]]:
    out = []
    for _, text, raw in docs:
        names = {_norm(n) for n in raw}
        toks = learned_orgs.Tokens(text)
        lower = toks.lower_words()
        for c in learned_orgs.candidates(toks, frozenset(heads)):
            surface = _norm(text[c.begin : c.end])
            label = int(surface in names or _GENITIVE.sub("", surface) in names)
            out.append((learned_orgs.features(toks, c, lower), label))
    return out


def train(data: list[tuple[list[str], int]], epochs: int = EPOCHS) -> dict[str, float]:
    """Logistic regression by stochastic gradient descent, weights averaged over the steps."""
    w: dict[str, float] = {}
    total: dict[str, float] = {}
    stamp: dict[str, int] = {}
    order = list(range(len(data)))
    rng = random.Random(SEED)
    step = 0
    for epoch in range(epochs):
        rng.shuffle(order)
        rate = 0.5 / (1 + epoch)
        for i in order:
            feats, y = data[i]
            z = sum(w.get(f, 0.0) for f in feats)
            p = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
            g = (y - p) * rate
            step += 1
            for f in feats:
                old = w.get(f, 0.0)
                total[f] = total.get(f, 0.0) + old * (step - stamp.get(f, 0))
                stamp[f] = step
                w[f] = old + g - rate * L2 * old
    averaged = {}
    for f, v in w.items():
        avg = (total.get(f, 0.0) + v * (step - stamp.get(f, 0))) / step
        if abs(avg) >= 1e-3:
            averaged[f] = round(avg, 4)
    return averaged


def build_org_model(real: Path, held_out: frozenset[str] = HELD_OUT, threshold: float = ORG_THRESHOLD) -> dict:
    docs = documents(real, held_out)
    heads = lower_heads(docs)
    weights = train(examples(docs, heads))
    return {
        "about": "Organisation-name classifier of kg/extract/learned_orgs.py; made by `python -m kg.train`.",
        "trained_on": sorted({name.split("/")[0] for name, _, _ in docs}),
        "documents": len(docs),
        "threshold": threshold,
        "lower_heads": heads,
        "weights": dict(sorted(weights.items())),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--real", type=Path, default=Path("tests/data/real"))
    args = ap.parse_args(argv)
    if not args.real.is_dir():
        print(f"error: --real {args.real} is not a folder of annotated batches", file=sys.stderr)
        return 2
    model = build_org_model(args.real)
    learned_orgs.MODEL_PATH.write_text(json.dumps(model, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"{learned_orgs.MODEL_PATH}: {len(model['weights'])} weights from {model['documents']} documents")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
