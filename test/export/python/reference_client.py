#!/usr/bin/env python3
"""An independent client of a Latent Lab encoder bundle, written from manifest.json's text alone (and the public
TensorFlow.js LayersModel format of model.json): Pillow decodes, numpy does the rest.

Usage: reference_client.py <bundle folder> <out.csv> [image files...]
Without image files it encodes the training images listed in files.txt (relative to manifest dataset.path).
Writes file,z_0..z_{k-1} with 9 significant digits.
"""
import json
import os
import sys

import numpy as np
from PIL import Image, ImageOps


def decode(path):
    """manifest input.decode.steps: first frame, EXIF orientation, palette/tRNS expanded, 16-bit -> high byte,
    ICC profile ignored. Returns H x W x C uint8 with C in 1..4."""
    im = Image.open(path)
    im.seek(0)
    im = ImageOps.exif_transpose(im)
    mode = im.mode
    if mode in ("I;16", "I;16B", "I;16L", "I"):
        a = np.asarray(im).astype(np.int64)
        return (a >> 8).astype(np.uint8)[:, :, None]
    if mode == "1":
        im = im.convert("L")
    elif mode == "P" or mode == "PA":
        im = im.convert("RGBA" if ("transparency" in im.info or mode == "PA") else "RGB")
    elif mode in ("L", "RGB") and "transparency" in im.info:
        im = im.convert("LA" if mode == "L" else "RGBA")
    elif mode not in ("L", "LA", "RGB", "RGBA"):
        im = im.convert("RGB")
    a = np.asarray(im)
    if a.ndim == 2:
        a = a[:, :, None]
    return a.astype(np.uint8)


