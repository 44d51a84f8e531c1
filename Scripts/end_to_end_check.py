#!/usr/bin/env python3
"""End-to-end check: `genre classify` on real GTZAN audio vs the same model on the public table.

For every track of the fault-filtered test split whose audio is present, this runs our whole
pipeline (our decoder + our features + the model: `genre classify --json`) and, independently,
applies the same model bundle to that track's row of `features_30_sec.csv` (the public table,
computed by librosa from the same clip). It reports how often the top labels agree, the largest
probability difference, and the accuracy of both paths against the true genre.

The table path runs the bundle's network here in numpy (dense, batch norm in inference mode,
ReLU, dropout as identity; softmax per ensemble member, then their mean), straight from
`model.json` and `weights.safetensors`. As a check of that re-implementation the script first
re-scores the whole test split from the table and compares it with the accuracy recorded in the
bundle (`metrics.test`).

Usage (from the package root, after `swift build -c release --product genre`):

    python3 Scripts/end_to_end_check.py --audio /path/to/genres_original \
        --data ../shared/data/gtzan [--genres classical jazz rock] [--json out.json]

`--audio` holds `<genre>/<genre>.NNNNN.wav`; `--data` holds `tables/` and `splits/`. Audio is
read only by the Swift tool; nothing is written except the optional JSON summary.
"""

import argparse
import csv
import json
import os
import subprocess
import sys
import wave

import numpy as np
from safetensors.numpy import load_file


def load_bundle(directory):
    with open(os.path.join(directory, "model.json")) as f:
        manifest = json.load(f)
    weights = load_file(os.path.join(directory, "weights.safetensors"))
    return manifest, weights


def forward(manifest, weights, rows):
    """Mean of the members' softmax probabilities for raw feature rows (N × columns)."""
    scaler = manifest["scaler"]
    rows = np.array(rows, np.float64)
    logs = scaler.get("logColumns", [])  # format 2: these columns are standardised as ln(max(x, 1e-12))
    rows[:, logs] = np.log(np.maximum(rows[:, logs], np.float32(1e-12)))
    x0 = (rows - np.asarray(scaler["mean"], np.float64)) / np.asarray(scaler["scale"], np.float64)
    members = manifest.get("ensembleSize", 1)
    total = 0
    for member in range(members):
        prefix = f"members.{member}." if members > 1 else ""
        x = x0
        for index, spec in enumerate(manifest["architecture"]):
            name = f"{prefix}{index}."
            kind = spec["type"]
            if kind == "dense":
                x = x @ weights[name + "weight"].astype(np.float64).T + weights[name + "bias"]
            elif kind == "batchNorm":
                mean, var = weights[name + "running_mean"], weights[name + "running_var"]
                x = (x - mean) / np.sqrt(var + spec["epsilon"]) * weights[name + "weight"] + weights[name + "bias"]
            elif kind == "relu":
                x = np.maximum(x, 0)
            elif kind == "dropout":
                pass
            else:
                sys.exit(f"layer type {kind!r} is not implemented in this check")
        z = x - x.max(axis=1, keepdims=True)
        e = np.exp(z)
        total = total + e / e.sum(axis=1, keepdims=True)
    return total / members


