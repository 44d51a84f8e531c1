#!/usr/bin/env python3
"""Reference fixtures for Tests/NeuralNetTests (re-runnable, deterministic).

Writes into Tests/NeuralNetTests/Fixtures/:
  rng.json                       first outputs of xoshiro256** seeded by SplitMix64 (an independent
                                 Python implementation of the published algorithms)
  torch_cnn2d.json / _initial.safetensors
  torch_cnn1d.json / _initial.safetensors
  torch_cnn2d_eval.json / .safetensors
                                 eval-mode logits of a small 2-D CNN with random BatchNorm running
                                 statistics (1- and 6/8-channel 3 × 3 convolutions, odd sizes): the
                                 planned inference path (BatchNorm folding, Winograd) against PyTorch
                                 a small PyTorch CPU model: initial state dict (written with the
                                 `safetensors` package, so reading it also tests interop), a batch,
                                 training-mode logits, the loss (label smoothing + class weights),
                                 gradients, the state after one Adam step, eval-mode logits after it
  python_written.safetensors     tensors + metadata written by the Python safetensors package
  python_f32_only.safetensors    F32-only tensors, to compare byte-for-byte with our writer

If Tests/NeuralNetTests/Fixtures/swift_written.safetensors exists (written by the Swift test
suite with NEURALNET_WRITE_FIXTURES=1), it is loaded with the Python package and checked.

Usage: python3 Scripts/torch_reference.py   (needs torch CPU and safetensors: pip install torch safetensors)
Speed comparisons with PyTorch live in Scripts/peer_benchmarks.py (same run as our Benchmarks/).
"""
import sys
import time
import json
import os

import numpy as np
import torch
from safetensors import safe_open
from safetensors.torch import save_file

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Tests", "NeuralNetTests", "Fixtures")
MASK = (1 << 64) - 1

torch.set_num_threads(1)
torch.use_deterministic_algorithms(True)


def rng_reference(seed, count):
    """SplitMix64 seeding (Steele et al. 2014) + xoshiro256** 1.0 (Blackman & Vigna 2018)."""
    state = seed

    def splitmix():
        nonlocal state
        state = (state + 0x9E3779B97F4A7C15) & MASK
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    s = [splitmix() for _ in range(4)]

    def rotl(x, k):
        return ((x << k) | (x >> (64 - k))) & MASK

    out = []
    for _ in range(count):
        out.append(str((rotl((s[1] * 5) & MASK, 7) * 9) & MASK))
        t = (s[1] << 17) & MASK
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = rotl(s[3], 45)
    return out


class GlobalAveragePool(torch.nn.Module):
    """Mean over all axes after the channel axis (one module, so Sequential indices line up)."""

    def forward(self, x):
        return x.mean(dim=tuple(range(2, x.dim())))


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def parity_case(name, model, specs, input_shape, batch, classes, seed):
    torch.manual_seed(seed)
    for m in model.modules():  # nonzero BN affine parameters so they matter
        if isinstance(m, (torch.nn.BatchNorm1d, torch.nn.BatchNorm2d)):
            with torch.no_grad():
                m.weight.uniform_(0.5, 1.5)
                m.bias.uniform_(-0.5, 0.5)
    x = torch.randn(batch, *input_shape)
    labels = torch.randint(0, classes, (batch,))
    weights = torch.linspace(0.5, 2.0, classes)
    smoothing = 0.1
    state = {k: v.clone().contiguous() for k, v in model.state_dict().items()}
    save_file(state, os.path.join(OUT, f"{name}_initial.safetensors"))

    model.train()
    xg = x.clone().requires_grad_(True)
    logits = model(xg)
    loss = torch.nn.functional.cross_entropy(logits, labels, weight=weights, label_smoothing=smoothing)
    opt = torch.optim.Adam(model.parameters(), lr=0.01, betas=(0.9, 0.999), eps=1e-7)
    opt.zero_grad()
    loss.backward()
    grads = {k: flat(p.grad) for k, p in model.named_parameters()}
    opt.step()
    after = {k: flat(v) for k, v in model.state_dict().items() if not k.endswith("num_batches_tracked")}
    model.eval()
    with torch.no_grad():
        eval_logits = model(x)
    record = {
        "specs": specs,
        "inputShape": list(input_shape),
        "input": flat(x),
        "labels": [int(v) for v in labels],
        "classWeights": flat(weights),
        "labelSmoothing": smoothing,
        "learningRate": 0.01,
        "logits": flat(logits),
        "loss": loss.item(),
        "inputGradient": flat(xg.grad),
        "gradients": grads,
        "after": after,
        "evalLogits": flat(eval_logits),
    }
    with open(os.path.join(OUT, f"{name}.json"), "w") as f:
        json.dump(record, f, separators=(",", ":"))


