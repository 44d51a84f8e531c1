#!/usr/bin/env python3
"""Reference values for Tests/FeaturesTests, computed with librosa 0.11.

Deterministic synthetic signals (tones, a chirp, integer-LCG noise, clicks, silence, a clip
shorter than n_fft) are defined by closed formulas that the Swift tests re-create
(Tests/FeaturesTests/SyntheticSignals.swift); no audio is written. For each signal the script
writes every per-frame feature at a few frames, a few samples of the HPSS time signals, and the
gtzan57 summary row, with the GTZAN table's settings (reflect padding, see
../shared/data/README.md). For the GTZAN sample clips ($GTZAN_DIR/sample, default ../shared/data/gtzan/sample)
it writes only the gtzan57 row of each clip's first 3 s segment (reference values, never audio).

    python3 Scripts/features_reference.py      # rewrites Tests/FeaturesTests/Fixtures/*.json
"""
import json, os, sys
import numpy as np
import librosa

assert librosa.__version__.startswith('0.11'), f'expects librosa 0.11, found {librosa.__version__}'

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, '..', 'Tests', 'FeaturesTests', 'Fixtures')
SR = 22050
N = 33075  # 1.5 s


def lcg_noise(n, seed=12345):
    """Uniform noise in [-0.5, 0.5): x ← (1664525·x + 1013904223) mod 2³², value (x >> 8)/2²⁴ − ½."""
    out = np.empty(n, dtype=np.float32)
    x = seed
    for i in range(n):
        x = (1664525 * x + 1013904223) & 0xFFFFFFFF
        out[i] = np.float32((x >> 8) / 16777216.0 - 0.5)
    return out


def signals():
    t = np.arange(N, dtype=np.float64) / SR
    tone = (0.5 * np.sin(2 * np.pi * 440 * t) + 0.25 * np.sin(2 * np.pi * 1320 * t)).astype(np.float32)
    f0, f1, T = 100.0, 8000.0, N / SR
    chirp = (0.5 * np.sin(2 * np.pi * (f0 * t + (f1 - f0) / (2 * T) * t * t))).astype(np.float32)
    noise = lcg_noise(N)
    clicks = np.zeros(N, dtype=np.float32)
    clicks[::5512] = 0.9
    silence = np.zeros(N, dtype=np.float32)
    ts = np.arange(700, dtype=np.float64) / SR
    short = (0.5 * np.sin(2 * np.pi * 440 * ts)).astype(np.float32)
    return {'tone': tone, 'chirp': chirp, 'noise': noise, 'clicks': clicks, 'silence': silence,
            'short': short}


def gtzan57(y, sr=SR):
    """The table recipe (../shared/data/gtzan/recipe/table_recipe_librosa011.py), as a list."""
    kw = dict(pad_mode='reflect')
    row = []
    def add(x):
        row.extend([float(np.mean(x)), float(np.var(x))])
    add(librosa.feature.chroma_stft(y=y, sr=sr, **kw))
    add(librosa.feature.rms(y=y, **kw))
    add(librosa.feature.spectral_centroid(y=y, sr=sr, **kw))
    add(librosa.feature.spectral_bandwidth(y=y, sr=sr, **kw))
    add(librosa.feature.spectral_rolloff(y=y, sr=sr, **kw))
    add(librosa.feature.zero_crossing_rate(y))
    H, P = librosa.decompose.hpss(librosa.stft(y, **kw))
    add(librosa.util.fix_length(librosa.istft(H, dtype=y.dtype), size=len(y)))
    add(librosa.util.fix_length(librosa.istft(P, dtype=y.dtype), size=len(y)))
    oenv = librosa.onset.onset_strength(y=y, sr=sr, aggregate=np.median, **kw)
    row.append(float(librosa.feature.tempo(onset_envelope=oenv, sr=sr)[0]))
    M = librosa.feature.mfcc(y=y, sr=sr, n_mfcc=20, **kw)
    for i in range(20):
        add(M[i])
    return row


