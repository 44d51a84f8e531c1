#!/usr/bin/env python3
"""Reference outputs for the DSP tests (Tests/DSPTests/Fixtures), from numpy/scipy/librosa.

Re-runnable and deterministic: every signal is synthetic (seeded where random). Writes raw
little-endian float32 arrays as `<name>.f32` plus `manifest.json`, which records each array's
shape and the parameters that produced it. Arrays keep librosa's axis order (bins x frames for
spectrograms) unless the manifest says otherwise; subsets of frames are listed by index.

Spectral references are computed from the float32 test signals converted to float64, so they
are the exact definitions up to float64 rounding (librosa itself computes the STFT's rfft in
float64 because its window is float64). MFCC references are librosa's own float32 pipeline on
the float32 signal, i.e. exactly what `librosa.feature.mfcc(y=y, sr=22050)` returns.

Usage: python3 Scripts/dsp_reference.py   (librosa 0.11, numpy 2, scipy 1.17 were used)
"""
import json
import os

import librosa
import numpy as np
import scipy.fftpack
import scipy.ndimage
import scipy.signal

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "DSPTests", "Fixtures")
SR = 22050
manifest = {"librosa": librosa.__version__, "numpy": np.__version__, "arrays": {}}


def save(name, array, **meta):
    a = np.ascontiguousarray(np.asarray(array, dtype="<f4"))
    a.tofile(os.path.join(OUT, name + ".f32"))
    manifest["arrays"][name] = {"shape": list(a.shape), **meta}