def cnn2d():
    torch.manual_seed(2024)
    model = torch.nn.Sequential(
        torch.nn.Conv2d(2, 4, 3, padding="same"),
        torch.nn.BatchNorm2d(4),
        torch.nn.ReLU(),
        torch.nn.MaxPool2d(2),
        torch.nn.Conv2d(4, 6, (2, 3), stride=1),
        torch.nn.LeakyReLU(0.01),
        torch.nn.AvgPool2d((1, 2)),
        GlobalAveragePool(),
        torch.nn.Dropout(0.0),
        torch.nn.Linear(6, 3),
    )
    specs = [
        {"type": "conv2D", "filters": 4, "kernel": [3, 3], "stride": [1, 1], "padding": "same"},
        {"type": "batchNorm", "momentum": 0.1, "epsilon": 1e-5},
        {"type": "relu"},
        {"type": "maxPool2D", "size": [2, 2]},
        {"type": "conv2D", "filters": 6, "kernel": [2, 3], "padding": "valid"},
        {"type": "leakyReLU", "slope": 0.01},
        {"type": "averagePool2D", "size": [1, 2]},
        {"type": "globalAveragePooling"},
        {"type": "dropout", "rate": 0.0},
        {"type": "dense", "units": 3},
    ]
    parity_case("torch_cnn2d", model, specs, (2, 8, 10), 4, 3, 7)


def cnn1d():
    torch.manual_seed(2025)
    model = torch.nn.Sequential(
        torch.nn.Conv1d(3, 5, 3, padding="same"),
        torch.nn.BatchNorm1d(5),
        torch.nn.ReLU(),
        torch.nn.MaxPool1d(2),
        torch.nn.Conv1d(5, 4, 3, stride=2),
        torch.nn.ReLU(),
        torch.nn.AvgPool1d(2),
        torch.nn.Flatten(),
        torch.nn.Linear(8, 6),
        torch.nn.BatchNorm1d(6),
        torch.nn.ReLU(),
        torch.nn.Linear(6, 4),
    )
    specs = [
        {"type": "conv1D", "filters": 5, "kernel": 3, "padding": "same"},
        {"type": "batchNorm"},
        {"type": "relu"},
        {"type": "maxPool1D", "size": 2},
        {"type": "conv1D", "filters": 4, "kernel": 3, "stride": 2},
        {"type": "relu"},
        {"type": "averagePool1D", "size": 2},
        {"type": "flatten"},
        {"type": "dense", "units": 6},
        {"type": "batchNorm"},
        {"type": "relu"},
        {"type": "dense", "units": 4},
    ]
    # length 20 → same conv 20 → pool 10 → conv k3 s2: 4 → pool 2 → 4 channels × 2 = 8
    parity_case("torch_cnn1d", model, specs, (3, 20), 6, 4, 8)


