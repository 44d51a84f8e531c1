#!/usr/bin/env python3
"""Writes the fuzzers' seed corpora into Fuzz/Corpus/<target>/ (small valid and edge-case files).

Deterministic and re-runnable: `python3 Scripts/fuzz_seeds.py`. Audio seeds come from
soundfile (libsndfile) plus hand-built headers for what libsndfile does not write (open sizes,
AU with annotation, data before fmt, RF64 with ds64); the rest are small text/JSON files and
copies of the committed safetensors fixtures and default model manifest.
"""
import io
import pathlib
import shutil
import struct

import numpy as np
import soundfile as sf

ROOT = pathlib.Path(__file__).resolve().parent.parent
CORPUS = ROOT / "Fuzz" / "Corpus"


def write(target, name, data):
    d = CORPUS / target
    d.mkdir(parents=True, exist_ok=True)
    (d / name).write_bytes(data if isinstance(data, bytes) else data.encode())


def sf_bytes(samples, rate, fmt, subtype, channels=1):
    buf = io.BytesIO()
    sf.write(buf, samples.reshape(-1, channels), rate, format=fmt, subtype=subtype)
    data = bytearray(buf.getvalue())
    # libsndfile's PEAK chunk (float WAVs) holds the write time; zero it so the seeds are stable.
    peak = data.find(b"PEAK")
    if peak >= 0:
        data[peak + 12:peak + 16] = bytes(4)
    return bytes(data)


def audio_seeds():
    t = np.arange(12) / 12.0
    mono = (0.8 * np.sin(2 * np.pi * 2 * t)).astype(np.float64)
    stereo = np.stack([mono, -mono], axis=1)
    seeds = {}
    for subtype in ["PCM_U8", "PCM_16", "PCM_24", "PCM_32", "FLOAT", "DOUBLE", "ULAW", "ALAW"]:
        seeds[f"wav_{subtype.lower()}.wav"] = sf_bytes(mono, 8000, "WAV", subtype)
    seeds["wav_pcm16_stereo.wav"] = sf_bytes(stereo, 22050, "WAV", "PCM_16", 2)
    seeds["wavex_float_stereo.wav"] = sf_bytes(stereo, 192000, "WAVEX", "FLOAT", 2)
    seeds["rf64_pcm16.wav"] = sf_bytes(mono, 8000, "RF64", "PCM_16")
    for subtype in ["PCM_S8", "PCM_16", "PCM_24", "FLOAT", "DOUBLE", "ULAW", "ALAW"]:
        seeds[f"au_{subtype.lower()}.au"] = sf_bytes(mono, 8000, "AU", subtype)
    pcm = struct.pack("<6h", 0, 1000, -1000, 32767, -32768, 5)
    fmt = struct.pack("<4sIHHIIHH", b"fmt ", 16, 1, 1, 8000, 16000, 2, 16)
    # Open-ended data size (pipes), data before fmt, odd-sized LIST chunk with a pad byte.
    seeds["wav_open_size.wav"] = b"RIFF" + struct.pack("<I", 0xFFFFFFFF) + b"WAVE" + fmt + \
        b"data" + struct.pack("<I", 0xFFFFFFFF) + pcm
    body = b"WAVE" + b"data" + struct.pack("<I", len(pcm)) + pcm + fmt
    seeds["wav_data_first.wav"] = b"RIFF" + struct.pack("<I", len(body)) + body
    body = b"WAVE" + b"LIST" + struct.pack("<I", 3) + b"abc\0" + fmt + b"data" + \
        struct.pack("<I", len(pcm)) + pcm
    seeds["wav_list_pad.wav"] = b"RIFF" + struct.pack("<I", len(body)) + body
    ds64 = b"ds64" + struct.pack("<IQQQI", 28, 0, len(pcm), 0, 0)
    seeds["rf64_ds64.wav"] = b"RF64" + struct.pack("<I", 0xFFFFFFFF) + b"WAVE" + ds64 + fmt + \
        b"data" + struct.pack("<I", 0xFFFFFFFF) + pcm
    # AU: annotation, unknown size, little-endian `dns.`, 3 channels.
    au = struct.pack(">4sIIIII", b".snd", 32, 0xFFFFFFFF, 3, 8000, 1) + b"comment\0" + \
        struct.pack(">6h", 0, 1000, -1000, 32767, -32768, 5)
    seeds["au_annotation_open.au"] = au
    seeds["au_dns.au"] = struct.pack("<4sIIIII", b"dns.", 24, 6, 3, 8000, 3) + pcm
    # One sample, zero samples.
    seeds["wav_one_sample.wav"] = sf_bytes(np.array([0.5]), 8000, "WAV", "PCM_16")
    seeds["wav_empty.wav"] = sf_bytes(np.zeros(0), 8000, "WAV", "PCM_16")
    for target in ["AudioDecode", "AudioStream"]:
        for name, data in seeds.items():
            write(target, name, data)


