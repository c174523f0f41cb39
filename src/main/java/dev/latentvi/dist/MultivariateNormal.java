package dev.latentvi.dist;

import dev.latentvi.math.Check;
import dev.latentvi.math.LogMath;
import dev.latentvi.math.Rng;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A batch of n full-covariance Gaussians N(μᵢ, Σ) in d dimensions: one mean row per batch row
 * ({@code [n, d]}) and one covariance {@code [d, d]} shared by all rows — the shape of the exact
 * posterior p(z|xᵢ) of the linear-Gaussian model. Reparameterizable: z = μ + L ε with Σ = L Lᵀ.
 * A batch of one row broadcasts in {@link #logProb}. KL divergences to and from {@link Normal}
 * and between two of these are registered in {@link Kl}.
 */
public final class MultivariateNormal implements Distribution {
    private final INDArray mean;        // [n, d]
    private final GaussianFactor factor;
    private final INDArray stddev;      // √Σ_jj, [n, d]

    private MultivariateNormal(INDArray mean, GaussianFactor factor) {
        this.mean = mean;
        this.factor = factor;
        INDArray marginal = Transforms.sqrt(GaussianFactor.diagonal(factor.covariance()), true).reshape(1, mean.size(1));
        this.stddev = Nd4j.tile(marginal, (int) mean.size(0), 1);
    }

    /** N(μᵢ, Σ): mean {@code [n, d]} (or {@code [d]} for one row), covariance {@code [d, d]} symmetric positive definite. */
    public static MultivariateNormal of(INDArray mean, INDArray covariance) {
        INDArray mu = checkMean(mean);
        checkSquare("covariance", covariance, mu.size(1));
        return new MultivariateNormal(mu, GaussianFactor.of("covariance", covariance));
    }

    /** N(μᵢ, Λ⁻¹) from the precision Λ {@code [d, d]} (symmetric positive definite); mean as in {@link #of}. */
    public static MultivariateNormal ofPrecision(INDArray mean, INDArray precision) {
        INDArray mu = checkMean(mean);
        checkSquare("precision", precision, mu.size(1));
        return new MultivariateNormal(mu, GaussianFactor.of("covariance", GaussianFactor.of("precision", precision).precision()));
    }

    /** Number of rows n. */
    @Override
    public long batchSize() {
        return mean.size(0);
    }

    /** Event dimension d. */
    public int dim() {
        return (int) mean.size(1);
    }

    /** Means μ {@code [n, d]}. */
    @Override
    public INDArray mean() {
        return mean;
    }

    /** Marginal standard deviations √Σ_jj of every row {@code [n, d]}. */
    @Override
    public INDArray stddev() {
        return stddev;
    }

    /** The shared covariance Σ {@code [d, d]}. */
    public INDArray covariance() {
        return factor.covariance();
    }

    /** The shared precision Λ = Σ⁻¹ {@code [d, d]}. */
    public INDArray precision() {
        return factor.precision();
    }

    /** log |Σ|. */
    public double logDetCovariance() {
        return factor.logDet();
    }

    GaussianFactor factor() {
        return factor;
    }

    /** True: z = μ + L ε. */
    @Override
    public boolean hasRsample() {
        return true;
    }

    /** One draw per row {@code [n, d]}. */
    @Override
    public INDArray sample(Rng rng) {
        return rsample(rng).z();
    }

    /** m draws per row {@code [m, n, d]}. */
    @Override
    public INDArray sample(Rng rng, int m) {
        return rsample(rng, m).z();
    }

    /** A reparameterized draw z = μ + L ε, ε ~ N(0, I): z and ε both {@code [n, d]}. */
    public Normal.Reparameterized rsample(Rng rng) {
        Check.notNull("rng", rng);
        INDArray eps = rng.normal(mean.shape());
        return new Normal.Reparameterized(rsample(eps), eps);
    }

    /** m reparameterized draws per row: z and ε both {@code [m, n, d]}. */
    public Normal.Reparameterized rsample(Rng rng, int m) {
        Check.notNull("rng", rng);
        Check.positive("m", m);
        INDArray eps = rng.normal(m, batchSize(), dim());
        return new Normal.Reparameterized(rsample(eps), eps);
    }

    /** z = μ + L ε for given noise ε {@code [n, d]} or {@code [m, n, d]}; z has ε's shape. */
    public INDArray rsample(INDArray eps) {
        checkEvent("eps", eps, false);
        INDArray e = Normal.asDouble(eps);
        return factor.color(e.reshape(e.length() / dim(), dim())).reshape(e.shape()).addi(mean);
    }

    /**
     * log N(x; μᵢ, Σ): {@code [n, d] → [n]} or {@code [m, n, d] → [m, n]}; with n = 1 any number of
     * rows broadcasts ({@code [k, d] → [k]}).
     */
    @Override
    public INDArray logProb(INDArray x) {
        checkEvent("x", x, true);
        Check.finite("x", x);
        INDArray residual = Normal.asDouble(x).sub(mean);
        return factor.logDensity(residual.reshape(residual.length() / dim(), dim())).reshape(Arrays.copyOf(x.shape(), x.rank() - 1));
    }

    /** Entropy ½ d (1 + log 2π) + ½ log |Σ|, the same for every row {@code [n]}. */
    @Override
    public INDArray entropy() {
        double h = 0.5 * dim() * (1 + LogMath.LOG_2PI) + 0.5 * logDetCovariance();
        return Nd4j.valueArrayOf(new long[] {batchSize()}, h, mean.dataType());
    }

    /**
     * The best diagonal Gaussian under the reverse KL, argmin_q KL(q ‖ this): the same means and
     * σ_j = 1/√Λ_jj ({@code [n, d]}); it equals the marginals when Σ is diagonal.
     */
    public Normal meanField() {
        INDArray sigma = Transforms.pow(GaussianFactor.diagonal(precision()), -0.5, false).reshape(1, dim());
        return Normal.of(mean, Nd4j.tile(sigma, (int) batchSize(), 1));
    }

    /**
     * The exact gradient of E_{z~q}[log N(z; μᵢ, Σ)] with respect to q's (μ, log σ), for a one-row
     * diagonal q of dimension d: {@code [2d]} = (−Λ(μ_q − μᵢ), −Λ_jj σ_j²). For a posterior it is
     * also the gradient of E_q[log p(xᵢ, z)] (they differ by the constant log p(xᵢ)): the ground
     * truth of gradient-estimator studies.
     */
    public double[] expectedLogProbGradient(int i, Normal q) {
        Check.inRange("i", i, 0, batchSize() - 1);
        Check.notNull("q", q);
        if (q.batchSize() != 1 || q.dim() != dim()) {
            throw new IllegalArgumentException("q: expected one row of dimension " + dim() + ", got " + q);
        }
        double[] gMu = q.mean().sub(mean.getRow(i, true)).mmul(precision()).negi().reshape(dim()).toDoubleVector();
        double[] gLogSigma = q.variance().mul(GaussianFactor.diagonal(precision()).reshape(1, dim())).negi().reshape(dim()).toDoubleVector();
        double[] g = Arrays.copyOf(gMu, 2 * dim());
        System.arraycopy(gLogSigma, 0, g, dim(), dim());
        return g;
    }

    @Override
    public String toString() {
        return "MultivariateNormal[n=" + batchSize() + ", d=" + dim() + "]";
    }

    private static INDArray checkMean(INDArray mean) {
        INDArray mu = Normal.rows("mean", mean);
        Check.finite("mean", mu);
        return mu.dup();
    }

    private static void checkSquare(String name, INDArray a, long d) {
        Check.notNull(name, a);
        if (a.rank() != 2 || a.size(0) != d || a.size(1) != d) {
            throw new IllegalArgumentException(name + ": expected shape [" + d + ", " + d + "], got " + Arrays.toString(a.shape()));
        }
    }

    /** x must be [.., n', d] with rank 2 or 3, and n' == n (or n == 1 when broadcasting is allowed). */
    private void checkEvent(String name, INDArray x, boolean allowBroadcast) {
        Check.notNull(name, x);
        long n = batchSize();
        int r = x.rank();
        boolean ok = (r == 2 || r == 3) && x.size(r - 1) == dim() && (x.size(r - 2) == n || (allowBroadcast && n == 1));
        if (!ok) {
            String rows = allowBroadcast && n == 1 ? "k" : String.valueOf(n);
            throw new IllegalArgumentException(name + ": expected shape [" + rows + ", " + dim() + "] or [m, " + rows + ", " + dim()
                    + "], got " + Arrays.toString(x.shape()));
        }
    }
}
