package dev.latentvi.vi;

import dev.latentvi.dist.GraphNormal;
import dev.latentvi.dist.MultivariateNormal;
import dev.latentvi.dist.Normal;
import dev.latentvi.math.Check;
import java.util.Arrays;
import java.util.Optional;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A latent-variable model p(x, z) = p(x|z) p(z) as variational inference sees it: the log
 * likelihood and log joint, eagerly and as a differentiable SameDiff graph, and — when the model is
 * tractable — the exact log-evidence log p(x) and posterior p(z|x).
 *
 * <p>One sample layout: x {@code [n, D]}; z is {@code [n, d]} (one latent per row, paired with the
 * rows of x) or {@code [m, n, d]} (m samples per row, x broadcast over the m axis); results drop the
 * last axis, {@code [n]} or {@code [m, n]}. In the graph form x may also have a single row, broadcast
 * against every row of z.
 */
public interface LatentModel {
    /** Latent dimension d. */
    int latentDim();

    /** Data dimension D. */
    int dataDim();

    /** log p(x|z): x {@code [n, D]}; z {@code [n, d]} → {@code [n]} or z {@code [m, n, d]} → {@code [m, n]}. */
    INDArray logLikelihood(INDArray x, INDArray z);

    /** log p(x|z) as a graph: x {@code [n, D]} (or {@code [1, D]}); z {@code [n, d]} → {@code [n]} or {@code [m, n, d]} → {@code [m, n]}. */
    SDVariable logLikelihood(SameDiff sd, SDVariable x, SDVariable z);

    /** The prior p(z), a diagonal Normal with one row {@code [1, d]}; N(0, I) unless overridden. */
    default Normal prior() {
        return Normal.standard(latentDim());
    }

    /** log p(x, z) = log p(x|z) + log p(z), in the shapes of {@link #logLikelihood(INDArray, INDArray)}. */
    default INDArray logJoint(INDArray x, INDArray z) {
        INDArray zd = z.dataType() == DataType.DOUBLE ? z : z.castTo(DataType.DOUBLE);
        return logLikelihood(x, zd).addi(prior().logProb(zd));
    }

    /** log p(x, z) of one data point x {@code [1, D]} at one latent z given by its d coordinates. */
    default double logJointAt(INDArray x, double... z) {
        Check.notNull("x", x);
        Check.notNull("z", z);
        if (x.rank() != 2 || x.size(0) != 1 || x.size(1) != dataDim()) {
            throw new IllegalArgumentException("x: expected one data point [1, " + dataDim() + "], got " + Arrays.toString(x.shape()));
        }
        if (z.length != latentDim()) {
            throw new IllegalArgumentException("z: expected " + latentDim() + " coordinates (the latent dimension), got " + z.length);
        }
        for (int j = 0; j < z.length; j++) {
            Check.finite("z[" + j + "]", z[j]);
        }
        return logJoint(x, Nd4j.createFromArray(new double[][] {z.clone()})).getDouble(0);
    }

    /** log p(x, z) as a graph, in the shapes of {@link #logLikelihood(SameDiff, SDVariable, SDVariable)}. */
    default SDVariable logJoint(SameDiff sd, SDVariable x, SDVariable z) {
        return logLikelihood(sd, x, z).add(GraphNormal.constant(sd, prior()).logProb(z));
    }

    /**
     * The score ∇_z log p(x, z) in closed form: x {@code [n, D]}, z {@code [m, n, d]} → {@code [m, n, d]};
     * empty when the model does not give it (then SameDiff differentiates the graph). With it, a
     * reparameterized fit needs no graph ({@link PointwiseVi}'s fast path).
     */
    default Optional<INDArray> score(INDArray x, INDArray z) {
        return Optional.empty();
    }

    /** Exact log p(x) when tractable: x {@code [n, D]} → {@code [n]}; empty otherwise. */
    default Optional<INDArray> logEvidence(INDArray x) {
        return Optional.empty();
    }

    /** Exact Gaussian posterior p(z|x) when tractable: x {@code [n, D]} → n posteriors; empty otherwise. */
    default Optional<MultivariateNormal> posterior(INDArray x) {
        return Optional.empty();
    }

    /** One data point from its D coordinates, as a row {@code [1, D]} — e.g. {@code model.point(2.3, -1.1)}. */
    default INDArray point(double... coordinates) {
        Check.notNull("coordinates", coordinates);
        if (coordinates.length != dataDim()) {
            throw new IllegalArgumentException("coordinates: expected " + dataDim() + " values (the data dimension), got " + coordinates.length);
        }
        for (int j = 0; j < coordinates.length; j++) {
            Check.finite("coordinates[" + j + "]", coordinates[j]);
        }
        return Nd4j.createFromArray(new double[][] {coordinates.clone()});
    }

    /** n data points from their coordinates, one row each: {@code double[n][D]} → {@code [n, D]}. */
    default INDArray points(double[][] rows) {
        Check.notNull("rows", rows);
        if (rows.length == 0) {
            throw new IllegalArgumentException("rows: expected at least one data point, got none");
        }
        double[][] copy = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] == null || rows[i].length != dataDim()) {
                throw new IllegalArgumentException("rows: expected " + dataDim() + " values per row (the data dimension), got "
                        + (rows[i] == null ? "null" : rows[i].length) + " in row " + i);
            }
            for (int j = 0; j < rows[i].length; j++) {
                Check.finite("rows[" + i + "][" + j + "]", rows[i][j]);
            }
            copy[i] = rows[i].clone();
        }
        return Nd4j.createFromArray(copy);
    }

    /** Exact log p(x) of one data point x {@code [1, D]}; the model must have exact evidence ({@link #logEvidence(INDArray)}). */
    default double logEvidenceOf(INDArray x) {
        Check.notNull("x", x);
        if (x.rank() != 2 || x.size(0) != 1) {
            throw new IllegalArgumentException("x: expected one data point [1, " + dataDim() + "], got shape " + Arrays.toString(x.shape())
                    + " (use meanLogEvidence or logEvidence for several)");
        }
        return exactLogEvidence(x).getDouble(0);
    }

    /** The average exact log p(x) over the rows of x {@code [n, D]}; the model must have exact evidence. */
    default double meanLogEvidence(INDArray x) {
        return exactLogEvidence(x).meanNumber().doubleValue();
    }

    private INDArray exactLogEvidence(INDArray x) {
        return logEvidence(x).orElseThrow(() -> new IllegalArgumentException(
                "model: expected a model with exact log p(x) (e.g. LinearGaussian), got " + getClass().getSimpleName()));
    }

    /**
     * Checks that z is {@code [n, d]} or {@code [m, n, d]} and finite, for a model of latent dimension d
     * and data with n rows; for implementations of {@link #logLikelihood(INDArray, INDArray)}.
     */
    static void checkLatents(INDArray z, long n, int d) {
        if (z == null || (z.rank() != 2 && z.rank() != 3) || z.size(-1) != d || z.size(-2) != n) {
            throw new IllegalArgumentException("z: expected shape [" + n + ", " + d + "] or [m, " + n + ", " + d + "] (rows paired with x), got "
                    + (z == null ? "null" : Arrays.toString(z.shape())));
        }
        Check.finite("z", z);
    }
}
