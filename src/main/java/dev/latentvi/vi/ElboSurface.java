package dev.latentvi.vi;

import dev.latentvi.dist.Normal;
import dev.latentvi.math.Check;
import dev.latentvi.math.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.Table;

/**
 * The ELBO of one data point as a function of the variational parameters (μ, log σ) of a
 * one-dimensional q = N(μ, σ²), on a grid — for contour plots with an optimizer's path on top, or
 * along one axis with the other held fixed. Exact through log p(x) − KL(q ‖ p(z|x)) when the model
 * has an exact posterior; otherwise a Monte Carlo estimate E[log p(x, μ + σε)] + H(q) with the same
 * m standard-normal draws at every grid point (so the surface is smooth).
 *
 * <pre>{@code
 * double[][] z = ElboSurface.of(model, x).mu(muGrid).logSigma(logSigmaGrid).grid();   // z[j][i]
 * double[] along = ElboSurface.of(model, x).mu(muStar).logSigma(logSigmas).slice();   // μ held at μ*
 * ElboSurface.of(opaqueModel, x).mu(muGrid).logSigma(logSigmaGrid).monteCarlo(1000, rng).grid();
 * ElboSurface.of(model, x).mu(muGrid).logSigma(logSigmaGrid).floor(logPx - 15).grid();   // readable contour levels
 * ElboSurface.of(model, x).mu(muStar).sigma(2.0, 1.0, 0.1).terms();   // ELBO = E_q[log p(x, z)] + H(q) along σ
 * }</pre>
 */
public final class ElboSurface {
    private final LatentModel model;
    private final INDArray row;
    private double[] mus;
    private double[] logSigmas;
    private double[] sigmas;          // the σ values as given to sigma(...), else null
    private double floor = Double.NEGATIVE_INFINITY;
    private int samples;
    private Rng rng;

    private ElboSurface(LatentModel model, INDArray row) {
        this.model = model;
        this.row = row;
    }

    /** The surface of the data point x {@code [1, D]} (or {@code [D]}) under a model with a one-dimensional latent. */
    public static ElboSurface of(LatentModel model, INDArray x) {
        Check.notNull("model", model);
        if (model.latentDim() != 1) {
            throw new IllegalArgumentException("model: expected a one-dimensional latent, got dimension " + model.latentDim());
        }
        Check.notNull("x", x);
        INDArray row = x.castTo(DataType.DOUBLE).reshape(1, x.length());
        Check.matrix("x", row, model.dataDim());
        Check.finite("x", row);
        return new ElboSurface(model, row);
    }

    /** The μ values: a grid, or a single value to hold μ fixed. */
    public ElboSurface mu(double... values) {
        mus = axis("mu", values);
        return this;
    }

    /** The log σ values: a grid, or a single value to hold σ fixed. */
    public ElboSurface logSigma(double... values) {
        logSigmas = axis("logSigma", values);
        sigmas = null;
        return this;
    }

    /** The σ values (&gt; 0) instead of log σ: the same surface at log σ = log(values), with σ itself in {@link #terms()}. */
    public ElboSurface sigma(double... values) {
        double[] v = axis("sigma", values);
        for (int j = 0; j < v.length; j++) {
            Check.positive("sigma[" + j + "]", v[j]);
        }
        sigmas = v;
        logSigmas = java.util.Arrays.stream(v).map(Math::log).toArray();
        return this;
    }

    /**
     * Values below {@code min} are raised to {@code min} in {@link #grid()} and {@link #slice()}, so the
     * ELBO's steep fall far from the posterior does not take all the contour levels (e.g. {@code floor(logPx - 15)}).
     */
    public ElboSurface floor(double min) {
        Check.finite("min", min);
        this.floor = min;
        return this;
    }

    /** Estimate by Monte Carlo with {@code m} common draws from {@code rng}, for models without an exact posterior. */
    public ElboSurface monteCarlo(int m, Rng rng) {
        Check.positive("m", m);
        Check.notNull("rng", rng);
        this.samples = m;
        this.rng = rng;
        return this;
    }

    /** L(μ, log σ) at every grid pair: z[j][i] at (mu[i], logSigma[j]), the layout of {@code Chart.contour}. */
    public double[][] grid() {
        INDArray values = values();
        double[][] out = new double[logSigmas.length][];
        for (int j = 0; j < logSigmas.length; j++) {
            out[j] = floored(values.getRow(j).toDoubleVector());
        }
        return out;
    }

    /**
     * L along the axis with several values, the other held at its single value: {@code [logSigma.length]}
     * for a fixed μ, {@code [mu.length]} for a fixed log σ.
     */
    public double[] slice() {
        return floored(unflooredSlice());
    }

