"""PyTorch side of bench/featureQuality.ts --torch: REFERENCE.md's hand-written conv autoencoder trained on
exactly the study's split, and scikit-learn's raw-pixel and PCA probes on it, so the study's verdict can be read
beside the established tools' figures on the same 1,000 test images (REFERENCE.md's own figures come from
another split, where raw pixels score 0.840).

    python3 bench/feature_torch.py --dir D --epochs 10 --seeds 1,2,3 --latent 64

D holds what featureQuality.ts writes: pixels.u8 (n x d, 0-255, our loader's order), labels.i32, part.u8
(0 train, 1 validation, 2 test, from the study's own stratifiedSplit3). The autoencoder trains on the training
split only, like a study trial. Model: conv 32/64 filters, 3x3 stride 2, batch norm, ReLU, a linear code,
the mirror with transposed convs, sigmoid output, MSE, Adam 1e-3 (eps 1e-7 as tfjs), batch 128, Glorot-uniform
init and zero biases as ours. Probe: standardised features, logistic regression with C chosen by 3-fold CV on the
training features over our probe's grid (0.001 ... 100). Prints one JSON line per result.
"""
import argparse
import json
import os
import time

import numpy as np
import torch
from sklearn.decomposition import PCA
from sklearn.linear_model import LogisticRegressionCV
from sklearn.preprocessing import StandardScaler
from torch import nn

# The same initialisation as bench/train.ts's PyTorch side (Glorot-uniform weights, zero biases).
from train_torch import glorot

GRID = [0.001, 0.01, 0.1, 1, 10, 100]


def probe(f_train, y_train, *f_evals):
    """Predictions for each of f_evals (one fit), then the chosen C."""
    scaler = StandardScaler().fit(f_train)
    model = LogisticRegressionCV(Cs=GRID, cv=3, max_iter=5000).fit(scaler.transform(f_train), y_train)
    return (*(model.predict(scaler.transform(f)) for f in f_evals), float(model.C_[0]))


class ConvAE(nn.Module):
    def __init__(self, latent, side):
        super().__init__()
        q = side // 4
        self.side = side
        self.enc = nn.Sequential(
            nn.Conv2d(1, 32, 3, 2, 1), nn.BatchNorm2d(32), nn.ReLU(),
            nn.Conv2d(32, 64, 3, 2, 1), nn.BatchNorm2d(64), nn.ReLU(),
            nn.Flatten(), nn.Linear(64 * q * q, latent))
        self.dec = nn.Sequential(
            nn.Linear(latent, 64 * q * q), nn.BatchNorm1d(64 * q * q), nn.ReLU(), nn.Unflatten(1, (64, q, q)),
            nn.ConvTranspose2d(64, 32, 3, 2, 1, output_padding=1), nn.BatchNorm2d(32), nn.ReLU(),
            nn.ConvTranspose2d(32, 1, 3, 2, 1, output_padding=1), nn.Sigmoid())

    def encode(self, x):
        return self.enc(x.view(-1, 1, self.side, self.side))

    def forward(self, x):
        return self.dec(self.encode(x)).view(x.shape[0], -1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--dir', required=True)
    ap.add_argument('--epochs', type=int, default=10)
    ap.add_argument('--seeds', default='1,2,3')
    ap.add_argument('--latent', type=int, default=64)
    a = ap.parse_args()
    torch.set_num_threads(1)
    part = np.fromfile(os.path.join(a.dir, 'part.u8'), dtype=np.uint8)
    y = np.fromfile(os.path.join(a.dir, 'labels.i32'), dtype=np.int32)
    x = np.fromfile(os.path.join(a.dir, 'pixels.u8'), dtype=np.uint8).reshape(len(part), -1).astype(np.float32) / 255
    side = int(round(x.shape[1] ** 0.5))
    if side * side != x.shape[1] or side % 4:
        raise SystemExit(f'feature_torch.py: needs square one-channel images with a side divisible by 4, got {x.shape[1]} pixels')
    train, val, test = (part == 0), (part == 1), (part == 2)

    def emit(features, dim, pred, c, **extra):
        print(json.dumps({'features': features, 'dim': dim, 'test': float((pred == y[test]).mean()), 'C': c, **extra}), flush=True)

    emit('raw pixels', x.shape[1], *probe(x[train], y[train], x[test]))
    pca = PCA(a.latent, random_state=0).fit(x[train])
    emit(f'PCA({a.latent})', a.latent, *probe(pca.transform(x[train]), y[train], pca.transform(x[test])))
    xt = torch.from_numpy(x[train])
    for seed in (int(s) for s in a.seeds.split(',')):
        torch.manual_seed(seed)
        g = torch.Generator().manual_seed(seed)
        model = glorot(ConvAE(a.latent, side))
        opt = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
        t0 = time.perf_counter()
        for _ in range(a.epochs):
            model.train()
            for idx in torch.randperm(len(xt), generator=g).split(128):
                xb = xt[idx]
                opt.zero_grad()
                loss = ((model(xb) - xb) ** 2).mean()
                loss.backward()
                opt.step()
        seconds = time.perf_counter() - t0
        model.eval()
        with torch.no_grad():
            codes = model.encode(torch.from_numpy(x)).numpy()
            val_mse = float(((model(torch.from_numpy(x[val])).numpy() - x[val]) ** 2).mean())
        val_pred, pred, c = probe(codes[train], y[train], codes[val], codes[test])
        emit(f'PyTorch conv AE seed {seed}', a.latent, pred, c, val=float((val_pred == y[val]).mean()), valMse=val_mse, epochs=a.epochs, seconds=round(seconds, 1))


if __name__ == '__main__':
    main()
