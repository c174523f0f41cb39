"""NumPy counterparts of ViBenchmark.java (same sizes, same formulas); prints median ms."""
import sys
import time

import numpy as np

n, m, reps = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
rng = np.random.default_rng(0)
D, d, noise = 20, 5, 0.5
W = rng.normal(size=(D, d)); b = rng.normal(size=D)
x = rng.normal(size=(n, d)) @ W.T + b + noise * rng.normal(size=(n, D))
mu_q = rng.normal(size=(n, d)); sigma_q = rng.uniform(size=(n, d)) + 0.5
c = np.array([1, 2, 3, 4, 5.0]); a = np.array([0.5, -0.5, 1, 0, 2.0])
mu = np.array([0.1, 0.2, 0.3, 0.4, 0.5]); ls = np.array([0.0, -0.1, -0.2, -0.3, -0.4])
LOG2PI = np.log(2 * np.pi)


def elbo():
    z = mu_q + sigma_q * rng.standard_normal((m, n, d))                       # [m, n, d]
    mean = z @ W.T + b                                                         # [m, n, D]
    loglik = (-0.5 * ((x - mean) / noise) ** 2 - np.log(noise) - 0.5 * LOG2PI).sum(-1)
    logprior = (-0.5 * z ** 2 - 0.5 * LOG2PI).sum(-1)
    entropy = np.log(sigma_q).sum(-1) + 0.5 * d * (1 + LOG2PI)
    terms = loglik + logprior + entropy                                        # [m, n]
    return terms.mean(0), terms.std(0, ddof=1) / np.sqrt(m)


def r(z):
    return -0.5 * (c * (z - a) ** 2).sum(-1)


def score_function():
    sigma = np.exp(ls)
    eps = rng.standard_normal((n, m, d))
    reward = r(mu + sigma * eps)                                               # [R, M]
    loo = (reward.sum(1, keepdims=True) - reward) / (m - 1)
    w = (reward - loo)[..., None]
    return np.concatenate([(eps / sigma) * w, (eps ** 2 - 1) * w], -1).mean(1)


def reparameterized():
    sigma = np.exp(ls)
    eps = rng.standard_normal((n, m, d))
    noise_ = sigma * eps
    g = -c * (mu + noise_ - a)
    return np.concatenate([g, g * noise_], -1).mean(1)


times = {"elbo": [], "sf": [], "rp": []}
for k in range(-2, reps):
    for name, f in (("elbo", elbo), ("sf", score_function), ("rp", reparameterized)):
        t0 = time.perf_counter(); f(); t1 = time.perf_counter()
        if k >= 0:
            times[name].append((t1 - t0) * 1e3)
for name in ("elbo", "sf", "rp"):
    print("numpy %s %.1f" % (name, float(np.median(times[name]))))
print("numpy version", np.__version__)
