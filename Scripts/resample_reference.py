#!/usr/bin/env python3
"""Reference outputs of librosa's default resampler (res_type='soxr_hq') for DSP.Resampler.

Writes Tests/DSPTests/Fixtures/Resample/<name>.f32 (raw little-endian float32) and
manifest.json. Inputs are not stored: each is an analytic signal (a faded multitone, a faded
linear chirp, a faded tone) that the tests rebuild from the parameters in the manifest, evaluated
in float64 and rounded to float32 as here. Every input is band-limited below 0.9 of the lower
rate's Nyquist frequency (fades are 50 ms raised cosines, so the onsets are band-limited too).

The outputs are `soxr.resample(x, sr, 22050, 'HQ')`, which is what `librosa.load(sr=22050)` and
`librosa.resample(x, orig_sr=sr, target_sr=22050)` compute; librosa then pads soxr's
round(n * 22050 / sr) samples with zeros to ceil(n * 22050 / sr) (`fix_length`, checked below).
The fixtures are librosa's output.

It also prints the figures quoted in Resampler's documentation: the difference between soxr_hq
and librosa's 'polyphase' (scipy resample_poly, the previous filter), soxr's aliasing of a 15 kHz
tone, and soxr's pass-band gain at a few fractions of the Nyquist frequency.

Deterministic: the random multitone comes from a seeded generator and is stored as parameters.
Usage: python3 Scripts/resample_reference.py   (librosa 0.11.0, soxr 1.1.0, numpy 2 were used)
"""
import json
import math
import os

import librosa
import numpy as np
import soxr

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "DSPTests", "Fixtures",
                   "Resample")
TARGET = 22050
RATES = [44100, 48000, 16000, 8000, 96000]
SECONDS = 0.25
FADE_SECONDS = 0.05
manifest = {"librosa": librosa.__version__, "soxr": soxr.__version__, "numpy": np.__version__,
            "target_sr": TARGET, "seconds": SECONDS, "fade_seconds": FADE_SECONDS, "arrays": {}}


def fade(n, sr):
    f = int(round(FADE_SECONDS * sr))
    w = np.ones(n)
    ramp = 0.5 * (1 - np.cos(np.pi * np.arange(f) / f))
    w[:f] = ramp
    w[n - f:] = ramp[::-1]
    return w


def signal(kind, sr, params):
    n = int(round(SECONDS * sr))
    t = np.arange(n) / sr
    if kind == "multitone":
        x = sum(a * np.sin(2 * np.pi * f * t + p) for f, a, p in
                zip(params["frequencies"], params["amplitudes"], params["phases"]))
    elif kind == "chirp":
        f0, f1 = params["f0"], params["f1"]
        x = params["amplitude"] * np.sin(2 * np.pi * (f0 * t + (f1 - f0) * t * t / (2 * SECONDS)))
    else:  # tone
        x = params["amplitude"] * np.sin(2 * np.pi * params["frequency"] * t)
    return (x * fade(n, sr)).astype(np.float32)


def db(a, b):
    return 10 * math.log10(float(np.sum((a - b) ** 2) / np.sum(b.astype(np.float64) ** 2)))


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(2026)
    for sr in RATES:
        nyquist = min(sr, TARGET) / 2
        count = 48
        cases = {
            "multitone": {"frequencies": sorted(rng.uniform(20, 0.85 * nyquist, count).tolist()),
                          "amplitudes": (rng.uniform(0.2, 1.0, count) / math.sqrt(count)).tolist(),
                          "phases": rng.uniform(0, 2 * np.pi, count).tolist()},
            "chirp": {"f0": 50.0, "f1": 0.85 * nyquist, "amplitude": 0.5},
            "tone": {"frequency": 0.9 * nyquist, "amplitude": 0.5},
        }
        for kind, params in cases.items():
            x = signal(kind, sr, params)
            direct = soxr.resample(x, sr, TARGET, "HQ")
            y = librosa.resample(x, orig_sr=sr, target_sr=TARGET)
            # soxr returns round(n * ratio) samples; librosa pads with zeros to the ceiling.
            assert len(y) == math.ceil(len(x) * TARGET / sr) and len(y) - len(direct) in (0, 1)
            assert np.array_equal(y[:len(direct)], direct) and not np.any(y[len(direct):])
            poly = librosa.resample(x, orig_sr=sr, target_sr=TARGET, res_type="polyphase")
            name = f"soxr_{kind}_{sr}"
            y.astype("<f4").tofile(os.path.join(OUT, name + ".f32"))
            manifest["arrays"][name] = {"kind": kind, "orig_sr": sr, "input_count": len(x),
                                        "shape": [len(y)], **params}
            print(f"{sr:6d} -> {TARGET} {kind:9s}: polyphase vs soxr_hq {db(poly, y):6.1f} dB")
        if sr > 2 * 15000:
            x = signal("tone", sr, {"frequency": 15000.0, "amplitude": 0.5})
            y = soxr.resample(x, sr, TARGET, "HQ").astype(np.float64)
            poly = librosa.resample(x, orig_sr=sr, target_sr=TARGET, res_type="polyphase")
            level = 10 * math.log10(np.mean(y ** 2) / np.mean(x.astype(np.float64) ** 2))
            level_poly = 10 * math.log10(np.mean(poly.astype(np.float64) ** 2) / np.mean(x.astype(np.float64) ** 2))
            manifest["arrays"][f"alias_{sr}"] = {"soxr_level_db": level, "polyphase_level_db": level_poly}
            print(f"{sr:6d} -> {TARGET} 15 kHz tone: soxr_hq {level:6.1f} dB, polyphase {level_poly:6.1f} dB")
        # soxr's pass-band gain (a long tone, least-squares amplitude on the interior).
        gains = []
        for fraction in [0.5, 0.7, 0.8, 0.9, 0.9137]:
            f = fraction * nyquist
            n = 2 * sr
            x = np.sin(2 * np.pi * f * np.arange(n) / sr).astype(np.float32)
            y = soxr.resample(x, sr, TARGET, "HQ").astype(np.float64)
            tt = np.arange(len(y)) / TARGET
            keep = slice(2000, len(y) - 2000)
            basis = np.stack([np.sin(2 * np.pi * f * tt[keep]), np.cos(2 * np.pi * f * tt[keep])], 1)
            c = np.linalg.lstsq(basis, y[keep], rcond=None)[0]
            gains.append(f"{fraction}: {20 * math.log10(math.hypot(*c)):+.5f} dB")
        print(f"{sr:6d} -> {TARGET} soxr_hq pass-band gain: " + ", ".join(gains))
    with open(os.path.join(OUT, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
