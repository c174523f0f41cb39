"""PyTorch side of benchmarks/vae/run (and benchmarks/vae04/run): the same Bernoulli VAE D-H-L
(ReLU encoder D+C -> H -> (mu, log sigma), decoder L+C -> H -> D logits), batch B, Adam 1e-3, on the
same 8,000 MNIST digits, starting from latentvi's initial parameters and seeing latentvi's mini-batch
order and noise eps (all written by VaeBenchmark.java), for 1 warm-up + E measured epochs.
Args: epochs threads hidden latent batch classes results-dir. Prints its build and thread settings
to stderr and one JSON line to stdout."""
import json, os, resource, sys, time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

epochs, threads, hidden, latent, batch, classes = (int(a) for a in sys.argv[1:7])
rdir = sys.argv[7]
torch.set_num_threads(threads)
print(torch.__config__.parallel_info(), file=sys.stderr)
tag = f"{hidden}-{latent}-{batch}-{classes}-{epochs + 1}"
x = torch.from_numpy(np.fromfile(os.path.join(rdir, "mnist_train_f32.bin"), dtype="<f4").reshape(-1, 784))
n = x.shape[0]
c = None
if classes > 0:
    labels = torch.from_numpy(np.fromfile(os.path.join(rdir, "mnist_labels_i32.bin"), dtype="<i4").astype(np.int64))
    c = F.one_hot(labels, classes).float()
perm_all = np.fromfile(os.path.join(rdir, f"perm-{tag}.bin"), dtype="<i4").reshape(epochs + 1, n)
eps_all = torch.from_numpy(np.fromfile(os.path.join(rdir, f"eps-{tag}.bin"), dtype="<f4"))


class Vae(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Linear(784 + classes, hidden)
        self.mu = nn.Linear(hidden, latent)
        self.log_sigma = nn.Linear(hidden, latent)
        self.dec1 = nn.Linear(latent + classes, hidden)
        self.dec2 = nn.Linear(hidden, 784)

    def forward(self, x, c, eps):
        xin = x if c is None else torch.cat([x, c], 1)
        h = F.relu(self.enc(xin))
        mu, log_sigma = self.mu(h), self.log_sigma(h)
        z = mu + torch.exp(log_sigma) * eps
        zin = z if c is None else torch.cat([z, c], 1)
        logits = self.dec2(F.relu(self.dec1(zin)))
        rec = -F.binary_cross_entropy_with_logits(logits, x, reduction="none").sum(1)
        kl = 0.5 * (mu * mu + torch.exp(2 * log_sigma) - 1 - 2 * log_sigma).sum(1)
        return (rec - kl).mean()


model = Vae()
# latentvi's initial parameters, in its creation order: enc_0 W b, q_mu W b, q_logsigma W b, dec_0 W b, dec_1 W b
init = np.fromfile(os.path.join(rdir, f"init-{tag}.bin"), dtype="<f4")
with torch.no_grad():
    off = 0
    for layer in (model.enc, model.mu, model.log_sigma, model.dec1, model.dec2):
        out_f, in_f = layer.weight.shape
        layer.weight.copy_(torch.from_numpy(init[off:off + in_f * out_f].reshape(in_f, out_f).T.copy()))
        off += in_f * out_f
        layer.bias.copy_(torch.from_numpy(init[off:off + out_f].copy()))
        off += out_f
    assert off == init.size, (off, init.size)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
eps_off = 0


def epoch(e):
    global eps_off
    start = time.perf_counter()
    perm = torch.from_numpy(perm_all[e].astype(np.int64))
    xs = x[perm]
    cs = None if c is None else c[perm]
    total = 0.0
    batches = (n + batch - 1) // batch
    if batches > 1 and n % batch == 1:
        batches -= 1
    for i in range(batches):
        lo, hi = i * batch, (n if i == batches - 1 else (i + 1) * batch)
        eps = eps_all[eps_off:eps_off + (hi - lo) * latent].view(hi - lo, latent)
        eps_off += (hi - lo) * latent
        elbo = model(xs[lo:hi], None if cs is None else cs[lo:hi], eps)
        opt.zero_grad(set_to_none=True)
        (-elbo).backward()
        opt.step()
        total += elbo.item() * (hi - lo)
    return time.perf_counter() - start, total / n


t0 = time.perf_counter()
_, first = epoch(0)
warm = time.perf_counter() - t0
times, elbos = [], [first]
for e in range(1, epochs + 1):
    t, elbo = epoch(e)
    times.append(t)
    elbos.append(elbo)
times.sort()
median = times[len(times) // 2]
steps = (n + batch - 1) // batch
print(json.dumps({"framework": "PyTorch " + torch.__version__.split("+")[0] + " CPU", "epoch_s": round(median, 4),
                  "step_ms": round(1000 * median / steps, 3), "warmup_s": round(warm, 2), "final_elbo": round(elbos[-1], 3),
                  "elbo_per_epoch": [round(v, 3) for v in elbos],
                  "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                  "steps_per_epoch": steps}))