def interop():
    tensors = {
        "conv.weight": (torch.arange(24, dtype=torch.float32) * 0.5 - 3).reshape(2, 3, 2, 2),
        "dense.bias": torch.tensor([1.5, -2.25, 1e-8, 3.4e38], dtype=torch.float32),
        "scalar": torch.tensor(7.0, dtype=torch.float32),
        "empty": torch.zeros(0, 3, dtype=torch.float32),
    }
    save_file(tensors, os.path.join(OUT, "python_f32_only.safetensors"))
    mixed = dict(tensors)
    mixed["steps"] = torch.tensor([3, 4], dtype=torch.int64)
    save_file(mixed, os.path.join(OUT, "python_written.safetensors"), metadata={"format": "pt"})  # one key: the order of several is random

    swift = os.path.join(OUT, "swift_written.safetensors")
    if os.path.exists(swift):
        with safe_open(swift, framework="pt") as f:
            metadata = f.metadata()
            assert metadata == {"writer": "NeuralNet"}, metadata
            names = sorted(f.keys())
            assert names == ["a.weight", "b.bias"], names
            a = f.get_tensor("a.weight")
            b = f.get_tensor("b.bias")
        assert a.dtype == torch.float32 and list(a.shape) == [2, 3]
        np.testing.assert_array_equal(a.numpy(), (np.arange(6, dtype=np.float32) - 2.5).reshape(2, 3))
        np.testing.assert_array_equal(b.numpy(), np.array([0.125, -1e-3, 6.5e4], dtype=np.float32))
        print("swift_written.safetensors: read by the Python safetensors package, values match")


def cnn2d_eval():
    """Inference only: eval-mode logits with non-trivial running statistics, so that folding
    BatchNorm into the convolutions is checked, on sizes that are not multiples of 4."""
    torch.manual_seed(77)
    model = torch.nn.Sequential(
        torch.nn.Conv2d(1, 6, 3, padding="same"),
        torch.nn.BatchNorm2d(6),
        torch.nn.ReLU(),
        torch.nn.MaxPool2d(2),
        torch.nn.Conv2d(6, 8, 3, padding="same"),
        torch.nn.BatchNorm2d(8),
        torch.nn.ReLU(),
        torch.nn.MaxPool2d(2),
        torch.nn.Conv2d(8, 5, 3),
        torch.nn.LeakyReLU(0.1),
        GlobalAveragePool(),
        torch.nn.Linear(5, 3),
    )
    specs = [
        {"type": "conv2D", "filters": 6, "kernel": [3, 3], "padding": "same"},
        {"type": "batchNorm"}, {"type": "relu"}, {"type": "maxPool2D", "size": [2, 2]},
        {"type": "conv2D", "filters": 8, "kernel": [3, 3], "padding": "same"},
        {"type": "batchNorm"}, {"type": "relu"}, {"type": "maxPool2D", "size": [2, 2]},
        {"type": "conv2D", "filters": 5, "kernel": [3, 3], "padding": "valid"},
        {"type": "leakyReLU", "slope": 0.1},
        {"type": "globalAveragePooling"},
        {"type": "dense", "units": 3},
    ]
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, torch.nn.BatchNorm2d):
                m.weight.uniform_(0.5, 1.5)
                m.bias.uniform_(-0.5, 0.5)
                m.running_mean.uniform_(-0.3, 0.3)
                m.running_var.uniform_(0.5, 2.0)
    model.eval()
    x = torch.randn(3, 1, 18, 21)
    with torch.no_grad():
        logits = model(x)
    state = {k: v.clone().contiguous() for k, v in model.state_dict().items()}
    save_file(state, os.path.join(OUT, "torch_cnn2d_eval.safetensors"))
    record = {"specs": specs, "inputShape": [1, 18, 21], "input": flat(x), "evalLogits": flat(logits)}
    with open(os.path.join(OUT, "torch_cnn2d_eval.json"), "w") as f:
        json.dump(record, f, separators=(",", ":"))


def main():
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "rng.json"), "w") as f:
        json.dump({"seed": 12345, "first": rng_reference(12345, 8)}, f)
    cnn2d()
    cnn1d()
    cnn2d_eval()
    interop()
    print("fixtures written to", OUT)


if __name__ == "__main__":
    main()
