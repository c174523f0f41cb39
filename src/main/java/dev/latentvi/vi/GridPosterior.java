package dev.latentvi.vi;

import dev.latentvi.dist.Normal;
import dev.latentvi.math.Check;
import dev.latentvi.math.LogMath;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The exact posterior p(z|x) of one data point of a model with a one-dimensional latent, by
 * quadrature on an even grid: log p(x) = log ∫ p(x, z) dz, density, moments, and KL divergences to
 * a Gaussian in both directions. Accurate when the grid covers the posterior mass finely.
 */
public final class GridPosterior {
    private final double[] grid;
    private final double[] logDensity;   // log p(z|x) on the grid
    private final double logEvidence;
    private final double step;

    private GridPosterior(double[] grid, double[] logDensity, double logEvidence, double step) {
        this.grid = grid;
        this.logDensity = logDensity;
        this.logEvidence = logEvidence;
        this.step = step;
    }

    /** The posterior of x {@code [1, D]} (or {@code [D]}) on {@code points} ≥ 3 even grid points over [lo, hi]. */
    public static GridPosterior of(LatentModel model, INDArray x, double lo, double hi, int points) {
        Check.notNull("model", model);
        if (model.latentDim() != 1) {
            throw new IllegalArgumentException("model: expected a one-dimensional latent, got dimension " + model.latentDim());
        }
        Check.notNull("x", x);
        INDArray row = x.castTo(DataType.DOUBLE).reshape(1, x.length());
        Check.matrix("x", row, model.dataDim());
        Check.finite("lo", lo);
        Check.finite("hi", hi);
        if (!(hi > lo)) {
            throw new IllegalArgumentException("hi: expected a value > lo = " + lo + ", got " + hi);
        }
        if (points < 3) {
            throw new IllegalArgumentException("points: expected at least 3 grid points, got " + points);
        }
        INDArray z = Nd4j.linspace(lo, hi, points, DataType.DOUBLE).reshape(points, 1);
        INDArray logJoint = model.logJoint(Nd4j.tile(row, points, 1), z);
        double step = (hi - lo) / (points - 1);
        double logEvidence = LogMath.logSumExp(logJoint) + Math.log(step);
        return new GridPosterior(z.reshape(points).toDoubleVector(), logJoint.sub(logEvidence).toDoubleVector(), logEvidence, step);
    }

    /** The grid {@code [points]}. */
    public double[] grid() {
        return grid.clone();
    }

    /** p(z|x) on the grid {@code [points]}. */
    public double[] density() {
        return java.util.Arrays.stream(logDensity).map(Math::exp).toArray();
    }

    /** log p(x) by quadrature. */
    public double logEvidence() {
        return logEvidence;
    }

    /** Posterior mean E[z|x]. */
    public double mean() {
        double s = 0;
        double[] p = density();
        for (int i = 0; i < grid.length; i++) {
            s += grid[i] * p[i] * step;
        }
        return s;
    }

    /** Posterior standard deviation. */
    public double std() {
        double m = mean();
        double s = 0;
        double[] p = density();
        for (int i = 0; i < grid.length; i++) {
            s += (grid[i] - m) * (grid[i] - m) * p[i] * step;
        }
        return Math.sqrt(s);
    }

    /** The forward-KL fit argmin_q KL(p ‖ q) over Gaussians: moment matching, N(mean, std²) — mass-covering. */
    public Normal momentMatch() {
        return Normal.of(mean(), std());
    }

    /** The density of a one-dimensional Gaussian q on the grid {@code [points]} (for plotting next to {@link #density}). */
    public double[] densityOf(Normal q) {
        return Transforms.exp(logQ(q), false).toDoubleVector();
    }

    /** Reverse KL(q ‖ p(z|x)) by quadrature (mode-seeking when minimized over q). */
    public double klFrom(Normal q) {
        double[] lq = logQ(q).toDoubleVector();
        double s = 0;
        for (int i = 0; i < grid.length; i++) {
            s += Math.exp(lq[i]) * (lq[i] - logDensity[i]) * step;
        }
        return s;
    }

    /** Forward KL(p(z|x) ‖ q) by quadrature (mass-covering when minimized over q). */
    public double klTo(Normal q) {
        double[] lq = logQ(q).toDoubleVector();
        double s = 0;
        for (int i = 0; i < grid.length; i++) {
            s += Math.exp(logDensity[i]) * (logDensity[i] - lq[i]) * step;
        }
        return s;
    }

    private INDArray logQ(Normal q) {
        Check.notNull("q", q);
        if (q.dim() != 1 || q.batchSize() != 1) {
            throw new IllegalArgumentException("q: expected a single one-dimensional Normal, got " + q);
        }
        return Dists.logProb(q, Nd4j.createFromArray(grid).reshape(grid.length, 1));
    }
}
