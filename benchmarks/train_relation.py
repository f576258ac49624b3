"""Train the relation classifier (truenorth/analysis/relation.py) on SICK TRAIN; cut it on TRIAL.

Embeds SICK's TRAIN and TRIAL pairs with one model and engine, fits a multinomial logistic
regression on the pair features (entailment / neutral / contradiction), picks its regularisation
by 5-fold cross-validation on TRAIN, and chooses on TRIAL (held out from the fit) the
contradiction cut: the lowest p(contradiction) at which at least 9 flags in 10 are right. It
writes both into relation_weights/<model key>.npz. SICK TEST is never read here; it is measured
in benchmarks/relation_quality.py.

    .venv/bin/python benchmarks/train_relation.py [--model NAME] [--engine onnx|onnx-fp32|...]
"""

import argparse

import numpy as np
from evaldata import sick_pairs
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score

from truenorth.analysis import calibration, relation
from truenorth.analysis.embed import DEFAULT_ENGINE, DEFAULT_MODEL, get_embedder

LABELS = {"ENTAILMENT": 0, "NEUTRAL": 1, "CONTRADICTION": 2}  # relation.CLASSES' order


def features(embedder, pairs):
    a = embedder.encode([p[0] for p in pairs])
    b = embedder.encode([p[1] for p in pairs])
    return relation.pair_features(a, b, [p[0] for p in pairs], [p[1] for p in pairs])


PRECISION = 0.9


def contradiction_cut(probability: np.ndarray, contradiction: np.ndarray) -> tuple[float, float]:
    """The lowest cut (in steps of 0.05) whose flags are right at least PRECISION of the time,
    and the share of contradictions it flags."""
    for cut in np.arange(0.3, 0.96, 0.05):
        flagged = probability >= cut
        if flagged.any() and np.mean(contradiction[flagged]) >= PRECISION:
            return round(float(cut), 2), float(np.mean(flagged[contradiction]))
    return 0.95, float(np.mean((probability >= 0.95)[contradiction]))


def fit(embedder, train, trial) -> tuple[relation.Classifier, float, float]:
    """The classifier fitted on TRAIN (regularisation by 5-fold cross-validation) and cut on
    TRIAL, with its C and the share of TRIAL's contradictions the cut flags."""
    x_train, x_trial = features(embedder, train), features(embedder, trial)
    y_train = np.array([LABELS[p[2]] for p in train])
    y_trial = np.array([LABELS[p[2]] for p in trial])
    scores = {}
    for c in (0.3, 1.0, 3.0, 10.0):
        model = LogisticRegression(C=c, max_iter=5000)
        scores[c] = float(np.mean(cross_val_score(model, x_train, y_train, cv=5)))
        print(f"C={c:<4} 5-fold accuracy on TRAIN {scores[c]:.4f}")
    c = max(scores, key=lambda k: scores[k])
    model = LogisticRegression(C=c, max_iter=5000).fit(x_train, y_train)
    p = model.predict_proba(x_trial)
    cut, recall = contradiction_cut(p[:, 2], y_trial == 2)
    print(f"TRIAL ({len(trial)} pairs): accuracy {np.mean(p.argmax(1) == y_trial):.3f}")
    coef, intercept = model.coef_.astype(np.float32), model.intercept_.astype(np.float32)
    return relation.Classifier(coef, intercept, cut), c, recall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=DEFAULT_MODEL)
    parser.add_argument("--engine", default=DEFAULT_ENGINE)
    args = parser.parse_args()
    embedder = get_embedder(args.model, args.engine)
    key = calibration.selected()
    train, trial = sick_pairs("TRAIN"), sick_pairs("TRIAL")
    fitted, c, recall = fit(embedder, train, trial)
    cut, coef = fitted.contradicts, fitted.coef
    relation.WEIGHTS.mkdir(exist_ok=True)
    out = relation.WEIGHTS / f"{key}.npz"
    np.savez_compressed(
        out,
        coef=coef,
        intercept=fitted.intercept,
        cuts=np.array([cut], dtype=np.float32),
    )
    print(f"wrote {out.name}: C={c}, {len(train)} TRAIN pairs, {coef.shape[1]} features")
    print(f"contradicts at p ≥ {cut}: {PRECISION:.0%} of flags right, {recall:.1%} found")


if __name__ == "__main__":
    main()
