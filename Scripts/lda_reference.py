#!/usr/bin/env python3
"""Reference fits of scikit-learn's shrinkage LDA for GenreModel.LinearDiscriminant.

Writes Tests/GenreModelTests/Fixtures/lda_reference.json: a small synthetic training set (float32
values, so Swift sees exactly the same inputs), a few test rows, and what
`LinearDiscriminantAnalysis(solver="lsqr", shrinkage="auto")` fits on it — `coef_`,
`intercept_`, `predict_proba` of the test rows, and the Ledoit-Wolf shrinkage of each class
(`sklearn.covariance.ledoit_wolf` on the class's standardised rows, as `_cov(X, "auto")` does) —
with the class frequencies as priors and again with uniform priors (`priors=[1/K] * K`).

The data is built to reach the corners: one class has fewer rows than features (its empirical
covariance is singular, so only the shrinkage makes the pooled one invertible), one column is
constant inside a class (scale 1 there, as StandardScaler does), the columns have very
different scales, and one column is heavy-tailed (exponential of a normal).

Deterministic (numpy default_rng(7)). Usage: python3 Scripts/lda_reference.py
(scikit-learn 1.9.1 and numpy 2 were used.)
"""
import json
import os

import numpy as np
from sklearn.covariance import ledoit_wolf
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis
from sklearn.preprocessing import StandardScaler

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "GenreModelTests", "Fixtures",
                   "lda_reference.json")

FEATURES = 8
COUNTS = [9, 14, 25, 6]


def make_rows(rng, label, count):
    centre = rng.normal(0, 1.5, FEATURES)
    mix = rng.normal(0, 1, (FEATURES, FEATURES)) / 2
    x = centre + rng.normal(0, 1, (count, FEATURES)) @ mix
    x[:, 1] *= 1e3  # scales far apart
    x[:, 2] *= 1e-3
    x[:, 5] = np.exp(x[:, 5])  # heavy-tailed, positive
    if label == 1:
        x[:, 6] = 0.25  # constant inside this class
    return x


def main():
    rng = np.random.default_rng(7)
    x = np.concatenate([make_rows(rng, k, n) for k, n in enumerate(COUNTS)]).astype(np.float32)
    y = np.concatenate([[k] * n for k, n in enumerate(COUNTS)])
    test = np.concatenate([make_rows(rng, k, 2) for k in range(len(COUNTS))]).astype(np.float32)
    x64, test64 = x.astype(np.float64), test.astype(np.float64)
    shrinkages = [float(ledoit_wolf(StandardScaler().fit_transform(x64[y == k]))[1]) for k in range(len(COUNTS))]
    fits = {}
    for name, priors in [("frequencies", None), ("uniform", [1 / len(COUNTS)] * len(COUNTS))]:
        lda = LinearDiscriminantAnalysis(solver="lsqr", shrinkage="auto", priors=priors).fit(x64, y)
        fits[name] = {
            "coef": lda.coef_.tolist(),
            "intercept": lda.intercept_.tolist(),
            "probabilities": lda.predict_proba(test64).tolist(),
        }
    document = {
        "generator": "Scripts/lda_reference.py",
        "features": FEATURES,
        "inputs": x.tolist(),
        "labels": y.tolist(),
        "testInputs": test.tolist(),
        "shrinkages": shrinkages,
        "fits": fits,
    }
    with open(OUT, "w") as f:
        json.dump(document, f, indent=1)
    print(f"wrote {OUT}: {len(y)} rows, shrinkages {np.round(shrinkages, 4).tolist()}")


if __name__ == "__main__":
    main()
