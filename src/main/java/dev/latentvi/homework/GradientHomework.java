package dev.latentvi.homework;

import dev.latentvi.dist.Normal;
import dev.latentvi.math.Rng;
import dev.latentvi.vi.Baseline;
import dev.latentvi.vi.GradientEstimators;
import dev.latentvi.vi.Objective;
import java.util.Arrays;
import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Assignment 3 — score-function (REINFORCE) vs reparameterized gradient estimators of
 * ∇_{μ, log σ} E_{z~N(μ, σ²)}[r(z)] (Lecture 18, part 3). Each estimator is compared with
 * {@link GradientEstimators} on the same random draws, and checked to be unbiased against the
 * closed-form gradient of a quadratic objective ({@link Objective#quadraticExpectationGradient});
 * the score ∇ log q itself against the library's terms for r ≡ 1, with its mean zero and its
 * second moment the Fisher information.
 *
 * <p>Draw protocol (so the draws match the library's): ε = rng.normal(m, d) in one call before
 * anything else, then z = μ + σ ⊙ ε row by row, with μ = q.mean() and σ = q.stddev() ({@code [1, d]}).
 */
public final class GradientHomework {
    /** Replicas in the unbiasedness checks. */
    public static final int REPLICAS = 100;

    /** Student: an m-sample gradient estimate for a one-row Normal q over d dimensions → {@code [2d]} = (∇_μ, ∇_{log σ}). */
    @FunctionalInterface
    public interface Estimator {
        INDArray apply(Objective r, Normal q, int m, Rng rng) throws Exception;
    }

    /** Student: the score ∇_{μ, log σ} log q(z_j) of each of m draws z_j from a one-row Normal q → {@code [m, 2d]}. */
    @FunctionalInterface
    public interface Score {
        INDArray apply(Normal q, int m, Rng rng) throws Exception;
    }

    /** Draws in the mean-zero and Fisher-information checks of the score. */
    public static final int SCORE_DRAWS = 20_000;

    record ScoreInput(double[] mu, double[] logSigma, int m, long seed) {
        Normal q() {
            return normal(mu, logSigma);
        }
    }

    record Input(double[] center, double[] curvature, double[] mu, double[] logSigma, int m, long seed, boolean blackBox) {
        Objective objective() {
            Objective q = Objective.quadratic(center, curvature);
            return blackBox ? new Objective() {      // values only: the score function must not need ∇r
                public int dim() {
                    return q.dim();
                }

                public INDArray value(INDArray z) {
                    return q.value(z);
                }
            } : q;
        }

        Normal q() {
            return normal(mu, logSigma);
        }
    }

    private GradientHomework() {
    }

    /** Exercise 3.1 (3 points): the score-function estimator without a baseline. */
    public static Feedback checkScoreFunction(Estimator student) {
        return estimator("Exercise 3.1 — score-function (REINFORCE) estimator", student, Baseline::none, 3,
                "(1/m) Σ_j r(z_j) ∇ log q(z_j) with ∇_μ log q = ε/σ and ∇_{log σ} log q = ε² − 1; draw ε = rng.normal(m, d)"
                        + " in one call first, z = μ + σ ⊙ ε", true);
    }

    /** Exercise 3.2 (3 points): the reparameterized estimator. */
    public static Feedback checkReparameterized(Estimator student) {
        return estimator("Exercise 3.2 — reparameterized estimator", student, null, 3,
                "(1/m) Σ_j (∇r(z_j), ∇r(z_j) ⊙ σε_j) with z_j = μ + σ ⊙ ε_j: dz/dμ = 1, dz/dlog σ = σε; r.gradient(z) is [m, d];"
                        + " draw ε = rng.normal(m, d) in one call first", false);
    }

    /** Exercise 3.3 (2 points): the score-function estimator with a leave-one-out baseline. */
    public static Feedback checkLeaveOneOut(Estimator student) {
        return estimator("Exercise 3.3 — score function with a leave-one-out baseline", student, Baseline::leaveOneOut, 2,
                "b_j = (Σ_k r(z_k) − r(z_j)) / (m − 1), the mean of the other samples' rewards; use (r(z_j) − b_j) in place of r(z_j)",
                false);
    }

    /**
     * Exercise 3.4 (2 points): the score function ∇ log q per draw, compared with the library's
     * score-function terms for r ≡ 1 on the same draws; its mean over many draws is 0 (why a baseline
     * keeps REINFORCE unbiased) and its mean square is the Fisher information (1/σ² for μ, 2 for log σ).
     */
    public static Feedback checkScore(Score student) {
        return Exercise.<Score, ScoreInput, INDArray>of("Exercise 3.4 — the score has mean zero",
                        in -> GradientEstimators.scoreFunction(one(in.mu().length), in.q(), in.m(), Baseline.none(), Rng.seeded(in.seed()))
                                .samples(),
                        (f, in) -> f.apply(in.q(), in.m(), Rng.seeded(in.seed())))
                .points(2)
                .tolerance(1e-9, 1e-7)
                .hint("row j is (ε_j/σ, ε_j² − 1) with ε = rng.normal(m, d) drawn first in one call and z_j = μ + σ ⊙ ε_j:"
                        + " ∂/∂μ log N(z; μ, σ²) = (z − μ)/σ², ∂/∂log σ = ((z − μ)/σ)² − 1")
                .describe(in -> String.format(Locale.ROOT, "d = %d, m = %d draws", in.mu().length, in.m()))
                .random(2, 3450, rng -> {
                    int d = 2 + rng.nextInt(2);
                    return new ScoreInput(rng.normal(d).toDoubleVector(), rng.normal(d).muli(0.5).toDoubleVector(), 4 + rng.nextInt(5),
                            rng.nextSeed());
                })
                .edge("one latent dimension, a narrow q (σ = 0.05)", () -> new ScoreInput(new double[] {0.7}, new double[] {Math.log(0.05)}, 3, 3460),
                        "∂/∂μ is divided by σ (ε/σ), not multiplied")
                .property("mean zero: the average score over " + SCORE_DRAWS + " draws is within 4 standard errors of 0", f -> scoreMoments(f, false))
                .property("Fisher information: the mean squared score is 1/σ² for μ and 2 for log σ (within 5 standard errors)",
                        f -> scoreMoments(f, true))
                .check(student);
    }

    /** The first (or second) moment of the student's score over many draws against 0 (or the Fisher information). */
    private static Outcome scoreMoments(Score f, boolean second) throws Exception {
        double[] mu = {0.5, -1.0};
        double[] logSigma = {Math.log(0.5), Math.log(2.0)};
        INDArray got = f.apply(normal(mu, logSigma), SCORE_DRAWS, Rng.seeded(second ? 3480 : 3470));
        int p = 2 * mu.length;
        if (got == null || got.rank() != 2 || got.size(0) != SCORE_DRAWS || got.size(1) != p) {
            return Outcome.fail("shape [" + SCORE_DRAWS + ", " + p + "] (one score row per draw)",
                    got == null ? "null" : "shape " + Arrays.toString(got.shape()), "return the score of every draw, not their mean");
        }
        INDArray v = got.castTo(DataType.DOUBLE);
        if (second) {
            v = v.mul(v);
        }
        double[] mean = v.mean(0).toDoubleVector();
        double[] sd = v.std(0).toDoubleVector();
        double worst = 0;
        for (int j = 0; j < p; j++) {
            double target = !second ? 0 : j < mu.length ? Math.exp(-2 * logSigma[j]) : 2;
            double se = sd[j] / Math.sqrt(SCORE_DRAWS) + 1e-12;
            double z = Math.abs(mean[j] - target) / se;
            worst = Math.max(worst, z);
            if (!(z <= (second ? 5 : 4))) {
                String name = j < mu.length ? "∂/∂μ[" + j + "]" : "∂/∂log σ[" + (j - mu.length) + "]";
                return Outcome.fail(String.format(Locale.ROOT, "%s of %s = %s", second ? "mean square" : "mean", name, Compare.format(target)),
                        String.format(Locale.ROOT, "%s ± %s", Compare.format(mean[j]), Compare.format(se)),
                        second ? "the μ-score is (z − μ)/σ² = ε/σ, the log σ-score ε² − 1" : "score terms with a nonzero mean: check ε/σ and ε² − 1,"
                                + " and that z is drawn from q itself");
            }
        }
        return Outcome.pass(String.format(Locale.ROOT, "within %.1f standard errors", worst));
    }

    /** r(z) ≡ 1 in d dimensions: the score-function terms are then the scores themselves. */
    private static Objective one(int d) {
        return new Objective() {
            public int dim() {
                return d;
            }

            public INDArray value(INDArray z) {
                return Nd4j.ones(DataType.DOUBLE, z.size(0));
            }
        };
    }

    private static Feedback estimator(String title, Estimator student, java.util.function.Supplier<Baseline> baseline, double points,
            String hint, boolean blackBoxCase) {
        Exercise<Estimator, Input, INDArray> ex = Exercise.<Estimator, Input, INDArray>of(title,
                        in -> reference(in, baseline),
                        (f, in) -> f.apply(in.objective(), in.q(), in.m(), Rng.seeded(in.seed())))
                .points(points)
                .tolerance(1e-9, 1e-7)
                .hint(hint)
                .describe(in -> String.format(Locale.ROOT, "d = %d, m = %d samples%s", in.mu().length, in.m(),
                        in.blackBox() ? ", r given by values only" : ""))
                .random(2, title.hashCode() & 0xffff, rng -> randomInput(rng, false))
                .edge("a single latent dimension, 2 samples", () -> new Input(new double[] {1.0}, new double[] {2.0},
                        new double[] {-0.5}, new double[] {0.3}, 2, 77, false), null);
        if (blackBoxCase) {
            ex.edge("r is a black box (values only, no gradient)", () -> randomInput(Rng.seeded(88), true),
                    "the score-function estimator needs only r.value(z): do not call r.gradient");
        }
        return ex.property("unbiased: the mean of " + REPLICAS + " estimates (200 samples each) matches the exact gradient", f -> unbiased(f))
                .check(student);
    }

    private static INDArray reference(Input in, java.util.function.Supplier<Baseline> baseline) {
        Rng rng = Rng.seeded(in.seed());
        return baseline == null
                ? GradientEstimators.reparameterized(in.objective(), in.q(), in.m(), rng).gradient()
                : GradientEstimators.scoreFunction(in.objective(), in.q(), in.m(), baseline.get(), rng).gradient();
    }

    /** The mean of many independent student estimates on a quadratic objective vs its exact gradient. */
    private static Outcome unbiased(Estimator f) throws Exception {
        double[] center = {1.0, -0.5};
        double[] curvature = {1.0, 2.0};
        double[] mu = {0.2, 0.4};
        double[] logSigma = {-0.3, 0.1};
        double[] exact = Objective.quadraticExpectationGradient(normal(mu, logSigma), center, curvature);
        int m = 200;                 // many samples per estimate: enough power to see a biased term
        Objective r = Objective.quadratic(center, curvature);
        double[][] est = new double[REPLICAS][];
        for (int k = 0; k < REPLICAS; k++) {
            INDArray g = f.apply(r, normal(mu, logSigma), m, Rng.seeded(9000 + k));   // a fresh q each time
            if (g == null || g.length() != exact.length) {
                return Outcome.fail("[" + exact.length + "] entries (∇_μ then ∇_{log σ})",
                        g == null ? "null" : "shape " + Arrays.toString(g.shape()), "return one [2d] vector");
            }
            est[k] = g.castTo(DataType.DOUBLE).reshape(exact.length).toDoubleVector();
        }
        double maxZ = 0;
        for (int j = 0; j < exact.length; j++) {
            double mean = 0;
            for (double[] e : est) {
                mean += e[j] / REPLICAS;
            }
            double var = 0;
            for (double[] e : est) {
                var += (e[j] - mean) * (e[j] - mean) / (REPLICAS - 1);
            }
            double se = Math.sqrt(var / REPLICAS) + 1e-12;
            double z = Math.abs(mean - exact[j]) / se;
            maxZ = Math.max(maxZ, z);
            if (!(z <= 5)) {
                String name = j < mu.length ? "∇_μ[" + j + "]" : "∇_{log σ}[" + (j - mu.length) + "]";
                return Outcome.fail(String.format(Locale.ROOT, "%s = %s (exact)", name, Compare.format(exact[j])),
                        String.format(Locale.ROOT, "%s ± %s on average", Compare.format(mean), Compare.format(se)),
                        "the estimator is biased: check the score terms (ε/σ for μ, ε² − 1 for log σ) or the chain rule through z = μ + σε");
            }
        }
        return Outcome.pass(String.format(Locale.ROOT, "within %.1f standard errors of the exact gradient", maxZ));
    }

    /** A one-row Normal with fresh arrays (the student's code may modify what it is given). */
    private static Normal normal(double[] mu, double[] logSigma) {
        return Normal.ofLogSigma(Nd4j.createFromArray(mu.clone()), Nd4j.createFromArray(logSigma.clone()));
    }

    private static Input randomInput(Rng rng, boolean blackBox) {
        int d = 2 + rng.nextInt(2);
        double[] center = rng.normal(d).toDoubleVector();
        double[] curvature = rng.uniform(d).addi(0.5).toDoubleVector();
        double[] mu = rng.normal(d).toDoubleVector();
        double[] logSigma = rng.normal(d).muli(0.3).toDoubleVector();
        return new Input(center, curvature, mu, logSigma, 5 + rng.nextInt(4), rng.nextSeed(), blackBox);
    }
}
