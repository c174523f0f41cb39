package dev.latentvi.vi;

import dev.latentvi.dist.Kl;
import dev.latentvi.dist.MultivariateNormal;
import dev.latentvi.dist.Normal;
import dev.latentvi.math.Check;
import dev.latentvi.math.Estimates;
import dev.latentvi.math.Rng;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The evidence lower bound L_i(p, q_i) = E_{z~q_i}[log p(x_i, z)] + H(q_i) ≤ log p(x_i) of each data
 * point, estimated by Monte Carlo with a standard error, in three equivalent forms:
 * <ul>
 *   <li>{@link #monteCarlo}: E_q[log p(x, z)] by sampling, the entropy H(q) in closed form;</li>
 *   <li>{@link #analyticKl}: E_q[log p(x|z)] by sampling, minus KL(q ‖ p(z)) in closed form;</li>
 *   <li>{@link #sampled}: E_q[log p(x, z) − log q(z)] entirely by sampling (no closed form at all).</li>
 * </ul>
 * {@link #decompose} checks log p(x) = ELBO + KL(q ‖ p(z|x)) on models with an exact posterior.
 * Shapes: x {@code [n, D]}, q a batch of n diagonal Normals {@code [n, d]}, m samples per point;
 * every result is an {@link Estimates} of length n.
 */
public final class Elbo {
    private Elbo() {
    }

    /** E_q[log p(x, z)] (m samples) + H(q) (exact): {@code [n]} estimates. */
    public static Estimates monteCarlo(LatentModel model, Normal q, INDArray x, int m, Rng rng) {
        INDArray z = draw(model, q, x, m, rng);
        INDArray terms = logJoint(model, x, z).addiRowVector(q.entropy());   // [m, n]
        return Estimates.mean(terms);
    }

    /** E_q[log p(x|z)] (m samples) − KL(q ‖ p(z)) (exact): {@code [n]} estimates. */
    public static Estimates analyticKl(LatentModel model, Normal q, INDArray x, int m, Rng rng) {
        INDArray z = draw(model, q, x, m, rng);
        INDArray terms = logLikelihood(model, x, z).subiRowVector(Kl.divergence(q, model.prior()));
        return Estimates.mean(terms);
    }

    /** E_q[log p(x, z) − log q(z)], all by sampling: {@code [n]} estimates. */
    public static Estimates sampled(LatentModel model, Normal q, INDArray x, int m, Rng rng) {
        INDArray z = draw(model, q, x, m, rng);
        return Estimates.mean(logJoint(model, x, z).subi(q.logProb(z)));
    }

    /**
     * The identity log p(x) = ELBO + KL(q ‖ p(z|x)) for each point, on a model with exact evidence and
     * posterior: the ELBO by {@link #monteCarlo}, the other two terms exact.
     */
    public static Decomposition decompose(LatentModel model, Normal q, INDArray x, int m, Rng rng) {
        Check.notNull("model", model);
        INDArray logEvidence = model.logEvidence(x).orElseThrow(() -> new IllegalArgumentException(
                "model: expected a model with exact log p(x) (e.g. LinearGaussian), got " + model.getClass().getSimpleName()));
        MultivariateNormal posterior = model.posterior(x).orElseThrow(() -> new IllegalArgumentException(
                "model: expected a model with an exact posterior p(z|x), got " + model.getClass().getSimpleName()));
        Estimates elbo = monteCarlo(model, q, x, m, rng);
        INDArray kl = Kl.divergence(q, posterior);
        return new Decomposition(logEvidence, elbo, kl);
    }

    /** m reparameterized draws per point, {@code [m, n, d]}, after validating the arguments. */
    static INDArray draw(LatentModel model, Normal q, INDArray x, int m, Rng rng) {
        Check.notNull("model", model);
        Check.notNull("q", q);
        Check.matrix("x", x, model.dataDim());
        Check.finite("x", x);
        Check.positive("m", m);
        Check.notNull("rng", rng);
        if (q.dim() != model.latentDim()) {
            throw new IllegalArgumentException("q: expected latent dimension " + model.latentDim() + ", got " + q.dim());
        }
        if (q.batchSize() != x.size(0)) {
            throw new IllegalArgumentException("q: expected one row per data point (" + x.size(0) + "), got " + q.batchSize());
        }
        return q.sample(rng, m);
    }

    /** log p(x_i, z_si) for samples z {@code [m, n, d]} → {@code [m, n]}. */
    static INDArray logJoint(LatentModel model, INDArray x, INDArray z) {
        return model.logJointSamples(x, z);
    }

    /** log p(x_i | z_si) for samples z {@code [m, n, d]} → {@code [m, n]}. */
    static INDArray logLikelihood(LatentModel model, INDArray x, INDArray z) {
        return model.logLikelihoodSamples(x, z);
    }
}