def to_channels(a, channels):
    """manifest input.alpha and input.colourConversion, in integers."""
    a = a.astype(np.int64)
    c = a.shape[2]
    if c in (2, 4):
        alpha = a[:, :, c - 1 : c]
        colour = (a[:, :, : c - 1] * alpha + 127) // 255
    else:
        colour = a
    if channels == 1:
        if colour.shape[2] == 1:
            return colour
        r, g, b = colour[:, :, 0], colour[:, :, 1], colour[:, :, 2]
        return ((299 * r + 587 * g + 114 * b + 500) // 1000)[:, :, None]
    if colour.shape[2] == 1:
        return np.repeat(colour, 3, axis=2)
    return colour


def area_weights(length, side, size):
    """manifest input.resize.steps: overlaps in units of 1 / (2 S) source pixel."""
    w = np.zeros((size, length), dtype=np.int64)
    unit = 2 * size
    offset = size * (length - side)
    for j in range(size):
        lo = offset + 2 * side * j
        hi = lo + 2 * side
        for x in range(length):
            ov = min(hi, (x + 1) * unit) - max(lo, x * unit)
            if ov > 0:
                w[j, x] = ov
    return w


def preprocess(path, spec):
    a = to_channels(decode(path), spec["channels"])
    h, w, c = a.shape
    size = spec["width"]
    side = min(w, h)
    wy = area_weights(h, side, size)
    wx = area_weights(w, side, size)
    out = np.empty((size, size, c), dtype=np.int64)
    for ch in range(c):
        acc = wy @ a[:, :, ch] @ wx.T
        out[:, :, ch] = (acc + 2 * side * side) // (4 * side * side)
    return (out.astype(np.float32) / np.float32(255)).reshape(-1)


def load_layers(bundle):
    with open(os.path.join(bundle, "model.json")) as f:
        model = json.load(f)
    weights = {}
    for group in model["weightsManifest"]:
        data = b"".join(open(os.path.join(bundle, p), "rb").read() for p in group["paths"])
        offset = 0
        for w in group["weights"]:
            n = int(np.prod(w["shape"])) if w["shape"] else 1
            weights[w["name"]] = np.frombuffer(data, dtype="<f4", count=n, offset=offset).reshape(w["shape"]).astype(np.float64)
            offset += 4 * n
    return model["modelTopology"]["config"]["layers"], weights


def activation(x, name):
    if name in (None, "linear"):
        return x
    if name == "relu":
        return np.maximum(x, 0)
    if name == "elu":
        return np.where(x > 0, x, np.expm1(np.minimum(x, 0)))
    if name == "sigmoid":
        return 1 / (1 + np.exp(-x))
    if name == "tanh":
        return np.tanh(x)
    raise ValueError("activation " + name)


def conv2d_same(x, kernel, strides):
    """TensorFlow 'same' padding: total = max((out - 1) * s + k - in, 0), the smaller half before."""
    n, h, w, cin = x.shape
    kh, kw, _, cout = kernel.shape
    sh, sw = strides
    oh, ow = -(-h // sh), -(-w // sw)
    ph = max((oh - 1) * sh + kh - h, 0)
    pw = max((ow - 1) * sw + kw - w, 0)
    xp = np.pad(x, ((0, 0), (ph // 2, ph - ph // 2), (pw // 2, pw - pw // 2), (0, 0)))
    out = np.zeros((n, oh, ow, cout))
    for dy in range(kh):
        for dx in range(kw):
            patch = xp[:, dy : dy + sh * oh : sh, dx : dx + sw * ow : sw, :]
            out += patch @ kernel[dy, dx]
    return out


def run_encoder(layers, weights, x):
    for layer in layers:
        kind, c = layer["class_name"], layer["config"]
        name = c["name"]
        if kind == "InputLayer" or kind == "Dropout":
            continue
        if kind == "Dense":
            x = x.reshape(x.shape[0], -1) @ weights[name + "/kernel"]
            if c.get("use_bias"):
                x = x + weights[name + "/bias"]
            x = activation(x, c.get("activation"))
        elif kind == "Conv2D":
            if c.get("padding") != "same":
                raise ValueError("padding " + str(c.get("padding")))
            x = conv2d_same(x, weights[name + "/kernel"], c["strides"])
            if c.get("use_bias"):
                x = x + weights[name + "/bias"]
            x = activation(x, c.get("activation"))
        elif kind == "BatchNormalization":
            gamma = weights.get(name + "/gamma", 1.0)
            beta = weights.get(name + "/beta", 0.0)
            x = gamma * (x - weights[name + "/moving_mean"]) / np.sqrt(weights[name + "/moving_variance"] + c["epsilon"]) + beta
        elif kind == "LeakyReLU":
            x = np.where(x > 0, x, c["alpha"] * x)
        elif kind == "Activation":
            x = activation(x, c["activation"])
        elif kind == "Reshape":
            x = x.reshape((x.shape[0],) + tuple(c["target_shape"]))
        elif kind == "Flatten":
            x = x.reshape(x.shape[0], -1)
        else:
            raise ValueError("layer " + kind)
    return x


def main():
    bundle, out_csv = sys.argv[1], sys.argv[2]
    with open(os.path.join(bundle, "manifest.json")) as f:
        manifest = json.load(f)
    spec = manifest["input"]
    if spec["pipeline"] != "latent-lab-preprocess/1":
        raise SystemExit("unknown preprocessing " + spec["pipeline"])
    files = sys.argv[3:]
    names = files
    if not files:
        with open(os.path.join(bundle, "files.txt")) as f:
            names = [line.rstrip("\n") for line in f if line.strip()]
        files = [os.path.join(manifest["dataset"]["path"], n) for n in names]
    layers, weights = load_layers(bundle)
    x = np.stack([preprocess(p, spec) for p in files]).astype(np.float64)
    z = run_encoder(layers, weights, x)
    k = manifest["output"]["codeSize"]
    with open(out_csv, "w") as f:
        f.write(",".join(["file"] + ["z_%d" % j for j in range(k)]) + "\n")
        for name, row in zip(names, z):
            f.write(",".join([name] + ["%.9g" % v for v in row]) + "\n")


if __name__ == "__main__":
    main()
