"""NumPy counterpart of NormalBenchmark.java: sample + log density of n diagonal Normals in d dims."""
import math
import sys
import time

import numpy as np

n, d, reps = (int(a) for a in sys.argv[1:4])
rng = np.random.default_rng(0)
mu = rng.standard_normal((n, d))
sigma = rng.uniform(size=(n, d)) + 0.5
log_sigma = np.log(sigma)
half_log_2pi = 0.5 * math.log(2 * math.pi)
samples, logprobs = [], []
for r in range(-2, reps):
    t0 = time.perf_counter()
    z = mu + sigma * rng.standard_normal((n, d))
    t1 = time.perf_counter()
    u = (z - mu) / sigma
    lp = (-0.5 * u * u - log_sigma - half_log_2pi).sum(axis=1)
    t2 = time.perf_counter()
    if r >= 0:
        samples.append((t1 - t0) * 1e3)
        logprobs.append((t2 - t1) * 1e3)
print(f"numpy sample {sorted(samples)[len(samples) // 2]:.1f}")
print(f"numpy logProb {sorted(logprobs)[len(logprobs) // 2]:.1f}")
print(f"numpy version {np.__version__}")
