#!/usr/bin/env python3
"""Side-by-side timing of our Benchmarks against the Python stack, in one run, one thread.

Runs the ordo-one benchmarks in Benchmarks/ (release build), then times the Python peer of each
stage (soundfile, librosa, torch) on the same input, and prints a ratio table:

    python3 Scripts/peer_benchmarks.py [--filter REGEX] [--repeats N]

The Swift benchmarks write their synthetic 30 s clip to $TMPDIR/genre-bench-30s.wav, so both sides
decode and analyse the same samples. Medians after warm-up; ratio = peer / ours (> 1: we are faster).
Peers run with every BLAS/OpenMP pool limited to one thread, as DESIGN.md's budget is one thread.
"""
import argparse
import io
import os
import re
import subprocess
import sys
import tempfile
import time

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS"):
    os.environ[var] = "1"

import numpy as np  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CLIP = os.path.join(tempfile.gettempdir(), "genre-bench-30s.wav")


def run_swift_benchmarks(name_filter):
    """Runs the ordo-one benchmarks and returns {benchmark name: median wall-clock µs}."""
    command = ["swift", "package", "benchmark", "--no-progress", "--metric", "wallClock",
               "--time-units", "microseconds", "--format", "markdown", "--path", "stdout"]
    if name_filter:
        command += ["--filter", name_filter]
    output = subprocess.run(command, cwd=os.path.join(ROOT, "Benchmarks"), check=True,
                            capture_output=True, text=True).stdout
    medians, current = {}, None
    for line in output.splitlines():
        if line.startswith("### "):
            current = line[4:].strip()
        elif current and line.startswith("| Time (wall clock)"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            medians[current] = float(cells[3])  # columns: metric, p0, p25, p50, ...
            current = None
    return medians


def median_microseconds(function, repeats):
    for _ in range(3):
        function()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return float(np.median(times)) * 1e6


def peers():
    """Benchmark name → (peer description, zero-argument callable timed on the same input)."""
    import librosa
    import soundfile

    with open(CLIP, "rb") as handle:
        wav_bytes = handle.read()
    table = {
        "decode WAV 16-bit mono 30 s (from memory)": (
            "soundfile.read(BytesIO, float32)",
            lambda: soundfile.read(io.BytesIO(wav_bytes), dtype="float32")),
        "decode WAV 16-bit mono 30 s (from file)": (
            "soundfile.read(path, float32)",
            lambda: soundfile.read(CLIP, dtype="float32")),
    }
    clip, _ = soundfile.read(CLIP, dtype="float32")
    for pad_mode in ("reflect", "constant"):
        table[f"STFT + power 30 s (pad {pad_mode})"] = (
            f"np.abs(librosa.stft(pad_mode={pad_mode!r}))**2",
            lambda pad_mode=pad_mode: np.abs(
                librosa.stft(clip, n_fft=2048, hop_length=512, pad_mode=pad_mode)) ** 2)
    table.update(feature_peers())
    table.update(torch_peers())
    return table


def torch_peers():
    """PyTorch CPU peers of the network benchmarks: the melCNN preset, same shapes and batch."""
    import torch

    def mel_cnn():
        layers, channels = [], 1
        for filters in (32, 64, 128, 128):
            layers += [torch.nn.Conv2d(channels, filters, 3, padding="same"),
                       torch.nn.BatchNorm2d(filters), torch.nn.ReLU(), torch.nn.MaxPool2d(2)]
            channels = filters
        layers += [torch.nn.AdaptiveAvgPool2d(1), torch.nn.Flatten(), torch.nn.Dropout(0.3),
                   torch.nn.Linear(128, 10)]
        return torch.nn.Sequential(*layers)

    torch.manual_seed(0)
    batch = torch.rand(32, 1, 128, 130) * 2 - 1
    labels = torch.arange(32) % 10
    table = {}
    for threads in (1, 2):
        model = mel_cnn().train()
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)

        def step(model=model, optimizer=optimizer, threads=threads):
            torch.set_num_threads(threads)
            optimizer.zero_grad()
            torch.nn.functional.cross_entropy(model(batch), labels).backward()
            optimizer.step()

        name = f"melCNN training step, batch 32 ({threads} thread{'' if threads == 1 else 's'})"
        table[name] = (f"torch {torch.__version__} Adam step, {threads} thread(s)", step)
    inference_model = mel_cnn().eval()
    segment = batch[:1]
    segments = batch[:10]

    def infer(x):
        torch.set_num_threads(1)
        with torch.inference_mode():
            inference_model(x)

    table["melCNN inference, one 3 s segment (1 thread)"] = (
        "torch eval + inference_mode, batch 1, 1 thread", lambda: infer(segment))
    table["melCNN inference, batch of 10 segments (1 thread)"] = (
        "torch eval + inference_mode, batch 10, 1 thread", lambda: infer(segments))
    table["melCNN inference, one 3 s segment, layer by layer (1 thread)"] = (
        "torch eval + inference_mode, batch 1, 1 thread", lambda: infer(segment))
    return table


