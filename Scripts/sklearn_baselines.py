#!/usr/bin/env python3
"""Baselines for the GTZAN 57-feature table with scikit-learn (pip install scikit-learn).

Two protocols, both on standardised features (StandardScaler fit on training folds only):
  1. random stratified 10-fold CV on all 1000 rows of features_30_sec.csv (the literature's protocol);
  2. train on the rows of train_filtered + valid_filtered, test on test_filtered (the honest one).

Usage: python3 Scripts/sklearn_baselines.py [DATA_DIR]   (default ../shared/data/gtzan)
Deterministic: every estimator and the fold split use random_state=0.
"""
import csv
import os
import sys

import numpy as np
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC


def load_table(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    names = [r[0] for r in body]
    x = np.array([[float(v) for v in r[2:-1]] for r in body], dtype=np.float64)
    y = np.array([r[-1] for r in body])
    assert len(header) - 3 == x.shape[1] == 57
    return names, x, y


def split_names(path):
    with open(path) as f:
        return {line.strip().split("/")[-1] for line in f if line.strip()}


def models():
    return {
        "SVM-RBF": SVC(kernel="rbf", C=1.0, gamma="scale", random_state=0),
        "RF": RandomForestClassifier(n_estimators=500, random_state=0),
        "logistic": LogisticRegression(max_iter=5000, random_state=0),
        "MLP": MLPClassifier(hidden_layer_sizes=(256, 128), max_iter=2000, random_state=0),
    }


def main():
    data = sys.argv[1] if len(sys.argv) > 1 else os.path.join("..", "shared", "data", "gtzan")
    names, x, y = load_table(os.path.join(data, "tables", "features_30_sec.csv"))
    folds = StratifiedKFold(n_splits=10, shuffle=True, random_state=0)
    print("protocol | " + " | ".join(models()))
    cv = []
    for name, model in models().items():
        scores = cross_val_score(make_pipeline(StandardScaler(), model), x, y, cv=folds)
        cv.append(f"{100 * scores.mean():.1f}")
    print("table, 10-fold stratified CV (random) | " + " | ".join(cv))
    train = split_names(os.path.join(data, "splits", "train_filtered.txt")) | split_names(
        os.path.join(data, "splits", "valid_filtered.txt"))
    test = split_names(os.path.join(data, "splits", "test_filtered.txt"))
    tr = np.array([n in train for n in names])
    te = np.array([n in test for n in names])
    filtered = []
    for name, model in models().items():
        pipe = make_pipeline(StandardScaler(), model).fit(x[tr], y[tr])
        filtered.append(f"{100 * pipe.score(x[te], y[te]):.1f}")
    print(f"test_filtered ({te.sum()} rows), trained on train+valid ({tr.sum()} rows) | " + " | ".join(filtered))


if __name__ == "__main__":
    main()
