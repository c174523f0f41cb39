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
        this.cholesky = cholesky(covariance);
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
        INDArray cov = c.add(c.transpose()).muli(0.5).dup('c'); // exact symmetry for the Cholesky factorization
        INDArray precision = inverse(cov);
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
        INDArray quad = Dists.rowSum(diff.mmul(precision).muli(diff));
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
        INDArray trace = Dists.rowSum(var.mulRowVector(precDiag));
        INDArray diff = mean.sub(qMean.castTo(DataType.DOUBLE));
        INDArray quad = Dists.rowSum(diff.mmul(precision).muli(diff));
        INDArray logDetS = Dists.rowSum(Transforms.log(var, true));
        return trace.addi(quad).subi(dim()).addi(logDet).subi(logDetS).muli(0.5);
    }

    /**
     * Exact ∇ of E_{z~N(m, diag s²)}[log p(z|x_i)] — equivalently of E_q[log p(x_i, z)], which differs by the
     * constant log p(x_i) — with respect to (m, log s), for point {@code i}: m, s {@code [d]} → {@code [2d]} =
     * (−Λ(m − μ_i), −Λ_jj s_j²) with Λ = Σ⁻¹. The ground truth for gradient-estimator studies.
     */
    public double[] expectedLogDensityGradient(int i, double[] m, double[] s) {
        Check.inRange("i", i, 0, size() - 1);
        Check.notNull("m", m);
        Check.notNull("s", s);
        if (m.length != dim() || s.length != dim()) {
            throw new IllegalArgumentException("m: expected " + dim() + " entries (and as many in s), got " + m.length + " and " + s.length);
        }
        INDArray diff = Nd4j.createFromArray(m).reshape(1, dim()).subi(mean.getRow(i, true));
        double[] gMu = diff.mmul(precision).negi().reshape(dim()).toDoubleVector();
        double[] precDiag = diagonal(precision).toDoubleVector();
        double[] g = new double[2 * dim()];
        for (int j = 0; j < dim(); j++) {
            g[j] = gMu[j];
            g[dim() + j] = -precDiag[j] * s[j] * s[j];
        }
        return g;
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

    /**
     * Inverse of a symmetric positive definite matrix {@code [d, d]}, symmetrized. ND4J's matrix_inverse
     * rejects matrices with a tiny determinant (e.g. a 5×5 covariance of scale 0.01), so it inverts
     * A/s with s the mean diagonal entry and divides by s.
     */
    static INDArray inverse(INDArray a) {
        double s = diagonal(a).meanNumber().doubleValue();
        INDArray inv = InvertMatrix.invert(a.div(s).dup('c'), false).divi(s);
        return inv.add(inv.transpose()).muli(0.5).dup('c');
    }

    /** Lower Cholesky factor of a symmetric positive definite matrix, with the same rescaling as {@link #inverse}. */
    static INDArray cholesky(INDArray a) {
        double s = diagonal(a).meanNumber().doubleValue();
        return Nd4j.linalg().cholesky(a.div(s).dup('c')).muli(Math.sqrt(s));
    }

    /** The diagonal of a square matrix {@code [d, d]} → {@code [d]}. */
    static INDArray diagonal(INDArray m) {
        return Dists.rowSum(m.mul(Nd4j.eye(m.rows()).castTo(m.dataType())));
    }
}
