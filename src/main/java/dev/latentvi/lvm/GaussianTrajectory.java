package dev.latentvi.lvm;

import dev.latentvi.dist.MultivariateNormal;
import dev.latentvi.internal.SmallOps;
import dev.latentvi.math.Check;
import dev.latentvi.math.LogMath;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A Gaussian over a sequence of T latent states s_{1:T} in d dimensions that is Markov in time:
 * given by its marginals N(m_t, P_t) and its lag-one cross-covariances X_t = Cov(s_{t+1}, s_t).
 * The exact posterior p(s_{1:T} | o_{1:T}, a_{1:T}) of a {@link LinearGaussianSsm} has this form
 * (the RTS smoother computes it); a mean-field q(s_{1:T}) = ∏_t N(m_t, P_t) is the case X_t = 0.
 *
 * <p>Shapes: means {@code [T, d]}, covariances {@code [T, d, d]}, cross-covariances
 * {@code [T-1, d, d]} (row t is Cov(s_{t+1}, s_t), 0-based). The joint is
 * q(s_1) ∏_t q(s_{t+1} | s_t) with q(s_{t+1} | s_t) = N(m_{t+1} + F_t (s_t − m_t), P_{t+1} − F_t X_tᵀ),
 * F_t = X_t P_t⁻¹; its entropy is the sum of the entropies of these factors.
 */
public final class GaussianTrajectory {
    private final INDArray means;        // [T, d]
    private final INDArray covariances;  // [T, d, d]
    private final INDArray cross;        // [T-1, d, d] (zeros when mean-field)
    private final boolean meanField;
    private Double entropy;              // computed once
    private Chain chain;                 // computed once

    private GaussianTrajectory(INDArray means, INDArray covariances, INDArray cross, boolean meanField) {
        this.means = means;
        this.covariances = covariances;
        this.cross = cross;
        this.meanField = meanField;
    }

    /**
     * A Markov Gaussian from means {@code [T, d]}, marginal covariances {@code [T, d, d]} (each symmetric
     * positive definite) and cross-covariances Cov(s_{t+1}, s_t) {@code [T-1, d, d]}; every conditional
     * covariance P_{t+1} − X_t P_t⁻¹ X_tᵀ must be positive definite (the joint is a Gaussian).
     */
    public static GaussianTrajectory of(INDArray means, INDArray covariances, INDArray crossCovariances) {
        INDArray m = checkMeans(means);
        INDArray p = checkCovariances(covariances, m);
        long t = m.size(0), d = m.size(1);
        Check.notNull("crossCovariances", crossCovariances);
        if (crossCovariances.rank() != 3 || crossCovariances.size(0) != t - 1 || crossCovariances.size(1) != d
                || crossCovariances.size(2) != d) {
            throw new IllegalArgumentException("crossCovariances: expected shape [" + (t - 1) + ", " + d + ", " + d + "], got "
                    + Arrays.toString(crossCovariances.shape()));
        }
        Check.finite("crossCovariances", crossCovariances);
        GaussianTrajectory q = new GaussianTrajectory(m, p, crossCovariances.castTo(DataType.DOUBLE).dup('c'), false);
        q.entropy();                                       // checks every conditional covariance
        return q;
    }

    /** The mean-field Gaussian ∏_t N(m_t, P_t): means {@code [T, d]}, covariances {@code [T, d, d]}. */
    public static GaussianTrajectory independent(INDArray means, INDArray covariances) {
        INDArray m = checkMeans(means);
        INDArray p = checkCovariances(covariances, m);
        GaussianTrajectory q = new GaussianTrajectory(m, p, Nd4j.zeros(DataType.DOUBLE, Math.max(0, m.size(0) - 1), m.size(1), m.size(1)), true);
        q.entropy();
        return q;
    }

    /**
     * A Markov Gaussian computed by the library (smoother, coordinate ascent, encoder): no checks, the
     * entropy computed on first use. Arrays are taken as they are (DOUBLE, c order, not shared).
     */
    static GaussianTrajectory trusted(INDArray means, INDArray covariances, INDArray crossCovariances) {
        return new GaussianTrajectory(means, covariances, crossCovariances == null
                ? Nd4j.zeros(DataType.DOUBLE, Math.max(0, means.size(0) - 1), means.size(1), means.size(1)) : crossCovariances,
                crossCovariances == null);
    }

