package dev.latentvi.vi;

import dev.latentvi.dist.Distribution;
import dev.latentvi.dist.Normal;
import dev.latentvi.math.Check;
import dev.latentvi.math.Rng;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Monte Carlo estimators of ∇_{μ, log σ} E_{z~q}[r(z)] for a diagonal Gaussian q = N(μ, diag σ²)
 * (a one-row {@link Normal}) and an objective r.
 *
 * <ul>
 *   <li>Score function (REINFORCE): (1/M) Σ_j (r(z_j) − b) ∇ log q(z_j), with ∇_μ log q = ε/σ and
 *       ∇_{log σ} log q = ε² − 1 for z = μ + σε; needs only values of r, works for any latent.</li>
 *   <li>Reparameterization: (1/M) Σ_j ∇ r(μ + σε_j), i.e. (∇r, ∇r ⊙ σε); needs ∇r and a q with
 *       {@link Distribution#hasRsample()}.</li>
 * </ul>
 * The noise is drawn first, in one call {@code rng.normal(replicas·M, d)}; all samples of an
 * estimate (and all replicas of a study) are evaluated in one batch. For discrete q see
 * {@link DiscreteGradients}.
 */
public final class GradientEstimators {
    private GradientEstimators() {
    }

    /** Score-function estimate from M samples of q (one row, d = r.dim()): terms {@code [M, 2d]} and their mean. */
    public static GradientEstimate scoreFunction(Objective r, Normal q, int m, Baseline baseline, Rng rng) {
        return GradientEstimate.normal(scoreFunctionTerms(r, q, m, 1, baseline, rng));
    }

    /**
     * Reparameterized estimate from M samples of q (a one-row Normal, d = r.dim()): terms {@code [M, 2d]}
     * and their mean. r must be differentiable and q reparameterizable.
     */
    public static GradientEstimate reparameterized(Objective r, Distribution q, int m, Rng rng) {
        return GradientEstimate.normal(reparameterizedTerms(r, q, m, 1, rng));
    }

    /** {@code replicas} independent M-sample score-function estimates at once: {@code [replicas, 2d]}. */
    public static INDArray scoreFunctionReplicas(Objective r, Normal q, int m, int replicas, Baseline baseline, Rng rng) {
        INDArray terms = scoreFunctionTerms(r, q, m, replicas, baseline, rng);
        return terms.reshape(replicas, m, terms.size(1)).mean(1);
    }

    /** {@code replicas} independent M-sample reparameterized estimates at once: {@code [replicas, 2d]}. */
    public static INDArray reparameterizedReplicas(Objective r, Distribution q, int m, int replicas, Rng rng) {
        INDArray terms = reparameterizedTerms(r, q, m, replicas, rng);
        return terms.reshape(replicas, m, terms.size(1)).mean(1);
    }

    private static INDArray scoreFunctionTerms(Objective r, Normal q, int m, int replicas, Baseline baseline, Rng rng) {
        checkSingle(r, q);
        Check.notNull("baseline", baseline);
        checkCounts(m, replicas, rng);
        if (baseline instanceof Baseline.LeaveOneOut && m < 2) {
            throw new IllegalArgumentException("m: expected at least 2 samples for the leave-one-out baseline, got " + m);
        }
        INDArray mu = q.mean();                                 // [1, d]
        INDArray sigma = q.stddev();
        INDArray eps = rng.normal((long) replicas * m, r.dim());
        INDArray z = eps.mulRowVector(sigma).addiRowVector(mu);
        INDArray reward = r.value(z).reshape(replicas, m);
        INDArray centered;
        if (baseline instanceof Baseline.LeaveOneOut) {
            INDArray total = reward.sum(true, 1);
            INDArray others = total.sub(reward).divi(m - 1);   // b_j = (Σ r − r_j)/(M − 1)
            centered = reward.sub(others);
        } else if (baseline instanceof Baseline.RunningMean running) {
            double[] means = reward.mean(1).toDoubleVector();
            double[] b = new double[replicas];
            for (int k = 0; k < replicas; k++) { // replicas are successive steps: each sees the earlier ones
                b[k] = running.value();
                running.update(means[k]);
            }
            centered = reward.subColumnVector(Nd4j.createFromArray(b).reshape(replicas, 1));
        } else {
            centered = reward;
        }
        INDArray weight = centered.reshape((long) replicas * m, 1);
        INDArray scoreMu = eps.divRowVector(sigma);
        INDArray scoreLogSigma = eps.mul(eps).subi(1.0);
        return Nd4j.hstack(scoreMu.muliColumnVector(weight), scoreLogSigma.muliColumnVector(weight));
    }

    private static INDArray reparameterizedTerms(Objective r, Distribution q, int m, int replicas, Rng rng) {
        Check.notNull("r", r);
        Check.notNull("q", q);
        if (!q.hasRsample()) {
            throw new IllegalArgumentException("q: expected a reparameterizable distribution (hasRsample), got " + q
                    + " (use the score-function estimator, or DiscreteGradients for discrete latents)");
        }
        if (!(q instanceof Normal normal)) {
            throw new IllegalArgumentException("q: expected a diagonal Normal (gradients are with respect to μ and log σ), got " + q);
        }
        checkSingle(r, normal);
        checkCounts(m, replicas, rng);
        if (!r.differentiable()) {
            throw new IllegalArgumentException("r: expected a differentiable objective for the reparameterized estimator, got a black box"
                    + " (use the score-function estimator)");
        }
        INDArray eps = rng.normal((long) replicas * m, r.dim());
        INDArray noise = eps.mulRowVector(normal.stddev());       // σε = z − μ
        INDArray z = noise.addRowVector(normal.mean());
        INDArray grad = r.gradient(z);                            // ∇r(z) [R·M, d]
        return Nd4j.hstack(grad, grad.mul(noise));                // dz/dμ = 1, dz/dlogσ = σε
    }

    /** q is one Normal (batch size 1) over the objective's d dimensions. */
    static void checkSingle(Objective r, Normal q) {
        Check.notNull("r", r);
        Check.notNull("q", q);
        if (q.batchSize() != 1) {
            throw new IllegalArgumentException("q: expected a single distribution (batch size 1), got " + q.batchSize());
        }
        if (q.dim() != r.dim()) {
            throw new IllegalArgumentException("q: expected dimension " + r.dim() + " (the objective's), got " + q.dim());
        }
    }

    private static void checkCounts(int m, int replicas, Rng rng) {
        Check.positive("m", m);
        Check.positive("replicas", replicas);
        Check.notNull("rng", rng);
    }
}
