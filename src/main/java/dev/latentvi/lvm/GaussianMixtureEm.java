package dev.latentvi.lvm;

import dev.latentvi.dist.GaussianMixture;
import dev.latentvi.math.Check;
import dev.latentvi.math.LogMath;
import dev.latentvi.math.Rng;
import dev.latentvi.internal.SmallOps;
import dev.latentvi.notebook.Progress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

/**
 * Expectation–maximization for a Gaussian mixture: the expected complete-data log-likelihood
 * (1/N) Σ_i E_{z~p(z|x_i)}[log p(x_i, z)] with the exact posterior (E-step), maximized in closed
 * form (M-step). Initialization is k-means++-style from the {@link Rng}; iteration stops when the
 * relative change of the mean log-likelihood falls below {@code tolerance}. Covariances get
 * {@code minVariance} added to their diagonal, so a component that collapses onto one point stays
 * non-singular.
 *
 * <pre>{@code
 * GaussianMixtureEm.Fit fit = GaussianMixtureEm.withComponents(3).fit(x, Rng.seeded(0));
 * fit.mixture().responsibilities(x); fit.trace();   // iteration, log-likelihood
 * }</pre>
 */
public final class GaussianMixtureEm {
    private final int components;
    private final boolean diagonal;
    private final int maxIterations;
    private final double tolerance;
    private final double minVariance;
    private final boolean showProgress;

    private GaussianMixtureEm(int components, boolean diagonal, int maxIterations, double tolerance, double minVariance,
            boolean showProgress) {
        this.components = components;
        this.diagonal = diagonal;
        this.maxIterations = maxIterations;
        this.tolerance = tolerance;
        this.minVariance = minVariance;
        this.showProgress = showProgress;
    }

    /** EM for K ≥ 1 full-covariance components, 200 iterations at most, tolerance 1e-6, minVariance 1e-6, with progress. */
    public static GaussianMixtureEm withComponents(int k) {
        Check.positive("k", k);
        return new GaussianMixtureEm(k, false, 200, 1e-6, 1e-6, true);
    }

    /** Diagonal instead of full covariances. */
    public GaussianMixtureEm diagonal() {
        return new GaussianMixtureEm(components, true, maxIterations, tolerance, minVariance, showProgress);
    }

    /** At most this many EM iterations (≥ 1). */
    public GaussianMixtureEm maxIterations(int n) {
        Check.positive("maxIterations", n);
        return new GaussianMixtureEm(components, diagonal, n, tolerance, minVariance, showProgress);
    }

    /** Stop when |ℓ_t − ℓ_{t−1}| ≤ tolerance · |ℓ_t| (ℓ the mean log-likelihood); 0 runs all iterations. */
    public GaussianMixtureEm tolerance(double tol) {
        Check.inRange("tolerance", tol, 0, 1);
        return new GaussianMixtureEm(components, diagonal, maxIterations, tol, minVariance, showProgress);
    }

    /** Added to every covariance diagonal (> 0): the guard against singular covariances. */
    public GaussianMixtureEm minVariance(double v) {
        Check.positive("minVariance", v);
        return new GaussianMixtureEm(components, diagonal, maxIterations, tolerance, v, showProgress);
    }

    /** Whether to show a live progress line (default true). */
    public GaussianMixtureEm progress(boolean show) {
        return new GaussianMixtureEm(components, diagonal, maxIterations, tolerance, minVariance, show);
    }

    /**
     * Fits to data x {@code [n, d]} (n ≥ K, finite). The returned {@link Fit} holds the final
     * mixture, the mean log-likelihood after initialization and after every iteration, and every
     * iterate (for plotting how the responsibilities evolve).
     */
    public Fit fit(INDArray x, Rng rng) {
        return SmallOps.singleThreaded(() -> run(x, rng));
    }

