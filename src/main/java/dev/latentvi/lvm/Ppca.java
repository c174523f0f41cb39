package dev.latentvi.lvm;

import dev.latentvi.dist.Distribution;
import dev.latentvi.dist.GraphNormal;
import dev.latentvi.dist.MultivariateNormal;
import dev.latentvi.dist.Normal;
import dev.latentvi.internal.SmallOps;
import dev.latentvi.math.Check;
import dev.latentvi.math.Rng;
import dev.latentvi.nn.Adam;
import dev.latentvi.nn.GaussianHead;
import dev.latentvi.nn.Network;
import dev.latentvi.nn.Trainer;
import dev.latentvi.notebook.Progress;
import dev.latentvi.vi.Bound;
import dev.latentvi.vi.LatentModel;
import dev.latentvi.vi.LinearGaussian;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.eigen.Eigen;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Probabilistic PCA (Tipping &amp; Bishop, 1999): the {@link LinearGaussian} model
 * x = Wz + b + σε, z ~ N(0, I_d), ε ~ N(0, I_D), with θ = (W, b, σ) learned from data x {@code [N, D]}.
 *
 * <ul>
 *   <li>{@link #maximumLikelihood}: the closed form. With the sample covariance
 *       S = (1/N) Σ (x_i − x̄)(x_i − x̄)ᵀ = U Λ Uᵀ (eigenvalues λ_1 ≥ … ≥ λ_D):
 *       b = x̄, σ² = mean of the D − d discarded eigenvalues, W = U_d (Λ_d − σ²I)^{1/2}
 *       (unique up to a rotation of the latent space; this one has orthogonal columns).</li>
 *   <li>{@link #mStep}: argmax_θ Σ_i E_{q_i}[log p_θ(x_i | z)] for Gaussian q_i, in closed form from the
 *       moments E[z_i] and E[z_i z_iᵀ] — the θ half of variational EM.</li>
 *   <li>{@link #variationalEm}: coordinate ascent on the ELBO Σ_i L(θ, q_i), alternating a q step and
 *       {@link #mStep}, with q exact ({@link Posterior#EXACT}: EM, the bound is tight), the best diagonal
 *       Gaussian ({@link Posterior#MEAN_FIELD}) or a linear encoder q_φ(z|x) trained by reparameterized
 *       gradient steps ({@link Posterior#AMORTIZED}). Each iteration records the ELBO (closed form,
 *       {@link LinearGaussian#elbo}), the exact log p_θ(x) and the subspace angle to the ML solution.</li>
 *   <li>{@link #subspaceAngle}: the largest principal angle between two column spaces, in degrees.</li>
 * </ul>
 * The exact log-likelihood of data under a fitted model is {@link LinearGaussian#meanLogEvidence}
 * (the marginal N(b, WWᵀ + σ²I)).
 *
 * <pre>{@code
 * LinearGaussian ml = Ppca.maximumLikelihood(x, 2);
 * Ppca.Fit em = Ppca.variationalEm(Ppca.Posterior.MEAN_FIELD).iterations(40).fit(x, start, rng);
 * em.history();                                        // iteration, ELBO, log p(x), angle to ML (°)
 * Ppca.subspaceAngle(em.model().weights(), ml.weights());
 * }</pre>
 */
public final class Ppca {
    private Ppca() {
    }

    /** How the q step of {@link #variationalEm} chooses q(z|x_i). */
    public enum Posterior {
        /** q_i = p_θ(z|x_i), the exact posterior: variational EM is EM, and the ELBO equals log p_θ(x). */
        EXACT("exact q (EM)"),
        /** q_i = argmax over diagonal Gaussians of the ELBO: the posterior mean and σ_j = 1/√Λ_jj (Λ the posterior precision). */
        MEAN_FIELD("mean-field q"),
        /** q_φ(z|x) = N(Ax + c, diag exp(2(Ex + f))): one linear encoder for all points, trained by Adam steps on the reparameterized ELBO. */
        AMORTIZED("amortized q (linear encoder)");

        private final String label;

        Posterior(String label) {
            this.label = label;
        }

        /** A short name for legends, e.g. "mean-field q". */
        public String label() {
            return label;
        }
    }

    /**
     * The maximum-likelihood PPCA model of x {@code [N, D]} with a d-dimensional latent, 1 ≤ d &lt; D:
     * b = x̄, σ² = mean of the D − d smallest eigenvalues of the sample covariance (1/N normalization),
     * W = U_d (Λ_d − σ²I)^{1/2} with the d leading eigenvectors as columns, largest first.
     */
    public static LinearGaussian maximumLikelihood(INDArray x, int d) {
        INDArray xs = checkData(x);
        long dataDim = xs.size(1);
        Check.positive("d", d);
        if (d >= dataDim) {
            throw new IllegalArgumentException("d: expected a latent dimension below the data dimension " + dataDim + ", got " + d);
        }
        INDArray mean = xs.mean(0).reshape(1, dataDim);
        Eig eig = Eig.of(sampleCovariance(xs, mean));
        double discarded = 0;
        for (int j = d; j < dataDim; j++) {
            discarded += eig.values[j];
        }
        double s2 = discarded / (dataDim - d);
        if (!(s2 > 0)) {
            throw new IllegalArgumentException("x: expected data spanning more than " + d + " dimensions (σ² > 0), got discarded eigenvalues averaging "
                    + s2);
        }
        INDArray w = Nd4j.zeros(DataType.DOUBLE, dataDim, d);
        for (int j = 0; j < d; j++) {
            w.putColumn(j, eig.vectors.getColumn(j).mul(Math.sqrt(Math.max(0, eig.values[j] - s2))));
        }
        return LinearGaussian.of(w, mean.reshape(dataDim), Math.sqrt(s2));
    }

    /**
     * A starting point for {@link #variationalEm} on x {@code [N, D]}: b = x̄ (the maximum-likelihood bias
     * for every W and σ, which the M-steps then keep), σ² = tr S / D (all the variance called noise) and
     * W with independent N(0, σ²/d) entries from {@code rng} — a random subspace.
     */
    public static LinearGaussian initial(INDArray x, int d, Rng rng) {
        INDArray xs = checkData(x);
        Check.positive("d", d);
        Check.notNull("rng", rng);
        long dataDim = xs.size(1);
        if (d >= dataDim) {
            throw new IllegalArgumentException("d: expected a latent dimension below the data dimension " + dataDim + ", got " + d);
        }
        INDArray mean = xs.mean(0).reshape(1, dataDim);
        double s2 = Nd4j.diag(sampleCovariance(xs, mean)).sumNumber().doubleValue() / dataDim;
        if (!(s2 > 0)) {
            throw new IllegalArgumentException("x: expected data with some spread, got total variance " + s2);
        }
        return LinearGaussian.of(rng.normal(dataDim, d).muli(Math.sqrt(s2 / d)), mean.reshape(dataDim), Math.sqrt(s2));
    }

    /**
     * The eigenvalues of the sample covariance (1/N) Σ (x_i − x̄)(x_i − x̄)ᵀ of x {@code [N, D]}, largest
     * first {@code [D]} — the spectrum {@link #maximumLikelihood} splits into signal and noise.
     */
    public static double[] covarianceEigenvalues(INDArray x) {
        INDArray xs = checkData(x);
        return Eig.of(sampleCovariance(xs, xs.mean(0).reshape(1, xs.size(1)))).values.clone();
    }

    /**
     * The M-step: the θ = (W, b, σ) maximizing Σ_i E_{q_i}[log p_θ(x_i | z)] (hence the ELBO for fixed q),
     * in closed form from the moments of q — a {@link Normal} (diagonal) or {@link MultivariateNormal}
     * (shared covariance) with one row per point (or one row shared), over the latent {@code [n, d]}.
     * With z̃ = (z, 1), A = Σ_i E[z̃_i z̃_iᵀ] and B = Σ_i x_i E[z̃_i]ᵀ: (W b) = B A⁻¹ and
     * σ² = (Σ_i |x_i|² − tr((W b)ᵀ B)) / (N D).
     */
    public static LinearGaussian mStep(INDArray x, Distribution q) {
        INDArray xs = checkData(x);
        Check.notNull("q", q);
        long n = xs.size(0);
        long dataDim = xs.size(1);
        INDArray m = q.mean();
        if (m.rank() != 2 || (q.batchSize() != n && q.batchSize() != 1)) {
            throw new IllegalArgumentException("q: expected a Gaussian over the latent with " + n + " rows (or 1), got mean of shape "
                    + Arrays.toString(m.shape()));
        }
        int d = (int) m.size(1);
        INDArray mean = m.castTo(DataType.DOUBLE);
        mean = mean.size(0) == n ? mean : Nd4j.tile(mean, (int) n, 1);
        INDArray covarianceSum;                                                 // Σ_i S_i [d, d]
        if (q instanceof Normal normal) {
            INDArray variance = normal.variance().castTo(DataType.DOUBLE);
            INDArray summed = variance.size(0) == n ? variance.sum(0) : variance.reshape(d).mul(n);
            covarianceSum = Nd4j.diag(summed.reshape(d));
        } else if (q instanceof MultivariateNormal full) {
            covarianceSum = full.covariance().castTo(DataType.DOUBLE).mul(n);
        } else {
            throw new IllegalArgumentException("q: expected a Normal or a MultivariateNormal, got " + q.getClass().getSimpleName());
        }
        INDArray a = Nd4j.zeros(DataType.DOUBLE, d + 1, d + 1);
        INDArray colSum = mean.sum(0).reshape(d, 1);
        a.get(NDArrayIndex.interval(0, d), NDArrayIndex.interval(0, d)).assign(mean.transpose().mmul(mean).addi(covarianceSum));
        a.get(NDArrayIndex.interval(0, d), NDArrayIndex.point(d)).assign(colSum.reshape(d));
        a.get(NDArrayIndex.point(d), NDArrayIndex.interval(0, d)).assign(colSum.reshape(d));
        a.putScalar(d, d, n);
        a = a.add(a.transpose()).muli(0.5);
        INDArray b = Nd4j.hstack(xs.transpose().mmul(mean), xs.sum(0).reshape(dataDim, 1));   // [D, d + 1]
        Eig eigA = Eig.of(a);                                                  // A⁻¹ = V diag(1/λ) Vᵀ: A is symmetric positive definite
        if (!(eigA.values[d] > 1e-12 * eigA.values[0])) {
            throw new IllegalArgumentException("q: expected latent moments of full rank (Σ E[z̃ z̃ᵀ] invertible), got eigenvalues "
                    + Arrays.toString(eigA.values));
        }
        INDArray inverseValues = Nd4j.create(Arrays.stream(eigA.values).map(v -> 1 / v).toArray(), new long[] {1, d + 1}, DataType.DOUBLE);
        INDArray aInverse = eigA.vectors.mulRowVector(inverseValues).mmul(eigA.vectors.transpose());
        INDArray wb = b.mmul(aInverse);                                                    // [D, d + 1]
        double s2 = (xs.mul(xs).sumNumber().doubleValue() - wb.mul(b).sumNumber().doubleValue()) / (n * dataDim);
        if (!(s2 > 0)) {
            throw new IllegalArgumentException("x: expected residual variance σ² > 0 after the M-step, got " + s2
                    + " (the data are explained exactly by " + d + " latent dimensions)");
        }
        INDArray w = wb.get(NDArrayIndex.all(), NDArrayIndex.interval(0, d)).dup();
        INDArray bias = wb.get(NDArrayIndex.all(), NDArrayIndex.point(d)).dup();
        return LinearGaussian.of(w, bias.reshape(dataDim), Math.sqrt(s2));
    }

    /**
     * The largest principal angle between the column spaces of w1 and w2 (both {@code [D, d]}, full column
     * rank), in degrees: θ_max with sin θ_max = ‖(I − Q₁Q₁ᵀ) Q₂‖₂ for orthonormal bases Q₁, Q₂ — computed
     * from the sine, so angles down to about 1e-12° are resolved. 0 for the same subspace (e.g. W and
     * W R for any invertible R), 90 when some direction of one is orthogonal to the other.
     */
    public static double subspaceAngle(INDArray w1, INDArray w2) {
        Check.notNull("w1", w1);
        Check.notNull("w2", w2);
        if (w1.rank() != 2 || w2.rank() != 2 || !Arrays.equals(w1.shape(), w2.shape())) {
            throw new IllegalArgumentException("w2: expected the shape of w1 " + Arrays.toString(w1.shape()) + " ([D, d]), got "
                    + Arrays.toString(w2.shape()));
        }
        if (w1.size(1) > w1.size(0)) {
            throw new IllegalArgumentException("w1: expected at most as many columns as rows ([D, d], d ≤ D), got " + Arrays.toString(w1.shape()));
        }
        Check.finite("w1", w1);
        Check.finite("w2", w2);
        return angle(orthonormalBasis("w1", w1.castTo(DataType.DOUBLE)), orthonormalBasis("w2", w2.castTo(DataType.DOUBLE)));
    }

    /** The largest principal angle in degrees between the spans of two orthonormal bases {@code [D, d]}. */
    private static double angle(INDArray q1, INDArray q2) {
        INDArray residual = q2.sub(q1.mmul(q1.transpose().mmul(q2)));          // (I − Q₁Q₁ᵀ) Q₂ [D, d]
        INDArray gram = residual.transpose().mmul(residual);
        double largest = Eig.of(gram.add(gram.transpose()).muli(0.5)).values[0];   // sin² θ_max
        double sine = Math.sqrt(Math.min(1, Math.max(0, largest)));
        return Math.toDegrees(Math.asin(sine));
    }

    /** Q = W V Σ⁻¹ from WᵀW = V Σ² Vᵀ: an orthonormal basis of the columns of w {@code [D, d]}. */
    private static INDArray orthonormalBasis(String name, INDArray w) {
        INDArray wtw = w.transpose().mmul(w);
        Eig eig = Eig.of(wtw.add(wtw.transpose()).muli(0.5));
        int d = (int) w.size(1);
        double top = eig.values[0];
        if (!(eig.values[d - 1] > 1e-24 * Math.max(top, Double.MIN_NORMAL)) || !(top > 0)) {
            throw new IllegalArgumentException(name + ": expected full column rank (linearly independent columns), got singular values "
                    + Arrays.toString(Arrays.stream(eig.values).map(v -> Math.sqrt(Math.max(0, v))).toArray()));
        }
        INDArray scale = Nd4j.create(Arrays.stream(eig.values).map(v -> 1 / Math.sqrt(v)).toArray(), new long[] {1, d}, DataType.DOUBLE);
        INDArray q = w.mmul(eig.vectors).muliRowVector(scale);
        // one Gram–Schmidt pass against rounding: Q ← Q (QᵀQ)^{-1/2} to first order, Q − ½ Q (QᵀQ − I)
        INDArray err = q.transpose().mmul(q).subi(Nd4j.eye(d).castTo(DataType.DOUBLE));
        return q.sub(q.mmul(err).muli(0.5));
    }

    /** Variational EM with the given kind of q; defaults: 40 iterations; for AMORTIZED 25 Adam steps per q step at rate 0.02. */
    public static VariationalEm variationalEm(Posterior q) {
        Check.notNull("q", q);
        return new VariationalEm(q, 40, 25, 0.02, Bound.monteCarlo(1));
    }

    /**
     * Variational EM for PPCA: from a starting model θ_0, for t = 0, 1, …, T: the q step fits q_t to θ_t
     * (exactly, mean-field, or by {@code encoderSteps} Adam steps of the linear encoder, warm-started
     * from q_{t−1}), the history records θ_t, L(θ_t, q_t) and log p_θt(x), and (t &lt; T) the M-step sets
     * θ_{t+1} = {@link Ppca#mStep}(x, q_t). For EXACT and MEAN_FIELD both halves maximize the ELBO
     * exactly, so its trace never decreases.
     */
    public static final class VariationalEm {
        private final Posterior posterior;
        private final int iterations;
        private final int encoderSteps;
        private final double learningRate;
        private final Bound bound;

        private VariationalEm(Posterior posterior, int iterations, int encoderSteps, double learningRate, Bound bound) {
            this.posterior = posterior;
            this.iterations = iterations;
            this.encoderSteps = encoderSteps;
            this.learningRate = learningRate;
            this.bound = bound;
        }

        /** Number T ≥ 1 of M-steps (the history has T + 1 rows). */
        public VariationalEm iterations(int t) {
            Check.positive("iterations", t);
            return new VariationalEm(posterior, t, encoderSteps, learningRate, bound);
        }

        /** AMORTIZED only: full-batch Adam steps on the encoder per q step (≥ 1). */
        public VariationalEm encoderSteps(int steps) {
            Check.positive("encoderSteps", steps);
            return new VariationalEm(posterior, iterations, steps, learningRate, bound);
        }

        /** AMORTIZED only: the encoder's Adam step size (> 0). */
        public VariationalEm learningRate(double lr) {
            Check.positive("learningRate", lr);
            return new VariationalEm(posterior, iterations, encoderSteps, lr, bound);
        }

        /** AMORTIZED only: the bound the encoder's steps maximize (default {@code Bound.monteCarlo(1)}), e.g. {@code Bound.analyticKl(4)}. */
        public VariationalEm bound(Bound b) {
            Check.notNull("bound", b);
            return new VariationalEm(posterior, iterations, encoderSteps, learningRate, b);
        }

        /**
         * Runs variational EM on x {@code [N, D]} (N ≥ 2) from {@code start} (a LinearGaussian with data
         * dimension D and latent dimension d &lt; D, e.g. {@link LinearGaussian#random}), with live
         * progress; {@code rng} drives the encoder's initialization and noise (unused by EXACT and MEAN_FIELD).
         */
        public Fit fit(INDArray x, LinearGaussian start, Rng rng) {
            INDArray xs = checkData(x);
            return SmallOps.singleThreaded(() -> run(xs, start, rng));
        }

        private Fit run(INDArray xs, LinearGaussian start, Rng rng) {
            Check.notNull("start", start);
            Check.notNull("rng", rng);
            if (start.dataDim() != xs.size(1)) {
                throw new IllegalArgumentException("start: expected a model of data dimension " + xs.size(1) + " (columns of x), got "
                        + start.dataDim());
            }
            if (xs.size(0) < 2) {
                throw new IllegalArgumentException("x: expected at least 2 data points, got " + xs.size(0));
            }
            LinearGaussian ml = maximumLikelihood(xs, start.latentDim());
            INDArray mlBasis = orthonormalBasis("maximum likelihood W", ml.weights());
            EStep eStep = posterior == Posterior.AMORTIZED ? new EncoderStep(start.latentDim(), start.dataDim(), encoderSteps, learningRate, bound, rng)
                    : null;
            List<LinearGaussian> models = new ArrayList<>();
            List<Distribution> qs = new ArrayList<>();
            double[] elbo = new double[iterations + 1];
            double[] logPx = new double[iterations + 1];
            double[] angle = new double[iterations + 1];
            LinearGaussian model = start;
            try (Progress p = Progress.start("variational EM, " + posterior.label(), iterations + 1L)) {
                for (int t = 0; t <= iterations; t++) {
                    Distribution q = switch (posterior) {
                        case EXACT -> model.posterior(xs).orElseThrow();
                        case MEAN_FIELD -> model.posterior(xs).orElseThrow().meanField();
                        case AMORTIZED -> eStep.fit(model, xs);
                    };
                    models.add(model);
                    qs.add(q);
                    elbo[t] = model.meanElbo(xs, q);
                    logPx[t] = model.meanLogEvidence(xs);
                    angle[t] = angle(mlBasis, orthonormalBasis("W", model.weights()));
                    p.step("ELBO %.4f, log p(x) %.4f, angle to ML %.3g°", elbo[t], logPx[t], angle[t]);
                    if (t < iterations) {
                        model = mStep(xs, q);
                    }
                }
                p.finish("%d iterations: ELBO %.4f, log p(x) %.4f (ML %.4f), angle to ML %.3g°", iterations, elbo[iterations],
                        logPx[iterations], ml.meanLogEvidence(xs), angle[iterations]);
            }
            return new Fit(posterior, models, qs, elbo, logPx, angle, ml, ml.meanLogEvidence(xs));
        }
    }

    /** A q step that keeps state between iterations (the amortized encoder). */
    private interface EStep {
        Distribution fit(LinearGaussian model, INDArray x);
    }

    /**
     * The amortized q step: one graph for the whole run — a linear Gaussian encoder x ↦ (μ, log σ) and the
     * reparameterized one-sample ELBO of a linear-Gaussian model whose θ are placeholders, fed the current
     * θ at every step — so each q step continues from the last encoder (and its Adam moments).
     */
    private static final class EncoderStep implements EStep {
        private final Network net;
        private final Trainer trainer;
        private final int steps;
        private final Rng rng;

        EncoderStep(int d, int dataDim, int steps, double learningRate, Bound bound, Rng rng) {
            this.steps = steps;
            this.rng = rng;
            net = Network.create(DataType.DOUBLE);
            SameDiff sd = net.sameDiff();
            SDVariable in = net.input("x", dataDim);
            GaussianHead head = GaussianHead.build(net, "q", in, dataDim, d, rng);
            GraphNormal q = GraphNormal.of(head.mean().rename("mu"), head.logSigma().rename("logSigma"));
            SDVariable weightsT = sd.placeHolder("theta_Wt", DataType.DOUBLE, d, dataDim);
            SDVariable bias = sd.placeHolder("theta_b", DataType.DOUBLE, 1, dataDim);
            SDVariable logNoise = sd.placeHolder("theta_logNoise", DataType.DOUBLE, 1);
            LatentModel graphModel = new LatentModel() {
                @Override
                public int latentDim() {
                    return d;
                }

                @Override
                public int dataDim() {
                    return dataDim;
                }

                @Override
                public INDArray logLikelihood(INDArray x, INDArray z) {
                    throw new UnsupportedOperationException("the amortized q step's model exists only as a graph");
                }

                @Override
                public SDVariable logLikelihood(SameDiff graph, SDVariable x, SDVariable z) {
                    return LinearGaussian.logLikelihood(graph, x, z, weightsT, bias, logNoise);
                }
            };
            trainer = bound.loss(graphModel, q, in).trainer(net, Adam.of(learningRate)).label("amortized q step");
        }

        @Override
        public Distribution fit(LinearGaussian model, INDArray x) {
            Map<String, INDArray> batch = new LinkedHashMap<>();
            batch.put("x", x);                                            // first: the batch size comes from it
            batch.put("theta_Wt", model.weights().transpose().dup('c'));
            batch.put("theta_b", model.bias().reshape(1, model.dataDim()));
            batch.put("theta_logNoise", Nd4j.createFromArray(Math.log(model.noise())));
            for (int s = 0; s < steps; s++) {
                trainer.step(batch, rng);
            }
            Map<String, INDArray> out = net.output(Map.of("x", x), "mu", "logSigma");
            return Normal.ofLogSigma(out.get("mu").dup(), out.get("logSigma").dup());
        }
    }

    /** The result of {@link VariationalEm#fit}: the model and q of every iteration and their traces. */
    public static final class Fit {
        private final Posterior posterior;
        private final List<LinearGaussian> models;
        private final List<Distribution> qs;
        private final double[] elbo;
        private final double[] logPx;
        private final double[] angle;
        private final LinearGaussian ml;
        private final double mlLogPx;

        Fit(Posterior posterior, List<LinearGaussian> models, List<Distribution> qs, double[] elbo, double[] logPx, double[] angle,
                LinearGaussian ml, double mlLogPx) {
            this.mlLogPx = mlLogPx;
            this.posterior = posterior;
            this.models = List.copyOf(models);
            this.qs = List.copyOf(qs);
            this.elbo = elbo;
            this.logPx = logPx;
            this.angle = angle;
            this.ml = ml;
        }

        /** The kind of q used. */
        public Posterior posterior() {
            return posterior;
        }

        /** Number T of M-steps. */
        public int iterations() {
            return models.size() - 1;
        }

        /** The final model θ_T. */
        public LinearGaussian model() {
            return models.get(models.size() - 1);
        }

        /** θ_0 (the start), θ_1, …, θ_T. */
        public List<LinearGaussian> iterates() {
            return models;
        }

        /** The final q_T (n rows), fitted to θ_T. */
        public Distribution q() {
            return qs.get(qs.size() - 1);
        }

        /** The closed-form maximum-likelihood solution of the same data, the reference of the angle trace. */
        public LinearGaussian maximumLikelihood() {
            return ml;
        }

        /** (1/N) Σ_i log p(x_i) under the maximum-likelihood solution: the ceiling of {@link #logEvidenceTrace()}. */
        public double maximumLogLikelihood() {
            return mlLogPx;
        }

        /** (1/N) Σ_i L(θ_t, q_t) per iteration {@code [T + 1]} (closed form, no sampling). */
        public double[] elboTrace() {
            return elbo.clone();
        }

        /** (1/N) Σ_i log p_θt(x_i) per iteration {@code [T + 1]} (exact). */
        public double[] logEvidenceTrace() {
            return logPx.clone();
        }

        /** The largest principal angle between the columns of W_t and W_ML per iteration, degrees {@code [T + 1]}. */
        public double[] angleTrace() {
            return angle.clone();
        }

        /** The final log p − ELBO per point, (1/N) Σ_i KL(q_T,i ‖ p_θT(z|x_i)) ≥ 0. */
        public double gap() {
            return logPx[logPx.length - 1] - elbo[elbo.length - 1];
        }

        /**
         * One row per iteration t = 0 … T: "iteration", "ELBO" and "log p(x)" (averages per point),
         * "log p(x) − ELBO" and "angle to ML (°)".
         */
        public Table history() {
            int[] it = new int[elbo.length];
            double[] gap = new double[elbo.length];
            for (int t = 0; t < it.length; t++) {
                it[t] = t;
                gap[t] = logPx[t] - elbo[t];
            }
            return Table.create("variational EM, " + posterior.label(), IntColumn.create("iteration", it), DoubleColumn.create("ELBO", elbo.clone()),
                    DoubleColumn.create("log p(x)", logPx.clone()), DoubleColumn.create("log p(x) − ELBO", gap),
                    DoubleColumn.create("angle to ML (°)", angle.clone()));
        }
    }

    /**
     * The final state of several fits side by side, one row each: "q", "iterations", "ELBO", "log p(x)",
     * "log p(x) − ELBO", "ML log p(x) − log p(x)" (averages per point), "angle to ML (°)", "σ²" and "ML σ²".
     */
    public static Table summary(Fit... fits) {
        Check.notNull("fits", fits);
        if (fits.length == 0) {
            throw new IllegalArgumentException("fits: expected at least one fit, got none");
        }
        StringColumn name = StringColumn.create("q");
        IntColumn iterations = IntColumn.create("iterations");
        DoubleColumn elbo = DoubleColumn.create("ELBO");
        DoubleColumn logPx = DoubleColumn.create("log p(x)");
        DoubleColumn gap = DoubleColumn.create("log p(x) − ELBO");
        DoubleColumn shortOfMl = DoubleColumn.create("ML log p(x) − log p(x)");
        DoubleColumn angle = DoubleColumn.create("angle to ML (°)");
        DoubleColumn s2 = DoubleColumn.create("σ²");
        DoubleColumn mlS2 = DoubleColumn.create("ML σ²");
        for (Fit f : fits) {
            Check.notNull("fits", f);
            int t = f.iterations();
            name.append(f.posterior().label());
            iterations.append(t);
            elbo.append(f.elbo[t]);
            logPx.append(f.logPx[t]);
            gap.append(f.logPx[t] - f.elbo[t]);
            shortOfMl.append(f.mlLogPx - f.logPx[t]);
            angle.append(f.angle[t]);
            s2.append(f.model().noise() * f.model().noise());
            mlS2.append(f.ml.noise() * f.ml.noise());
        }
        return Table.create("Variational EM after the last iteration", name, iterations, elbo, logPx, gap, shortOfMl, angle, s2, mlS2);
    }

    private static INDArray checkData(INDArray x) {
        Check.notNull("x", x);
        if (x.rank() != 2 || x.size(0) < 1 || x.size(1) < 2) {
            throw new IllegalArgumentException("x: expected data [N, D] with N ≥ 1 rows and D ≥ 2 columns, got shape " + Arrays.toString(x.shape()));
        }
        Check.finite("x", x);
        return x.castTo(DataType.DOUBLE);
    }

    private static INDArray sampleCovariance(INDArray x, INDArray mean) {
        INDArray centred = x.subRowVector(mean);
        INDArray s = centred.transpose().mmul(centred).divi(x.size(0));
        return s.add(s.transpose()).muli(0.5);
    }

    /** A symmetric eigendecomposition, eigenvalues descending with their eigenvectors as columns. */
    private static final class Eig {
        final double[] values;
        final INDArray vectors;

        private Eig(double[] values, INDArray vectors) {
            this.values = values;
            this.vectors = vectors;
        }

        static Eig of(INDArray symmetric) {
            INDArray a = symmetric.castTo(DataType.DOUBLE).dup('f');
            INDArray ascending = Eigen.symmetricGeneralizedEigenvalues(a, true);   // a now holds the eigenvectors
            int n = (int) ascending.length();
            double[] v = new double[n];
            INDArray vectors = Nd4j.zeros(DataType.DOUBLE, n, n);
            for (int j = 0; j < n; j++) {
                v[j] = ascending.getDouble(n - 1 - j);
                vectors.putColumn(j, a.getColumn(n - 1 - j).dup());
            }
            return new Eig(v, vectors);
        }
    }
}
