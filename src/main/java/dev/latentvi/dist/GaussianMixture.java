package dev.latentvi.dist;

import dev.latentvi.math.Check;
import dev.latentvi.math.LogMath;
import dev.latentvi.math.Rng;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A mixture of K Gaussians in d dimensions, p(x) = Σ_k w_k N(x; μ_k, Σ_k), with full or
 * diagonal covariances. It is a single distribution (batch size 1): {@link #logProb} takes any
 * number of points {@code [n, d] → [n]}. Each covariance is factored once (Cholesky Σ = L Lᵀ, the
 * factorization and log density {@link MultivariateNormal} uses too), so densities cost one
 * {@code [n, d] × [d, d]} product per component.
 */
public final class GaussianMixture implements Distribution {
    private final INDArray weights;       // [K]
    private final INDArray logWeights;    // [K]
    private final INDArray means;         // [K, d]
    private final INDArray covariances;   // [K, d, d]
    private final boolean diagonal;
    private final GaussianFactor[] factors; // Σ_k = L_k L_kᵀ

    private GaussianMixture(INDArray weights, INDArray means, INDArray covariances, boolean diagonal) {
        this.weights = weights;
        this.logWeights = Transforms.log(weights, true);
        this.means = means;
        this.covariances = covariances;
        this.diagonal = diagonal;
        factors = new GaussianFactor[(int) means.size(0)];
        for (int c = 0; c < factors.length; c++) {
            factors[c] = GaussianFactor.of("covariances[" + c + "]", covariances.slice(c));
        }
    }

    /**
     * Full covariances: weights {@code [K]} (non-negative, summing to 1 within 1e-6; renormalized),
     * means {@code [K, d]}, covariances {@code [K, d, d]} symmetric positive definite.
     */
    public static GaussianMixture full(INDArray weights, INDArray means, INDArray covariances) {
        INDArray w = checkWeights(weights);
        INDArray mu = checkMeans(means, w.length());
        Check.notNull("covariances", covariances);
        long k = mu.size(0);
        long d = mu.size(1);
        if (covariances.rank() != 3 || covariances.size(0) != k || covariances.size(1) != d || covariances.size(2) != d) {
            throw new IllegalArgumentException("covariances: expected shape [" + k + ", " + d + ", " + d + "], got "
                    + Arrays.toString(covariances.shape()));
        }
        INDArray cov = Normal.asDouble(covariances).dup();
        Check.finite("covariances", cov);
        return new GaussianMixture(w, mu, cov, false);
    }

    /**
     * Full covariances from plain arrays, for a mixture written out in a notebook: weights
     * {@code [K]}, means {@code [K][d]}, covariances {@code [K][d][d]} (the same checks as
     * {@link #full(INDArray, INDArray, INDArray)}; all DOUBLE).
     *
     * <pre>{@code
     * GaussianMixture.full(new double[] {0.6, 0.4}, new double[][] {{-1, 0}, {1, 0}},
     *         new double[][][] {{{1, 0}, {0, 1}}, {{0.5, 0}, {0, 0.5}}});
     * }</pre>
     */
    public static GaussianMixture full(double[] weights, double[][] means, double[][][] covariances) {
        Check.notNull("weights", weights);
        Check.notNull("means", means);
        Check.notNull("covariances", covariances);
        if (weights.length == 0) {
            throw new IllegalArgumentException("weights: expected at least one component, got none");
        }
        if (means.length != weights.length) {
            throw new IllegalArgumentException("means: expected " + weights.length + " rows (one per weight), got " + means.length);
        }
        for (int k = 0; k < means.length; k++) {
            if (means[k] == null || means[k].length == 0 || means[k].length != means[0].length) {
                throw new IllegalArgumentException("means[" + k + "]: expected " + (means[0] == null ? "a non-empty row" : means[0].length
                        + " coordinates like means[0]") + ", got " + (means[k] == null ? "null" : means[k].length));
            }
        }
        int d = means[0].length;
        if (covariances.length != weights.length) {
            throw new IllegalArgumentException("covariances: expected " + weights.length + " matrices (one per weight), got " + covariances.length);
        }
        for (int k = 0; k < covariances.length; k++) {
            if (covariances[k] == null || covariances[k].length != d) {
                throw new IllegalArgumentException("covariances[" + k + "]: expected a " + d + " x " + d + " matrix, got "
                        + (covariances[k] == null ? "null" : covariances[k].length + " rows"));
            }
            for (double[] row : covariances[k]) {
                if (row == null || row.length != d) {
                    throw new IllegalArgumentException("covariances[" + k + "]: expected a " + d + " x " + d + " matrix, got a row of "
                            + (row == null ? "null" : row.length));
                }
            }
        }
        return full(Nd4j.createFromArray(weights), Nd4j.createFromArray(means), Nd4j.createFromArray(covariances));
    }

    /** Diagonal covariances: weights {@code [K]}, means {@code [K, d]}, variances {@code [K, d]} (> 0). */
    public static GaussianMixture diagonal(INDArray weights, INDArray means, INDArray variances) {
        INDArray w = checkWeights(weights);
        INDArray mu = checkMeans(means, w.length());
        INDArray var = Normal.rows("variances", variances);
        Check.sameShape("variances", var, "means", mu);
        Check.positive("variances", var);
        long k = mu.size(0);
        long d = mu.size(1);
        INDArray cov = Nd4j.zeros(DataType.DOUBLE, k, d, d);
        for (int c = 0; c < k; c++) {
            cov.slice(c).assign(Nd4j.diag(var.getRow(c)));
        }
        return new GaussianMixture(w, mu, cov, true);
    }

    /** Always 1: a mixture is one distribution over {@code [d]}; logProb takes any number of points. */
    @Override
    public long batchSize() {
        return 1;
    }

    /** Number of components K. */
    public int numComponents() {
        return (int) means.size(0);
    }

    /** Dimension d. */
    public long dim() {
        return means.size(1);
    }

    /** Whether the covariances are diagonal. */
    public boolean isDiagonal() {
        return diagonal;
    }

    /** Mixing weights w {@code [K]}. */
    public INDArray weights() {
        return weights;
    }

    /** Component means μ {@code [K, d]}. */
    public INDArray means() {
        return means;
    }

    /** Component covariances Σ {@code [K, d, d]} (diagonal matrices for a diagonal mixture). */
    public INDArray covariances() {
        return covariances;
    }

    /** The mixing distribution p(z) as a one-row Categorical over K. */
    public Categorical mixing() {
        return Categorical.ofProbs(weights.reshape(1, weights.length()));
    }

    /** log N(x_i; μ_k, Σ_k) for every point and component: {@code [n, d] → [n, K]}. */
    public INDArray componentLogProbs(INDArray x) {
        INDArray xs = checkPoints(x);
        int k = numComponents();
        long n = xs.size(0);
        INDArray out = Nd4j.create(DataType.DOUBLE, n, k);
        // The per-component scratch arrays are freed as soon as they are used: with K in the
        // thousands (a VAE's aggregate posterior) they would otherwise pile up to gigabytes of
        // native memory before the garbage collector runs.
        for (int c = 0; c < k; c++) {
            INDArray residual = xs.subRowVector(means.getRow(c));
            INDArray logDensity = factors[c].logDensity(residual);
            out.getColumn(c).assign(logDensity);
            residual.close();
            logDensity.close();
        }
        return out;
    }

    /** log p(x_i, z = k) = log w_k + log N(x_i; μ_k, Σ_k): {@code [n, d] → [n, K]}. */
    public INDArray jointLogProbs(INDArray x) {
        return componentLogProbs(x).addiRowVector(logWeights);
    }

    /** Posterior p(z = k | x_i) (responsibilities), rows summing to 1: {@code [n, d] → [n, K]}. */
    public INDArray responsibilities(INDArray x) {
        INDArray joint = jointLogProbs(x);
        return Transforms.exp(joint.subiColumnVector(LogMath.logSumExp(joint, 1, true)), false);
    }

    /**
     * The most likely component of each point, argmax_k p(z = k | x_i): {@code [n, d] → [n]}
     * (whole numbers 0..K−1 as DOUBLE; ties go to the smaller k), e.g. for
     * {@code Groups.of(mixture.mostLikelyComponent(x), "component %d")}.
     */
    public INDArray mostLikelyComponent(INDArray x) {
        return Nd4j.argMax(responsibilities(x), 1).castTo(DataType.DOUBLE);
    }

    /** The exact posterior p(z | x_i) as a batch of n Categoricals over the K components ({@code [n, d] → [n, K]} probabilities). */
    public Categorical posterior(INDArray x) {
        return Categorical.ofLogits(jointLogProbs(x));
    }

    /**
     * log p(x) = logΣ_k exp(log w_k + log N(x; μ_k, Σ_k)): {@code [n, d] → [n]}, and
     * {@code [m, n, d] → [m, n]}.
     */
    @Override
    public INDArray logProb(INDArray x) {
        Check.notNull("x", x);
        if (x.rank() == 3) {
            long m = x.size(0);
            long n = x.size(1);
            return logProb(x.reshape(m * n, x.size(2))).reshape(m, n);
        }
        INDArray joint = jointLogProbs(x);
        INDArray logP = LogMath.logSumExp(joint, 1);
        joint.close();
        return logP;
    }

    /** One draw {@code [1, d]}. */
    @Override
    public INDArray sample(Rng rng) {
        return sampleLabeled(rng, 1).x();
    }

    /** m draws as {@code [m, 1, d]} (the batch-of-one convention; see {@link #sampleLabeled} for {@code [m, d]}). */
    @Override
    public INDArray sample(Rng rng, int m) {
        return sampleLabeled(rng, m).x().reshape(m, 1, dim());
    }

    /** m draws x {@code [m, d]} with their components z {@code [m]}: z ~ Categorical(w), x = μ_z + L_z ε. */
    public Labeled sampleLabeled(Rng rng, int m) {
        Check.notNull("rng", rng);
        Check.positive("m", m);
        INDArray z = mixing().sample(rng, m).reshape(m);                     // [m]
        INDArray eps = rng.normal(m, dim());
        INDArray x = Nd4j.zeros(DataType.DOUBLE, m, dim());
        for (int c = 0; c < numComponents(); c++) {
            INDArray mask = z.eq(c).castTo(DataType.DOUBLE).reshape(m, 1);
            if (mask.sumNumber().doubleValue() == 0) {
                continue;
            }
            INDArray xc = factors[c].color(eps).addiRowVector(means.getRow(c));
            x.addi(xc.muliColumnVector(mask));
        }
        return new Labeled(x, z);
    }

    /** No closed form for a mixture's entropy: always throws {@link UnsupportedOperationException}. */
    @Override
    public INDArray entropy() {
        throw new UnsupportedOperationException("a Gaussian mixture has no closed-form entropy; estimate -E[log p(x)] by sampling");
    }

    /** Mixture mean Σ_k w_k μ_k {@code [1, d]}. */
    @Override
    public INDArray mean() {
        return weights.reshape(1, weights.length()).mmul(means);
    }

    /** Covariance of the mixture Σ_k w_k (Σ_k + μ_k μ_kᵀ) − μ μᵀ {@code [d, d]}. */
    public INDArray covariance() {
        long d = dim();
        INDArray second = Nd4j.zeros(DataType.DOUBLE, d, d);
        for (int c = 0; c < numComponents(); c++) {
            INDArray mu = means.getRow(c).reshape(d, 1);
            second.addi(covariances.slice(c).add(mu.mmul(mu.transpose())).muli(weights.getDouble(c)));
        }
        INDArray m = mean().reshape(d, 1);
        return second.subi(m.mmul(m.transpose()));
    }

    /** Marginal standard deviations of the mixture {@code [1, d]}. */
    @Override
    public INDArray stddev() {
        return Transforms.sqrt(Nd4j.diag(covariance()).reshape(1, dim()), false);
    }

    /** Draws with their component labels: x {@code [m, d]}, z {@code [m]} (integral DOUBLE). */
    public record Labeled(INDArray x, INDArray z) {
    }

    @Override
    public String toString() {
        return "GaussianMixture[K=" + numComponents() + ", d=" + dim() + (diagonal ? ", diagonal" : ", full") + "]";
    }

    private INDArray checkPoints(INDArray x) {
        INDArray xs = Normal.rows("x", x);
        if (xs.size(1) != dim()) {
            throw new IllegalArgumentException("x: expected shape [n, " + dim() + "], got " + Arrays.toString(x.shape()));
        }
        Check.finite("x", xs);
        return xs;
    }

    private static INDArray checkWeights(INDArray weights) {
        Check.notNull("weights", weights);
        INDArray w = Normal.asDouble(weights).reshape(weights.length()).dup();
        Check.finite("weights", w);
        double min = w.minNumber().doubleValue();
        double sum = w.sumNumber().doubleValue();
        if (min < 0 || Math.abs(sum - 1) > 1e-6) {
            throw new IllegalArgumentException("weights: expected non-negative values summing to 1, got minimum " + min + " and sum " + sum);
        }
        return w.divi(sum);
    }

    private static INDArray checkMeans(INDArray means, long k) {
        INDArray mu = Normal.rows("means", means);
        if (mu.size(0) != k) {
            throw new IllegalArgumentException("means: expected " + k + " rows (one per weight), got shape " + Arrays.toString(means.shape()));
        }
        Check.finite("means", mu);
        return mu.dup();
    }

}