def per_frame(y):
    kw = dict(pad_mode='reflect')
    D = librosa.stft(y, **kw)
    S = np.abs(D)
    mel_db = librosa.power_to_db(librosa.feature.melspectrogram(S=S**2, sr=SR))
    mfcc = librosa.feature.mfcc(S=mel_db, n_mfcc=20)
    f = {
        'mfcc': mfcc,
        'chroma': librosa.feature.chroma_stft(S=S**2, sr=SR),
        'contrast': librosa.feature.spectral_contrast(S=S, sr=SR),
        'centroid': librosa.feature.spectral_centroid(S=S, sr=SR),
        'bandwidth': librosa.feature.spectral_bandwidth(S=S, sr=SR),
        'rolloff': librosa.feature.spectral_rolloff(S=S, sr=SR),
        'flatness': librosa.feature.spectral_flatness(S=S),
        'zcr': librosa.feature.zero_crossing_rate(y),
        'rms': librosa.feature.rms(y=y, **kw),
        'onset': librosa.onset.onset_strength(S=mel_db, sr=SR, aggregate=np.median)[None, :],
        'melDB': mel_db,
    }
    if mfcc.shape[1] >= 9:
        f['delta'] = librosa.feature.delta(mfcc)
    T = mfcc.shape[1]
    frames = sorted(set([0, 1, T // 2, T - 2, T - 1] + list(range(0, T, 8))))
    frames = [t for t in frames if 0 <= t < T]
    H, P = librosa.decompose.hpss(D)
    h = librosa.util.fix_length(librosa.istft(H, dtype=y.dtype), size=len(y))
    p = librosa.util.fix_length(librosa.istft(P, dtype=y.dtype), size=len(y))
    samples = sorted(set(list(range(0, len(y), max(1, len(y) // 40))) + [len(y) - 1]))
    out = {'frameCount': int(T), 'frames': frames,
           'features': {k: [[float(v) for v in m[:, t]] for t in frames] for k, m in f.items()},
           'sampleIndices': samples,
           # librosa's HPSS of a 2-frame clip is not reproducible (NaN or arbitrary values from
           # run to run): no samples are stored for it.
           'harmonic': [float(h[i]) for i in samples] if T > 2 else [],
           'percussive': [float(p[i]) for i in samples] if T > 2 else [],
           'tuning': float(librosa.estimate_tuning(S=S**2, sr=SR))}
    return out


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, y in signals().items():
        ref = per_frame(y)
        ref['name'] = name
        ref['length'] = int(len(y))
        # librosa's HPSS returns NaN for some bins of a 2-frame clip ('short'); JSON null there,
        # and the Swift test only asks that our value be finite.
        ref['gtzan57'] = [None if np.isnan(v) else v for v in gtzan57(y)]
        if name == 'short':
            # With 2 frames, librosa's HPSS gives NaN or arbitrary values from run to run (not
            # reproducible); the harmony/perceptr columns are checked for finiteness only.
            ref['gtzan57'][12:16] = [None] * 4
        with open(os.path.join(OUT, f'synthetic-{name}.json'), 'w') as f:
            json.dump(ref, f, separators=(',', ':'))
        print(name, len(y), ref['frameCount'], 'tempo', ref['gtzan57'][16])

    root = os.environ.get('GTZAN_DIR') or os.path.join(HERE, '..', '..', 'shared', 'data', 'gtzan')
    gtzan = os.path.join(root, 'sample')
    rows = {}
    for genre in sorted(os.listdir(gtzan)) if os.path.isdir(gtzan) else []:
        path = os.path.join(gtzan, genre, f'{genre}.00000.wav')
        if os.path.exists(path):
            y, sr = librosa.load(path, sr=None)
            assert sr == SR
            # The first 3 s segment (as the 3 s table cuts it): the whole 30 s clip is checked
            # against the public table by Scripts/table_parity.py; a segment keeps the debug-build
            # unit test fast.
            seg = y[:66149]
            rows[f'{genre}/{genre}.00000.wav'] = {'length': int(len(y)), 'segment': [0, 66149],
                                                   'gtzan57': gtzan57(seg)}
            print(path)
    if rows:
        with open(os.path.join(OUT, 'gtzan-sample-gtzan57.json'), 'w') as f:
            json.dump(rows, f, indent=0)


if __name__ == '__main__':
    main()