    private Fit run(INDArray x, Rng rng) {
        Check.matrix("x", x, -1);
        Check.notNull("rng", rng);
        INDArray xs = x.dataType() == DataType.DOUBLE ? x : x.castTo(DataType.DOUBLE);
        Check.finite("x", xs);
        long n = xs.size(0);
        if (components > n) {
            throw new IllegalArgumentException("k: expected at most n = " + n + " components (one per data point), got " + components);
        }
        GaussianMixture current = initialize(xs, rng);
        List<GaussianMixture> iterates = new ArrayList<>();
        List<Double> trace = new ArrayList<>();
        iterates.add(current);
        INDArray joint = current.jointLogProbs(xs);
        INDArray rowLse = LogMath.logSumExp(joint, 1, true);
        double ll = rowLse.meanNumber().doubleValue();
        trace.add(ll);
        boolean converged = false;
        int it = 0;
        Progress progress = showProgress ? Progress.start("EM", maxIterations) : null;
        try {
            while (it < maxIterations && !converged) {
                INDArray resp = Transforms.exp(joint.subiColumnVector(rowLse), false);   // E-step [n, K]
                current = mStep(xs, resp);                                                // M-step
                it++;
                iterates.add(current);
                joint = current.jointLogProbs(xs);
                rowLse = LogMath.logSumExp(joint, 1, true);
                double next = rowLse.meanNumber().doubleValue();
                converged = Math.abs(next - ll) <= tolerance * Math.abs(next);
                ll = next;
                trace.add(ll);
                if (progress != null) {
                    progress.step("log-lik %.5f", ll);
                }
            }
            if (progress != null) {
                progress.finish("%s after %d iterations, mean log-likelihood %.5f", converged ? "converged" : "stopped", it, ll);
            }
        } finally {
            if (progress != null) {
                progress.close();
            }
        }
        return new Fit(current, trace.stream().mapToDouble(Double::doubleValue).toArray(), it, converged,
                Collections.unmodifiableList(iterates));
    }

    /**
     * The EM objective (1/N) Σ_i Σ_k r_ik log p(x_i, z = k) — the expected complete-data
     * log-likelihood under responsibilities r {@code [n, K]} (e.g. the exact posterior of another
     * mixture) for data x {@code [n, d]}.
     */
    public static double expectedCompleteLogLikelihood(GaussianMixture mixture, INDArray x, INDArray responsibilities) {
        Check.notNull("mixture", mixture);
        INDArray joint = mixture.jointLogProbs(x);
        Check.sameShape("responsibilities", responsibilities, "log p(x, z)", joint);
        INDArray prod = joint.mul(responsibilities);
        org.nd4j.linalg.indexing.BooleanIndexing.replaceWhere(prod, 0.0, org.nd4j.linalg.indexing.conditions.Conditions.isNan());
        return prod.sum(1).meanNumber().doubleValue();
    }

    /** k-means++ seeding: the first centre uniformly, each next one with probability ∝ squared distance to the nearest centre. */
    private GaussianMixture initialize(INDArray x, Rng rng) {
        int n = (int) x.size(0);
        long d = x.size(1);
        int[] centres = new int[components];
        centres[0] = rng.nextInt(n);
        INDArray minSq = sqDist(x, x.getRow(centres[0]));
        for (int c = 1; c < components; c++) {
            double[] w = minSq.dup().data().asDouble();
            double total = Arrays.stream(w).sum();
            int pick;
            if (!(total > 0)) {
                pick = rng.nextInt(n);          // all points coincide with centres
            } else {
                double u = rng.uniform() * total;
                pick = n - 1;
                double acc = 0;
                for (int i = 0; i < n; i++) {
                    acc += w[i];
                    if (acc > u) {
                        pick = i;
                        break;
                    }
                }
            }
            centres[c] = pick;
            minSq = Transforms.min(minSq, sqDist(x, x.getRow(pick)), false);
        }
        INDArray means = Nd4j.create(DataType.DOUBLE, components, d);
        for (int c = 0; c < components; c++) {
            means.putRow(c, x.getRow(centres[c]));
        }
        // shared initial covariance: the data covariance (diagonal of it for a diagonal model)
        INDArray centred = x.subRowVector(x.mean(0));
        INDArray cov = centred.transpose().mmul(centred).divi(n);
        if (diagonal) {
            cov = Nd4j.diag(Nd4j.diag(cov));
        }
        cov.addi(Nd4j.eye(d).castTo(DataType.DOUBLE).muli(minVariance));
        INDArray weights = Nd4j.valueArrayOf(new long[] {components}, 1.0 / components, DataType.DOUBLE);
        return build(weights, means, Nd4j.stack(0, repeat(cov, components)));
    }

    /** Closed-form maximizer of the expected complete-data log-likelihood given responsibilities {@code [n, K]}. */
    private GaussianMixture mStep(INDArray x, INDArray resp) {
        long n = x.size(0);
        long d = x.size(1);
        INDArray nk = resp.sum(0).addi(1e-10);                                // [K], floor so empty components stay defined
        INDArray weights = nk.div(nk.sumNumber().doubleValue());
        INDArray means = resp.transpose().mmul(x).diviColumnVector(nk.reshape(components, 1));   // [K, d]
        INDArray covs = Nd4j.create(DataType.DOUBLE, components, d, d);
        INDArray eye = Nd4j.eye(d).castTo(DataType.DOUBLE).muli(minVariance);
        for (int c = 0; c < components; c++) {
            INDArray centred = x.subRowVector(means.getRow(c));
            INDArray weighted = centred.mulColumnVector(resp.getColumn(c).reshape(n, 1));
            INDArray cov = weighted.transpose().mmul(centred).divi(nk.getDouble(c));
            if (diagonal) {
                cov = Nd4j.diag(Nd4j.diag(cov));
            }
            cov = cov.add(cov.transpose()).muli(0.5).addi(eye);               // exact symmetry + guard
            covs.slice(c).assign(cov);
        }
        return build(weights, means, covs);
    }