def safetensors_seeds():
    fixtures = ROOT / "Tests" / "NeuralNetTests" / "Fixtures"
    for name in ["python_f32_only.safetensors", "python_written.safetensors", "swift_written.safetensors"]:
        write("SafeTensors", name, (fixtures / name).read_bytes())

    def st(header, data=b""):
        h = header.encode()
        return struct.pack("<Q", len(h)) + h + data

    write("SafeTensors", "empty.safetensors", st("{}"))
    write("SafeTensors", "scalar_and_zero.safetensors",
          st('{"__metadata__":{"k":"v"},"a":{"dtype":"F32","shape":[],"data_offsets":[0,4]},'
             '"z":{"dtype":"F32","shape":[0,3],"data_offsets":[4,4]}}', struct.pack("<f", 1.5)))
    write("SafeTensors", "f16.safetensors",
          st('{"h":{"dtype":"F16","shape":[2],"data_offsets":[0,4]}}', b"\x00\x3c\x00\xc0"))


def manifest_seeds():
    model = ROOT / "Sources" / "GenreModel" / "Resources" / "DefaultModel" / "model.json"
    write("ModelManifest", "default_model.json", model.read_bytes())
    write("ModelManifest", "version_only.json", '{"formatVersion":1}')


def bundle_seeds():
    """Bundle directories packed as [u32 LE manifest length][model.json][weights.safetensors]."""
    import json
    from safetensors.numpy import save
    model = json.loads((ROOT / "Sources" / "GenreModel" / "Resources" / "DefaultModel" /
                        "model.json").read_text())
    model.pop("training", None)
    model["metrics"] = {}
    columns = len(model["scaler"]["mean"])
    labels = len(model["labels"])

    def pack(architecture, tensors, ensemble=1, input_shape=None):
        manifest = dict(model, architecture=architecture, ensembleSize=ensemble,
                        inputShape=input_shape or [columns])
        text = json.dumps(manifest, sort_keys=True).encode()
        return struct.pack("<I", len(text)) + text + save(tensors)

    def ramp(*shape):
        n = int(np.prod(shape))
        return (np.linspace(-0.5, 0.5, n, dtype=np.float32) * 0.1).reshape(shape)

    dense = [{"type": "dense", "units": labels, "initializer": "glorotUniform"}]
    write("ModelBundle", "dense.bin", pack(dense, {"0.weight": ramp(labels, columns), "0.bias": ramp(labels)}))
    mlp = [{"type": "dense", "units": 4, "initializer": "heNormal"},
           {"type": "batchNorm", "epsilon": 1e-5, "momentum": 0.1}, {"type": "relu"},
           {"type": "dropout", "rate": 0.4}, {"type": "dense", "units": labels, "initializer": "glorotUniform"}]
    tensors = {}
    for k in range(2):
        tensors.update({
            f"members.{k}.0.weight": ramp(4, columns), f"members.{k}.0.bias": ramp(4),
            f"members.{k}.1.weight": np.ones(4, np.float32), f"members.{k}.1.bias": ramp(4),
            f"members.{k}.1.running_mean": ramp(4), f"members.{k}.1.running_var": np.ones(4, np.float32),
            f"members.{k}.4.weight": ramp(labels, 4), f"members.{k}.4.bias": ramp(labels)})
    write("ModelBundle", "mlp_ensemble.bin", pack(mlp, tensors, ensemble=2))
    conv = [{"type": "conv1D", "filters": 2, "kernel": 3, "stride": 1, "padding": "same",
             "initializer": "glorotUniform"},
            {"type": "relu"}, {"type": "maxPool1D", "size": 2}, {"type": "flatten"},
            {"type": "dense", "units": labels, "initializer": "glorotUniform"}]
    write("ModelBundle", "conv1d.bin", pack(conv, {
        "0.weight": ramp(2, 1, 3), "0.bias": ramp(2),
        "4.weight": ramp(labels, 2 * (columns // 2)), "4.bias": ramp(labels)}, input_shape=[1, columns]))
    nan = ramp(labels, columns)
    nan[3, 7] = np.nan
    write("ModelBundle", "nan_weight.bin", pack(dense, {"0.weight": nan, "0.bias": ramp(labels)}))


def table_seeds():
    write("FeatureTable", "small.csv",
          "filename,length,chroma_stft_mean,rms_mean,label\n"
          "blues.00000.0.wav,66149,0.335,0.130,blues\n"
          "blues.00000.1.wav,66149,0.343,0.112,blues\n"
          "rock.00001.0.wav,66149,-1.5e-3,2E+2,rock\n")
    write("FeatureTable", "quoted_crlf.csv",
          '"filename","x ""q""",label\r\n"a,b.wav", 1.0 ,jazz\r\nc.wav,\t-0\t,"pop"\r\n')
    write("FeatureTable", "label_first.csv", "label,filename,f\nx,y,nan\n")


def split_seeds():
    write("SplitList", "paths.txt", "# fault-filtered\nblues/blues.00029.wav\n\nrock/rock.00001.wav\n")
    write("SplitList", "segments.txt", "classical.00000.3.wav\nclassical.00001.wav\n")
    write("SplitList", "crlf.txt", "jazz/jazz.00002.wav\r\npop/pop.00003.wav\r\n")


if __name__ == "__main__":
    if CORPUS.exists():
        shutil.rmtree(CORPUS)
    audio_seeds()
    safetensors_seeds()
    manifest_seeds()
    bundle_seeds()
    table_seeds()
    split_seeds()
    for d in sorted(CORPUS.iterdir()):
        files = list(d.iterdir())
        print(f"{d.name}: {len(files)} files, {sum(f.stat().st_size for f in files)} bytes")
