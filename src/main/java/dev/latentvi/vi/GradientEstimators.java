package dev.latentvi.vi;

import dev.latentvi.math.Check;
import dev.latentvi.math.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Monte Carlo estimators of ∇_{μ, log σ} E_{z~N(μ, σ²)}[r(z)] for a diagonal Gaussian q and an objective r.
 *
 * <ul>
 *   <li>Score function (REINFORCE): (1/M) Σ_j (r(z_j) − b) ∇ log q(z_j), with ∇_μ log q = ε/σ and
 *       ∇_{log σ} log q = ε² − 1 for z = μ + σε; needs only values of r, works for any latent.</li>
 *   <li>Reparameterization: (1/M) Σ_j ∇ r(μ + σε_j), i.e. (∇r, ∇r ⊙ σε); needs ∇r, continuous z only.</li>
 * </ul>
 * All samples of an estimate (and all replicas of a study) are drawn and evaluated in one batch.
 */
public final class GradientEstimators {
    private GradientEstimators() {
    }

    /** Score-function estimate from M samples: mu, logSigma {@code [d]}; returns terms {@code [M, 2d]} and their mean. */
    public static GradientEstimate scoreFunction(Objective r, INDArray mu, INDArray logSigma, int m, Baseline baseline, Rng rng) {
        INDArray terms = scoreFunctionTerms(r, row("mu", mu, r), row("logSigma", logSigma, r), m, 1, baseline, rng);
        return new GradientEstimate(terms, terms.mean(0));
    }

    /** Reparameterized estimate from M samples: mu, logSigma {@code [d]}; returns terms {@code [M, 2d]} and their mean. */
    public static GradientEstimate reparameterized(Objective r, INDArray mu, INDArray logSigma, int m, Rng rng) {
        INDArray terms = reparameterizedTerms(r, row("mu", mu, r), row("logSigma", logSigma, r), m, 1, rng);
        return new GradientEstimate(terms, terms.mean(0));
    }

    /** {@code replicas} independent M-sample score-function estimates at once: {@code [replicas, 2d]}. */
    public static INDArray scoreFunctionReplicas(Objective r, INDArray mu, INDArray logSigma, int m, int replicas,
            Baseline baseline, Rng rng) {
        INDArray terms = scoreFunctionTerms(r, row("mu", mu, r), row("logSigma", logSigma, r), m, replicas, baseline, rng);
        return terms.reshape(replicas, m, terms.size(1)).mean(1);
    }

    /** {@code replicas} independent M-sample reparameterized estimates at once: {@code [replicas, 2d]}. */
    public static INDArray reparameterizedReplicas(Objective r, INDArray mu, INDArray logSigma, int m, int replicas, Rng rng) {
        INDArray terms = reparameterizedTerms(r, row("mu", mu, r), row("logSigma", logSigma, r), m, replicas, rng);
        return terms.reshape(replicas, m, terms.size(1)).mean(1);
    }

    static INDArray scoreFunctionTerms(Objective r, INDArray mu, INDArray logSigma, int m, int replicas, Baseline baseline, Rng rng) {
        Check.notNull("baseline", baseline);
        checkCounts(m, replicas, rng);
        if (baseline instanceof Baseline.LeaveOneOut && m < 2) {
            throw new IllegalArgumentException("m: expected at least 2 samples for the leave-one-out baseline, got " + m);
        }
        int d = r.dim();
        INDArray sigma = Transforms.exp(logSigma, true);
        INDArray eps = rng.normal((long) replicas * m, d);
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

    static INDArray reparameterizedTerms(Objective r, INDArray mu, INDArray logSigma, int m, int replicas, Rng rng) {
        checkCounts(m, replicas, rng);
        if (!r.differentiable()) {
            throw new IllegalArgumentException("r: expected a differentiable objective for the reparameterized estimator, got a black box"
                    + " (use the score-function estimator)");
        }
        int d = r.dim();
        INDArray sigma = Transforms.exp(logSigma, true);
        INDArray eps = rng.normal((long) replicas * m, d);
        INDArray noise = eps.mulRowVector(sigma);                 // σε = z − μ
        INDArray z = noise.addRowVector(mu);
        INDArray grad = r.gradient(z);                            // ∇r(z) [R·M, d]
        return Nd4j.hstack(grad, grad.mul(noise));                // dz/dμ = 1, dz/dlogσ = σε
    }

    private static INDArray row(String name, INDArray a, Objective r) {
        Check.notNull("r", r);
        Check.notNull(name, a);
        if (a.length() != r.dim()) {
            throw new IllegalArgumentException(name + ": expected " + r.dim() + " entries (the objective's dimension), got "
                    + java.util.Arrays.toString(a.shape()));
        }
        Check.finite(name, a);
        return a.castTo(DataType.DOUBLE).reshape(1, r.dim());
    }

    private static void checkCounts(int m, int replicas, Rng rng) {
        Check.positive("m", m);
        Check.positive("replicas", replicas);
        Check.notNull("rng", rng);
    }
}
