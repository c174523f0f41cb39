#!/usr/bin/env python3
"""Reference values for dev.latentvi.vi tests (LinearGaussian, dist.MultivariateNormal), by SciPy/NumPy.

Run:  python3 -m venv /tmp/refvenv && /tmp/refvenv/bin/pip install scipy numpy
      /tmp/refvenv/bin/python src/test/resources/reference/make_vi_reference.py
Writes vi-linear-gaussian.json next to this script. The evidence comes from
scipy.stats.multivariate_normal on the D-dimensional marginal N(b, WWᵀ + σ²I), the posterior from
conditioning the joint Gaussian of (z, x) — not from the d×d formulas the Java code uses — and the
KL from the general full-matrix Gaussian KL formula.
"""
import json
import os

import numpy as np
from scipy import stats

rng = np.random.default_rng(18)
D, d, sigma = 5, 2, 0.7
W = rng.normal(size=(D, d))
b = rng.normal(size=D)
z = rng.normal(size=(4, d))
x = z @ W.T + b + sigma * rng.normal(size=(4, D))

cov_x = W @ W.T + sigma**2 * np.eye(D)
log_evidence = stats.multivariate_normal(mean=b, cov=cov_x).logpdf(x)

# joint of (z, x): Cov(z, x) = Wᵀ; condition z on x
cross = W.T                                  # [d, D]
gain = cross @ np.linalg.inv(cov_x)          # [d, D]
post_mean = (x - b) @ gain.T                 # [n, d]
post_cov = np.eye(d) - gain @ cross.T        # [d, d]

# KL(N(m, diag s²) ‖ N(μ, Σ)) for some diagonal q per point, general formula with full matrices
q_mean = post_mean + rng.normal(size=post_mean.shape) * 0.3
q_std = np.exp(rng.normal(size=post_mean.shape) * 0.3) * 0.5
kl = []
inv = np.linalg.inv(post_cov)
for i in range(x.shape[0]):
    S = np.diag(q_std[i] ** 2)
    diff = post_mean[i] - q_mean[i]
    kl.append(0.5 * (np.trace(inv @ S) + diff @ inv @ diff - d
                     + np.linalg.slogdet(post_cov)[1] - np.linalg.slogdet(S)[1]))

out = {
    "generator": "make_vi_reference.py",
    "scipy": __import__("scipy").__version__,
    "numpy": np.__version__,
    "linear_gaussian": {
        "W": W.tolist(), "b": b.tolist(), "sigma": [sigma], "x": x.tolist(),
        "log_evidence": log_evidence.tolist(),
        "posterior_mean": post_mean.tolist(), "posterior_cov": post_cov.tolist(),
        "q_mean": q_mean.tolist(), "q_std": q_std.tolist(), "kl_q_posterior": kl,
    },
}
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "vi-linear-gaussian.json"), "w") as f:
    json.dump(out, f, indent=1)
