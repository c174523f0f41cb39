package dev.latentvi.vi;

import dev.latentvi.math.Check;
import dev.latentvi.math.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The ELBO of one data point as a function of the variational parameters (μ, log σ) of a
 * one-dimensional q = N(μ, σ²), on a grid — for contour plots with an optimizer's path on top.
 */
public final class ElboSurface {
    private ElboSurface() {
    }

    /**
     * L(μ, log σ) for x {@code [1, D]} at every grid pair: returns z[j][i] at (mus[i], logSigmas[j]) (the
     * layout of {@code Chart.contour}). Exact through log p(x) − KL(q ‖ p(z|x)) when the model has an exact
     * posterior; otherwise a Monte Carlo estimate with m common standard-normal draws at every grid point
     * (so the surface is smooth), E[log p(x, μ + σε)] + H(q).
     */
    public static double[][] of(LatentModel model, INDArray x, double[] mus, double[] logSigmas, int m, Rng rng) {
        Check.notNull("model", model);
        if (model.latentDim() != 1) {
            throw new IllegalArgumentException("model: expected a one-dimensional latent, got dimension " + model.latentDim());
        }
        Check.notNull("mus", mus);
        Check.notNull("logSigmas", logSigmas);
        INDArray row = x.castTo(DataType.DOUBLE).reshape(1, x.length());
        Check.matrix("x", row, model.dataDim());
        Check.finite("x", row);
        int nx = mus.length;
        int ny = logSigmas.length;
        if (nx == 0 || ny == 0) {
            throw new IllegalArgumentException("mus: expected non-empty grids, got " + nx + " × " + ny);
        }
        INDArray mu = Nd4j.createFromArray(mus).reshape(1, nx).broadcast(ny, nx).dup();               // [ny, nx]
        INDArray logSigma = Nd4j.createFromArray(logSigmas).reshape(ny, 1).broadcast(ny, nx).dup();
        INDArray flatMu = mu.reshape((long) nx * ny, 1);
        INDArray flatLogSigma = logSigma.reshape((long) nx * ny, 1);
        INDArray sigma = org.nd4j.linalg.ops.transforms.Transforms.exp(flatLogSigma, true);
        INDArray values;
        var evidence = model.logEvidence(row);
        var posterior = model.posterior(row);
        if (evidence.isPresent() && posterior.isPresent()) {
            values = dev.latentvi.dist.Kl.divergence(dev.latentvi.dist.Normal.of(flatMu, sigma), posterior.get())
                    .rsubi(evidence.get().getDouble(0));
        } else {
            Check.positive("m", m);
            Check.notNull("rng", rng);
            INDArray eps = rng.normal(m, 1);                                                         // common draws
            INDArray z = eps.mmul(sigma.transpose()).addiRowVector(flatMu.transpose());             // [m, nx·ny]
            INDArray logJoint = model.logJoint(Nd4j.tile(row, m * nx * ny, 1), z.reshape((long) m * nx * ny, 1))
                    .reshape(m, (long) nx * ny).mean(0);
            values = logJoint.addi(dev.latentvi.dist.Normal.ofLogSigma(flatMu, flatLogSigma).entropy());
        }
        double[][] out = new double[ny][];
        INDArray grid = values.reshape(ny, nx);
        for (int j = 0; j < ny; j++) {
            out[j] = grid.getRow(j).toDoubleVector();
        }
        return out;
    }
}
