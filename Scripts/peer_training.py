#!/usr/bin/env python3
"""Times a whole training run, ours vs PyTorch, in one run on one thread (issue 5's 1-D CNN case).

The seed system's setting: the `seedCNN` preset (conv1d 32 k3 → BN → ReLU → max-pool 2 → conv1d 64
k3 → BN → ReLU → max-pool 2 → flatten → dense 128 → ReLU → dropout 0.4 → dense 10) on the 57
standardised columns of all 1 000 rows of features_30_sec.csv, Adam (lr 1e-3, ε 1e-7),
cross-entropy, batch 32, 600 epochs, shuffled every epoch, no validation.

    python3 Scripts/peer_training.py GTZAN_DATA_DIR [--epochs 600]

Ours runs as `genre train` from a release build (`swift build -c release --product genre` first).
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time

os.environ["OMP_NUM_THREADS"] = "1"
import numpy as np  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def ours(data, epochs, split_dir):
    genre = os.path.join(ROOT, ".build", "release", "genre")
    if not os.path.exists(genre):
        sys.exit("build the CLI first: swift build -c release --product genre")
    out = tempfile.mkdtemp(prefix="peer-training-")
    command = [genre, "train", "--table", os.path.join(data, "tables", "features_30_sec.csv"),
               "--split-dir", split_dir, "--train-split", "all.txt", "--validation-split", "none",
               "--preset", "seedCNN", "--epochs", str(epochs), "--batch-size", "32",
               "--optimizer", "adam", "--constant-rate", "--weight-decay", "0",
               "--label-smoothing", "0", "--threads", "1", "--out", out]
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def torch_run(data, epochs):
    import torch

    torch.set_num_threads(1)
    torch.manual_seed(0)
    table = np.genfromtxt(os.path.join(data, "tables", "features_30_sec.csv"), delimiter=",",
                          names=True, dtype=None, encoding="utf-8")
    names = table.dtype.names
    features = np.stack([table[n] for n in names[2:-1]], axis=1).astype(np.float32)
    features = (features - features.mean(0)) / features.std(0)
    labels = np.unique(table["label"], return_inverse=True)[1]
    x = torch.from_numpy(features).unsqueeze(1)
    y = torch.from_numpy(labels).long()
    model = torch.nn.Sequential(
        torch.nn.Conv1d(1, 32, 3, padding="same"), torch.nn.BatchNorm1d(32), torch.nn.ReLU(),
        torch.nn.MaxPool1d(2),
        torch.nn.Conv1d(32, 64, 3, padding="same"), torch.nn.BatchNorm1d(64), torch.nn.ReLU(),
        torch.nn.MaxPool1d(2),
        torch.nn.Flatten(), torch.nn.Linear(64 * (57 // 2 // 2), 128), torch.nn.ReLU(),
        torch.nn.Dropout(0.4), torch.nn.Linear(128, 10))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
    model.train()
    start = time.perf_counter()
    for _ in range(epochs):
        order = torch.randperm(len(y))
        for i in range(0, len(y), 32):
            batch = order[i:i + 32]
            optimizer.zero_grad()
            torch.nn.functional.cross_entropy(model(x[batch]), y[batch]).backward()
            optimizer.step()
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", help="GTZAN data folder with tables/ and splits/")
    parser.add_argument("--epochs", type=int, default=600)
    args = parser.parse_args()
    split_dir = tempfile.mkdtemp(prefix="peer-training-splits-")
    tracks = set()
    for name in ("train_stratified.txt", "valid_stratified.txt", "test_stratified.txt"):
        with open(os.path.join(args.data, "splits", name)) as handle:
            tracks.update(line.strip() for line in handle if line.strip())
    with open(os.path.join(split_dir, "all.txt"), "w") as handle:
        handle.write("\n".join(sorted(tracks)) + "\n")
    assert len(tracks) == 1000, len(tracks)
    mine = ours(args.data, args.epochs, split_dir)
    theirs = torch_run(args.data, args.epochs)
    print("| run (1 thread) | ours (s) | PyTorch (s) | PyTorch / ours |")
    print("|---|---:|---:|---:|")
    print(f"| seedCNN, {args.epochs} epochs × 1000 rows, batch 32 | {mine:.1f} | {theirs:.1f} | "
          f"{theirs / mine:.2f}× |")


if __name__ == "__main__":
    main()
