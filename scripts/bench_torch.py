#!/usr/bin/python3
"""PyTorch reference for `npm run bench`: the same layer shapes as the project's built-in model
(Keras MobileNetV2 alpha 1.0 cut at out_relu, then global average pooling, dropout 0.2 and a
5-class Dense), the same batch size, tasks and BatchNorm semantics (every BN in inference mode, as
the project's phases default to; the frozen prefix runs under no_grad).

usage: /usr/bin/python3 scripts/bench_torch.py --sizes 96,128 --batch 32 --steps 4 --threads 2
Prints one JSON line per measurement: {"row": "pytorch", "size", "task", "value", "unit"}.
Tasks: a inference, b head only, c top 2 blocks + head, d everything, e1/e2: 5 epochs of phase 1/2
over 256 images with the prefix recomputed every step ("recompute") or cached once ("cache").
"""
import argparse
import json
import time

import torch
import torch.nn as nn

# (expansion, out channels, repeats, first stride): the MobileNetV2 table (Sandler et al. 2018).
TABLE = [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1)]


def conv_bn(cin, cout, k, s, groups=1, relu=True):
    layers = [nn.Conv2d(cin, cout, k, s, k // 2, groups=groups, bias=False), nn.BatchNorm2d(cout, eps=1e-3)]
    if relu:
        layers.append(nn.ReLU6(inplace=True))
    return layers


class InvertedResidual(nn.Module):
    def __init__(self, cin, cout, stride, expand):
        super().__init__()
        hidden = cin * expand
        layers = conv_bn(cin, hidden, 1, 1) if expand != 1 else []
        layers += conv_bn(hidden, hidden, 3, stride, groups=hidden) + conv_bn(hidden, cout, 1, 1, relu=False)
        self.body = nn.Sequential(*layers)
        self.residual = stride == 1 and cin == cout

    def forward(self, x):
        y = self.body(x)
        return x + y if self.residual else y


def build(classes=5):
    """Stages in model order: stem, 17 inverted residual blocks (Keras expanded_conv, block_1..16), Conv_1, head."""
    stages = [nn.Sequential(*conv_bn(3, 32, 3, 2))]
    cin = 32
    for t, c, n, s in TABLE:
        for i in range(n):
            stages.append(InvertedResidual(cin, c, s if i == 0 else 1, t))
            cin = c
    stages.append(nn.Sequential(*conv_bn(cin, 1280, 1, 1)))
    stages.append(nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Dropout(0.2), nn.Linear(1280, classes)))
    return nn.ModuleList(stages)


def set_bn_eval(module):
    for m in module.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.eval()


def run_prefix(stages, cut, x):
    with torch.no_grad():
        for s in stages[:cut]:
            x = s(x)
    return x


def run_suffix(stages, cut, x):
    for s in stages[cut:]:
        x = s(x)
    return x


def median_rate(a, step):
    """Median images/s over a.steps timed calls (as the tfjs worker measures)."""
    rates = []
    for _ in range(a.steps):
        t0 = time.perf_counter()
        step()
        rates.append(a.batch / (time.perf_counter() - t0))
    return sorted(rates)[len(rates) // 2]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--sizes', default='96,128')
    ap.add_argument('--batch', type=int, default=32)
    ap.add_argument('--steps', type=int, default=4)
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--tasks', default='a,b,c,d,e1,e2')
    ap.add_argument('--images', type=int, default=256)
    ap.add_argument('--epochs', type=int, default=5)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    tasks = a.tasks.split(',')
    fmt = torch.channels_last
    emit = lambda size, task, value, unit, **extra: print(json.dumps({'row': 'pytorch', 'size': size, 'task': task, 'value': value, 'unit': unit, **extra}), flush=True)
    for size in [int(s) for s in a.sizes.split(',')]:
        stages = build().to(memory_format=fmt)
        n_stages = len(stages)
        # Where the trainable part starts: b = head only (prefix through Conv_1), c = block_15 onwards, d = everything.
        cuts = {'b': n_stages - 1, 'c': n_stages - 4, 'd': 0}
        g = torch.Generator().manual_seed(1)
        x = torch.rand(a.batch, 3, size, size, generator=g).contiguous(memory_format=fmt)
        y = torch.randint(0, 5, (a.batch,), generator=g)
        loss_fn = nn.CrossEntropyLoss()

        def train_step(cut, opt, xb, yb, cached=None):
            feats = cached if cached is not None else run_prefix(stages, cut, xb)
            opt.zero_grad()
            loss = loss_fn(run_suffix(stages, cut, feats), yb)
            loss.backward()
            opt.step()

        if 'a' in tasks:
            stages.eval()
            with torch.no_grad():
                run_suffix(stages, 0, x)
                emit(size, 'a', median_rate(a, lambda: run_suffix(stages, 0, x)), 'img/s')
        for task in [t for t in ('b', 'c', 'd') if t in tasks]:
            cut = cuts[task]
            stages.train()
            set_bn_eval(stages)
            opt = torch.optim.Adam([p for s in stages[cut:] for p in s.parameters()], lr=1e-3)
            train_step(cut, opt, x, y)
            emit(size, task, median_rate(a, lambda: train_step(cut, opt, x, y)), 'img/s')
        for task, cut in (('e1', cuts['b']), ('e2', cuts['c'])):
            if task not in tasks:
                continue
            xs = torch.rand(a.images, 3, size, size, generator=g).contiguous(memory_format=fmt)
            ys = torch.randint(0, 5, (a.images,), generator=g)
            batches = [(xs[i:i + a.batch], ys[i:i + a.batch]) for i in range(0, a.images, a.batch)]
            stages.train()
            set_bn_eval(stages)
            for mode in ('recompute', 'cache'):
                opt = torch.optim.Adam([p for s in stages[cut:] for p in s.parameters()], lr=1e-3)
                train_step(cut, opt, *batches[0])
                t0 = time.perf_counter()
                cache = [run_prefix(stages, cut, xb) for xb, _ in batches] if mode == 'cache' else None
                for _ in range(a.epochs):
                    for i, (xb, yb) in enumerate(batches):
                        train_step(cut, opt, xb, yb, cache[i] if cache else None)
                emit(size, task, time.perf_counter() - t0, 's', mode=mode)


if __name__ == '__main__':
    main()
