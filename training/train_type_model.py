"""Train the sentence-type model shipped in src/eventwire/data/type_model.json.

    .venv/bin/pip install scikit-learn        # training only; eventwire itself does not need it
    .venv/bin/python training/train_type_model.py [--check]

Data: training/sentences.jsonl, short event descriptions written by the eventwire developers (no sentence
of any evaluation set). Model: multinomial logistic regression over eventwire.events.classifier.features;
the regularisation strength is chosen by 5-fold cross-validation on the training sentences alone. Weights
whose magnitude is below PRUNE are dropped to keep the file small. --check trains nothing and reports the
cross-validated accuracy of the shipped settings.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from eventwire.events.classifier import MODEL_FILE, features  # noqa: E402

DATA = REPO / "training" / "sentences.jsonl"
OUT = REPO / "src" / "eventwire" / "data" / MODEL_FILE
PRUNE = 0.02
C_GRID = (1.0, 3.0, 10.0, 30.0)


def load() -> tuple[list[str], list[str]]:
    texts, labels = [], []
    with DATA.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                rec = json.loads(line)
                texts.append(rec["text"])
                labels.append(rec["label"])
    return texts, labels


def main() -> int:
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_score
    from sklearn.pipeline import make_pipeline

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    texts, labels = load()
    print(f"{len(texts)} sentences, {len(set(labels))} labels: {dict(Counter(labels).most_common(3))} ...")

    def model(c: float):
        return make_pipeline(
            CountVectorizer(analyzer=features, binary=True, min_df=1),
            LogisticRegression(C=c, max_iter=3000),
        )

    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=13)
    best_c, best_acc = C_GRID[0], -1.0
    for c in C_GRID:
        acc = cross_val_score(model(c), texts, labels, cv=folds).mean()
        print(f"C={c:<5} cross-validated accuracy {acc:.3f}")
        if acc > best_acc:
            best_c, best_acc = c, acc
    if args.check:
        return 0
    fitted = model(best_c).fit(texts, labels)
    vectorizer, clf = fitted.steps[0][1], fitted.steps[1][1]
    vocab = vectorizer.get_feature_names_out()
    weights: dict[str, dict[str, float]] = {}
    for j, feat in enumerate(vocab):
        per = {str(i): round(float(clf.coef_[i, j]), 4) for i in range(len(clf.classes_))}
        per = {i: w for i, w in per.items() if abs(w) >= PRUNE}
        if per:
            weights[str(feat)] = per
    out = {
        "about": "eventwire sentence-type model; trained by training/train_type_model.py on "
        "training/sentences.jsonl (sentences written by the eventwire developers)",
        "c": best_c,
        "cv_accuracy": round(best_acc, 4),
        "labels": [str(x) for x in clf.classes_],
        "bias": [round(float(b), 4) for b in clf.intercept_],
        "weights": weights,
    }
    OUT.write_text(json.dumps(out, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n")
    print(f"C={best_c}: wrote {OUT.relative_to(REPO)} ({len(weights)} features, {OUT.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
