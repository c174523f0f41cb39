package dev.latentvi.homework;

import dev.latentvi.dist.GaussianMixture;
import dev.latentvi.lvm.GaussianMixtureEm;
import dev.latentvi.math.Rng;
import java.util.Arrays;
import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Assignment 1 — Gaussian mixtures and EM (Lecture 18, part 1). Each check compares the student's
 * function with the library: {@link GaussianMixture#logProb}, {@link GaussianMixture#responsibilities}
 * and one iteration of {@link GaussianMixtureEm}.
 */
public final class MixtureHomework {
    /** The minVariance every EM step adds to the covariance diagonal (as {@link GaussianMixtureEm} does). */
    public static final double MIN_VARIANCE = 1e-6;

    /** Student: log p(x_i) = log Σ_k w_k N(x_i; μ_k, Σ_k) for each row of x {@code [n, d]} → {@code [n]}. */
    @FunctionalInterface
    public interface LogLikelihood {
        INDArray apply(GaussianMixture mixture, INDArray x) throws Exception;
    }

    /** Student: the E-step, responsibilities r_ik = p(z = k | x_i): x {@code [n, d]} → {@code [n, K]}. */
    @FunctionalInterface
    public interface Responsibilities {
        INDArray apply(GaussianMixture mixture, INDArray x) throws Exception;
    }

    /** Student: one EM iteration (E-step then M-step) from {@code mixture} on data x {@code [n, d]}. */
    @FunctionalInterface
    public interface EmStep {
        GaussianMixture apply(GaussianMixture mixture, INDArray x) throws Exception;
    }

    /** A mixture and data; {@code next} is the library's EM iterate after {@code mixture} (null when unused). */
    record Input(GaussianMixture mixture, INDArray x, GaussianMixture next) {
    }

    /** The parameters compared after an EM step. */
    record Parameters(INDArray weights, INDArray means, INDArray covariances) {
        static Parameters of(GaussianMixture g) {
            return g == null ? null : new Parameters(g.weights(), g.means(), g.covariances());
        }
    }

    private MixtureHomework() {
    }

    /** Exercise 1.1 (2 points): the data log-likelihood, per point. */
    public static Feedback checkLogLikelihood(LogLikelihood student) {
        return Exercise.<LogLikelihood, Input, INDArray>of("Exercise 1.1 — log-likelihood of a Gaussian mixture",
                        in -> in.mixture().logProb(in.x()), (f, in) -> f.apply(in.mixture(), in.x()))
                .points(2)
                .hint("log p(x_i) = logsumexp_k (log w_k + log N(x_i; μ_k, Σ_k)): mixture.componentLogProbs(x) gives the"
                        + " [n, K] log-densities, LogMath.logSumExp(a, 1) the stable row-wise log Σ exp")
                .describe(MixtureHomework::describe)
                .random(3, 100, rng -> randomInput(rng, 2 + rng.nextInt(2), 2, 25, false))
                .edge("far-away points (exp underflows)", () -> farAway(false),
                        "exp(log N) is 0 in double precision 40 standard deviations out: stay in log space")
                .edge("one component, one point", () -> singleComponent(false), "with K = 1, log p(x) = log N(x; μ_1, Σ_1)")
                .check(student);
    }

    /** Exercise 1.2 (2 points): the E-step. */
    public static Feedback checkResponsibilities(Responsibilities student) {
        return Exercise.<Responsibilities, Input, INDArray>of("Exercise 1.2 — E-step: responsibilities",
                        in -> in.mixture().responsibilities(in.x()), (f, in) -> f.apply(in.mixture(), in.x()))
                .points(2)
                .hint("r_ik = exp(log w_k + log N(x_i; μ_k, Σ_k) − log p(x_i)); mixture.jointLogProbs(x) gives the [n, K]"
                        + " log joint, each row of r sums to 1")
                .describe(MixtureHomework::describe)
                .random(3, 200, rng -> randomInput(rng, 2 + rng.nextInt(2), 2, 25, false))
                .edge("far-away points (0/0 if computed outside log space)", () -> farAway(false),
                        "normalize in log space: subtract the row's logsumexp before exponentiating")
                .edge("one component, one point", () -> singleComponent(false), "with K = 1 every responsibility is 1")
                .check(student);
    }

    /** Exercise 1.3 (3 points): one EM iteration, compared with the library's, and EM's monotonicity. */
    public static Feedback checkEmStep(EmStep student) {
        return Exercise.<EmStep, Input, Parameters>of("Exercise 1.3 — one EM step",
                        in -> Parameters.of(in.next()), (f, in) -> Parameters.of(f.apply(in.mixture(), in.x())))
                .points(3)
                .tolerance(1e-6, 1e-5)
                .hint("M-step with N_k = Σ_i r_ik: w_k = N_k / n, μ_k = Σ_i r_ik x_i / N_k, Σ_k = Σ_i r_ik (x_i − μ_k)(x_i − μ_k)ᵀ / N_k"
                        + " + " + MIN_VARIANCE + "·I; use the new μ_k inside Σ_k")
                .describe(MixtureHomework::describe)
                .random(3, 300, rng -> randomInput(rng, 2 + rng.nextInt(2), 2, 40, true))
                .edge("one component (EM finds the maximum-likelihood Gaussian in one step)", () -> singleComponentEm(),
                        "with K = 1 the step gives the sample mean and the (biased, divide by n) sample covariance")
                .property("the log-likelihood never decreases over 5 steps of your EM", MixtureHomework::monotone)
                .check(student);
    }

    /** Five student EM steps from the library's initialization; the mean log-likelihood must not drop. */
    private static Outcome monotone(EmStep student) throws Exception {
        Input in = randomInput(Rng.seeded(400), 3, 2, 60, true);
        GaussianMixture g = in.mixture();
        double ll = meanLogLik(g, in.x());
        StringBuilder trace = new StringBuilder(String.format(Locale.ROOT, "%.4f", ll));
        for (int t = 1; t <= 5; t++) {
            GaussianMixture next = student.apply(g, in.x());
            if (next == null) {
                return Outcome.fail("a mixture", "null at step " + t, "return the updated GaussianMixture");
            }
            double nextLl = meanLogLik(next, in.x());
            trace.append(String.format(Locale.ROOT, " → %.4f", nextLl));
            if (!(nextLl >= ll - 1e-9)) {
                return Outcome.fail("a non-decreasing mean log-likelihood", trace.toString(),
                        "EM can never lower the likelihood: check the M-step uses the responsibilities of the current mixture");
            }
            g = next;
            ll = nextLl;
        }
        return Outcome.pass("mean log-likelihood " + trace);
    }

    private static double meanLogLik(GaussianMixture g, INDArray x) {
        return g.logProb(x).meanNumber().doubleValue();
    }

    /** A random full-covariance mixture with K components in d dimensions and n points drawn from a perturbed copy of it. */
    static Input randomInput(Rng rng, int k, int d, int n, boolean withEmStep) {
        GaussianMixture truth = randomMixture(rng, k, d, 3.0);
        INDArray x = truth.sampleLabeled(rng, n).x();
        if (withEmStep) {
            return emInput(x, k, rng);
        }
        return new Input(randomMixture(rng, k, d, 2.0), x, null);
    }

    private static Input emInput(INDArray x, int k, Rng rng) {
        GaussianMixtureEm.Fit fit = GaussianMixtureEm.withComponents(k).maxIterations(1).tolerance(0)
                .minVariance(MIN_VARIANCE).progress(false).fit(x, rng);
        return new Input(fit.iterates().get(0), x, fit.iterates().get(1));
    }

    private static GaussianMixture randomMixture(Rng rng, int k, int d, double spread) {
        INDArray w = rng.uniform(k).addi(0.3);
        w.divi(w.sumNumber().doubleValue());
        INDArray means = rng.normal(k, d).muli(spread);
        INDArray cov = Nd4j.create(DataType.DOUBLE, k, d, d);
        for (int c = 0; c < k; c++) {
            INDArray a = rng.normal(d, d).muli(0.6);
            INDArray s = a.mmul(a.transpose()).addi(Nd4j.eye(d).castTo(DataType.DOUBLE).muli(0.3));
            cov.slice(c).assign(s.add(s.transpose()).muli(0.5));
        }
        return GaussianMixture.full(w, means, cov);
    }

    private static Input farAway(boolean unused) {
        GaussianMixture g = GaussianMixture.full(Nd4j.createFromArray(0.3, 0.7),
                Nd4j.createFromArray(new double[][] {{0, 0}, {3, 1}}),
                Nd4j.stack(0, Nd4j.eye(2).castTo(DataType.DOUBLE), Nd4j.eye(2).castTo(DataType.DOUBLE).muli(0.5)));
        INDArray x = Nd4j.createFromArray(new double[][] {{40, -35}, {-50, 60}, {1, 0.5}});
        return new Input(g, x, null);
    }

    private static Input singleComponent(boolean unused) {
        GaussianMixture g = GaussianMixture.full(Nd4j.createFromArray(1.0), Nd4j.createFromArray(new double[][] {{1, -1}}),
                Nd4j.createFromArray(new double[][][] {{{2, 0.5}, {0.5, 1}}}));
        return new Input(g, Nd4j.createFromArray(new double[][] {{0.5, 0.2}}), null);
    }

    private static Input singleComponentEm() {
        Rng rng = Rng.seeded(500);
        INDArray x = rng.normal(30, 2).muli(1.5).addi(2.0);
        return emInput(x, 1, rng);
    }

    private static String describe(Input in) {
        return String.format(Locale.ROOT, "x %s, K = %d", Arrays.toString(in.x().shape()), in.mixture().numComponents());
    }
}