def signals():
    n = SR // 2
    t = np.arange(n) / SR
    rng = np.random.default_rng(1234)
    tone = 0.5 * np.sin(2 * np.pi * 440 * t) + 0.25 * np.sin(2 * np.pi * 1000 * t + 0.3)
    chirp = 0.8 * scipy.signal.chirp(t, f0=100, t1=0.5, f1=8000, method="logarithmic")
    noise = 0.1 * rng.standard_normal(n)
    clicks = np.zeros(SR // 2)
    clicks[::2205] = 0.9
    clicks[1103::2205] = -0.6
    silence = np.zeros(SR // 4)
    short = 0.3 * rng.standard_normal(300)
    # A detuned A (446 Hz, +23.5 cents) with harmonics, for tuning estimation.
    detuned = sum(0.4 / h * np.sin(2 * np.pi * 446.0 * h * t) for h in range(1, 5))
    return {
        "detuned": detuned,
        "tone": tone, "chirp": chirp, "noise": noise, "clicks": clicks, "silence": silence,
        "short": short,
    }


def frame_subset(count):
    picks = sorted({0, 1, count // 2, count - 1})
    return [p for p in picks if 0 <= p < count]


def main():
    os.makedirs(OUT, exist_ok=True)
    for f in os.listdir(OUT):
        if f.endswith(".f32") or f == "manifest.json":
            os.remove(os.path.join(OUT, f))

    # --- FFT: numpy.fft.rfft in float64 of float32 inputs --------------------------------------
    rng = np.random.default_rng(7)
    for n in [8, 16, 32, 64, 128, 256, 512, 1024, 2048, 2, 4, 6, 10, 12, 18, 30, 100, 1000,
              1764, 2018]:
        x = rng.uniform(-1, 1, n).astype(np.float32)
        spec = np.fft.rfft(x.astype(np.float64))
        save(f"fft_in_{n}", x)
        save(f"fft_out_{n}", np.stack([spec.real, spec.imag], axis=1), layout="bins x (re, im)")

    # --- Windows ------------------------------------------------------------------------------
    for kind in ["hann", "hamming", "blackman"]:
        for n in [1, 2, 7, 16, 1000] + ([2048] if kind == "hann" else []):
            save(f"window_{kind}_periodic_{n}", librosa.filters.get_window(kind, n, fftbins=True))
            save(f"window_{kind}_symmetric_{n}", scipy.signal.get_window(kind, n, fftbins=False))
    save("window_hann_padded_800_1024",
         librosa.util.pad_center(librosa.filters.get_window("hann", 800, fftbins=True), size=1024))
    save("window_hann_padded_801_1024",
         librosa.util.pad_center(librosa.filters.get_window("hann", 801, fftbins=True), size=1024))

    # --- Signals ------------------------------------------------------------------------------
    sigs = {k: v.astype(np.float32) for k, v in signals().items()}
    for k, v in sigs.items():
        save(f"signal_{k}", v, sample_rate=SR)

    # --- Framing: np.pad(y, frame_length // 2, mode) + librosa.util.frame --------------------
    for mode in ["constant", "edge", "reflect", "symmetric"]:
        for fl, hop in [(64, 16), (768, 256), (63, 10)]:
            padded = np.pad(sigs["short"], fl // 2, mode=mode)
            save(f"frames_{mode}_{fl}_{hop}", librosa.util.frame(padded, frame_length=fl, hop_length=hop).T,
                 layout="frames x samples")

    # --- STFT ---------------------------------------------------------------------------------
    cases = []
    for k in ["noise", "silence", "short"]:
        cases.append((k, dict(n_fft=2048, hop_length=512, center=True, pad_mode="constant")))
    for k in ["noise", "clicks", "short"]:
        cases.append((k, dict(n_fft=2048, hop_length=512, center=True, pad_mode="reflect")))
    cases.append(("noise", dict(n_fft=1024, hop_length=256, win_length=800, window="hamming",
                                center=True, pad_mode="reflect")))
    cases.append(("noise", dict(n_fft=2048, hop_length=512, center=False)))
    cases.append(("chirp", dict(n_fft=1000, hop_length=250, center=True, pad_mode="reflect")))
    cases.append(("chirp", dict(n_fft=512, hop_length=128, window="blackman", center=True,
                                pad_mode="constant")))
    for i, (k, params) in enumerate(cases):
        y = sigs[k].astype(np.float64)
        d = librosa.stft(y, **params)
        frames = frame_subset(d.shape[1])
        name = f"stft_{i}"
        save(name + "_re", d.real[:, frames], signal=k, params=params, frames=frames,
             frame_count=d.shape[1])
        save(name + "_im", d.imag[:, frames])

    # --- dB scaling ---------------------------------------------------------------------------
    s = np.abs(librosa.stft(sigs["chirp"].astype(np.float64), n_fft=256, hop_length=1024))
    s[:, 3] = 0  # a silent frame: amin clipping
    s_f32 = s.astype(np.float32)
    save("db_in_magnitude", s_f32)
    p = s_f32.astype(np.float64) ** 2
    save("db_in_power", p)
    p32 = p.astype(np.float32).astype(np.float64)
    save("db_power_ref1", librosa.power_to_db(p32, ref=1.0, amin=1e-10, top_db=80.0))
    save("db_power_refmax", librosa.power_to_db(p32, ref=np.max, amin=1e-10, top_db=80.0))
    save("db_power_ref_0.5_notop", librosa.power_to_db(p32, ref=0.5, amin=1e-10, top_db=None))
    save("db_power_amin_1e-4_top40", librosa.power_to_db(p32, ref=1.0, amin=1e-4, top_db=40.0))
    m64 = s_f32.astype(np.float64)
    save("db_amplitude_ref1", librosa.amplitude_to_db(m64, ref=1.0, amin=1e-5, top_db=80.0))
    save("db_amplitude_refmax", librosa.amplitude_to_db(m64, ref=np.max, amin=1e-5, top_db=80.0))

    # --- Mel filterbanks (stored sparsely: each row's first nonzero bin, count, values) -------
    mel_cases = [
        dict(sr=22050, n_fft=2048, n_mels=128, fmin=0.0, fmax=None, htk=False, norm="slaney"),
        dict(sr=22050, n_fft=2048, n_mels=128, fmin=0.0, fmax=None, htk=True, norm="slaney"),
        dict(sr=16000, n_fft=512, n_mels=40, fmin=20.0, fmax=7600.0, htk=False, norm=None),
        dict(sr=44100, n_fft=4096, n_mels=96, fmin=30.0, fmax=16000.0, htk=True, norm=None),
        dict(sr=22050, n_fft=1000, n_mels=64, fmin=0.0, fmax=None, htk=False, norm="slaney"),
    ]
    for i, params in enumerate(mel_cases):
        w = librosa.filters.mel(**params)
        starts, counts, values = [], [], []
        for row in w:
            nz = np.nonzero(row)[0]
            if len(nz) == 0:
                starts.append(0)
                counts.append(0)
                continue
            a, b = int(nz[0]), int(nz[-1]) + 1
            starts.append(a)
            counts.append(b - a)
            values.extend(row[a:b])
        save(f"mel_{i}", np.array(values), params=params, starts=starts, counts=counts,
             bins=int(w.shape[1]))

    # --- Mel spectrogram and MFCC ---------------------------------------------------------------
    for k in ["tone", "noise", "chirp", "clicks", "silence"]:
        y = sigs[k]
        mel = librosa.feature.melspectrogram(y=y.astype(np.float64), sr=SR)
        frames = frame_subset(mel.shape[1])
        save(f"melspec_{k}", mel[:, frames], frames=frames, frame_count=mel.shape[1],
             params=dict(sr=SR, n_fft=2048, hop_length=512, n_mels=128, pad_mode="constant"))
        save(f"mfcc_{k}", librosa.feature.mfcc(y=y, sr=SR),
             params=dict(sr=SR, n_mfcc=20, input="float32 signal, librosa's float32 pipeline"))

    # --- Chroma filterbanks, tuning estimation, chroma_stft ------------------------------------
    chroma_cases = [
        dict(sr=22050, n_fft=2048, n_chroma=12, tuning=0.0),
        dict(sr=22050, n_fft=512, n_chroma=12, tuning=-0.13),
        dict(sr=16000, n_fft=512, n_chroma=24, tuning=0.2, ctroct=4.0, octwidth=None, base_c=False),
    ]
    for i, params in enumerate(chroma_cases):
        save(f"chroma_fb_{i}", librosa.filters.chroma(**params), params=params)
    tunings = {}
    for k in ["tone", "chirp", "noise", "detuned", "clicks"]:
        y = sigs[k].astype(np.float64)
        power = np.abs(librosa.stft(y)) ** 2
        tunings[k] = float(librosa.estimate_tuning(S=power, sr=SR))
        save(f"chroma_stft_{k}", librosa.feature.chroma_stft(S=power, sr=SR),
             params=dict(sr=SR, n_fft=2048, hop_length=512, pad_mode="constant", norm="inf"),
             tuning=tunings[k])
    manifest["tunings"] = tunings

    # --- Median filter (scipy.ndimage.median_filter, mode='reflect', as librosa.decompose.hpss) -
    mrng = np.random.default_rng(2024)
    m = mrng.standard_normal((40, 50)).astype(np.float32)  # bins x frames
    tiny = mrng.standard_normal((5, 7)).astype(np.float32)
    save("median_in", m)
    save("median_in_tiny", tiny)
    for label, arr in [("", m), ("_tiny", tiny)]:
        for size in [31, 4, 1]:
            save(f"median_time_{size}{label}", scipy.ndimage.median_filter(arr, size=(1, size), mode="reflect"))
            save(f"median_freq_{size}{label}", scipy.ndimage.median_filter(arr, size=(size, 1), mode="reflect"))

    # --- DCT-II ortho -------------------------------------------------------------------------
    for n in [1, 2, 13, 128]:
        x = rng.standard_normal(n).astype(np.float32)
        save(f"dct_in_{n}", x)
        save(f"dct_out_{n}", scipy.fftpack.dct(x.astype(np.float64), type=2, norm="ortho"))

    with open(os.path.join(OUT, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
