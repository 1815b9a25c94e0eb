"""Single-threaded numpy rate of the products of one training step, as a native reference.

Reads lines "batch sizes..." (e.g. "64 784 256 10") on stdin and prints, per line, the GFLOP/s
of x@W, x.T@delta and (past the first layer) delta@W.T in float64, the same set the Java side
times. Run with OPENBLAS_NUM_THREADS=1 (the caller sets it).
"""
import sys
import time

import numpy as np


def rate(batch, sizes, seconds=1.0):
    rng = np.random.default_rng(2026)
    layers = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        layers.append((rng.uniform(-1, 1, (batch, n_in)), rng.uniform(-1, 1, (n_in, n_out)),
                       rng.uniform(-1, 1, (batch, n_out))))
    flops = 0
    for i, (x, w, d) in enumerate(layers):
        flops += 2 * x.shape[0] * x.shape[1] * w.shape[1] * (2 if i == 0 else 3)

    def step():
        for i, (x, w, d) in enumerate(layers):
            x @ w
            x.T @ d
            if i > 0:
                d @ w.T

    for _ in range(20):
        step()
    count = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        for _ in range(8):
            step()
        count += 8
    return flops * count / (time.perf_counter() - start) / 1e9


def main():
    for line in sys.stdin:
        numbers = [int(v) for v in line.split()]
        if numbers:
            print("%.3f" % rate(numbers[0], numbers[1:]), flush=True)


if __name__ == "__main__":
    main()
