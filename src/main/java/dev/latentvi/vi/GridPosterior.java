package dev.latentvi.vi;

import dev.latentvi.dist.GridDensity;
import dev.latentvi.math.Check;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The exact posterior p(z|x) of one data point of a model with a one-dimensional latent, by
 * quadrature: log p(x, z) tabulated on an even grid as a {@link GridDensity} (its
 * {@link GridDensity#logNormalizer()} is log p(x)). KL divergences to and from a Gaussian q go
 * through {@link dev.latentvi.dist.Kl#divergence}. Accurate when the grid covers the posterior mass finely.
 */
public final class GridPosterior {
    private GridPosterior() {
    }

    /** p(z|x) of x {@code [1, D]} (or {@code [D]}) on {@code points} ≥ 3 even grid points over [lo, hi]. */
    public static GridDensity of(LatentModel model, INDArray x, double lo, double hi, int points) {
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
        return GridDensity.of(lo, hi, model.logJoint(Nd4j.tile(row, points, 1), z).toDoubleVector());
    }
}
