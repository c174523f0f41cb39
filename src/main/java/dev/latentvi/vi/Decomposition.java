package dev.latentvi.vi;

import dev.latentvi.dist.Normal;
import dev.latentvi.math.Check;
import dev.latentvi.math.Estimates;
import dev.latentvi.math.Rng;
import org.nd4j.linalg.api.ndarray.INDArray;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

/**
 * log p(x_i) = L_i(p, q_i) + KL(q_i ‖ p(z|x_i)) for n points: the exact evidence {@code [n]}, the
 * Monte Carlo ELBO with standard errors, and the exact KL to the posterior {@code [n]}.
 */
public record Decomposition(INDArray logEvidence, Estimates elbo, INDArray kl) {
    /**
     * The identity log p(x) = ELBO + KL(q ‖ p(z|x)) for each point of x {@code [n, D]}, on a model with
     * exact evidence and posterior: the ELBO estimated by {@code elbo} (any ELBO form, or IWAE with K = 1),
     * the other two terms exact; q a batch of n diagonal Normals {@code [n, d]}.
     */
    public static Decomposition of(LatentModel model, Normal q, INDArray x, Bound elbo, Rng rng) {
        Check.notNull("model", model);
        Check.notNull("elbo", elbo);
        if (!elbo.isElbo()) {
            throw new IllegalArgumentException("elbo: expected an ELBO form (monteCarlo, analyticKl, allSampled or iwae(1)), got " + elbo);
        }
        INDArray logEvidence = model.logEvidence(x).orElseThrow(() -> new IllegalArgumentException(
                "model: expected a model with exact log p(x) (e.g. LinearGaussian), got " + model.getClass().getSimpleName()));
        GaussianPosterior posterior = model.posterior(x).orElseThrow(() -> new IllegalArgumentException(
                "model: expected a model with an exact posterior p(z|x), got " + model.getClass().getSimpleName()));
        Estimates estimate = elbo.estimate(model, q, x, rng);
        INDArray kl = posterior.klFromDiagonal(q.mean(), q.stddev());
        return new Decomposition(logEvidence, estimate, kl);
    }

    /** ELBO + KL, which should equal log p(x) up to Monte Carlo error: {@code [n]}. */
    public INDArray elboPlusKl() {
        return elbo.values().add(kl);
    }

    /** (ELBO + KL − log p(x)) / SE(ELBO) per point {@code [n]}: should look like N(0, 1) draws. */
    public INDArray standardizedError() {
        return elboPlusKl().subi(logEvidence).divi(elbo.standardErrors());
    }

    /** One row per point: log p(x), ELBO, SE, KL, ELBO + KL, the difference and the difference in SEs. */
    public Table table() {
        int n = (int) logEvidence.length();
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        INDArray sum = elboPlusKl();
        return Table.create("log p(x) = ELBO + KL(q || p(z|x))",
                IntColumn.create("point", idx),
                DoubleColumn.create("log p(x)", logEvidence.toDoubleVector()),
                DoubleColumn.create("ELBO", elbo.values().toDoubleVector()),
                DoubleColumn.create("SE", elbo.standardErrors().toDoubleVector()),
                DoubleColumn.create("KL(q||posterior)", kl.toDoubleVector()),
                DoubleColumn.create("ELBO + KL", sum.toDoubleVector()),
                DoubleColumn.create("difference", sum.sub(logEvidence).toDoubleVector()),
                DoubleColumn.create("difference / SE", standardizedError().toDoubleVector()));
    }
}
