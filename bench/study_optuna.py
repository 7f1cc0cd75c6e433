"""The study of bench/studyTime.ts written the Optuna + PyTorch way: TPE (4 random startup trials) over dense
(256-64) and conv (16/32) autoencoders, latent {16, 32, 64}, activation {relu, elu}, learning rate 3e-4..3e-3
(log), batch 128, 6 epochs, logistic regression on the codes, objective = validation accuracy. Two worker
processes (one thread each) share an SQLite storage, as in Optuna's documented multi-process setup.

The probe is the one Latent Lab fits, so both sides pay for the same work:
  --probe cv     codes standardised, C chosen from Latent Lab's LOGISTIC_C_GRID by 3-fold stratified CV
                 (shuffled, random_state 0) on the training codes, as scikit-learn's LogisticRegressionCV does it;
  --probe fixed  C = 1 on the raw codes (scikit-learn's LogisticRegression defaults).

    python3 bench/study_optuna.py --folder <class folders of PNGs> --trials 12 --workers 2 --seed 1 --probe cv

Prints one JSON line: wall seconds (from start to the last worker's exit, decoding the images included), the
best validation accuracy and its parameters. Needs python3-torch, python3-optuna, python3-sklearn, python3-pil.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time


def load_folder(folder):
    import numpy as np
    from PIL import Image
    classes = sorted(d for d in os.listdir(folder) if os.path.isdir(os.path.join(folder, d)))
    xs, ys = [], []
    for label, c in enumerate(classes):
        for f in sorted(os.listdir(os.path.join(folder, c))):
            xs.append(np.asarray(Image.open(os.path.join(folder, c, f)).convert('L'), dtype=np.float32).reshape(-1) / 255)
            ys.append(label)
    return np.stack(xs), np.array(ys)


def split(x, y, seed):
    from sklearn.model_selection import train_test_split
    # 12.5% test held out, then 15% of all images for validation, stratified.
    x_rest, _, y_rest, _ = train_test_split(x, y, test_size=0.125, stratify=y, random_state=seed)
    return train_test_split(x_rest, y_rest, test_size=0.15 / 0.875, stratify=y_rest, random_state=seed)


def build(arch, latent, act):
    from torch import nn
    a = nn.ReLU if act == 'relu' else nn.ELU
    if arch == 'dense':
        enc = nn.Sequential(nn.Linear(784, 256), a(), nn.Linear(256, 64), a(), nn.Linear(64, latent))
        dec = nn.Sequential(nn.Linear(latent, 64), a(), nn.Linear(64, 256), a(), nn.Linear(256, 784), nn.Sigmoid())
    else:
        enc = nn.Sequential(nn.Unflatten(1, (1, 28, 28)), nn.Conv2d(1, 16, 3, 2, 1), a(), nn.Conv2d(16, 32, 3, 2, 1), a(),
                            nn.Flatten(), nn.Linear(7 * 7 * 32, latent))
        dec = nn.Sequential(nn.Linear(latent, 7 * 7 * 32), a(), nn.Unflatten(1, (32, 7, 7)),
                            nn.ConvTranspose2d(32, 16, 3, 2, 1, output_padding=1), a(),
                            nn.ConvTranspose2d(16, 1, 3, 2, 1, output_padding=1), nn.Sigmoid(), nn.Flatten())
    for m in list(enc.modules()) + list(dec.modules()):
        if isinstance(m, (nn.Linear, nn.Conv2d, nn.ConvTranspose2d)):
            nn.init.xavier_uniform_(m.weight)
            nn.init.zeros_(m.bias)
    return enc, dec


# Latent Lab's LOGISTIC_C_GRID (src/shared/study/probes.ts).
C_GRID = [0.001, 0.01, 0.1, 1, 10, 100]


def fit_probe(kind, z_tr, y_tr):
    from sklearn.linear_model import LogisticRegression, LogisticRegressionCV
    from sklearn.model_selection import StratifiedKFold
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    if kind == 'fixed':
        return LogisticRegression(C=1.0, max_iter=1000).fit(z_tr, y_tr)
    folds = StratifiedKFold(n_splits=3, shuffle=True, random_state=0)
    cv = LogisticRegressionCV(Cs=C_GRID, cv=folds, scoring='accuracy', max_iter=1000)
    return make_pipeline(StandardScaler(), cv).fit(z_tr, y_tr)


def objective_for(data, probe_kind):
    import torch
    x_tr, x_va, y_tr, y_va = data
    xt, xv = torch.tensor(x_tr), torch.tensor(x_va)

    def objective(trial):
        arch = trial.suggest_categorical('architecture', ['dense', 'conv'])
        latent = trial.suggest_categorical('latentSize', [16, 32, 64])
        act = trial.suggest_categorical('activation', ['relu', 'elu'])
        lr = trial.suggest_float('learningRate', 3e-4, 3e-3, log=True)
        torch.manual_seed(trial.number)
        enc, dec = build(arch, latent, act)
        opt = torch.optim.Adam(list(enc.parameters()) + list(dec.parameters()), lr=lr)
        loss_fn = torch.nn.MSELoss()
        for _ in range(6):
            for idx in torch.randperm(len(xt)).split(128):
                xb = xt[idx]
                opt.zero_grad()
                loss_fn(dec(enc(xb)), xb).backward()
                opt.step()
        with torch.no_grad():
            z_tr, z_va = enc(xt).numpy(), enc(xv).numpy()
        return float(fit_probe(probe_kind, z_tr, y_tr).score(z_va, y_va))

    return objective


def worker(args):
    import warnings
    import optuna
    import torch
    # The probe stops at max_iter like scikit-learn's default use; its convergence warnings are not news here.
    warnings.filterwarnings('ignore', module='sklearn')
    torch.set_num_threads(1)
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    data = split(*load_folder(args.folder), args.seed)
    sampler = optuna.samplers.TPESampler(n_startup_trials=4, seed=args.seed + args.worker)
    study = optuna.load_study(study_name='studyTime', storage=args.storage, sampler=sampler)
    study.optimize(objective_for(data, args.probe), n_trials=args.trials_per_worker)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--folder', required=True)
    ap.add_argument('--trials', type=int, default=12)
    ap.add_argument('--workers', type=int, default=2)
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--probe', choices=['cv', 'fixed'], default='cv')
    ap.add_argument('--worker', type=int, default=-1, help=argparse.SUPPRESS)
    ap.add_argument('--storage', help=argparse.SUPPRESS)
    ap.add_argument('--trials-per-worker', type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker >= 0:
        return worker(args)

    import optuna
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        storage = f'sqlite:///{os.path.join(tmp, "optuna.db")}'
        optuna.create_study(study_name='studyTime', storage=storage, direction='maximize')
        env = {**os.environ, 'OMP_NUM_THREADS': '1', 'OPENBLAS_NUM_THREADS': '1', 'MKL_NUM_THREADS': '1'}
        per = [args.trials // args.workers + (1 if w < args.trials % args.workers else 0) for w in range(args.workers)]
        procs = [subprocess.Popen([sys.executable, __file__, '--folder', args.folder, '--seed', str(args.seed), '--probe', args.probe, '--worker', str(w),
                                  '--storage', storage, '--trials-per-worker', str(per[w])], env=env) for w in range(args.workers)]
        codes = [p.wait() for p in procs]
        wall = time.perf_counter() - started
        if any(codes):
            raise SystemExit(f'a worker failed: exit codes {codes}')
        study = optuna.load_study(study_name='studyTime', storage=storage)
        best = study.best_trial
        print(json.dumps({'probe': args.probe, 'wallSeconds': wall, 'trials': len(study.trials), 'bestValue': best.value, 'bestParams': best.params}))


if __name__ == '__main__':
    sys.exit(main())
