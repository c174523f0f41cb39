package dev.latentvi.vi;

import dev.latentvi.math.Check;
import dev.latentvi.math.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.inverse.InvertMatrix;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * An exact Gaussian posterior p(z|x_i) = N(μ_i, Σ) for a batch of points: one mean row per point and
 * one full covariance shared by all rows (as in the linear-Gaussian model). Full covariance is kept
 * because a diagonal q can only match it when Σ happens to be diagonal; {@link #meanField()} gives
 * the best diagonal approximation under the reverse KL.
 */
public final class GaussianPosterior {
    private static final double LOG_2PI = Math.log(2 * Math.PI);

    private final INDArray mean;       // [n, d]
    private final INDArray covariance; // [d, d]
    private final INDArray precision;  // [d, d]
    private final INDArray cholesky;   // [d, d] lower, Σ = L Lᵀ
    private final double logDet;       // log |Σ|

    private GaussianPosterior(INDArray mean, INDArray covariance, INDArray precision) {
        this.mean = mean;
        this.covariance = covariance;
        this.precision = precision;
        this.cholesky = Nd4j.linalg().cholesky(covariance);
        this.logDet = 2 * Transforms.log(diagonal(cholesky), false).sumNumber().doubleValue();
    }

    /** mean {@code [n, d]}, covariance {@code [d, d]} symmetric positive definite. */
    public static GaussianPosterior of(INDArray mean, INDArray covariance) {
        Check.matrix("mean", mean, -1);
        Check.finite("mean", mean);
        long d = mean.size(1);
        Check.matrix("covariance", covariance, d);
        if (covariance.rows() != d) {
            throw new IllegalArgumentException("covariance: expected shape [" + d + ", " + d + "], got "
                    + java.util.Arrays.toString(covariance.shape()));
        }
        Check.finite("covariance", covariance);
        INDArray c = covariance.castTo(DataType.DOUBLE);
        INDArray cov = c.add(c.transpose()).muli(0.5); // exact symmetry for the Cholesky factorization
        INDArray precision = InvertMatrix.invert(cov, false);
        return new GaussianPosterior(mean.castTo(DataType.DOUBLE).dup(), cov, precision);
    }

    /** Number of points n. */
    public long size() {
        return mean.size(0);
    }

    /** Latent dimension d. */
    public int dim() {
        return (int) mean.size(1);
    }

    /** Posterior means {@code [n, d]} (a copy). */
    public INDArray mean() {
        return mean.dup();
    }

    /** Shared posterior covariance {@code [d, d]} (a copy). */
    public INDArray covariance() {
        return covariance.dup();
    }

    /** Marginal standard deviations sqrt(Σ_jj), {@code [d]}. */
    public INDArray marginalStd() {
        return Transforms.sqrt(diagonal(covariance), false);
    }

    /** log |Σ|. */
    public double logDetCovariance() {
        return logDet;
    }

    /**
     * log N(z_i; μ_i, Σ) row by row: z {@code [n, d]} (or {@code [m·n, d]}, row r paired with mean
     * row r mod n) → {@code [rows]}.
     */
    public INDArray logProb(INDArray z) {
        Check.matrix("z", z, dim());
        Check.finite("z", z);
        INDArray diff = z.castTo(DataType.DOUBLE).sub(tiledMean(z.size(0)));
        INDArray quad = diff.mmul(precision).muli(diff).sum(1);
        return quad.muli(-0.5).subi(0.5 * (dim() * LOG_2PI + logDet));
    }

    /** m draws per point, stacked sample-major: {@code [m·n, d]}, row s·n + i belongs to point i. */
    public INDArray sample(Rng rng, int m) {
        Check.notNull("rng", rng);
        Check.positive("m", m);
        INDArray eps = rng.normal((long) m * size(), dim());
        return eps.mmul(cholesky.transpose()).addi(tiledMean((long) m * size()));
    }

    /**
     * KL(q_i ‖ p(z|x_i)) for diagonal Gaussians q_i = N(m_i, diag s_i²): qMean and qStd {@code [n, d]} →
     * {@code [n]}, in closed form ½[tr(Σ⁻¹S) + (μ−m)ᵀΣ⁻¹(μ−m) − d + log|Σ| − log|S|].
     */
    public INDArray klFromDiagonal(INDArray qMean, INDArray qStd) {
        Check.sameShape("qMean", qMean, "posterior mean", mean);
        Check.sameShape("qStd", qStd, "qMean", qMean);
        Check.finite("qMean", qMean);
        Check.positive("qStd", qStd);
        INDArray var = qStd.castTo(DataType.DOUBLE).mul(qStd);
        INDArray precDiag = diagonal(precision).reshape(1, dim());
        INDArray trace = var.mulRowVector(precDiag).sum(1);
        INDArray diff = mean.sub(qMean.castTo(DataType.DOUBLE));
        INDArray quad = diff.mmul(precision).muli(diff).sum(1);
        INDArray logDetS = Transforms.log(var, true).sum(1);
        return trace.addi(quad).subi(dim()).addi(logDet).subi(logDetS).muli(0.5);
    }

    /**
     * The best diagonal Gaussian under the reverse KL, KL(q‖p): the same means, σ_j = 1/sqrt(Λ_jj)
     * with Λ = Σ⁻¹. Returns {mean [n, d], std [n, d]}; equals the exact marginals when Σ is diagonal.
     */
    public INDArray[] meanField() {
        INDArray std = Transforms.pow(diagonal(precision), -0.5, false).reshape(1, dim());
        return new INDArray[] {mean.dup(), Nd4j.tile(std, (int) size(), 1)};
    }

    private INDArray tiledMean(long rows) {
        long n = size();
        if (rows % n != 0) {
            throw new IllegalArgumentException("z: expected a multiple of " + n + " rows (one block per sample), got " + rows);
        }
        return rows == n ? mean : Nd4j.tile(mean, (int) (rows / n), 1);
    }

    /** The diagonal of a square matrix {@code [d, d]} → {@code [d]}. */
    static INDArray diagonal(INDArray m) {
        return m.mul(Nd4j.eye(m.rows()).castTo(m.dataType())).sum(1);
    }
}