    /**
     * The ELBO along the slice split into its two terms, one row per value of the varying axis: "σ"
     * (with {@link #sigma}) or "log σ" when μ is held fixed, "μ" when σ is; then
     * "E_q[log p(x, z)] = ELBO − H(q)", "H(q)" and "ELBO" (not floored). For a single (μ, σ), one row with σ.
     */
    public Table terms() {
        double[] elbo = unflooredSlice();
        boolean alongMu = mus.length > 1;
        int k = elbo.length;
        double[] h = new double[k];
        double[] cross = new double[k];
        for (int j = 0; j < k; j++) {
            double mu = alongMu ? mus[j] : mus[0];
            int s = alongMu ? 0 : j;
            Normal q = sigmas != null ? Normal.of(mu, sigmas[s]) : Normal.ofLogSigma(scalar(mu), scalar(logSigmas[s]));
            h[j] = q.entropy().getDouble(0);
            cross[j] = elbo[j] - h[j];
        }
        DoubleColumn axis = alongMu ? DoubleColumn.create("μ", mus)
                : sigmas != null ? DoubleColumn.create("σ", sigmas) : DoubleColumn.create("log σ", logSigmas);
        return Table.create("ELBO = E_q[log p(x, z)] + H(q)", axis,
                DoubleColumn.create("E_q[log p(x, z)] = ELBO − H(q)", cross),
                DoubleColumn.create("H(q)", h),
                DoubleColumn.create("ELBO", elbo));
    }

    private double[] unflooredSlice() {
        INDArray values = values();
        if (mus.length == 1) {
            return values.getColumn(0).toDoubleVector();
        }
        if (logSigmas.length == 1) {
            return values.getRow(0).toDoubleVector();
        }
        throw new IllegalArgumentException("mu: expected μ or log σ held at a single value for a slice, got "
                + mus.length + " × " + logSigmas.length + " values (use grid())");
    }

    private double[] floored(double[] values) {
        for (int i = 0; i < values.length; i++) {
            values[i] = Math.max(values[i], floor);
        }
        return values;
    }

    private static INDArray scalar(double v) {
        return Nd4j.valueArrayOf(new long[] {1, 1}, v, DataType.DOUBLE);
    }

    /** The ELBO {@code [ny, nx]}: row j is logSigma[j], column i is mu[i]. */
    private INDArray values() {
        if (mus == null || logSigmas == null) {
            throw new IllegalArgumentException((mus == null ? "mu" : "logSigma") + ": expected values, got none (call mu(...) and logSigma(...))");
        }
        int nx = mus.length;
        int ny = logSigmas.length;
        INDArray mu = Nd4j.createFromArray(mus).reshape(1, nx).broadcast(ny, nx).dup();               // [ny, nx]
        INDArray logSigma = Nd4j.createFromArray(logSigmas).reshape(ny, 1).broadcast(ny, nx).dup();
        INDArray flatMu = mu.reshape((long) nx * ny, 1);
        INDArray flatLogSigma = logSigma.reshape((long) nx * ny, 1);
        INDArray sigma = Transforms.exp(flatLogSigma, true);
        INDArray values;
        var evidence = model.logEvidence(row);
        var posterior = model.posterior(row);
        if (evidence.isPresent() && posterior.isPresent()) {
            values = dev.latentvi.dist.Kl.divergence(dev.latentvi.dist.Normal.of(flatMu, sigma), posterior.get())
                    .rsubi(evidence.get().getDouble(0));
        } else {
            if (rng == null) {
                throw new IllegalArgumentException("model: expected an exact posterior, got a model without one"
                        + " (call monteCarlo(m, rng) to estimate the surface)");
            }
            int m = samples;
            INDArray eps = rng.normal(m, 1);                                                         // common draws
            INDArray z = eps.mmul(sigma.transpose()).addiRowVector(flatMu.transpose());             // [m, nx·ny]
            INDArray logJoint = model.logJoint(Nd4j.tile(row, m * nx * ny, 1), z.reshape((long) m * nx * ny, 1))
                    .reshape(m, (long) nx * ny).mean(0);
            values = logJoint.addi(Normal.ofLogSigma(flatMu, flatLogSigma).entropy());
        }
        return values.reshape(ny, nx);
    }

    private static double[] axis(String name, double[] values) {
        Check.notNull(name, values);
        if (values.length == 0) {
            throw new IllegalArgumentException(name + ": expected at least one value, got none");
        }
        for (int i = 0; i < values.length; i++) {
            Check.finite(name + "[" + i + "]", values[i]);
        }
        return values.clone();
    }
}
