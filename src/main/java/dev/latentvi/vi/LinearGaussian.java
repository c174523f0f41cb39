package dev.latentvi.vi;

import dev.latentvi.dist.Distribution;
import dev.latentvi.dist.GraphNormal;
import dev.latentvi.dist.MultivariateNormal;
import dev.latentvi.dist.Normal;
import dev.latentvi.internal.GraphOps;
import dev.latentvi.math.Check;
import dev.latentvi.math.LogMath;
import dev.latentvi.math.Rng;
import java.util.Optional;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The linear-Gaussian latent-variable model p(z) = N(0, I_d), p(x|z) = N(Wz + b, σ²I_D): the one
 * continuous model whose evidence and posterior are exact, so every bound can be checked.
 *
 * <p>With Λ = I + WᵀW/σ² (the posterior precision), p(z|x) = N(Λ⁻¹Wᵀ(x − b)/σ², Λ⁻¹) and
 * p(x) = N(b, WWᵀ + σ²I), evaluated through d×d matrices only (determinant lemma and Woodbury):
 * log p(x) = −½[D log 2π + D log σ² + log|Λ| + |x − b|²/σ² − μ_postᵀ Λ μ_post].
 */
public final class LinearGaussian implements LatentModel {
    private final INDArray weights;   // W [D, d]
    private final INDArray bias;      // b [1, D]
    private final double noise;       // σ
    private final INDArray precision; // Λ [d, d]
    private final INDArray covariance; // Λ⁻¹ [d, d]
    private final double logDetPrecision;

    private LinearGaussian(INDArray weights, INDArray bias, double noise) {
        this.weights = weights;
        this.bias = bias;
        this.noise = noise;
        int d = (int) weights.size(1);
        INDArray wtw = weights.transpose().mmul(weights);
        wtw = wtw.add(wtw.transpose()).muli(0.5);   // exactly symmetric, as the Cholesky factorization requires
        this.precision = Nd4j.eye(d).castTo(DataType.DOUBLE).addi(wtw.divi(noise * noise));
        MultivariateNormal shape = MultivariateNormal.ofPrecision(Nd4j.zeros(DataType.DOUBLE, 1, d), precision);
        this.covariance = shape.covariance();
        this.logDetPrecision = -shape.logDetCovariance();
    }

    /** The model with weights W {@code [D, d]}, bias b {@code [D]} and observation noise σ > 0. */
    public static LinearGaussian of(INDArray weights, INDArray bias, double noise) {
        Check.matrix("weights", weights, -1);
        Check.finite("weights", weights);
        Check.notNull("bias", bias);
        if (bias.length() != weights.size(0)) {
            throw new IllegalArgumentException("bias: expected " + weights.size(0) + " entries (rows of weights), got shape "
                    + java.util.Arrays.toString(bias.shape()));
        }
        Check.finite("bias", bias);
        Check.positive("noise", noise);
        return new LinearGaussian(weights.castTo(DataType.DOUBLE).dup(), bias.castTo(DataType.DOUBLE).reshape(1, bias.length()).dup(),
                noise);
    }

    /**
     * The model from literal values: weights W as rows {@code double[D][d]}, bias b {@code double[D]},
     * noise σ &gt; 0 — e.g. {@code LinearGaussian.of(new double[][] {{1.5}, {-0.8}}, new double[] {0.5, 0.0}, 0.7)},
     * a one-dimensional latent seen through two coordinates.
     */
    public static LinearGaussian of(double[][] weights, double[] bias, double noise) {
        Check.notNull("weights", weights);
        if (weights.length == 0 || weights[0] == null || weights[0].length == 0) {
            throw new IllegalArgumentException("weights: expected at least one row of at least one value, got none");
        }
        for (int i = 0; i < weights.length; i++) {
            if (weights[i] == null || weights[i].length != weights[0].length) {
                throw new IllegalArgumentException("weights: expected rows of " + weights[0].length + " values, got "
                        + (weights[i] == null ? "null" : weights[i].length) + " in row " + i);
            }
        }
        Check.notNull("bias", bias);
        return of(Nd4j.createFromArray(weights), Nd4j.createFromArray(bias.clone()), noise);
    }

    /** A random model: W entries N(0, scale²), b entries N(0, 1), noise σ; shapes D × d. */
    public static LinearGaussian random(int dataDim, int latentDim, double scale, double noise, Rng rng) {
        Check.positive("dataDim", dataDim);
        Check.positive("latentDim", latentDim);
        Check.positive("scale", scale);
        Check.notNull("rng", rng);
        INDArray w = rng.normal(dataDim, latentDim).muli(scale);
        INDArray b = rng.normal(dataDim);
        return of(w, b, noise);
    }

    @Override
    public int latentDim() {
        return (int) weights.size(1);
    }

    @Override
    public int dataDim() {
        return (int) weights.size(0);
    }

    /** W {@code [D, d]} (a copy). */
    public INDArray weights() {
        return weights.dup();
    }

