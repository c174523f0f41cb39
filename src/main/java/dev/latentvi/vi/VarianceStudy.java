package dev.latentvi.vi;

import dev.latentvi.dist.Normal;
import dev.latentvi.internal.SmallOps;
import dev.latentvi.math.Check;
import dev.latentvi.math.Rng;
import dev.latentvi.notebook.Progress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * How noisy is each gradient estimator? For every number of samples M, draws many independent
 * M-sample estimates of ∇_{μ, log σ} E_q[r] and reports their empirical mean and variance next to
 * the exact gradient. Estimators: score function (no baseline, running mean, leave-one-out) and
 * reparameterization (when r is differentiable).
 *
 * <pre>{@code
 * VarianceStudy.Result study = VarianceStudy.of(r, q, exactGradient).sampleCounts(2, 4, 16, 64).replicas(1_000).run(rng);
 * study.variances(VarianceStudy.Estimator.REPARAMETERIZED, 0);    // Var of the ∂/∂μ₀ estimate at each M
 * }</pre>
 */
public final class VarianceStudy {
    /** The estimators compared. */
    public enum Estimator {
        SCORE_FUNCTION("score function"),
        SCORE_FUNCTION_RUNNING_MEAN("score function + running mean"),
        SCORE_FUNCTION_LEAVE_ONE_OUT("score function + leave-one-out"),
        REPARAMETERIZED("reparameterized");

        private final String label;

        Estimator(String label) {
            this.label = label;
        }

        /** Display name. */
        public String label() {
            return label;
        }
    }

    /** Estimates of the running-mean baseline before a cell is measured, so b starts near E_q[r]. */
    private static final int WARM_UP = 20;

    private final Objective r;
    private final Normal q;
    private final double[] exact;
    private int[] ms = {2, 4, 8, 16, 32, 64, 128, 256};
    private int replicas = 1_000;

    private VarianceStudy(Objective r, Normal q, double[] exact) {
        this.r = r;
        this.q = q;
        this.exact = exact;
    }

    /**
     * A study of the estimators of ∇ E_q[r] for a one-row Normal q over r's d dimensions, against
     * the exact gradient {@code [2d]} (μ then log σ). Defaults: M = 2, 4, …, 256; 1,000 replicas.
     */
    public static VarianceStudy of(Objective r, Normal q, double[] exact) {
        GradientEstimators.checkSingle(r, q);
        Check.notNull("exact", exact);
        if (exact.length != 2 * r.dim()) {
            throw new IllegalArgumentException("exact: expected " + 2 * r.dim() + " entries (μ then log σ), got " + exact.length);
        }
        return new VarianceStudy(r, q, exact.clone());
    }

    /** The sample counts M studied, each ≥ 2 (leave-one-out needs two). */
    public VarianceStudy sampleCounts(int... counts) {
        Check.notNull("sampleCounts", counts);
        if (counts.length == 0) {
            throw new IllegalArgumentException("sampleCounts: expected at least one sample count, got none");
        }
        for (int m : counts) {
            if (m < 2) {
                throw new IllegalArgumentException("sampleCounts: expected sample counts >= 2 (leave-one-out needs two), got " + m);
            }
        }
        ms = counts.clone();
        return this;
    }

    /** Independent estimates per (estimator, M) cell, at least 2 (default 1,000). */
    public VarianceStudy replicas(int count) {
        if (count < 2) {
            throw new IllegalArgumentException("replicas: expected at least 2 to measure a variance, got " + count);
        }
        replicas = count;
        return this;
    }

    /** Runs every cell (live progress); the reparameterized estimator is skipped when r is not differentiable. */
    public Result run(Rng rng) {
        Check.notNull("rng", rng);
        List<Estimator> estimators = new ArrayList<>(List.of(Estimator.SCORE_FUNCTION, Estimator.SCORE_FUNCTION_RUNNING_MEAN,
                Estimator.SCORE_FUNCTION_LEAVE_ONE_OUT));
        if (r.differentiable()) {
            estimators.add(Estimator.REPARAMETERIZED);
        }
        return SmallOps.singleThreaded(() -> new Result(exact.clone(), List.copyOf(cells(estimators, rng))));
    }

