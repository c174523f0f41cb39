package dev.latentvi.homework;

import dev.latentvi.dist.Kl;
import dev.latentvi.dist.MultivariateNormal;
import dev.latentvi.dist.Normal;
import dev.latentvi.math.Estimates;
import dev.latentvi.math.Rng;
import dev.latentvi.vi.Bound;
import dev.latentvi.vi.LatentModel;
import dev.latentvi.vi.LinearGaussian;
import java.util.Arrays;
import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Assignment 2 — entropy, KL and the ELBO for Gaussians (Lecture 18, part 2). The entropy and KL
 * are compared with {@link Normal#entropy} and {@link Kl#divergence}; the ELBO with
 * {@link Bound#monteCarlo} within Monte Carlo error and against the identity
 * log p(x) = ELBO + KL(q ‖ p(z|x)) on the linear-Gaussian model, whose evidence and posterior are exact;
 * the importance-weighted bound with {@link Bound#iwae} on the same draws, and its order
 * L_1 ≤ L_K ≤ log p(x), rising with K.
 */
public final class ElboHomework {
    /** Samples per point the ELBO checks ask for. */
    public static final int SAMPLES = 2000;
    /** Agreement within this many standard errors counts as agreement for a Monte Carlo estimate. */
    public static final double Z = 6.0;

    /** Student: the entropy H(q) of each row of a diagonal Gaussian q {@code [n, d]} → {@code [n]}. */
    @FunctionalInterface
    public interface Entropy {
        INDArray apply(Normal q) throws Exception;
    }

    /** Student: KL(q ‖ p) between diagonal Gaussians, row by row: q {@code [n, d]}, p {@code [n, d]} or {@code [1, d]} → {@code [n]}. */
    @FunctionalInterface
    public interface Divergence {
        INDArray apply(Normal q, Normal p) throws Exception;
    }

    /** Student: a Monte Carlo ELBO estimate with m samples per point: x {@code [n, D]}, q {@code [n, d]} → {@code [n]}. */
    @FunctionalInterface
    public interface ElboEstimate {
        INDArray apply(LatentModel model, Normal q, INDArray x, int m, Rng rng) throws Exception;
    }

    /** Student: one draw of the importance-weighted bound L_K per point: x {@code [n, D]}, q {@code [n, d]}, K samples → {@code [n]}. */
    @FunctionalInterface
    public interface ImportanceWeighted {
        INDArray apply(LatentModel model, Normal q, INDArray x, int k, Rng rng) throws Exception;
    }

    /** K for the ordering check of the importance-weighted bound. */
    static final int[] ORDER_KS = {1, 10, 100};
    /** Replicas per K in the ordering check. */
    static final int ORDER_REPLICAS = 200;

    /** A model, q and data, with K and the seed of the draws. */
    record IwInput(LinearGaussian model, Normal q, INDArray x, int k, long seed) {
    }

    record Pair(Normal q, Normal p) {
    }

    private ElboHomework() {
    }

    /** Exercise 2.1 (1 point): the entropy of a diagonal Gaussian. */
    public static Feedback checkEntropy(Entropy student) {
        return Exercise.<Entropy, Normal, INDArray>of("Exercise 2.1 — entropy of a diagonal Gaussian", Normal::entropy, Entropy::apply)
                .hint("H(q) = Σ_j [½ log(2π e) + log σ_j] per row; q.logSigma() is [n, d]")
                .describe(q -> "q " + Arrays.toString(q.mean().shape()))
                .random(3, 1000, rng -> randomNormal(rng, 4, 3))
                .edge("one dimension", () -> Normal.of(0.5, 2.0), null)
                .edge("an extremely narrow q (σ = 1e-200)", () -> Normal.of(Nd4j.zeros(DataType.DOUBLE, 1, 2),
                                Nd4j.valueArrayOf(new long[] {1, 2}, 1e-200, DataType.DOUBLE)),
                        "σ² underflows to 0 here: use log σ (q.logSigma()), not log(σ²)")
                .check(student);
    }

    /** Exercise 2.2 (2 points): KL(q ‖ p) between diagonal Gaussians. */
    public static Feedback checkKl(Divergence student) {
        return Exercise.<Divergence, Pair, INDArray>of("Exercise 2.2 — KL divergence between diagonal Gaussians",
                        in -> Kl.divergence(in.q(), in.p()), (f, in) -> f.apply(in.q(), in.p()))
                .points(2)
                .hint("KL(q‖p) = Σ_j [log σ_p − log σ_q + (σ_q² + (μ_q − μ_p)²) / (2σ_p²) − ½] per row")
                .describe(in -> "q " + Arrays.toString(in.q().mean().shape()) + ", p " + Arrays.toString(in.p().mean().shape()))
                .random(3, 2000, rng -> new Pair(randomNormal(rng, 4, 3), randomNormal(rng, 4, 3)))
                .edge("q = p (KL is 0)", () -> {
                    Normal q = randomNormal(Rng.seeded(2100), 3, 2);
                    return new Pair(q, Normal.of(q.mean(), q.stddev()));
                }, "KL(q‖q) = 0: check the constant −½ per dimension")
                .edge("p = N(0, I), one row broadcast against every row of q", () -> new Pair(randomNormal(Rng.seeded(2200), 5, 2),
                        Normal.standard(2)), "p has one row [1, d]: broadcast it (addRowVector / mulRowVector), do not index its rows")
                .edge("an extremely narrow q (σ = 1e-200)", () -> new Pair(Normal.of(Nd4j.zeros(DataType.DOUBLE, 1, 2),
                                Nd4j.valueArrayOf(new long[] {1, 2}, 1e-200, DataType.DOUBLE)), Normal.standard(2)),
                        "σ_q² underflows to 0: write log σ_q via q.logSigma(), not log(σ_q²)")
                .check(student);
    }

    /** Exercise 2.3 (3 points): the ELBO, checked against Bound.monteCarlo and against log p(x) = ELBO + KL. */
    public static Feedback checkElbo(ElboEstimate student) {
        return Exercise.<ElboEstimate>properties("Exercise 2.3 — the ELBO and log p(x) = ELBO + KL")
                .points(3)
                .property("random linear-Gaussian model: agrees with Bound.monteCarlo (" + SAMPLES + " samples)",
                        f -> agreesWithLibrary(f, 3000))
                .property("log p(x) = ELBO + KL(q ‖ p(z|x)) for a poor q", f -> identity(f, 3100))
                .property("q = the exact posterior: ELBO = log p(x) (the bound is tight)", ElboHomework::tightAtPosterior)
                .check(student);
    }

    /**
     * Exercise 2.4 (3 points): the importance-weighted bound, compared with {@link Bound#iwae} on the
     * same draws, tight at the exact posterior, and ordered L_1 ≤ L_10 ≤ L_100 ≤ log p(x) on average.
     */
    public static Feedback checkImportanceWeighted(ImportanceWeighted student) {
        return Exercise.<ImportanceWeighted, IwInput, INDArray>of("Exercise 2.4 — the importance-weighted bound L_K",
                        in -> Bound.iwae(in.k()).estimate(in.model(), in.q(), in.x(), Rng.seeded(in.seed())).values(),
                        (f, in) -> f.apply(in.model(), in.q(), in.x(), in.k(), Rng.seeded(in.seed())))
                .points(3)
                .hint("L_K,i = log (1/K) Σ_k exp(log w_ki) with log w_ki = log p(x_i, z_ki) − log q_i(z_ki), z = q.sample(rng, K) [K, n, d]"
                        + " in one call; model.logJoint(x, z) and q.logProb(z) are [K, n]; LogMath.logMeanExp(logW, 0) averages inside the log")
                .describe(in -> String.format(Locale.ROOT, "x %s, K = %d", Arrays.toString(in.x().shape()), in.k()))
                .random(3, 3400, rng -> {
                    Setup s = Setup.random(rng.nextSeed());
                    return new IwInput(s.model(), s.q(), s.x(), new int[] {2, 5, 50}[rng.nextInt(3)], rng.nextSeed());
                })
                .edge("K = 1: one log-weight, an unbiased estimate of the ELBO", () -> {
                    Setup s = Setup.random(3500);
                    return new IwInput(s.model(), s.q(), s.x(), 1, 3501);
                }, "with K = 1 the bound is the single log-weight log p(x, z) − log q(z)")
                .edge("q far from the posterior (weights e^{−1000}: exp underflows)", () -> {
                    Setup s = Setup.random(3600);
                    Normal far = Normal.of(s.q().mean().add(25.0), s.q().stddev());
                    return new IwInput(s.model(), far, s.x(), 20, 3601);
                }, "the weights exp(log w) underflow to 0 here: average them with log-mean-exp, never exp then log")
                .property("q = the exact posterior: every weight is p(x), so L_K = log p(x) for K = 1, 7, 50", ElboHomework::iwTight)
                .property("ordered: mean of " + ORDER_REPLICAS + " draws of L_1 < L_10 < L_100 ≤ log p(x), q the prior", ElboHomework::iwOrdered)
                .check(student);
    }

    private static Outcome iwTight(ImportanceWeighted f) throws Exception {
        LinearGaussian model = LinearGaussian.of(Nd4j.createFromArray(new double[][] {{1.5, 0}, {0, 0.8}, {0, 0}}),
                Nd4j.createFromArray(0.2, -0.3, 0.5), 0.7);
        INDArray x = model.sample(Rng.seeded(3700), 4).x();
        MultivariateNormal post = model.posterior(x).orElseThrow();
        double[] logPx = model.logEvidence(x).orElseThrow().toDoubleVector();
        for (int k : new int[] {1, 7, 50}) {
            INDArray got = f.apply(model, Normal.of(post.mean(), post.stddev()), x, k, Rng.seeded(3700 + k));
            Outcome shape = iwShape(got, logPx.length);
            if (shape != null) {
                return shape;
            }
            double[] g = got.castTo(DataType.DOUBLE).reshape(logPx.length).toDoubleVector();
            for (int i = 0; i < g.length; i++) {
                if (!(Math.abs(g[i] - logPx[i]) <= 1e-8 + 1e-8 * Math.abs(logPx[i]))) {
                    return Outcome.fail(String.format(Locale.ROOT, "log p(x) = %s at point %d, K = %d", Compare.format(logPx[i]), i, k),
                            Compare.format(g[i]), "at q = p(z|x), log w = log p(x, z) − log p(z|x) = log p(x) for every z:"
                                    + " check that you subtract log q(z) of the same draws you evaluate log p(x, z) at");
                }
            }
        }
        return Outcome.pass("L_K = log p(x) exactly at K = 1, 7, 50");
    }

    private static Outcome iwOrdered(ImportanceWeighted f) throws Exception {
        LinearGaussian model = LinearGaussian.random(3, 2, 1.0, 0.6, Rng.seeded(3800));
        INDArray x = model.sample(Rng.seeded(3801), 1).x();
        double logPx = model.logEvidence(x).orElseThrow().getDouble(0);
        Normal prior = Normal.of(Nd4j.zeros(DataType.DOUBLE, 1, 2), Nd4j.ones(DataType.DOUBLE, 1, 2));
        double[] mean = new double[ORDER_KS.length];
        double[] se = new double[ORDER_KS.length];
        Rng rng = Rng.seeded(3802);
        for (int j = 0; j < ORDER_KS.length; j++) {
            double[] draws = new double[ORDER_REPLICAS];
            for (int r = 0; r < ORDER_REPLICAS; r++) {
                INDArray got = f.apply(model, prior, x, ORDER_KS[j], rng.child());
                Outcome shape = iwShape(got, 1);
                if (shape != null) {
                    return shape;
                }
                draws[r] = got.castTo(DataType.DOUBLE).getDouble(0);
            }
            mean[j] = Arrays.stream(draws).average().orElseThrow();
            double m = mean[j];
            se[j] = Math.sqrt(Arrays.stream(draws).map(v -> (v - m) * (v - m)).sum() / (ORDER_REPLICAS - 1) / ORDER_REPLICAS);
        }
        StringBuilder trace = new StringBuilder();
        for (int j = 0; j < ORDER_KS.length; j++) {
            trace.append(String.format(Locale.ROOT, "%sL_%d = %.3f ± %.3f", j == 0 ? "" : ", ", ORDER_KS[j], mean[j], se[j]));
        }
        trace.append(String.format(Locale.ROOT, "; log p(x) = %.3f", logPx));
        for (int j = 1; j < ORDER_KS.length; j++) {
            if (!(mean[j] - mean[j - 1] > 3 * Math.hypot(se[j], se[j - 1]))) {
                return Outcome.fail("L_K rising with K (by more than 3 standard errors)", trace.toString(),
                        "average the K weights inside the log (log-mean-exp), not the log-weights: that would give the ELBO for every K");
            }
        }
        int last = ORDER_KS.length - 1;
        if (!(mean[last] <= logPx + 3 * se[last])) {
            return Outcome.fail("L_100 ≤ log p(x)", trace.toString(), "log (1/K) Σ w, not log Σ w: divide by K inside the log");
        }
        return Outcome.pass(trace.toString());
    }

    private static Outcome iwShape(INDArray got, int n) {
        if (got == null) {
            return Outcome.fail("[" + n + "] values", "null", "return the bound of every point");
        }
        if (got.length() != n || got.rank() != 1) {
            return Outcome.fail("shape [" + n + "] (one bound per point)", "shape " + Arrays.toString(got.shape()),
                    "combine the K samples of each point (axis 0 of [K, n]), not the points");
        }
        return null;
    }

    private static Outcome agreesWithLibrary(ElboEstimate f, long seed) throws Exception {
        Setup s = Setup.random(seed);
        Estimates ref = Bound.monteCarlo(SAMPLES).estimate(s.model(), s.q(), s.x(), Rng.seeded(seed + 1));
        return compare(f, s, ref.values(), ref.standardErrors(), "Bound.monteCarlo", seed + 1,
                "ELBO_i = (1/m) Σ_s log p(x_i, z_s) + H(q_i) with z_s ~ q_i: q.sample(rng, m) is [m, n, d];"
                        + " model.logJoint(x, z) takes z [m, n, d] and gives [m, n] (x [n, D] is broadcast over the m samples)");
    }

    private static Outcome identity(ElboEstimate f, long seed) throws Exception {
        Setup s = Setup.random(seed);
        INDArray logPx = s.model().logEvidence(s.x()).orElseThrow();
        MultivariateNormal post = s.model().posterior(s.x()).orElseThrow();
        INDArray kl = Kl.divergence(s.q(), post);
        Estimates ref = Bound.monteCarlo(SAMPLES).estimate(s.model(), s.q(), s.x(), Rng.seeded(seed + 1));
        return compare(f, s, logPx.sub(kl), ref.standardErrors(), "log p(x) − KL(q ‖ p(z|x))", seed + 1,
                "the ELBO is below log p(x) by exactly KL(q ‖ p(z|x)): a gap of another size means a missing or wrong term"
                        + " (the entropy H(q) = −E_q[log q(z)] belongs in the ELBO)");
    }

    private static Outcome tightAtPosterior(ElboEstimate f) throws Exception {
        // W with orthogonal columns: the posterior covariance is diagonal, so a diagonal q can equal it
        LinearGaussian model = LinearGaussian.of(Nd4j.createFromArray(new double[][] {{1.5, 0}, {0, 0.8}, {0, 0}}),
                Nd4j.createFromArray(0.2, -0.3, 0.5), 0.7);
        INDArray x = model.sample(Rng.seeded(3200), 4).x();
        MultivariateNormal post = model.posterior(x).orElseThrow();
        Normal q = Normal.of(post.mean(), post.stddev());
        Setup s = new Setup(model, q, x);
        Estimates ref = Bound.monteCarlo(SAMPLES).estimate(model, q, x, Rng.seeded(3201));
        return compare(f, s, model.logEvidence(x).orElseThrow(), ref.standardErrors(), "log p(x)", 3201,
                "with q = p(z|x) the KL term vanishes and ELBO = log p(x)");
    }

    /** The student's ELBO on the setup versus target values, within Z standard errors (√2 for two independent estimates). */
    private static Outcome compare(ElboEstimate f, Setup s, INDArray target, INDArray se, String what, long seed, String hint)
            throws Exception {
        INDArray got = f.apply(s.model(), s.q(), s.x(), SAMPLES, Rng.seeded(seed));
        long n = s.x().size(0);
        if (got == null) {
            return Outcome.fail("[" + n + "] values", "null", "return the ELBO of every point");
        }
        if (got.length() != n || got.rank() != 1) {
            return Outcome.fail("shape [" + n + "] (one ELBO per point)", "shape " + Arrays.toString(got.shape()),
                    "average over the m samples only, not over the points");
        }
        INDArray g = got.castTo(DataType.DOUBLE);
        INDArray diff = Transforms.abs(g.sub(target), false);
        INDArray allowed = se.mul(Z * Math.sqrt(2)).addi(1e-9);
        for (int i = 0; i < n; i++) {
            double gi = g.getDouble(i);
            if (!Double.isFinite(gi) || diff.getDouble(i) > allowed.getDouble(i)) {
                return Outcome.fail(String.format(Locale.ROOT, "%s = %s ± %s at point %d", what, Compare.format(target.getDouble(i)),
                        Compare.format(allowed.getDouble(i)), i), Compare.format(gi), hint);
            }
        }
        double worst = diff.div(se.add(1e-12)).maxNumber().doubleValue();
        return Outcome.pass(String.format(Locale.ROOT, "largest difference %.1f standard errors", worst / Math.sqrt(2)));
    }

    private record Setup(LinearGaussian model, Normal q, INDArray x) {
        static Setup random(long seed) {
            Rng rng = Rng.seeded(seed);
            LinearGaussian model = LinearGaussian.random(3, 2, 1.0, 0.6, rng);
            INDArray x = model.sample(rng, 5).x();
            Normal q = Normal.of(rng.normal(5, 2).muli(0.5), Transforms.exp(rng.normal(5, 2).muli(0.3).subi(0.5), false));
            return new Setup(model, q, x);
        }
    }

    private static Normal randomNormal(Rng rng, int n, int d) {
        return Normal.of(rng.normal(n, d), Transforms.exp(rng.normal(n, d).muli(0.7), false));
    }
}