    /** b {@code [D]} (a copy). */
    public INDArray bias() {
        return bias.reshape(bias.length()).dup();
    }

    /** Observation noise σ. */
    public double noise() {
        return noise;
    }

    /** The decoder mean Wz + b: z {@code [n, d]} → {@code [n, D]}. */
    public INDArray decode(INDArray z) {
        Check.matrix("z", z, latentDim());
        return z.castTo(DataType.DOUBLE).mmul(weights.transpose()).addiRowVector(bias);
    }

    /** Σ_D log N(x; Wz + b, σ²): x {@code [n, D]}; z {@code [n, d]} → {@code [n]} or {@code [m, n, d]} → {@code [m, n]}. */
    @Override
    public INDArray logLikelihood(INDArray x, INDArray z) {
        checkData(x);
        LatentModel.checkLatents(z, x.size(0), latentDim());
        long[] shape = z.shape().clone();
        shape[shape.length - 1] = dataDim();
        INDArray mean = decode(z.castTo(DataType.DOUBLE).reshape(-1, latentDim())).reshape(shape);   // [.., n, D]
        // Σ_D log N(x; Wz + b, σ²) = Σ_D log N(Wz + b; x, σ²): the data as the means of a batch of n Normals,
        // broadcast over the sample axis instead of tiling x
        Normal around = Normal.of(x.castTo(DataType.DOUBLE), Nd4j.valueArrayOf(x.shape(), noise, DataType.DOUBLE));
        return around.logProb(mean);
    }

    /** ∇_z log p(x, z) = Wᵀ(x − Wz − b)/σ² − z: x {@code [n, D]}, z {@code [m, n, d]} → {@code [m, n, d]}. */
    @Override
    public Optional<INDArray> score(INDArray x, INDArray z) {
        checkData(x);
        LatentModel.checkLatents(z, x.size(0), latentDim());
        long[] shape = z.shape();
        INDArray flat = z.castTo(DataType.DOUBLE).reshape(-1, latentDim());                       // [m·n, d]
        INDArray residual = decode(flat).rsubi(Nd4j.tile(x.castTo(DataType.DOUBLE), (int) (flat.size(0) / x.size(0)), 1));
        return Optional.of(residual.mmul(weights).divi(noise * noise).subi(flat).reshape(shape));
    }

    @Override
    public SDVariable logLikelihood(SameDiff sd, SDVariable x, SDVariable z) {
        return logLikelihood(sd, x, z, sd.constant(weights.transpose()), sd.constant(bias), sd.constant(Nd4j.scalar(Math.log(noise))));
    }

    /**
     * log N(x; Wz + b, σ²I) as a graph whose parameters are themselves graph variables — e.g.
     * placeholders fed with the current θ at every step, so one graph serves a model that changes
     * between steps (variational EM): x {@code [n, D]}; z {@code [n, d]} → {@code [n]} or
     * {@code [m, n, d]} → {@code [m, n]}; weightsT = Wᵀ {@code [d, D]}, bias b {@code [1, D]},
     * logNoise log σ (a scalar).
     */
    public static SDVariable logLikelihood(SameDiff sd, SDVariable x, SDVariable z, SDVariable weightsT, SDVariable bias,
            SDVariable logNoise) {
        Check.notNull("sd", sd);
        Check.notNull("x", x);
        Check.notNull("z", z);
        Check.notNull("weightsT", weightsT);
        Check.notNull("bias", bias);
        Check.notNull("logNoise", logNoise);
        // Wz + b as a broadcast product summed over d: [.., d, 1] * [d, D] → [.., D]. (SameDiff M2.1's
        // matmul gradient fails for 1×1 operands, so no mmul here.)
        SDVariable shape = sd.shape(z);
        SDVariable column = sd.reshape(z, sd.concat(0, shape, sd.constant(Nd4j.createFromArray(1L).castTo(shape.dataType()))));
        SDVariable mean = GraphOps.sum(sd, column.mul(weightsT), -2).add(bias);
        return GraphNormal.of(mean, logNoise).logProb(x);
    }

