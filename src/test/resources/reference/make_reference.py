#!/usr/bin/env python3
"""Reference values for dev.latentvi.{math,dist} tests, computed with SciPy/NumPy.

Run:  python3 -m venv /tmp/refvenv && /tmp/refvenv/bin/pip install scipy numpy
      /tmp/refvenv/bin/python src/test/resources/reference/make_reference.py
Writes distributions.json next to this script. KL values come from numerical integration
(scipy.integrate.quad) or scipy.stats.entropy / scipy.special.rel_entr, not from the closed
forms the Java code implements, so the test checks the formulas independently.
"""
import json
import os

import numpy as np
from scipy import integrate, special, stats

rng = np.random.default_rng(20261125)
out = {"generator": "make_reference.py", "scipy": __import__("scipy").__version__, "numpy": np.__version__}

# ---- math ----
a = rng.normal(size=(3, 5)) * 40.0
a[1, 2] = 700.0          # would overflow a naive exp
out["logsumexp"] = {
    "x": a.tolist(),
    "axis0": special.logsumexp(a, axis=0).tolist(),
    "axis1": special.logsumexp(a, axis=1).tolist(),
}
s = np.array([-800.0, -30.0, -1.0, -1e-8, 0.0, 1e-8, 1.0, 30.0, 800.0])
out["softplus"] = {"x": s.tolist(), "y": np.logaddexp(0.0, s).tolist()}
t = np.array([-800.0, -30.0, -2.0, -0.6931, -0.5, -1e-3, -1e-12])
out["log1mexp"] = {"x": t.tolist(), "y": np.log(-np.expm1(t)).tolist()}

# ---- Normal (diagonal, [n, d]) ----
n, d = 3, 4
mu_p = rng.normal(size=(n, d))
sig_p = np.exp(rng.normal(size=(n, d)) * 0.5)
mu_q = rng.normal(size=(n, d))
sig_q = np.exp(rng.normal(size=(n, d)) * 0.5)
x = rng.normal(size=(n, d)) * 2.0


def kl_quad_normal(m1, s1, m2, s2):
    f = lambda v: stats.norm.pdf(v, m1, s1) * (stats.norm.logpdf(v, m1, s1) - stats.norm.logpdf(v, m2, s2))
    return integrate.quad(f, m1 - 30 * s1, m1 + 30 * s1, limit=200, epsabs=1e-13, epsrel=1e-12)[0]


out["normal"] = {
    "mu_p": mu_p.tolist(), "sigma_p": sig_p.tolist(), "mu_q": mu_q.tolist(), "sigma_q": sig_q.tolist(),
    "x": x.tolist(),
    "log_prob_p": stats.norm.logpdf(x, mu_p, sig_p).sum(axis=1).tolist(),
    "entropy_p": stats.norm.entropy(mu_p, sig_p).sum(axis=1).tolist(),
    "kl_pq": [sum(kl_quad_normal(mu_p[i, j], sig_p[i, j], mu_q[i, j], sig_q[i, j]) for j in range(d)) for i in range(n)],
    "kl_p_standard": [sum(kl_quad_normal(mu_p[i, j], sig_p[i, j], 0.0, 1.0) for j in range(d)) for i in range(n)],
}

# KL(N(0, 1) ‖ standard logistic): no closed form, the Monte Carlo fallback is checked against quadrature
f = lambda v: stats.norm.pdf(v) * (stats.norm.logpdf(v) - stats.logistic.logpdf(v))
out["normal"]["kl_standard_logistic"] = [integrate.quad(f, -40, 40, limit=200, epsabs=1e-13)[0]]

# ---- Bernoulli (logits, [n, d]) ----
lp = rng.normal(size=(n, d)) * 3.0
lq = rng.normal(size=(n, d)) * 3.0
pp, pq = special.expit(lp), special.expit(lq)
xb = (rng.uniform(size=(n, d)) < 0.5).astype(float)
out["bernoulli"] = {
    "logits_p": lp.tolist(), "logits_q": lq.tolist(), "x": xb.tolist(),
    "log_prob_p": stats.bernoulli.logpmf(xb, pp).sum(axis=1).tolist(),
    "entropy_p": stats.bernoulli.entropy(pp).sum(axis=1).tolist(),
    "kl_pq": (special.rel_entr(pp, pq) + special.rel_entr(1 - pp, 1 - pq)).sum(axis=1).tolist(),
}

# ---- Categorical (probabilities, [n, K]) ----
K = 5
cp = rng.dirichlet(np.ones(K), size=n)
cq = rng.dirichlet(np.ones(K), size=n)
xc = rng.integers(0, K, size=n)
out["categorical"] = {
    "probs_p": cp.tolist(), "probs_q": cq.tolist(), "x": xc.astype(float).tolist(),
    "log_prob_p": np.log(cp[np.arange(n), xc]).tolist(),
    "entropy_p": [float(stats.entropy(cp[i])) for i in range(n)],
    "kl_pq": [float(stats.entropy(cp[i], cq[i])) for i in range(n)],
}

# ---- Gaussian mixture densities (full and diagonal covariance) ----
w = np.array([0.5, 0.3, 0.2])
means = np.array([[0.0, 0.0], [3.0, 1.0], [-2.0, 4.0]])
covs = np.array([[[1.0, 0.6], [0.6, 2.0]], [[0.5, -0.2], [-0.2, 0.3]], [[2.0, 0.0], [0.0, 0.1]]])
xm = rng.normal(size=(6, 2)) * 2.5
comp = np.stack([stats.multivariate_normal(means[k], covs[k]).logpdf(xm) for k in range(3)], axis=1)
joint = comp + np.log(w)
diag = np.stack([np.diag(c) for c in covs])
comp_d = np.stack([stats.multivariate_normal(means[k], np.diag(diag[k])).logpdf(xm) for k in range(3)], axis=1)
joint_d = comp_d + np.log(w)
out["mixture"] = {
    "weights": w.tolist(), "means": means.tolist(), "covariances": covs.tolist(), "x": xm.tolist(),
    "log_prob_full": special.logsumexp(joint, axis=1).tolist(),
    "responsibilities_full": np.exp(joint - special.logsumexp(joint, axis=1, keepdims=True)).tolist(),
    "variances_diag": diag.tolist(),
    "log_prob_diag": special.logsumexp(joint_d, axis=1).tolist(),
}

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "distributions.json")
with open(path, "w") as f:
    json.dump(out, f, indent=1)
print("wrote", path)
