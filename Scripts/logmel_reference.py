#!/usr/bin/env python3
"""Reference log-mel segment images for Tests/FeaturesTests/LogMelSegmentsTests.swift (librosa 0.11).

The signal is a closed formula the Swift test re-creates (float64, rounded to float32):
    x[i] = 0.4·sin(2π·440·t)·(1 + 0.5·sin(2π·3·t)) + 0.2·sin(2π·(200·t + 3000·t²)),  t = i / 22050
Each segment of SEG samples starting every HOP samples (partial tail dropped; a signal shorter
than one segment is zero-padded to one) becomes
    librosa.power_to_db(librosa.feature.melspectrogram(y=seg, sr=22050, n_fft=2048,
                        hop_length=512, n_mels=40), ref=np.max | 1.0, top_db=80)
(librosa 0.11 defaults otherwise: periodic Hann, center=True, pad_mode='constant', Slaney mel).

    python3 Scripts/logmel_reference.py   # rewrites Tests/FeaturesTests/Fixtures/logmel-segments.json
"""
import json, os
import numpy as np
import librosa

assert librosa.__version__.startswith('0.11'), f'expects librosa 0.11, found {librosa.__version__}'

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, '..', 'Tests', 'FeaturesTests', 'Fixtures', 'logmel-segments.json')
SR, N_FFT, HOP_LENGTH, N_MELS = 22050, 2048, 512, 40
SEG, HOP = 8192, 6000


def signal(n):
    t = np.arange(n, dtype=np.float64) / SR
    x = 0.4 * np.sin(2 * np.pi * 440 * t) * (1 + 0.5 * np.sin(2 * np.pi * 3 * t))
    x += 0.2 * np.sin(2 * np.pi * (200 * t + 3000 * t * t))
    return x.astype(np.float32)


def images(y, ref):
    if len(y) < SEG:
        y = np.concatenate([y, np.zeros(SEG - len(y), dtype=np.float32)])
    count = 1 + (len(y) - SEG) // HOP
    out = []
    for s in range(count):
        seg = y[s * HOP:s * HOP + SEG]
        mel = librosa.feature.melspectrogram(y=seg, sr=SR, n_fft=N_FFT, hop_length=HOP_LENGTH, n_mels=N_MELS)
        db = librosa.power_to_db(mel, ref=ref, top_db=80.0)
        out.append(db.astype(np.float64).ravel().tolist())  # (n_mels, t), C order
    return out


def main():
    long, short = signal(20000), signal(5000)
    ref = {
        'sampleRate': SR, 'fftSize': N_FFT, 'hopLength': HOP_LENGTH, 'melCount': N_MELS,
        'segmentLength': SEG, 'segmentHop': HOP, 'frames': 1 + SEG // HOP_LENGTH,
        'long': {'length': 20000, 'maximum': images(long, np.max), 'unity': images(long, 1.0)},
        'short': {'length': 5000, 'maximum': images(short, np.max)},
    }
    with open(OUT, 'w') as f:
        json.dump(ref, f, separators=(',', ':'))
        f.write('\n')


if __name__ == '__main__':
    main()