    /**
     * The ELBO of each point in closed form, for a Gaussian q(z|x_i) with mean m_i and covariance S_i —
     * a diagonal {@link Normal} (n rows, or one row shared) or a {@link MultivariateNormal} (n rows, one
     * shared covariance): x {@code [n, D]} → {@code [n]},
     * <pre>
     * L_i = −D/2 log(2πσ²) − (|x_i − W m_i − b|² + tr(WᵀW S_i)) / (2σ²)      E_q[log p(x_i|z)]
     *       − d/2 log 2π − (|m_i|² + tr S_i) / 2                            E_q[log p(z)]
     *       + H(q_i).
     * </pre>
     * Computed from the moments only (no sampling and no posterior), so it checks
     * L_i = log p(x_i) − KL(q_i ‖ p(z|x_i)) independently; equal to {@link #logEvidence} for q = the posterior.
     */
    public INDArray elbo(INDArray x, Distribution q) {
        checkData(x);
        Check.notNull("q", q);
        long n = x.size(0);
        int d = latentDim();
        INDArray m = q.mean();
        if (m.rank() != 2 || m.size(1) != d || (q.batchSize() != n && q.batchSize() != 1)) {
            throw new IllegalArgumentException("q: expected a Gaussian over " + d + " latent dimensions with " + n
                    + " rows (or 1), got mean of shape " + java.util.Arrays.toString(m.shape()));
        }
        m = m.castTo(DataType.DOUBLE);
        INDArray wtw = weights.transpose().mmul(weights);                              // [d, d]
        INDArray traceWtwS;                                                            // tr(WᵀW S_i) [n or 1]
        INDArray traceS;                                                               // tr S_i [n or 1]
        if (q instanceof Normal normal) {
            INDArray variance = normal.variance().castTo(DataType.DOUBLE);             // [rows, d]
            traceWtwS = variance.mmul(Nd4j.diag(wtw).reshape(d, 1)).reshape(variance.size(0));
            traceS = variance.sum(1);
        } else if (q instanceof MultivariateNormal full) {
            INDArray s = full.covariance().castTo(DataType.DOUBLE);
            traceWtwS = Nd4j.scalar(wtw.mul(s).sumNumber().doubleValue()).reshape(1);   // tr(AB) = Σ A ∘ Bᵀ, S symmetric
            traceS = Nd4j.scalar(Nd4j.diag(s).sumNumber().doubleValue()).reshape(1);
        } else {
            throw new IllegalArgumentException("q: expected a Normal or a MultivariateNormal, got " + q.getClass().getSimpleName());
        }
        INDArray mean = m.size(0) == n ? m : Nd4j.tile(m, (int) n, 1);
        INDArray residual = x.castTo(DataType.DOUBLE).sub(decode(mean));              // x − W m − b [n, D]
        double s2 = noise * noise;
        INDArray expectedSquare = residual.mul(residual).sum(1).addi(broadcast(traceWtwS, n));
        INDArray likelihood = expectedSquare.muli(-0.5 / s2).subi(0.5 * dataDim() * (LogMath.LOG_2PI + Math.log(s2)));
        INDArray prior = mean.mul(mean).sum(1).addi(broadcast(traceS, n)).muli(-0.5).subi(0.5 * d * LogMath.LOG_2PI);
        return likelihood.addi(prior).addi(broadcast(q.entropy().castTo(DataType.DOUBLE), n));
    }

    /** The average closed-form ELBO (1/n) Σ_i L_i over the rows of x; see {@link #elbo}. */
    public double meanElbo(INDArray x, Distribution q) {
        return elbo(x, q).meanNumber().doubleValue();
    }

    private static INDArray broadcast(INDArray v, long n) {
        INDArray flat = v.reshape(v.length());
        return flat.length() == n ? flat : Nd4j.valueArrayOf(new long[] {n}, flat.getDouble(0), DataType.DOUBLE);
    }

    /** n joint draws z ~ N(0, I) {@code [n, d]} and x ~ p(x|z) {@code [n, D]}. */
    public Samples sample(Rng rng, int n) {
        Check.notNull("rng", rng);
        Check.positive("n", n);
        INDArray z = rng.normal(n, latentDim());
        INDArray x = decode(z).addi(rng.normal(n, dataDim()).muli(noise));
        return new Samples(z, x);
    }

    /**
     * Joint draws from the model.
     *
     * @param z latents {@code [n, d]}
     * @param x observations {@code [n, D]}
     */
    public record Samples(INDArray z, INDArray x) {
    }

    @Override
    public Optional<INDArray> logEvidence(INDArray x) {
        checkData(x);
        INDArray r = x.castTo(DataType.DOUBLE).subRowVector(bias);
        INDArray mu = posteriorMean(r);
        double s2 = noise * noise;
        INDArray quad = r.mul(r).sum(1).divi(s2).subi(mu.mmul(precision).muli(mu).sum(1));
        double constant = dataDim() * (LogMath.LOG_2PI + Math.log(s2)) + logDetPrecision;
        return Optional.of(quad.addi(constant).muli(-0.5));
    }

    @Override
    public Optional<MultivariateNormal> posterior(INDArray x) {
        checkData(x);
        return Optional.of(MultivariateNormal.of(posteriorMean(x.castTo(DataType.DOUBLE).subRowVector(bias)), covariance));
    }

    /** Posterior means Λ⁻¹Wᵀ(x − b)/σ² for residuals r = x − b {@code [n, D]} → {@code [n, d]}. */
    private INDArray posteriorMean(INDArray residual) {
        return residual.mmul(weights).mmul(covariance).divi(noise * noise);
    }

    private void checkData(INDArray x) {
        Check.matrix("x", x, dataDim());
        Check.finite("x", x);
    }
}