    /** The mean-field Gaussian with diagonal covariances: means and standard deviations both {@code [T, d]}. */
    public static GaussianTrajectory diagonal(INDArray means, INDArray stddevs) {
        INDArray m = checkMeans(means);
        Check.sameShape("stddevs", stddevs, "means", m);
        Check.positive("stddevs", stddevs);
        return trusted(m, diagonalCovariances(stddevs), null);
    }

    /** diag(σ_t²) for rows σ_t {@code [T, d]} → {@code [T, d, d]}. */
    static INDArray diagonalCovariances(INDArray stddevs) {
        long t = stddevs.size(0), d = stddevs.size(1);
        INDArray p = Nd4j.zeros(DataType.DOUBLE, t, d, d);
        INDArray var = stddevs.castTo(DataType.DOUBLE).mul(stddevs.castTo(DataType.DOUBLE));
        for (int j = 0; j < d; j++) {
            p.get(NDArrayIndex.all(), NDArrayIndex.point(j), NDArrayIndex.point(j)).assign(var.getColumn(j));
        }
        return p;
    }

    /** Number of time steps T. */
    public int length() {
        return (int) means.size(0);
    }

    /** State dimension d. */
    public int dim() {
        return (int) means.size(1);
    }

    /** Whether the cross-covariances are all zero by construction (a mean-field q). */
    public boolean isMeanField() {
        return meanField;
    }

    /** Means m_t {@code [T, d]} (a copy). */
    public INDArray means() {
        return means.dup();
    }

    /** Marginal covariances P_t {@code [T, d, d]} (a copy). */
    public INDArray covariances() {
        return covariances.dup();
    }

    /** Cross-covariances Cov(s_{t+1}, s_t) {@code [T-1, d, d]} (a copy; zeros for a mean-field q). */
    public INDArray crossCovariances() {
        return cross.dup();
    }

    /** P_t {@code [d, d]} at 0-based step t. */
    public INDArray covariance(int t) {
        Check.inRange("t", t, 0, length() - 1);
        return SmallMatrices.block(covariances, t);
    }

    /** Marginal standard deviations √(P_t)_jj {@code [T, d]}. */
    public INDArray stddev() {
        INDArray s = Nd4j.create(DataType.DOUBLE, length(), dim());
        for (int j = 0; j < dim(); j++) {
            s.getColumn(j).assign(covariances.get(NDArrayIndex.all(), NDArrayIndex.point(j), NDArrayIndex.point(j)));
        }
        return org.nd4j.linalg.ops.transforms.Transforms.sqrt(s, false);
    }

    /** Time steps 1..T as plot coordinates {@code double[T]}. */
    public double[] times() {
        double[] t = new double[length()];
        for (int i = 0; i < t.length; i++) {
            t[i] = i + 1;
        }
        return t;
    }

    /** Means of coordinate j over time {@code double[T]}. */
    public double[] mean(int j) {
        Check.inRange("j", j, 0, dim() - 1);
        return means.getColumn(j).toDoubleVector();
    }

    /** m_{t,j} − k σ_{t,j} over time {@code double[T]}: the lower edge of a ±k σ band. */
    public double[] lower(int j, double k) {
        Check.inRange("j", j, 0, dim() - 1);
        Check.positive("k", k);
        return means.getColumn(j).sub(stddev().getColumn(j).mul(k)).toDoubleVector();
    }

    /** m_{t,j} + k σ_{t,j} over time {@code double[T]}: the upper edge of a ±k σ band. */
    public double[] upper(int j, double k) {
        Check.inRange("j", j, 0, dim() - 1);
        Check.positive("k", k);
        return means.getColumn(j).add(stddev().getColumn(j).mul(k)).toDoubleVector();
    }