def read_table(path):
    with open(path, newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        rows = {r[0]: r for r in reader}
    return header, rows


def table_matrix(header, rows, names, columns):
    index = [header.index(c) for c in columns]
    return np.array([[float(rows[n][i]) for i in index] for n in names], np.float64)


def frames_of(path):
    try:
        with wave.open(path) as w:
            return w.getnframes()
    except Exception:  # noqa: BLE001 - a damaged file is reported by the Swift tool
        return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--audio", required=True, help="folder of <genre>/<genre>.NNNNN.wav")
    parser.add_argument("--data", required=True, help="folder holding tables/ and splits/")
    parser.add_argument("--genres", nargs="+", default=["classical", "jazz", "rock"])
    parser.add_argument("--model", default="Sources/GenreModel/Resources/DefaultModel")
    parser.add_argument("--tool", default=".build/release/genre")
    parser.add_argument("--json", help="write the per-track results and summary here")
    args = parser.parse_args()

    manifest, weights = load_bundle(args.model)
    labels = manifest["labels"]
    columns = [
        (c["feature"] + ("_mean" if c["statistic"] == "mean" else "_var" if c["statistic"] == "variance" else ""))
        for c in manifest["recipe"]["columns"]
    ]
    header, table = read_table(os.path.join(args.data, "tables", "features_30_sec.csv"))
    with open(os.path.join(args.data, "splits", "test_filtered.txt")) as f:
        split = [line.strip() for line in f if line.strip()]

    # 1. The numpy forward pass reproduces the bundle's recorded test accuracy on the table.
    names = [os.path.basename(t) for t in split]
    p_all = forward(manifest, weights, table_matrix(header, table, names, columns))
    truth_all = [t.split("/")[0] for t in split]
    accuracy_all = np.mean([labels[k] == g for k, g in zip(p_all.argmax(1), truth_all)])
    recorded = manifest.get("metrics", {}).get("test", {}).get("accuracy")
    print(f"table forward check: test_filtered accuracy {100 * accuracy_all:.2f} % "
          f"(recorded in model.json: {100 * recorded:.2f} %)" if recorded is not None else "")
    if recorded is not None and abs(accuracy_all - recorded) > 1e-9:
        sys.exit("the numpy forward pass does not reproduce the recorded accuracy: fix the check first")

    # 2. Tracks of the chosen genres whose audio exists.
    tracks = [t for t in split if t.split("/")[0] in args.genres]
    present = [t for t in tracks if os.path.exists(os.path.join(args.audio, t))]
    missing = sorted(set(tracks) - set(present))
    files = [os.path.join(args.audio, t) for t in present]
    run = subprocess.run([args.tool, "classify", "--json", "--model", args.model, *files], capture_output=True, text=True)
    by_file = {}
    for line in run.stdout.splitlines():
        record = json.loads(line)
        by_file[record["file"]] = record
    failed = [t for t, f in zip(present, files) if f not in by_file]

    ok = [t for t, f in zip(present, files) if f in by_file]
    p_table = forward(manifest, weights, table_matrix(header, table, [os.path.basename(t) for t in ok], columns))
    results = []
    for row, track in enumerate(ok):
        record = by_file[os.path.join(args.audio, track)]
        audio = {r["label"]: r["probability"] for r in record["ranked"]}
        p_audio = np.array([audio[label] for label in labels])
        results.append({
            "track": track,
            "genre": track.split("/")[0],
            "frames": frames_of(os.path.join(args.audio, track)),
            "windows": len(record["timeline"]),
            "shorterThanWindow": record["inputShorterThanWindow"],
            "audioLabel": record["label"],
            "tableLabel": labels[int(p_table[row].argmax())],
            "maxAbsDelta": float(np.abs(p_audio - p_table[row]).max()),
            "audioTop": float(p_audio.max()),
            "tableTop": float(p_table[row].max()),
        })

    n = len(results)
    agree = sum(r["audioLabel"] == r["tableLabel"] for r in results)
    summary = {
        "genres": args.genres,
        "tracksInSplit": len(tracks),
        "audioMissing": missing,
        "audioFailed": failed,
        "classified": n,
        "topLabelAgreement": agree / n if n else None,
        "maxAbsDeltaProbability": max((r["maxAbsDelta"] for r in results), default=None),
        "medianAbsDeltaProbability": float(np.median([r["maxAbsDelta"] for r in results])) if n else None,
        "accuracyAudio": sum(r["audioLabel"] == r["genre"] for r in results) / n if n else None,
        "accuracyTable": sum(r["tableLabel"] == r["genre"] for r in results) / n if n else None,
        "shorterThanWindow": [r["track"] for r in results if r["shorterThanWindow"]],
        "windowCounts": sorted({r["windows"] for r in results}),
    }
    for genre in args.genres:
        rs = [r for r in results if r["genre"] == genre]
        if rs:
            summary[f"{genre}"] = {
                "tracks": len(rs),
                "agreement": sum(r["audioLabel"] == r["tableLabel"] for r in rs) / len(rs),
                "accuracyAudio": sum(r["audioLabel"] == genre for r in rs) / len(rs),
                "accuracyTable": sum(r["tableLabel"] == genre for r in rs) / len(rs),
                "maxAbsDelta": max(r["maxAbsDelta"] for r in rs),
            }
    if run.stderr:
        print(run.stderr.rstrip(), file=sys.stderr)
    for r in results:
        if r["audioLabel"] != r["tableLabel"] or r["maxAbsDelta"] > 0.05:
            print(f"  {r['track']}: audio {r['audioLabel']} ({r['audioTop']:.3f}) table {r['tableLabel']} "
                  f"({r['tableTop']:.3f}) max|Δp| {r['maxAbsDelta']:.4f}")
    print(json.dumps(summary, indent=2))
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"summary": summary, "tracks": results}, f, indent=2)


if __name__ == "__main__":
    main()
