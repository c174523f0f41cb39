package dev.latentvi.homework;

import dev.latentvi.dist.Kl;
import dev.latentvi.dist.Normal;
import dev.latentvi.math.Estimates;
import dev.latentvi.math.Rng;
import dev.latentvi.vi.Bound;
import dev.latentvi.vi.GaussianPosterior;
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
 * log p(x) = ELBO + KL(q ‖ p(z|x)) on the linear-Gaussian model, whose evidence and posterior are exact.
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
        GaussianPosterior post = s.model().posterior(s.x()).orElseThrow();
        INDArray kl = post.klFromDiagonal(s.q().mean(), s.q().stddev());
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
        GaussianPosterior post = model.posterior(x).orElseThrow();
        Normal q = Normal.of(post.mean(), Nd4j.tile(post.marginalStd().reshape(1, 2), 4, 1));
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