    /** The largest distance max_{t,j} |m_{tj} − m'_{tj}| between this q's means and another's (same shape). */
    public double meanDistance(GaussianTrajectory other) {
        Check.notNull("other", other);
        Check.sameShape("other", other.means, "means", means);
        return org.nd4j.linalg.ops.transforms.Transforms.abs(means.sub(other.means), false).maxNumber().doubleValue();
    }

    /** The average marginal variance (1/(T d)) Σ_t tr P_t: one number for "how uncertain". */
    public double meanVariance() {
        return stddev().muli(stddev()).meanNumber().doubleValue();
    }

    /**
     * The entropy H(q) = H(q(s_1)) + Σ_t H(q(s_{t+1} | s_t)) in nats; for a mean-field q
     * Σ_t ½ log |2πe P_t|.
     */
    public double entropy() {
        if (entropy == null) {
            Chain c = chain();
            double h = 0;
            for (double logDet : c.logDets()) {
                h += 0.5 * dim() * (1 + LogMath.LOG_2PI) + 0.5 * logDet;
            }
            entropy = h;
        }
        return entropy;
    }

    /**
     * The factors of the Markov chain q(s_1) ∏ q(s_{t+1} | s_t), q(s_{t+1} | s_t) = N(F_t s_t + g_t, V_t):
     * per step t = 0..T−1 the gain F (null at t = 0), the offset g {@code [1, d]}, V⁻¹ and log |V|.
     */
    private record Chain(INDArray[] gains, INDArray[] offsets, INDArray[] precisions, double[] logDets) {
    }

    private Chain chain() {
        if (chain == null) {
            int len = length(), d = dim();
            INDArray[] gains = new INDArray[len], offsets = new INDArray[len], precisions = new INDArray[len];
            double[] logDets = new double[len];
            for (int t = 0; t < len; t++) {
                INDArray cov = SmallMatrices.block(covariances, t);
                offsets[t] = means.getRow(t, true).dup();
                String name = "covariances[" + t + "]";
                if (t > 0 && !meanField) {
                    INDArray x = SmallMatrices.block(cross, t - 1);
                    gains[t] = x.mmul(SmallMatrices.inverse("covariances[" + (t - 1) + "]", SmallMatrices.block(covariances, t - 1)));
                    cov = SmallMatrices.symmetric(cov.sub(gains[t].mmul(x.transpose())));
                    offsets[t].subi(means.getRow(t - 1, true).mmul(gains[t].transpose()));
                    name = "crossCovariances[" + (t - 1) + "] (conditional covariance P_{t+1} − X_t P_t⁻¹ X_tᵀ)";
                }
                MultivariateNormal f = SmallMatrices.factor(name, cov);
                precisions[t] = f.precision();
                logDets[t] = f.logDetCovariance();
            }
            chain = new Chain(gains, offsets, precisions, logDets);
        }
        return chain;
    }

    /** F_t = X_t P_t⁻¹ {@code [d, d]}: the regression of s_{t+1} on s_t (0-based t ≤ T−2). */
    INDArray gain(int t) {
        INDArray f = chain().gains()[t + 1];
        return f == null ? Nd4j.zeros(DataType.DOUBLE, dim(), dim()) : f;
    }

    /**
     * KL(this ‖ p) to another Markov Gaussian of the same length and dimension, in closed form:
     * −H(this) − E_this[log p], with p written as p(s_1) ∏_t p(s_{t+1} | s_t),
     * p(s_{t+1} | s_t) = N(m_{t+1} + F_t (s_t − m_t), P_{t+1} − F_t X_tᵀ), F_t = X_t P_t⁻¹; each term
     * needs only this q's means, marginal and lag-one covariances.
     */
    public double kl(GaussianTrajectory p) {
        return SmallOps.singleThreaded(() -> klOf(p));
    }

