#!/usr/bin/env python3
"""Reference values for the AudioIO tests, computed with Python's soundfile (libsndfile).

Usage:
  Scripts/audio_reference.py gtzan [AUDIO_DIR]
      Decodes every <genre>/<genre>.NNNNN.wav under AUDIO_DIR (default: ../shared/data/gtzan/sample)
      with soundfile.read(dtype="float32") and writes Tests/AudioIOTests/Fixtures/gtzan_reference.json:
      per file the frame count, sample rate, channels, the float64 sum and sum of squares of all
      samples, and 300 samples (100 from the start, 100 around the middle, 100 at the end) of
      channel 0. Deterministic: files sorted by path, fixed positions, no randomness.
  Scripts/audio_reference.py encodings
      Writes small files with soundfile in every container/encoding AudioIO reads (WAV, WAVEX, RF64,
      AU; PCM 8-32, float, double, µ-law, A-law; 1-3 channels) and stores each file's bytes
      (base64) with soundfile's own float32 decoding in
      Tests/AudioIOTests/Fixtures/soundfile_encodings.json. For µ-law and A-law the data bytes are
      overwritten with all 256 codes, so libsndfile's expansion of every code is recorded.
      Deterministic (fixed seed).
  Scripts/audio_reference.py check-written DIR
      Reads every .wav in DIR (e.g. written by AudioIO's WAVEncoder) with soundfile and, for PCM
      files, with Python's `wave` module (extensible PCM only on Python >= 3.12, whose `wave` added
      WAVE_FORMAT_EXTENSIBLE), and prints what each reader saw; exits non-zero on failure.
"""
import json
import pathlib
import sys
import wave

import numpy as np
import soundfile as sf

ROOT = pathlib.Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "Tests" / "AudioIOTests" / "Fixtures" / "gtzan_reference.json"
SPAN = 100


def positions(frames: int) -> list[int]:
    """Fixed sample positions: the first, the middle and the last SPAN frames (deduplicated)."""
    middle = max(frames // 2 - SPAN // 2, 0)
    picked = list(range(min(SPAN, frames))) + list(range(middle, min(middle + SPAN, frames)))
    picked += list(range(max(frames - SPAN, 0), frames))
    return sorted(set(picked))


def gtzan(directory: pathlib.Path) -> None:
    entries = []
    for path in sorted(directory.glob("*/*.wav")):
        samples, rate = sf.read(str(path), dtype="float32", always_2d=True)
        frames, channels = samples.shape
        wide = samples.astype(np.float64)
        picked = positions(frames)
        entries.append({
            "file": f"{path.parent.name}/{path.name}",
            "frames": int(frames),
            "sampleRate": int(rate),
            "channels": int(channels),
            "sum": float(wide.sum()),
            "sumOfSquares": float((wide * wide).sum()),
            "positions": picked,
            "samples": [float(v) for v in samples[picked, 0]],
        })
    if not entries:
        sys.exit(f"no <genre>/<genre>.NNNNN.wav files under {directory}")
    FIXTURE.parent.mkdir(parents=True, exist_ok=True)
    FIXTURE.write_text(json.dumps({
        "generator": "Scripts/audio_reference.py gtzan (soundfile %s, libsndfile %s, dtype float32)"
                     % (sf.__version__, sf.__libsndfile_version__),
        "files": entries,
    }, indent=1) + "\n")
    print(f"wrote {len(entries)} entries to {FIXTURE}")


ENCODINGS = ROOT / "Tests" / "AudioIOTests" / "Fixtures" / "soundfile_encodings.json"


def data_offset(blob: bytes, container: str) -> int:
    """Where the sample data starts in a file soundfile wrote."""
    if container == "AU":
        return int.from_bytes(blob[4:8], "big")
    return blob.index(b"data") + 8


def encodings() -> None:
    import base64
    import io

    rng = np.random.default_rng(20261125)
    cases = []
    integer = ["PCM_16", "PCM_24", "PCM_32", "FLOAT", "DOUBLE"]
    for container, subtypes, channel_counts in [
        ("WAV", ["PCM_U8"] + integer, [1, 3]),
        ("WAVEX", ["PCM_U8"] + integer, [2]),
        ("RF64", ["PCM_16", "FLOAT"], [2]),
        ("AU", ["PCM_S8"] + integer, [1, 2]),
    ]:
        for subtype in subtypes:
            for channels in channel_counts:
                cases.append((container, subtype, channels, False))
    for container in ["WAV", "AU"]:
        for subtype in ["ULAW", "ALAW"]:
            cases.append((container, subtype, 1, True))

    entries = []
    for container, subtype, channels, every_code in cases:
        frames = 256 if every_code else 40
        signal = rng.uniform(-1.2, 1.2, size=(frames, channels)).astype(np.float32)
        buffer = io.BytesIO()
        sf.write(buffer, signal, 11025, subtype=subtype, format=container)
        blob = bytearray(buffer.getvalue())
        if every_code:
            start = data_offset(bytes(blob), container)
            blob[start:start + 256] = bytes(range(256))
        decoded, rate = sf.read(io.BytesIO(bytes(blob)), dtype="float32", always_2d=True)
        entries.append({
            "name": f"{container} {subtype} {channels} ch",
            "file": base64.b64encode(bytes(blob)).decode("ascii"),
            "sampleRate": int(rate),
            "channels": int(decoded.shape[1]),
            "frames": int(decoded.shape[0]),
            "samples": [float(v) for v in decoded.reshape(-1)],  # interleaved, frame-major
        })
    ENCODINGS.parent.mkdir(parents=True, exist_ok=True)
    ENCODINGS.write_text(json.dumps({
        "generator": "Scripts/audio_reference.py encodings (soundfile %s, libsndfile %s, dtype float32)"
                     % (sf.__version__, sf.__libsndfile_version__),
        "cases": entries,
    }, separators=(",", ":")) + "\n")
    print(f"wrote {len(entries)} cases to {ENCODINGS}")


def check_written(directory: pathlib.Path) -> None:
    failures = 0
    for path in sorted(directory.glob("*.wav")):
        try:
            data, rate = sf.read(str(path), dtype="float32", always_2d=True)
            info = sf.info(str(path))
            line = f"{path.name}: soundfile {info.format}/{info.subtype} {rate} Hz {data.shape}"
        except Exception as error:  # report every file, then fail
            failures += 1
            print(f"{path.name}: soundfile FAILED: {error}")
            continue
        # `wave` reads WAVE_FORMAT_EXTENSIBLE only from Python 3.12 on; older versions read plain PCM.
        if info.subtype.startswith("PCM") and (info.format == "WAV" or sys.version_info >= (3, 12)):
            try:
                with wave.open(str(path)) as w:
                    line += f"; wave {w.getnchannels()} ch {w.getsampwidth() * 8}-bit {w.getnframes()} frames"
            except Exception as error:
                failures += 1
                line += f"; wave FAILED: {error}"
        print(line)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "gtzan"
    if command == "gtzan":
        default = ROOT.parent / "shared" / "data" / "gtzan" / "sample"
        gtzan(pathlib.Path(sys.argv[2]) if len(sys.argv) > 2 else default)
    elif command == "encodings":
        encodings()
    elif command == "check-written" and len(sys.argv) > 2:
        check_written(pathlib.Path(sys.argv[2]))
    else:
        sys.exit(__doc__)