def feature_peers():
    """librosa 0.11 peers of Benchmarks/Pipeline/FeatureExtraction.swift, on the same clip, with
    the GTZAN table's settings (reflect padding; ../shared/data/README.md)."""
    import librosa
    import soundfile

    y, sr = soundfile.read(CLIP, dtype="float32")
    kw = dict(pad_mode="reflect")
    D = librosa.stft(y, **kw)
    S = np.abs(D)
    P = S ** 2
    mel_db = librosa.power_to_db(librosa.feature.melspectrogram(S=P, sr=sr))
    oenv = librosa.onset.onset_strength(S=mel_db, sr=sr, aggregate=np.median)

    def seed():
        S = np.abs(librosa.stft(y, **kw))
        P = S ** 2
        return (librosa.feature.mfcc(S=librosa.power_to_db(librosa.feature.melspectrogram(S=P, sr=sr)),
                                     n_mfcc=20),
                librosa.feature.chroma_stft(S=P, sr=sr),
                librosa.feature.spectral_contrast(S=S, sr=sr),
                librosa.feature.spectral_rolloff(S=S, sr=sr),
                librosa.feature.zero_crossing_rate(y))

    def gtzan57():
        f = []
        f.append(librosa.feature.chroma_stft(y=y, sr=sr, **kw))
        f.append(librosa.feature.rms(y=y, **kw))
        f.append(librosa.feature.spectral_centroid(y=y, sr=sr, **kw))
        f.append(librosa.feature.spectral_bandwidth(y=y, sr=sr, **kw))
        f.append(librosa.feature.spectral_rolloff(y=y, sr=sr, **kw))
        f.append(librosa.feature.zero_crossing_rate(y))
        H, Pc = librosa.decompose.hpss(librosa.stft(y, **kw))
        f.append(librosa.util.fix_length(librosa.istft(H, dtype=y.dtype), size=len(y)))
        f.append(librosa.util.fix_length(librosa.istft(Pc, dtype=y.dtype), size=len(y)))
        o = librosa.onset.onset_strength(y=y, sr=sr, aggregate=np.median, **kw)
        f.append(librosa.feature.tempo(onset_envelope=o, sr=sr))
        f.append(librosa.feature.mfcc(y=y, sr=sr, n_mfcc=20, **kw))
        return [(np.mean(x), np.var(x)) for x in f]

    def hpss():
        H, Pc = librosa.decompose.hpss(D)
        return librosa.istft(H, dtype=y.dtype), librosa.istft(Pc, dtype=y.dtype)

    return {
        "features seed 30 s": ("librosa stft + mfcc, chroma_stft, contrast, rolloff, zcr (shared STFT)", seed),
        "features gtzan57 30 s": ("librosa: the GTZAN table recipe", gtzan57),
        "features mfcc 30 s (from power)": (
            "librosa melspectrogram(S) + power_to_db + mfcc",
            lambda: librosa.feature.mfcc(S=librosa.power_to_db(librosa.feature.melspectrogram(S=P, sr=sr)))),
        "features chroma_stft 30 s (from power)": ("librosa chroma_stft(S=power)",
                                                   lambda: librosa.feature.chroma_stft(S=P, sr=sr)),
        "features spectral_contrast 30 s (from magnitude)": (
            "librosa spectral_contrast(S)", lambda: librosa.feature.spectral_contrast(S=S, sr=sr)),
        "features centroid+bandwidth+rolloff 30 s (from magnitude)": (
            "librosa spectral_centroid/bandwidth/rolloff(S)",
            lambda: (librosa.feature.spectral_centroid(S=S, sr=sr),
                     librosa.feature.spectral_bandwidth(S=S, sr=sr),
                     librosa.feature.spectral_rolloff(S=S, sr=sr))),
        "features zcr+rms 30 s": ("librosa zero_crossing_rate + rms(reflect)",
                                  lambda: (librosa.feature.zero_crossing_rate(y),
                                           librosa.feature.rms(y=y, **kw))),
        "features hpss+istft 30 s (from complex STFT)": ("librosa decompose.hpss + 2× istft", hpss),
        "features tempo 30 s (from onset envelope)": (
            "librosa feature.tempo(onset_envelope)", lambda: librosa.feature.tempo(onset_envelope=oenv, sr=sr)),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--filter", help="regex of benchmark names to run")
    parser.add_argument("--repeats", type=int, default=50)
    args = parser.parse_args()

    ours = run_swift_benchmarks(args.filter)
    if not os.path.exists(CLIP):
        sys.exit(f"{CLIP} is missing: the Swift benchmarks should have written it")
    rows = []
    for name, (peer_name, function) in peers().items():
        if name not in ours:
            continue
        theirs = median_microseconds(function, args.repeats)
        rows.append((name, ours[name], peer_name, theirs, theirs / ours[name]))
    print("| stage | ours (µs, p50) | peer | peer (µs, median) | peer / ours |")
    print("|---|---:|---|---:|---:|")
    for name, mine, peer_name, theirs, ratio in rows:
        print(f"| {name} | {mine:.0f} | {peer_name} | {theirs:.0f} | {ratio:.1f}× |")
    unmatched = sorted(set(ours) - {row[0] for row in rows})
    for name in unmatched:
        print(f"| {name} | {ours[name]:.0f} | — | — | — |")


if __name__ == "__main__":
    main()