    private double klOf(GaussianTrajectory p) {
        Check.notNull("p", p);
        if (p.length() != length() || p.dim() != dim()) {
            throw new IllegalArgumentException("p: expected a trajectory of " + length() + " steps of dimension " + dim() + ", got " + p);
        }
        Chain c = p.chain();
        double expected = 0;
        for (int t = 0; t < length(); t++) {
            // E[log N(s_t; F s_{t−1} + g, V)]: residual mean m_t − F m_{t−1} − g, residual covariance
            // P_t + F P_{t−1} Fᵀ − F X_{t−1}ᵀ − X_{t−1} Fᵀ under this q
            INDArray resid = means.getRow(t, true).sub(c.offsets()[t]);
            INDArray cov = SmallMatrices.block(covariances, t);
            INDArray f = c.gains()[t];
            if (f != null) {
                resid.subi(means.getRow(t - 1, true).mmul(f.transpose()));
                INDArray fx = f.mmul(SmallMatrices.block(cross, t - 1).transpose());
                cov.addi(f.mmul(SmallMatrices.block(covariances, t - 1)).mmul(f.transpose())).subi(fx).subi(fx.transpose());
            }
            INDArray vInv = c.precisions()[t];
            double quad = resid.mmul(vInv).mmul(resid.transpose()).getDouble(0);
            double trace = vInv.mul(cov).sumNumber().doubleValue();
            expected += -0.5 * (dim() * LogMath.LOG_2PI + c.logDets()[t] + quad + trace);
        }
        return -entropy() - expected;
    }

    /**
     * The whole sequence as one Gaussian over the stacked vector (s_1, …, s_T) of dimension T·d:
     * mean {@code [1, T d]}, covariance {@code [T d, T d]} with Cov(s_u, s_t) = F_{u−1} ⋯ F_t P_t for u &gt; t.
     * For checks and small T (the covariance has (T d)² entries; ND4J's factorization rejects a covariance
     * whose correlation matrix has a determinant below about 1e-6, as a long, smooth sequence's does).
     */
    public MultivariateNormal joint() {
        return MultivariateNormal.of(means.reshape(1, (long) length() * dim()), jointCovariance());
    }

    /** The covariance of the stacked vector (s_1, …, s_T) {@code [T d, T d]} (see {@link #joint()}). */
    public INDArray jointCovariance() {
        int t = length(), d = dim();
        double[][] cov = new double[t * d][t * d];
        for (int s = 0; s < t; s++) {
            INDArray c = SmallMatrices.block(covariances, s);
            for (int u = s; u < t; u++) {
                if (u > s) {
                    c = meanField ? Nd4j.zeros(DataType.DOUBLE, d, d) : gain(u - 1).mmul(c);
                }
                double[][] b = c.toDoubleMatrix();
                for (int i = 0; i < d; i++) {
                    for (int j = 0; j < d; j++) {
                        cov[u * d + i][s * d + j] = b[i][j];
                        cov[s * d + j][u * d + i] = b[i][j];
                    }
                }
            }
        }
        return Nd4j.createFromArray(cov);
    }

    @Override
    public String toString() {
        return "GaussianTrajectory[T=" + length() + ", d=" + dim() + (meanField ? ", mean-field" : ", Markov") + "]";
    }

    INDArray rawMeans() {
        return means;
    }

    INDArray rawCovariances() {
        return covariances;
    }

    INDArray rawCross() {
        return cross;
    }

    private static INDArray checkMeans(INDArray means) {
        Check.matrix("means", means, -1);
        Check.finite("means", means);
        return means.castTo(DataType.DOUBLE).dup('c');
    }

    private static INDArray checkCovariances(INDArray covariances, INDArray means) {
        Check.notNull("covariances", covariances);
        long t = means.size(0), d = means.size(1);
        if (covariances.rank() != 3 || covariances.size(0) != t || covariances.size(1) != d || covariances.size(2) != d) {
            throw new IllegalArgumentException("covariances: expected shape [" + t + ", " + d + ", " + d + "] (one per mean row), got "
                    + Arrays.toString(covariances.shape()));
        }
        Check.finite("covariances", covariances);
        INDArray p = covariances.castTo(DataType.DOUBLE).dup('c');
        for (int s = 0; s < t; s++) {
            INDArray b = SmallMatrices.block(p, s);
            SmallMatrices.factor("covariances[" + s + "]", b);          // symmetric positive definite
            SmallMatrices.putBlock(p, s, SmallMatrices.symmetric(b));
        }
        return p;
    }
}
