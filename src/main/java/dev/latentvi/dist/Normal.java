package dev.latentvi.dist;

import dev.latentvi.math.Check;
import dev.latentvi.math.LogMath;
import dev.latentvi.math.Rng;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A batch of n diagonal Gaussians N(μᵢ, diag σᵢ²) in d dimensions: μ and σ are {@code [n, d]}
 * (DOUBLE). Reparameterizable: {@link #rsample} returns z = μ + σ ⊙ ε with its ε ~ N(0, I).
 * Its graph twin is {@link GraphNormal}.
 * A batch of one row ({@code n = 1}, e.g. {@link #standard(int)}) broadcasts in {@link #logProb}.
 */
public final class Normal implements Distribution {
    /** Scratch memory for logProb temporaries, sized by the first call and reused (per thread). */
    private static final WorkspaceConfiguration SCRATCH = WorkspaceConfiguration.builder()
            .policyAllocation(AllocationPolicy.OVERALLOCATE).overallocationLimit(0.1)
            .policyLearning(LearningPolicy.FIRST_LOOP).build();

    private final INDArray mu;
    private final INDArray logSigma;
    private final INDArray sigma;
    private final INDArray invSigma;      // 1/σ [n, d]
    private final INDArray logNormalizer; // Σ_d log σ + ½ d log 2π, [n]

    private Normal(INDArray mu, INDArray logSigma, INDArray sigma) {
        this.mu = mu;
        this.logSigma = logSigma;
        this.sigma = sigma;
        this.invSigma = sigma.rdiv(1.0);
        this.logNormalizer = logSigma.sum(1).addi(mu.size(1) * LogMath.HALF_LOG_2PI);
    }

    /** N(μ, diag σ²) from means and standard deviations, both {@code [n, d]} (or {@code [d]} for one row); σ > 0. */
    public static Normal of(INDArray mu, INDArray sigma) {
        INDArray m = rows("mu", mu);
        INDArray s = rows("sigma", sigma);
        Check.sameShape("sigma", s, "mu", m);
        Check.finite("mu", m);
        Check.positive("sigma", s);
        return new Normal(m, Transforms.log(s, true), s);
    }

    /** N(μ, diag exp(logσ)²) from means and log standard deviations, both {@code [n, d]} (or {@code [d]}). */
    public static Normal ofLogSigma(INDArray mu, INDArray logSigma) {
        INDArray m = rows("mu", mu);
        INDArray ls = rows("logSigma", logSigma);
        Check.sameShape("logSigma", ls, "mu", m);
        Check.finite("mu", m);
        Check.finite("logSigma", ls);
        INDArray s = Transforms.exp(ls, true);
        Check.positive("exp(logSigma)", s);
        return new Normal(m, ls, s);
    }

    /** A one-dimensional N(μ, σ²), batch of one row: μ and σ are {@code [1, 1]}. */
    public static Normal of(double mu, double sigma) {
        Check.finite("mu", mu);
        Check.positive("sigma", sigma);
        return of(Nd4j.valueArrayOf(new long[] {1, 1}, mu, DataType.DOUBLE),
                Nd4j.valueArrayOf(new long[] {1, 1}, sigma, DataType.DOUBLE));
    }

    /** The standard normal N(0, I_d) as a batch of one row ({@code [1, d]}); broadcasts against any n. */
    public static Normal standard(int d) {
        Check.positive("d", d);
        return new Normal(Nd4j.zeros(DataType.DOUBLE, 1, d), Nd4j.zeros(DataType.DOUBLE, 1, d),
                Nd4j.ones(DataType.DOUBLE, 1, d));
    }

    /** Number of rows n. */
    @Override
    public long batchSize() {
        return mu.size(0);
    }

    /** Event dimension d. */
    public long dim() {
        return mu.size(1);
    }

    /** Means μ {@code [n, d]}. */
    @Override
    public INDArray mean() {
        return mu;
    }

    /** Standard deviations σ {@code [n, d]}. */
    @Override
    public INDArray stddev() {
        return sigma;
    }

    /**
     * The standard deviation σ of a one-dimensional Normal with one row (parameters {@code [1, 1]},
     * e.g. {@link #of(double, double)}) as a number.
     *
     * @throws IllegalStateException when this Normal is not {@code [1, 1]} (then use {@link #stddev()})
     */
    public double scalarStddev() {
        if (mu.size(0) != 1 || mu.size(1) != 1) {
            throw new IllegalStateException("scalarStddev: expected a Normal with [1, 1] parameters, this one has "
                    + Arrays.toString(mu.shape()) + "; use stddev()");
        }
        return sigma.getDouble(0, 0);
    }

    /** log σ {@code [n, d]}. */
    public INDArray logSigma() {
        return logSigma;
    }

    /** Variances σ² {@code [n, d]}. */
    public INDArray variance() {
        return sigma.mul(sigma);
    }

    /** One draw per row {@code [n, d]}. */
    @Override
    public INDArray sample(Rng rng) {
        Check.notNull("rng", rng);
        return rng.normal(mu.shape()).muli(sigma).addi(mu);      // in place on the fresh noise
    }

    /** m draws per row {@code [m, n, d]}. */
    @Override
    public INDArray sample(Rng rng, int m) {
        Check.notNull("rng", rng);
        Check.positive("m", m);
        return rng.normal(m, mu.size(0), mu.size(1)).muli(sigma).addi(mu);
    }

    /** True: z = μ + σ ⊙ ε. */
    @Override
    public boolean hasRsample() {
        return true;
    }

    /** A reparameterized draw z = μ + σ ⊙ ε, ε ~ N(0, I): z and ε both {@code [n, d]}. */
    public Reparameterized rsample(Rng rng) {
        Check.notNull("rng", rng);
        INDArray eps = rng.normal(mu.shape());
        return new Reparameterized(rsample(eps), eps);
    }

    /** m reparameterized draws per row: z and ε both {@code [m, n, d]}. */
    public Reparameterized rsample(Rng rng, int m) {
        Check.notNull("rng", rng);
        Check.positive("m", m);
        INDArray eps = rng.normal(m, mu.size(0), mu.size(1));
        return new Reparameterized(rsample(eps), eps);
    }

    /** z = μ + σ ⊙ ε for given noise ε {@code [n, d]} or {@code [m, n, d]}; z has ε's shape. */
    public INDArray rsample(INDArray eps) {
        checkEvent("eps", eps, false);
        Check.finite("eps", eps);
        return asDouble(eps).mul(sigma).addi(mu);
    }

    /**
     * log N(x; μ, diag σ²) summed over the d coordinates: {@code [n, d] → [n]} or
     * {@code [m, n, d] → [m, n]}; with n = 1 any number of rows broadcasts ({@code [k, d] → [k]}).
     */
    @Override
    public INDArray logProb(INDArray x) {
        checkEvent("x", x, true);
        Check.finite("x", x);
        // −½‖(x − μ)/σ‖² − (Σ log σ + ½ d log 2π): one temporary, one reduction (LogMath.normalLogDensity summed over d)
        int last = x.rank() - 1;
        INDArray norm;
        // the [.., n, d] temporary lives in a reused workspace: ~2x faster than a fresh 80 MB allocation per call
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(SCRATCH, "latentvi-normal-logprob")) {
            norm = asDouble(x).sub(mu).muli(invSigma).norm2(last).detach();
        }
        // ND4J's norm2 of a rank-2 array over a size-1 axis keeps that axis ([k, 1] for d = 1): drop it
        norm = norm.reshape(Arrays.copyOf(x.shape(), last));                   // [k] or [m, k]
        INDArray out = norm.muli(norm).muli(-0.5);
        return mu.size(0) == 1 ? out.subi(logNormalizer.getDouble(0))
                : last == 1 ? out.subi(logNormalizer) : out.subiRowVector(logNormalizer);
    }

    /** Entropy ½ d (1 + log 2π) + Σ log σ of each row {@code [n]}. */
    @Override
    public INDArray entropy() {
        return logNormalizer.add(0.5 * dim());
    }

    /**
     * Active units of a batch of n posteriors (one per data point): the number of coordinates j whose
     * mean μ_j varies across the batch with variance above {@code threshold} — a coordinate the encoder
     * does not use has μ_j ≈ 0 for every point (posterior collapse). Burda et al. (2016) use 0.01.
     */
    public int activeUnits(double threshold) {
        Check.finite("threshold", threshold);
        if (batchSize() < 2) {
            throw new IllegalArgumentException("this: expected a batch of at least 2 posteriors to measure variation, got " + batchSize());
        }
        INDArray v = mean().castTo(DataType.DOUBLE).var(false, 0);
        return v.gt(threshold).castTo(DataType.INT32).sumNumber().intValue();
    }

    /**
     * The equal-weight mixture (1/n) Σ_i N(μ_i, diag σ_i²) of this batch's n rows — for an encoder's
     * posteriors of n data points, the aggregate posterior q(z) that a VAE's prior should match.
     */
    public GaussianMixture aggregate() {
        long n = batchSize();
        return GaussianMixture.diagonal(Nd4j.valueArrayOf(new long[] {n}, 1.0 / n, DataType.DOUBLE),
                mean().castTo(DataType.DOUBLE), variance().castTo(DataType.DOUBLE));
    }

    /** Row i as its own one-row Normal. */
    public Normal row(long i) {
        Check.inRange("i", i, 0, batchSize() - 1);
        return new Normal(mu.getRow(i, true).dup(), logSigma.getRow(i, true).dup(), sigma.getRow(i, true).dup());
    }

    /** A reparameterized draw: the sample z and the standard-normal noise ε that made it (same shape). */
    public record Reparameterized(INDArray z, INDArray eps) {
    }

    @Override
    public String toString() {
        return "Normal[n=" + batchSize() + ", d=" + dim() + "]";
    }

    /** x must be [.., n', d] with rank 2 or 3, and n' == n (or n == 1 when broadcasting is allowed). */
    private void checkEvent(String name, INDArray x, boolean allowBroadcast) {
        Check.notNull(name, x);
        long n = mu.size(0);
        long d = mu.size(1);
        int r = x.rank();
        boolean ok = (r == 2 || r == 3) && x.size(r - 1) == d
                && (x.size(r - 2) == n || (allowBroadcast && n == 1));
        if (!ok) {
            String want = allowBroadcast && n == 1 ? "[k, " + d + "] or [m, k, " + d + "]" : "[" + n + ", " + d + "] or [m, " + n + ", " + d + "]";
            throw new IllegalArgumentException(name + ": expected shape " + want + ", got "
                    + Arrays.toString(x.shape()));
        }
    }

    static INDArray asDouble(INDArray a) {
        return a.dataType() == DataType.DOUBLE ? a : a.castTo(DataType.DOUBLE);
    }

    static INDArray rows(String name, INDArray a) {
        Check.notNull(name, a);
        INDArray r = a.rank() == 1 ? a.reshape(1, a.length()) : a;
        Check.matrix(name, r, -1);
        if (r.size(1) == 0) {
            throw new IllegalArgumentException(name + ": expected at least one column, got shape " + Arrays.toString(a.shape()));
        }
        return r.dataType() == DataType.DOUBLE ? r : r.castTo(DataType.DOUBLE);
    }
}