    private GaussianMixture build(INDArray weights, INDArray means, INDArray covs) {
        if (diagonal) {
            INDArray var = Nd4j.create(DataType.DOUBLE, components, means.size(1));
            for (int c = 0; c < components; c++) {
                var.putRow(c, Nd4j.diag(covs.slice(c)));
            }
            return GaussianMixture.diagonal(weights, means, var);
        }
        return GaussianMixture.full(weights, means, covs);
    }

    private static INDArray sqDist(INDArray x, INDArray row) {
        INDArray diff = x.subRowVector(row);
        return diff.muli(diff).sum(1);
    }

    private static INDArray[] repeat(INDArray a, int k) {
        INDArray[] out = new INDArray[k];
        Arrays.fill(out, a);
        return out;
    }

    /**
     * Result of a fit.
     *
     * @param mixture            the fitted mixture
     * @param logLikelihoodTrace mean log-likelihood (1/N) Σ log p(x_i): index 0 after initialization, t after iteration t
     * @param iterations         EM iterations run
     * @param converged          whether the relative-change criterion was met
     * @param iterates           the mixture after initialization (index 0) and after each iteration
     */
    public record Fit(GaussianMixture mixture, double[] logLikelihoodTrace, int iterations, boolean converged,
            List<GaussianMixture> iterates) {

        /** Final mean log-likelihood. */
        public double logLikelihood() {
            return logLikelihoodTrace[logLikelihoodTrace.length - 1];
        }

        /**
         * The log-likelihood trace as a table of {@code iterations + 1} rows: "iteration" (0 after
         * initialization, t after iteration t) and "log-likelihood" ((1/N) Σ log p(x_i)), for
         * {@code chart.markers("EM", trace.intColumn("iteration"), trace.doubleColumn("log-likelihood"))}.
         */
        public Table trace() {
            IntColumn iteration = IntColumn.create("iteration");
            DoubleColumn logLik = DoubleColumn.create("log-likelihood");
            for (int t = 0; t < logLikelihoodTrace.length; t++) {
                iteration.append(t);
                logLik.append(logLikelihoodTrace[t]);
            }
            return Table.create("EM log-likelihood per iteration", iteration, logLik);
        }

        /**
         * log p(x) = Q + H at the given iterations (each in 0..{@link #iterations()}, in the order
         * given), for the data x {@code [N, d]} the fit was run on: one row per iteration with
         * "iteration", "log-likelihood" (the trace), "Q = E[log p(x, z)]" (the expected complete-data
         * log-likelihood under that iterate's own posterior, {@link #expectedCompleteLogLikelihood})
         * and "posterior entropy H" (their difference, the mean entropy of p(z | x_i)).
         */
        public Table decomposition(INDArray x, int... at) {
            Check.notNull("x", x);
            Check.notNull("at", at);
            if (at.length == 0) {
                throw new IllegalArgumentException("at: expected at least one iteration, got none");
            }
            IntColumn iteration = IntColumn.create("iteration");
            DoubleColumn logLik = DoubleColumn.create("log-likelihood");
            DoubleColumn q = DoubleColumn.create("Q = E[log p(x, z)]");
            DoubleColumn h = DoubleColumn.create("posterior entropy H");
            DoubleColumn residual = DoubleColumn.create("Q + H − log-likelihood");
            for (int t : at) {
                if (t < 0 || t >= iterates.size()) {
                    throw new IllegalArgumentException("at: expected iterations in [0, " + (iterates.size() - 1) + "], got " + t);
                }
                GaussianMixture g = iterates.get(t);
                INDArray r = g.responsibilities(x);
                double qt = expectedCompleteLogLikelihood(g, x, r);
                double ht = meanEntropy(r);
                iteration.append(t);
                logLik.append(logLikelihoodTrace[t]);
                q.append(qt);
                h.append(ht);
                residual.append(qt + ht - logLikelihoodTrace[t]);
            }
            return Table.create("log p(x), Q and H, each computed on its own", iteration, logLik, q, h, residual);
        }
    }

    /** (1/N) Σ_i H(r_i) = −(1/N) Σ_ik r_ik log r_ik for responsibilities r [N, K] (0 log 0 = 0). */
    static double meanEntropy(INDArray r) {
        double[][] rows = r.toDoubleMatrix();
        double sum = 0;
        for (double[] row : rows) {
            for (double v : row) {
                if (v > 0) {
                    sum -= v * Math.log(v);
                }
            }
        }
        return sum / rows.length;
    }

}
