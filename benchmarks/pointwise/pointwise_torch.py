"""PyTorch side of benchmarks/pointwise/run-torch: PointwiseVi's fit (notebook 02) in float64 from the files
PointwiseTorchBenchmark.java wrote: q_i = N(mu_i, diag exp(ls_i)^2) per point, the Monte Carlo ELBO
mean_s log p(x_i, mu_i + sigma_i eps_s) + H(q_i) with latentvi's noise eps for every step, loss = -mean_i,
torch.optim.Adam at lr * 0.1^(t / (T - 1)). An untimed warm-up fit, then the timed fit. Args: config threads
results-dir. Prints one JSON line (the max |difference| of the final (mu, log sigma) from latentvi's included)."""
import json, math, os, statistics, sys, time

import numpy as np
import torch

config, threads, rdir = sys.argv[1], int(sys.argv[2]), sys.argv[3]
torch.set_num_threads(threads)
torch.set_default_dtype(torch.float64)
pre = os.path.join(rdir, f"pointwise-{config}-")
meta = json.load(open(pre + "meta.json"))
n, D, d, S, T = meta["n"], meta["D"], meta["d"], meta["samples"], meta["steps"]
load = lambda name, shape: torch.from_numpy(np.fromfile(pre + name, dtype="<f8").reshape(shape))
x = load("x.bin", (n, D))
eps = load("eps.bin", (T, S, n, d))
linear = meta["kind"] == "linear"
if linear:
    wt = load("w.bin", (D, d)).T.contiguous()   # [d, D]
    b = load("b.bin", (1, D))
log_noise = math.log(meta["noise"])
inv_noise = math.exp(-log_noise)
HALF_LOG_2PI = 0.5 * math.log(2 * math.pi)
ENTROPY_CONST = 0.5 * (1 + math.log(2 * math.pi))


def fit():
    mu = torch.full((n, d), float(meta["mu0"]), requires_grad=True)
    ls = torch.full((n, d), float(meta["ls0"]), requires_grad=True)
    opt = torch.optim.Adam([mu, ls], lr=meta["lr"])
    path, times, elbo = [], [], float("nan")
    if meta["path"]:
        path.append((mu.detach().clone(), ls.detach().clone()))
    for t in range(T):
        t0 = time.perf_counter()
        opt.param_groups[0]["lr"] = meta["lr"] * meta["decay_to"] ** (t / (T - 1)) if T > 1 else meta["lr"]
        z = mu + torch.exp(ls) * eps[t]                                    # [S, n, d]
        mean = z @ wt + b if linear else z * z                             # [S, n, D]
        u = (x - mean) * inv_noise
        log_lik = (-0.5 * u * u - log_noise - HALF_LOG_2PI).sum(-1)        # [S, n]
        log_prior = (-0.5 * z * z - HALF_LOG_2PI).sum(-1)
        per_point = (log_lik + log_prior).mean(0) + (ls + ENTROPY_CONST).sum(-1)
        loss = -per_point.mean()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        elbo = -loss.item()
        if meta["path"]:
            path.append((mu.detach().clone(), ls.detach().clone()))
        times.append(time.perf_counter() - t0)
    return mu.detach(), ls.detach(), elbo, times


fit()                                                                      # warm-up
t0 = time.perf_counter()
mu, ls, elbo, times = fit()
wall = time.perf_counter() - t0
final = torch.cat([mu.reshape(-1), ls.reshape(-1)]).numpy()
java = np.fromfile(pre + "final-java.bin", dtype="<f8")
print(json.dumps({"framework": "PyTorch " + torch.__version__.split("+")[0], "config": config,
                  "step_ms": round(1000 * statistics.median(times), 4), "fit_step_ms": round(1000 * wall / T, 4),
                  "final_elbo": round(elbo, 10), "max_param_diff": float(np.abs(final - java).max())}))
