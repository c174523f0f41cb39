"""PyTorch side of benchmarks/mdn/run-torch: the same mixture density network (1 -> tanh 32 -> K logits,
K means, K log sigmas), float64, from latentvi's initial parameters, 250 full-batch Adam steps at 0.03 on
the same 800 pairs. Args: K threads results-dir. Prints one JSON line."""
import json, math, os, sys, time

import numpy as np
import torch

k, threads, rdir = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
torch.set_num_threads(threads)
torch.set_default_dtype(torch.float64)
x = torch.from_numpy(np.fromfile(os.path.join(rdir, "mdn-x.bin"), dtype="<f8").reshape(-1, 1))
y = torch.from_numpy(np.fromfile(os.path.join(rdir, "mdn-y.bin"), dtype="<f8").reshape(-1, 1))
init = np.fromfile(os.path.join(rdir, f"mdn-init-{k}.bin"), dtype="<f8")
shapes = [(1, 32), (32,)] + ([(32, k), (k,)] if k > 1 else []) + [(32, k), (k,), (32, k), (k,)]
params, off = [], 0
for s in shapes:
    size = int(np.prod(s))
    params.append(torch.tensor(init[off:off + size].reshape(s), requires_grad=True))
    off += size
assert off == init.size
opt = torch.optim.Adam(params, lr=0.03)
HALF_LOG_2PI = 0.5 * math.log(2 * math.pi)


def nll():
    w0, b0 = params[0], params[1]
    h = torch.tanh(x @ w0 + b0)
    rest = params[2:]
    if k > 1:
        logits = h @ rest[0] + rest[1]
        rest = rest[2:]
    mu, ls = h @ rest[0] + rest[1], h @ rest[2] + rest[3]
    comp = -0.5 * ((y - mu) * torch.exp(-ls)) ** 2 - ls - HALF_LOG_2PI
    ll = comp[:, 0] if k == 1 else torch.logsumexp(logits + comp, 1) - torch.logsumexp(logits, 1)
    return -ll.mean()


def run(steps):
    for _ in range(steps):
        loss = nll()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
    return loss.item()


t0 = time.perf_counter()
final = run(250)
secs = time.perf_counter() - t0
print(json.dumps({"framework": "PyTorch " + torch.__version__.split("+")[0], "k": k, "step_ms": round(1000 * secs / 250, 3),
                  "final_nll": round(final, 5)}))
