package dev.latentvi.dist;

import dev.latentvi.math.Check;
import dev.latentvi.math.LogMath;
import dev.latentvi.math.Rng;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A one-dimensional density tabulated on an even grid: unnormalized log values at P points over
 * [lo, hi], normalized by the trapezoid rule. Between grid points the density is linear (so it
 * integrates to exactly 1 and {@link #sample} inverts its CDF exactly); outside [lo, hi] it is 0.
 * Moments and entropy are trapezoid quadratures; KL divergences to and from a one-dimensional
 * {@link Normal} are registered in {@link Kl} (quadrature on the grid). Accurate when the grid
 * covers the mass finely. A single distribution (batch size 1) over events {@code [1]}:
 * {@code sample(rng)} is {@code [1, 1]}, {@code logProb} takes {@code [k, 1] → [k]}.
 */
public final class GridDensity implements Distribution {
    private final double[] grid;        // z_i [P]
    private final double[] logDensity;  // normalized log p(z_i) [P]
    private final double[] density;     // p(z_i) [P]
    private final double[] weights;     // trapezoid weights: step, ½ step at the ends [P]
    private final double[] cdf;         // ∫_lo^{z_i} p [P], the last one 1
    private final double logNormalizer;
    private final double step;

    private GridDensity(double lo, double hi, double[] logValues) {
        int points = logValues.length;
        step = (hi - lo) / (points - 1);
        grid = new double[points];
        weights = new double[points];
        double[] logWeighted = new double[points];
        for (int i = 0; i < points; i++) {
            grid[i] = i == points - 1 ? hi : lo + step * i;
            weights[i] = i == 0 || i == points - 1 ? 0.5 * step : step;
            logWeighted[i] = logValues[i] + Math.log(weights[i]);
        }
        logNormalizer = LogMath.logSumExp(logWeighted);
        logDensity = Arrays.stream(logValues).map(v -> v - logNormalizer).toArray();
        density = Arrays.stream(logDensity).map(Math::exp).toArray();
        cdf = new double[points];
        for (int i = 1; i < points; i++) {
            cdf[i] = cdf[i - 1] + 0.5 * step * (density[i - 1] + density[i]);
        }
    }

    /**
     * The density proportional to exp(logValues[i]) at {@code logValues.length} ≥ 3 even grid points
     * from lo to hi inclusive (lo &lt; hi). Values may be −∞ (density 0), not NaN or +∞, and at least
     * one must be finite.
     */
    public static GridDensity of(double lo, double hi, double[] logValues) {
        Check.finite("lo", lo);
        Check.finite("hi", hi);
        if (!(hi > lo)) {
            throw new IllegalArgumentException("hi: expected a value > lo = " + lo + ", got " + hi);
        }
        Check.notNull("logValues", logValues);
        if (logValues.length < 3) {
            throw new IllegalArgumentException("logValues: expected at least 3 grid values, got " + logValues.length);
        }
        boolean anyFinite = false;
        for (int i = 0; i < logValues.length; i++) {
            if (Double.isNaN(logValues[i]) || logValues[i] == Double.POSITIVE_INFINITY) {
                throw new IllegalArgumentException("logValues: expected finite values or −∞, got " + logValues[i] + " at index " + i);
            }
            anyFinite |= Double.isFinite(logValues[i]);
        }
        if (!anyFinite) {
            throw new IllegalArgumentException("logValues: expected at least one finite value, got only −∞");
        }
        return new GridDensity(lo, hi, logValues.clone());
    }

    /** Always 1: one distribution over a scalar z. */
    @Override
    public long batchSize() {
        return 1;
    }

    /** The grid z_i {@code [P]}. */
    public double[] grid() {
        return grid.clone();
    }

    /** The normalized density p(z_i) on the grid {@code [P]}. */
    public double[] density() {
        return density.clone();
    }

    /** log of the trapezoid integral of exp(logValues): log p(x) when the values are log p(x, z) of one point x. */
    public double logNormalizer() {
        return logNormalizer;
    }

    /** The density of a one-row, one-dimensional distribution q at the grid points {@code [P]} (e.g. to plot next to {@link #density}). */
    public double[] densityOf(Distribution q) {
        return Transforms.exp(logProbOnGrid(q), false).toDoubleVector();
    }

    /** log q(z_i) of a one-row, one-dimensional distribution q at the grid points {@code [P]}. */
    INDArray logProbOnGrid(Distribution q) {
        Check.notNull("q", q);
        if (q.batchSize() != 1 || q.mean().length() != 1) {
            throw new IllegalArgumentException("q: expected a one-row, one-dimensional distribution, got " + q);
        }
        return q.logProb(gridColumn()).reshape(grid.length);
    }

    /** The forward-KL fit argmin_q KL(this ‖ q) over Gaussians: moment matching, N(mean, stddev²) — mass-covering. */
    public Normal momentMatch() {
        return Normal.of(mean().getDouble(0), stddev().getDouble(0));
    }

    /**
     * The reverse-KL fit argmin_q KL(q ‖ this) over Gaussians N(μ, σ²) — what maximizing the ELBO over a
     * Gaussian q converges to when this is a posterior p(z|x): mode-seeking. KL(q ‖ p) = Σ_i w_i q(z_i)
     * (log q(z_i) − log p(z_i)) by quadrature on the grid, minimized over (μ, log σ) by gradient descent
     * with backtracking from the moment-matched fit (a local minimum when there are several, e.g. one per
     * separated mode); the gradient is exact for the quadrature sum:
     * ∂/∂μ = Σ w q (s/σ)(log q − log p + 1), ∂/∂log σ = Σ w q (s² − 1)(log q − log p + 1), s = (z − μ)/σ.
     */
    public Normal reverseKlFit() {
        return reverseKlFit(momentMatch());
    }

    /** {@link #reverseKlFit()} started from a given one-dimensional Normal (e.g. inside one mode). */
    public Normal reverseKlFit(Normal start) {
        Check.notNull("start", start);
        if (start.batchSize() != 1 || start.dim() != 1) {
            throw new IllegalArgumentException("start: expected a one-row, one-dimensional Normal, got " + start);
        }
        double mu = start.mean().getDouble(0);
        double logSigma = Math.log(start.scalarStddev());
        double[] g = new double[2];
        double kl = reverseKl(mu, logSigma, g);
        for (int it = 0; it < 500; it++) {
            double norm = Math.hypot(g[0], g[1]);
            if (norm < 1e-10) {
                break;
            }
            double step = 1.0;
            double[] g2 = new double[2];
            double next = Double.POSITIVE_INFINITY;
            while (step > 1e-12) {
                next = reverseKl(mu - step * g[0], logSigma - step * g[1], g2);
                if (next <= kl - 1e-4 * step * norm * norm) {
                    break;
                }
                step *= 0.5;
            }
            if (!(next < kl)) {
                break;
            }
            mu -= step * g[0];
            logSigma -= step * g[1];
            kl = next;
            g = g2;
        }
        return Normal.of(mu, Math.exp(logSigma));
    }

    /** KL(N(μ, e^{2 log σ}) ‖ this) by quadrature, with its gradient in (μ, log σ) written into {@code grad}. */
    private double reverseKl(double mu, double logSigma, double[] grad) {
        double sigma = Math.exp(logSigma);
        double kl = 0;
        double gMu = 0;
        double gLogSigma = 0;
        for (int i = 0; i < grid.length; i++) {
            double s = (grid[i] - mu) / sigma;
            double lq = -0.5 * s * s - logSigma - LogMath.HALF_LOG_2PI;
            double wq = weights[i] * Math.exp(lq);
            if (wq == 0) {
                continue;
            }
            double term = lq - logDensity[i];
            if (term == Double.POSITIVE_INFINITY) {
                term = 1e300;   // q has mass where p is 0 (−∞ log values): an enormous but finite penalty
            }
            kl += wq * term;
            gMu += wq * s * (term + 1);
            gLogSigma += wq * (s * s - 1) * (term + 1);
        }
        grad[0] = gMu / sigma;
        grad[1] = gLogSigma;
        return kl;
    }

    /** E[z] by quadrature {@code [1, 1]}. */
    @Override
    public INDArray mean() {
        return Nd4j.valueArrayOf(new long[] {1, 1}, meanValue(), DataType.DOUBLE);
    }

    /** √Var[z] by quadrature {@code [1, 1]}. */
    @Override
    public INDArray stddev() {
        double m = meanValue();
        double v = 0;
        for (int i = 0; i < grid.length; i++) {
            v += weights[i] * density[i] * (grid[i] - m) * (grid[i] - m);
        }
        return Nd4j.valueArrayOf(new long[] {1, 1}, Math.sqrt(v), DataType.DOUBLE);
    }

    /** −∫ p log p by quadrature {@code [1]}. */
    @Override
    public INDArray entropy() {
        double h = 0;
        for (int i = 0; i < grid.length; i++) {
            if (density[i] > 0) {
                h -= weights[i] * density[i] * logDensity[i];
            }
        }
        return Nd4j.createFromArray(h);
    }

    /** log p(x) (linear interpolation of the density between grid points, −∞ outside [lo, hi]): {@code [k, 1] → [k]}, {@code [m, k, 1] → [m, k]}. */
    @Override
    public INDArray logProb(INDArray x) {
        Check.notNull("x", x);
        int r = x.rank();
        if ((r != 2 && r != 3) || x.size(r - 1) != 1) {
            throw new IllegalArgumentException("x: expected shape [k, 1] or [m, k, 1], got " + Arrays.toString(x.shape()));
        }
        Check.finite("x", x);
        double[] v = Normal.asDouble(x).dup('c').data().asDouble();
        double[] out = new double[v.length];
        int last = grid.length - 1;
        for (int j = 0; j < v.length; j++) {
            if (v[j] < grid[0] || v[j] > grid[last]) {
                out[j] = Double.NEGATIVE_INFINITY;
                continue;
            }
            int i = Math.min((int) ((v[j] - grid[0]) / step), last - 1);
            double t = Math.min(1, Math.max(0, (v[j] - grid[i]) / step));
            out[j] = LogMath.logSumExp(Math.log1p(-t) + logDensity[i], Math.log(t) + logDensity[i + 1]);
        }
        return Nd4j.create(out, Arrays.copyOf(x.shape(), r - 1), DataType.DOUBLE);
    }

    /** One draw {@code [1, 1]}. */
    @Override
    public INDArray sample(Rng rng) {
        return sample(rng, 1).reshape(1, 1);
    }

    /** m draws {@code [m, 1, 1]}, by inverting the piecewise-quadratic CDF. */
    @Override
    public INDArray sample(Rng rng, int m) {
        Check.notNull("rng", rng);
        Check.positive("m", m);
        double[] u = rng.uniform(m).toDoubleVector();
        double[] z = new double[m];
        for (int j = 0; j < m; j++) {
            z[j] = quantile(u[j]);
        }
        return Nd4j.create(z, new long[] {m, 1, 1}, DataType.DOUBLE);
    }

    @Override
    public String toString() {
        return "GridDensity[" + grid.length + " points on [" + grid[0] + ", " + grid[grid.length - 1] + "]]";
    }

    /** Trapezoid weights {@code [P]} (not a copy). */
    double[] weights() {
        return weights;
    }

    /** Normalized log density at the grid points {@code [P]} (not a copy). */
    double[] logDensity() {
        return logDensity;
    }

    /** The grid as a column of events {@code [P, 1]}. */
    INDArray gridColumn() {
        return Nd4j.createFromArray(grid).reshape(grid.length, 1);
    }

    private double meanValue() {
        double s = 0;
        for (int i = 0; i < grid.length; i++) {
            s += weights[i] * density[i] * grid[i];
        }
        return s;
    }

    /** The z with CDF(z) = u: the cell by bisection, then the root of the cell's quadratic CDF. */
    private double quantile(double u) {
        double target = u * cdf[cdf.length - 1];
        int k = Arrays.binarySearch(cdf, target);
        int i = k >= 0 ? Math.min(k, grid.length - 2) : Math.min(-k - 2, grid.length - 2);
        double c = (target - cdf[i]) / step;                      // ∫_0^t (p_i + (p_{i+1} − p_i) s) ds = c
        double slope = density[i + 1] - density[i];
        double root = Math.sqrt(Math.max(0, density[i] * density[i] + 2 * slope * c));
        double denominator = density[i] + root;
        double t = denominator > 0 ? 2 * c / denominator : 0;
        return grid[i] + step * Math.min(1, Math.max(0, t));
    }
}
