"""PyTorch side of benchmarks/amortized/run-torch: notebook 03's amortized encoder (5 -> 32 tanh -> mu, log sigma
of 2) in float64 from latentvi's initial parameters, on the same 512 points, with latentvi's batch order and
noise: ELBO mean_s log p(x, mu + sigma eps) + H(q), loss = -mean over the batch, torch.optim.Adam 1e-2 for the
first 80 % of the 480 steps, then 1e-3. An untimed warm-up fit, then the timed fit. Args: threads results-dir.
Prints one JSON line (the max |difference| of the final parameters from latentvi's included)."""
import json, math, os, statistics, sys, time

import numpy as np
import torch

threads, rdir = int(sys.argv[1]), sys.argv[2]
torch.set_num_threads(threads)
torch.set_default_dtype(torch.float64)
pre = os.path.join(rdir, "amortized-")
EPOCHS, B, N, D, d, H = 120, 128, 512, 5, 2, 32
load = lambda name, shape: torch.from_numpy(np.fromfile(pre + name, dtype="<f8").reshape(shape))
x = load("x.bin", (N, D))
wt = load("w.bin", (D, d)).T.contiguous()
b = load("b.bin", (1, D))
log_noise = math.log(float(open(pre + "meta.txt").read()))
inv_noise = math.exp(-log_noise)
perms = torch.from_numpy(np.fromfile(pre + "perm.bin", dtype="<i4").astype(np.int64).reshape(EPOCHS, N))
steps = EPOCHS * (N // B)
eps = load("eps.bin", (steps, 1, B, d))
names = open(pre + "init.txt").read().split()
shapes = {"enc_0_W": (D, H), "enc_0_b": (H,), "q_mu_W": (H, d), "q_mu_b": (d,), "q_logsigma_W": (H, d), "q_logsigma_b": (d,)}
init = np.fromfile(pre + "init.bin", dtype="<f8")
HALF_LOG_2PI = 0.5 * math.log(2 * math.pi)
ENTROPY_CONST = 0.5 * (1 + math.log(2 * math.pi))
drop = math.floor(0.8 * steps + 0.5)


def fit():
    params, off = {}, 0
    for name in names:
        size = int(np.prod(shapes[name]))
        params[name] = torch.tensor(init[off:off + size].reshape(shapes[name]), requires_grad=True)
        off += size
    assert off == init.size
    w1, b1, wm, bm, ws, bs = (params[k] for k in shapes)
    opt = torch.optim.Adam(list(params.values()), lr=1e-2)
    times, epoch_elbo, t = [], float("nan"), 0
    for e in range(EPOCHS):
        total = 0.0
        for i in range(N // B):
            t0 = time.perf_counter()
            opt.param_groups[0]["lr"] = 1e-2 if t < drop else 1e-3
            xb = x[perms[e, i * B:(i + 1) * B]]
            h = torch.tanh(xb @ w1 + b1)
            mu, ls = h @ wm + bm, h @ ws + bs
            z = mu + torch.exp(ls) * eps[t]                                # [1, B, d]
            u = (xb - (z @ wt + b)) * inv_noise
            log_lik = (-0.5 * u * u - log_noise - HALF_LOG_2PI).sum(-1)
            log_prior = (-0.5 * z * z - HALF_LOG_2PI).sum(-1)
            loss = -((log_lik + log_prior).mean(0) + (ls + ENTROPY_CONST).sum(-1)).mean()
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            total += loss.item() * B
            times.append(time.perf_counter() - t0)
            t += 1
        epoch_elbo = -total / N
    return params, epoch_elbo, times


fit()                                                                      # warm-up
t0 = time.perf_counter()
params, elbo, times = fit()
wall = time.perf_counter() - t0
final = torch.cat([params[k].detach().reshape(-1) for k in names]).numpy()
java = np.fromfile(pre + "final-java.bin", dtype="<f8")
print(json.dumps({"framework": "PyTorch " + torch.__version__.split("+")[0], "config": "encoder",
                  "step_ms": round(1000 * statistics.median(times), 4), "fit_step_ms": round(1000 * wall / steps, 4),
                  "final_elbo": round(elbo, 10), "max_param_diff": float(np.abs(final - java).max())}))
