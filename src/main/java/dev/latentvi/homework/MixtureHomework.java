package dev.latentvi.homework;

import dev.latentvi.dist.Categorical;
import dev.latentvi.dist.GaussianMixture;
import dev.latentvi.dist.Kl;
import dev.latentvi.lvm.GaussianMixtureEm;
import dev.latentvi.math.Rng;
import java.util.Arrays;
import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Assignment 1 — Gaussian mixtures and EM (Lecture 18, part 1). Each check compares the student's
 * function with the library: {@link GaussianMixture#logProb}, {@link GaussianMixture#responsibilities},
 * one iteration of {@link GaussianMixtureEm}, and the ELBO of a distribution q over the components
 * against log p(x) − KL(q ‖ p(z|x)) ({@link GaussianMixture#posterior}, {@link Kl#divergence}).
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

    /**
     * Student: the ELBO of each point for a distribution q_i over the K components,
     * L_i = Σ_k q_ik log p(x_i, z = k) − Σ_k q_ik log q_ik: x {@code [n, d]}, q {@code [n, K]} (rows sum to 1) → {@code [n]}.
     */
    @FunctionalInterface
    public interface MixtureElbo {
        INDArray apply(GaussianMixture mixture, INDArray x, INDArray q) throws Exception;
    }

    /** A mixture, data and a distribution q {@code [n, K]} over its components for every point. */
    record ElboInput(GaussianMixture mixture, INDArray x, INDArray q) {
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

    /**
     * Exercise 1.4 (2 points): the ELBO with a categorical q over the components, compared with
     * log p(x) − KL(q ‖ p(z|x)); at q = the responsibilities it equals log p(x) (the E-step makes the bound tight).
     */
    public static Feedback checkElbo(MixtureElbo student) {
        return Exercise.<MixtureElbo, ElboInput, INDArray>of("Exercise 1.4 — the ELBO of a mixture, tight at the posterior",
                        in -> in.mixture().logProb(in.x()).sub(Kl.divergence(Categorical.ofProbs(in.q()), in.mixture().posterior(in.x()))),
                        (f, in) -> f.apply(in.mixture(), in.x(), in.q()))
                .points(2)
                .hint("L_i = Σ_k q_ik log p(x_i, z = k) + H(q_i) with H(q_i) = −Σ_k q_ik log q_ik: mixture.jointLogProbs(x) is the [n, K]"
                        + " log joint; the expected value is log p(x_i) − KL(q_i ‖ p(z | x_i))")
                .describe(in -> describe(new Input(in.mixture(), in.x(), null)))
                .random(3, 600, MixtureHomework::randomElboInput)
                .edge("q = the exact posterior (the responsibilities): ELBO = log p(x)", () -> {
                    Input in = randomInput(Rng.seeded(650), 3, 2, 20, false);
                    return new ElboInput(in.mixture(), in.x(), in.mixture().responsibilities(in.x()));
                }, "with q_ik = r_ik every term log p(x_i, k) − log r_ik equals log p(x_i): the gap KL(q ‖ p(z|x)) is 0")
                .edge("hard assignments (one-hot q, as in k-means): 0 · log 0 = 0", () -> {
                    Input in = randomInput(Rng.seeded(660), 3, 2, 20, false);
                    return new ElboInput(in.mixture(), in.x(), oneHot(in.mixture().mostLikelyComponent(in.x()), 3));
                }, "a component with q_ik = 0 adds nothing to the entropy (0 · log 0 = 0), but q_ik · log q_ik gives 0 · (−∞) = NaN:"
                        + " e.g. take the log of max(q, Double.MIN_VALUE)")
                .property("the bound: your ELBO is at most log p(x) for 20 random q, with equality only at the posterior",
                        MixtureHomework::boundHolds)
                .check(student);
    }

    /** The student's ELBO never exceeds log p(x), and is strictly below it for a q away from the posterior. */
    private static Outcome boundHolds(MixtureElbo student) throws Exception {
        Rng rng = Rng.seeded(670);
        Input in = randomInput(rng, 3, 2, 15, false);
        double[] logPx = in.mixture().logProb(in.x()).toDoubleVector();
        double smallest = Double.POSITIVE_INFINITY;
        for (int t = 0; t < 20; t++) {
            INDArray q = randomQ(rng, 15, 3);
            INDArray got = student.apply(in.mixture(), in.x(), q);
            if (got == null || got.length() != logPx.length) {
                return Outcome.fail("[" + logPx.length + "] values", got == null ? "null" : "shape " + Arrays.toString(got.shape()),
                        "return one ELBO per point");
            }
            double[] g = got.castTo(DataType.DOUBLE).reshape(logPx.length).toDoubleVector();
            for (int i = 0; i < g.length; i++) {
                double gap = logPx[i] - g[i];
                if (!(gap >= -1e-9)) {
                    return Outcome.fail(String.format(Locale.ROOT, "ELBO ≤ log p(x) = %s at point %d", Compare.format(logPx[i]), i),
                            Compare.format(g[i]), "a lower bound can never exceed log p(x): check the sign of the entropy term");
                }
                smallest = Math.min(smallest, gap);
            }
        }
        return smallest > 1e-6 ? Outcome.pass(String.format(Locale.ROOT, "smallest gap log p(x) − ELBO = %.3g nats", smallest))
                : Outcome.fail("a positive gap for q ≠ p(z|x)", String.format(Locale.ROOT, "gap %.3g", smallest),
                        "a random q is not the posterior, so the bound cannot be tight there");
    }

    private static ElboInput randomElboInput(Rng rng) {
        int k = 2 + rng.nextInt(2);
        Input in = randomInput(rng, k, 2, 25, false);
        return new ElboInput(in.mixture(), in.x(), randomQ(rng, 25, k));
    }

    /** Random rows on the simplex {@code [n, K]} (normalized exponentials of Gaussian logits). */
    private static INDArray randomQ(Rng rng, int n, int k) {
        INDArray w = Transforms.exp(rng.normal(n, k).muli(1.5), false);
        return w.diviColumnVector(w.sum(true, 1));
    }

    private static INDArray oneHot(INDArray labels, int k) {
        INDArray q = Nd4j.zeros(DataType.DOUBLE, labels.length(), k);
        for (int i = 0; i < labels.length(); i++) {
            q.putScalar(i, (int) labels.getDouble(i), 1.0);
        }
        return q;
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