    private List<Cell> cells(List<Estimator> estimators, Rng rng) {
        List<Cell> cells = new ArrayList<>();
        try (Progress p = Progress.start("variance study", (long) ms.length * estimators.size())) {
            for (int m : ms) {
                for (Estimator e : estimators) {
                    INDArray est = switch (e) {
                        case SCORE_FUNCTION -> GradientEstimators.scoreFunctionReplicas(r, q, m, replicas, Baseline.none(), rng);
                        case SCORE_FUNCTION_RUNNING_MEAN -> {
                            Baseline b = Baseline.runningMean(0.9);
                            GradientEstimators.scoreFunctionReplicas(r, q, m, WARM_UP, b, rng);
                            yield GradientEstimators.scoreFunctionReplicas(r, q, m, replicas, b, rng);
                        }
                        case SCORE_FUNCTION_LEAVE_ONE_OUT -> GradientEstimators.scoreFunctionReplicas(r, q, m, replicas,
                                Baseline.leaveOneOut(), rng);
                        case REPARAMETERIZED -> GradientEstimators.reparameterizedReplicas(r, q, m, replicas, rng);
                    };
                    cells.add(new Cell(e, m, est.mean(0), est.var(false, 0), replicas, est));
                    p.step("M=%d %s", m, e.label());
                }
            }
            p.finish("%d cells, %d replicas each", cells.size(), replicas);
        }
        return cells;
    }

    /**
     * One (estimator, M) cell: mean and variance {@code [2d]} (μ then log σ) over the replicas, and
     * the replicas' estimates themselves {@code [replicas, 2d]} (e.g. for their histogram).
     */
    public record Cell(Estimator estimator, int m, INDArray mean, INDArray variance, int replicas, INDArray estimates) {
        /** Standard error of the mean of component j over the replicas. */
        public double standardError(int j) {
            return Math.sqrt(variance.getDouble(j) / replicas);
        }

        /** Sum of the component variances (the trace of the estimator's covariance). */
        public double totalVariance() {
            return variance.sumNumber().doubleValue();
        }
    }

    /** The measured cells, ordered by M then estimator, and the exact gradient they estimate. */
    public static final class Result {
        private final double[] exact;
        private final List<Cell> cells;

        private Result(double[] exact, List<Cell> cells) {
            this.exact = exact;
            this.cells = cells;
        }

        /** The exact gradient {@code [2d]}. */
        public double[] exact() {
            return exact.clone();
        }

        /** All cells, ordered by M then estimator. */
        public List<Cell> cells() {
            return cells;
        }

        /** The cell of one estimator and M. */
        public Cell cell(Estimator e, int m) {
            return cells.stream().filter(c -> c.estimator() == e && c.m() == m).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("cell: no cell for " + e + " at M=" + m));
        }

        /** The sample counts studied. */
        public int[] ms() {
            return cells.stream().mapToInt(Cell::m).distinct().toArray();
        }

        /** Variance of component j (μ then log σ) for estimator e at every M (same order as {@link #ms()}). */
        public double[] variances(Estimator e, int component) {
            Check.inRange("component", component, 0, exact.length - 1);
            return Arrays.stream(ms()).mapToDouble(m -> cell(e, m).variance().getDouble(component)).toArray();
        }

        /** Variance of estimator a over that of b for one gradient component, per M (in {@link #ms()} order). */
        public double[] varianceRatio(Estimator a, Estimator b, int component) {
            double[] num = variances(a, component), den = variances(b, component);
            double[] out = new double[num.length];
            for (int k = 0; k < out.length; k++) {
                out[k] = num[k] / den[k];
            }
            return out;
        }

        /** One row per (estimator, M, component): mean, exact, bias in standard errors, variance. */
        public Table table() {
            StringColumn est = StringColumn.create("estimator");
            IntColumn mCol = IntColumn.create("M");
            StringColumn comp = StringColumn.create("parameter");
            DoubleColumn mean = DoubleColumn.create("mean");
            DoubleColumn ex = DoubleColumn.create("exact");
            DoubleColumn z = DoubleColumn.create("bias / SE");
            DoubleColumn var = DoubleColumn.create("variance");
            int d = exact.length / 2;
            for (Cell c : cells) {
                for (int j = 0; j < exact.length; j++) {
                    est.append(c.estimator().label());
                    mCol.append(c.m());
                    comp.append(j < d ? "mu[" + j + "]" : "log sigma[" + (j - d) + "]");
                    mean.append(c.mean().getDouble(j));
                    ex.append(exact[j]);
                    z.append((c.mean().getDouble(j) - exact[j]) / Math.max(c.standardError(j), 1e-300));
                    var.append(c.variance().getDouble(j));
                }
            }
            return Table.create("gradient variance study", est, mCol, comp, mean, ex, z, var);
        }
    }
}
