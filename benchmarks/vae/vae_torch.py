"""PyTorch side of benchmarks/vae/run: the same 784-400-20 Bernoulli VAE, batch 128, Adam 1e-3,
on the same 8,000 MNIST digits (dumped by the Java side). Args: epochs threads dump. Prints JSON."""
import json, resource, sys, time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

epochs, threads, dump = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
torch.set_num_threads(threads)
torch.manual_seed(0)
x = torch.from_numpy(np.fromfile(dump, dtype="<f4").reshape(-1, 784))


class Vae(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Linear(784, 400)
        self.mu = nn.Linear(400, 20)
        self.log_sigma = nn.Linear(400, 20)
        self.dec1 = nn.Linear(20, 400)
        self.dec2 = nn.Linear(400, 784)

    def forward(self, x):
        h = F.relu(self.enc(x))
        mu, log_sigma = self.mu(h), self.log_sigma(h)
        z = mu + torch.exp(log_sigma) * torch.randn_like(mu)
        logits = self.dec2(F.relu(self.dec1(z)))
        rec = -F.binary_cross_entropy_with_logits(logits, x, reduction="none").sum(1)
        kl = 0.5 * (mu * mu + torch.exp(2 * log_sigma) - 1 - 2 * log_sigma).sum(1)
        return (rec - kl).mean()


model = Vae()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)


def epoch():
    start = time.perf_counter()
    perm = torch.randperm(x.shape[0])
    xs = x[perm]
    total = 0.0
    for i in range(0, x.shape[0], 128):
        batch = xs[i:i + 128]
        elbo = model(batch)
        opt.zero_grad(set_to_none=True)
        (-elbo).backward()
        opt.step()
        total += elbo.item() * batch.shape[0]
    return time.perf_counter() - start, total / x.shape[0]


t0 = time.perf_counter()
epoch()
warm = time.perf_counter() - t0
times, elbo = [], 0.0
for _ in range(epochs):
    t, elbo = epoch()
    times.append(t)
times.sort()
median = times[len(times) // 2]
steps = (x.shape[0] + 127) // 128
print(json.dumps({"framework": "PyTorch " + torch.__version__ + " CPU", "epoch_s": round(median, 4),
                  "step_ms": round(1000 * median / steps, 3), "warmup_s": round(warm, 2), "final_elbo": round(elbo, 3),
                  "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                  "steps_per_epoch": steps}))
