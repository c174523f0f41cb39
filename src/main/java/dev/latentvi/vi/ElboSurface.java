package dev.latentvi.vi;

import dev.latentvi.dist.Normal;
import dev.latentvi.math.Check;
import dev.latentvi.math.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

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
 * }</pre>
 */
public final class ElboSurface {
    private final LatentModel model;
    private final INDArray row;
    private double[] mus;
    private double[] logSigmas;
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
            out[j] = values.getRow(j).toDoubleVector();
        }
        return out;
    }

    /**
     * L along the axis with several values, the other held at its single value: {@code [logSigma.length]}
     * for a fixed μ, {@code [mu.length]} for a fixed log σ.
     */
    public double[] slice() {
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
