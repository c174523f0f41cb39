package dev.latentvi.vae;

import dev.latentvi.dist.Kl;
import dev.latentvi.dist.Normal;
import dev.latentvi.math.Check;
import dev.latentvi.math.Estimates;
import dev.latentvi.math.Rng;
import dev.latentvi.vi.LatentModel;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The VAE's held-out measures of log p(x) from its encoder q: the single-sample ELBO and the IWAE bound. */
final class Evidence {
    private Evidence() {
    }

    /** Mean single-sample ELBO E_q log p(x | z) − KL(q ‖ p) over x {@code [n, D]}, ε = rng.normal(1, n, L) in one call. */
    static double elbo(LatentModel model, Normal q, INDArray x, Rng rng) {
        Check.notNull("rng", rng);
        INDArray z = q.rsample(rng, 1).z();                                          // [1, n, L]
        INDArray perPoint = model.logLikelihood(x, z).reshape(x.size(0)).subi(Kl.divergence(q, model.prior()));
        return perPoint.meanNumber().doubleValue();
    }

    /** IWAE estimates log (1/k) Σ p(x, z_i)/q(z_i | x), z_i ~ q, per point of x {@code [n, D]}: {@code [n]}. */
    static Estimates iwae(LatentModel model, Normal q, INDArray x, int k, Rng rng) {
        Check.positive("k", k);
        Check.notNull("rng", rng);
        INDArray z = q.sample(rng, k);                                                // [k, n, L]
        INDArray logW = model.logLikelihood(x, z).addi(model.prior().logProb(z)).subi(q.logProb(z));
        return Estimates.logMeanExp(logW);
    }
}
