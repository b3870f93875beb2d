"""Train the sentence-type model shipped in src/eventwire/data/type_model.json.

    .venv/bin/pip install scikit-learn        # training only; eventwire itself does not need it
    .venv/bin/python training/train_type_model.py [--check] [--no-thresholds]

Data: training/*.jsonl, short event descriptions written by the eventwire developers (no sentence of any
evaluation set), one {"text", "label"} per line. Model: TF-IDF (sublinear term frequency, L2 norm) over
eventwire.events.classifier.features, then multinomial logistic regression; the regularisation strength is
chosen by 5-fold cross-validation on the training sentences alone. Weights whose magnitude is below PRUNE are
dropped to keep the file small (the vocabulary's idf stays whole: it sets the norm).

Thresholds: how far the event stage trusts the model (veto, retype/keep, propose, support, rank; see
eventwire.events.classifier.Thresholds) is chosen by cross-validation too: each fold's sentences run through
the real event stage with a model trained on the other folds, and the thresholds that give the best weighted
F1 over the 25 ACLED types (out-of-scope sentences counted as "no event") win, by coordinate search.
--check trains nothing and reports the cross-validated accuracy of the shipped settings.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import asdict, replace
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from eventwire.events.classifier import (  # noqa: E402
    MODEL_FILE,
    OUT_OF_SCOPE,
    Thresholds,
    features,
    use_type_model,
)

DATA = sorted((REPO / "training").glob("*.jsonl"))
OUT = REPO / "src" / "eventwire" / "data" / MODEL_FILE
PRUNE = 0.01
MIN_DF = 2  # a feature seen in one training sentence only says little and would bloat the file
C_GRID = (10.0, 30.0)
FOLDS = 5
GRID = {
    "veto": (0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.1),
    "retype": (0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.1),
    "keep": (0.02, 0.05, 0.1, 0.2, 0.3),
    "propose": (0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.1),
    "support": (0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1.1),
    "rank": (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.7),
}


def load(paths: list[Path]) -> tuple[list[str], list[str]]:
    texts, labels = [], []
    for path in paths:
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    rec = json.loads(line)
                    texts.append(rec["text"])
                    labels.append(rec["label"])
    return texts, labels


def make_model(c: float):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    return make_pipeline(
        TfidfVectorizer(analyzer=features, sublinear_tf=True, min_df=MIN_DF),
        LogisticRegression(C=c, max_iter=5000),
    )


def export(fitted, thresholds: Thresholds | None = None) -> dict:
    vectorizer, clf = fitted.steps[0][1], fitted.steps[1][1]
    vocab = vectorizer.get_feature_names_out()
    weights: dict[str, dict[str, float]] = {}
    for j, feat in enumerate(vocab):
        per = {str(i): round(float(clf.coef_[i, j]), 4) for i in range(len(clf.classes_))}
        per = {i: w for i, w in per.items() if abs(w) >= PRUNE}
        if per:
            weights[str(feat)] = per
    return {
        "labels": [str(x) for x in clf.classes_],
        "bias": [round(float(b), 4) for b in clf.intercept_],
        "idf": {str(f): round(float(v), 4) for f, v in zip(vocab, vectorizer.idf_, strict=True)},
        "weights": weights,
        "thresholds": asdict(thresholds or Thresholds()),
    }


def choose_thresholds(texts: list[str], labels: list[str], c: float, folds) -> tuple[Thresholds, float]:
    """Coordinate search of the thresholds on the event stage's output for held-out folds."""
    from sklearn.metrics import f1_score

    from eventwire import events, pipeline
    from eventwire.events.classifier import model_from_json
    from eventwire.model import Article

    pipeline.warm_up()
    prepared = []  # (fold model, document, mentions, gold) per sentence
    for train_idx, test_idx in folds.split(texts, labels):
        fold_model = model_from_json(
            export(make_model(c).fit([texts[i] for i in train_idx], [labels[i] for i in train_idx]))
        )
        use_type_model(fold_model)  # thresholds off: the recognisers' output does not depend on them
        for i in test_idx:
            result = pipeline.analyse(Article(id=f"s{i}", text=texts[i]))
            prepared.append((fold_model, result.document, result.mentions, labels[i]))
    acled = sorted({lab for lab in labels if lab not in OUT_OF_SCOPE})

    def score(limits: Thresholds) -> float:
        gold, pred = [], []
        for fold_model, doc, mentions, label in prepared:
            use_type_model(fold_model.with_thresholds(limits))
            found = events.extract_events(doc, mentions)
            best = max(found, key=lambda e: e.confidence) if found else None
            gold.append("none" if label in OUT_OF_SCOPE else label)
            pred.append(best.sub_event_type if best else "none")
        use_type_model(None)
        return float(f1_score(gold, pred, labels=acled, average="weighted", zero_division=0))

    best = Thresholds()
    best_score = score(best)
    print(f"thresholds off: weighted F1 (all rows) {best_score:.4f}")
    for _ in range(2):
        for name, values in GRID.items():
            for value in values:
                trial = replace(best, **{name: value})
                s = score(trial)
                if s > best_score + 1e-9:
                    best, best_score = trial, s
            print(f"  {name}: {getattr(best, name)}  weighted F1 {best_score:.4f}")
    return best, best_score


def main() -> int:
    from sklearn.model_selection import StratifiedKFold, cross_val_score

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--no-thresholds", action="store_true", help="leave the model's thresholds off")
    parser.add_argument(
        "--data", nargs="+", type=Path, default=DATA, help="training files (training/*.jsonl)"
    )
    args = parser.parse_args()
    texts, labels = load(args.data)
    print(f"{len(texts)} sentences, {len(set(labels))} labels: {dict(Counter(labels).most_common(3))} ...")

    folds = StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=13)
    best_c, best_acc = C_GRID[0], -1.0
    for c in C_GRID:
        acc = cross_val_score(make_model(c), texts, labels, cv=folds).mean()
        print(f"C={c:<5} cross-validated accuracy {acc:.3f}")
        if acc > best_acc:
            best_c, best_acc = c, acc
    if args.check:
        return 0
    thresholds, cv_f1 = (
        (Thresholds(), None) if args.no_thresholds else choose_thresholds(texts, labels, best_c, folds)
    )
    out = {
        "about": "eventwire sentence-type model; trained by training/train_type_model.py on "
        "training/*.jsonl (sentences written by the eventwire developers)",
        "c": best_c,
        "cv_accuracy": round(best_acc, 4),
        "cv_event_stage_weighted_f1": None if cv_f1 is None else round(cv_f1, 4),
        **export(make_model(best_c).fit(texts, labels), thresholds),
    }
    OUT.write_text(json.dumps(out, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n")
    print(f"C={best_c}, {thresholds}: wrote {OUT.relative_to(REPO)} ({OUT.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
