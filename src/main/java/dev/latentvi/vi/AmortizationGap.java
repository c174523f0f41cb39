package dev.latentvi.vi;

import dev.latentvi.dist.Kl;
import dev.latentvi.dist.MultivariateNormal;
import dev.latentvi.dist.Normal;
import dev.latentvi.math.Check;
import dev.latentvi.math.Rng;
import org.nd4j.linalg.api.ndarray.INDArray;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

/**
 * The two gaps between log p(x) and the ELBO of an amortized encoder, per held-out point
 * (Cremer et al., 2018): log p(x) − ELBO(q_φ) = [log p(x) − ELBO(q*)] + [ELBO(q*) − ELBO(q_φ)], the
 * approximation gap of the Gaussian family (q* the per-point VI optimum) plus the amortization gap.
 * Needs a model with exact evidence and posterior, so every ELBO here is exact:
 * ELBO(q) = log p(x) − KL(q ‖ p(z|x)).
 *
 * @param logEvidence  log p(x) {@code [n]}
 * @param elboPerPoint ELBO of per-point VI's q_i {@code [n]}
 * @param elboAmortized ELBO of the encoder's q_φ(z|x_i) {@code [n]}
 * @param elboMeanField ELBO of the analytic best diagonal Gaussian {@code [n]} (what per-point VI should reach)
 */
public record AmortizationGap(INDArray logEvidence, INDArray elboPerPoint, INDArray elboAmortized, INDArray elboMeanField) {

    /**
     * Measures the gaps on held-out x {@code [n, D]}: per-point VI runs {@code viSteps} Adam steps with
     * 32 samples per step, starting from q_i = N(0, I).
     */
    public static AmortizationGap measure(LatentModel model, AmortizedVi.Encoder encoder, INDArray x, int viSteps, Rng rng) {
        Check.notNull("model", model);
        Check.notNull("encoder", encoder);
        Check.positive("viSteps", viSteps);
        PointwiseVi vi = PointwiseVi.of(model, x).samples(32).steps(viSteps);
        INDArray logEvidence = model.logEvidence(x).orElseThrow(() -> new IllegalArgumentException(
                "model: expected a model with exact log p(x) (e.g. LinearGaussian), got " + model.getClass().getSimpleName()));
        MultivariateNormal post = model.posterior(x).orElseThrow();
        Normal amortized = encoder.encode(x);
        Normal perPoint = vi.fit(rng).q();
        return new AmortizationGap(logEvidence,
                logEvidence.sub(Kl.divergence(perPoint, post)),
                logEvidence.sub(Kl.divergence(amortized, post)),
                logEvidence.sub(Kl.divergence(post.meanField(), post)));
    }

    /** Amortization gap ELBO(q*) − ELBO(q_φ) per point {@code [n]}, q* the best diagonal Gaussian (Cremer et al., 2018). */
    public INDArray amortizationGap() {
        return elboMeanField.sub(elboAmortized);
    }

    /** log p(x) − ELBO(q_φ) per point {@code [n]}: approximation plus amortization gap. */
    public INDArray totalGap() {
        return logEvidence.sub(elboAmortized);
    }

    /** Approximation gap log p(x) − ELBO(q*) per point {@code [n]}: what no diagonal Gaussian can close. */
    public INDArray approximationGap() {
        return logEvidence.sub(elboMeanField);
    }

    /** ELBO(q*) − ELBO(per-point VI) per point {@code [n]}: how far the optimizer stopped short of q*. */
    public INDArray optimizationGap() {
        return elboMeanField.sub(elboPerPoint);
    }

    /** Means over the points: log p(x), the three ELBOs and the three gaps (one row). */
    public Table summary() {
        return Table.create("amortization gap (mean over " + logEvidence.length() + " held-out points)",
                DoubleColumn.create("log p(x)", logEvidence.meanNumber().doubleValue()),
                DoubleColumn.create("ELBO best diagonal q* (exact)", elboMeanField.meanNumber().doubleValue()),
                DoubleColumn.create("ELBO per-point VI", elboPerPoint.meanNumber().doubleValue()),
                DoubleColumn.create("ELBO amortized", elboAmortized.meanNumber().doubleValue()),
                DoubleColumn.create("approximation gap", approximationGap().meanNumber().doubleValue()),
                DoubleColumn.create("amortization gap", amortizationGap().meanNumber().doubleValue()),
                DoubleColumn.create("per-point VI short of q*", optimizationGap().meanNumber().doubleValue()));
    }

    /**
     * One row per point: "point", "log p(x)", the three ELBOs, "approximation gap", "amortization gap",
     * "total gap" and "per-point VI short of q*".
     */
    public Table table() {
        int n = (int) logEvidence.length();
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        return Table.create("ELBOs per held-out point", IntColumn.create("point", idx),
                DoubleColumn.create("log p(x)", logEvidence.toDoubleVector()),
                DoubleColumn.create("ELBO best diagonal q*", elboMeanField.toDoubleVector()),
                DoubleColumn.create("ELBO per-point VI", elboPerPoint.toDoubleVector()),
                DoubleColumn.create("ELBO amortized", elboAmortized.toDoubleVector()),
                DoubleColumn.create("approximation gap", approximationGap().toDoubleVector()),
                DoubleColumn.create("amortization gap", amortizationGap().toDoubleVector()),
                DoubleColumn.create("total gap", totalGap().toDoubleVector()),
                DoubleColumn.create("per-point VI short of q*", optimizationGap().toDoubleVector()));
    }
}
