package dev.latentvi.vi;

import dev.latentvi.math.Check;
import dev.latentvi.math.Rng;
import dev.latentvi.internal.SmallOps;
import dev.latentvi.notebook.Progress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * How noisy is each gradient estimator? For every number of samples M, draws many independent
 * M-sample estimates of ∇_{μ, log σ} E_q[r] and reports their empirical mean and variance next to
 * the exact gradient. Estimators: score function (no baseline, running mean, leave-one-out) and
 * reparameterization (when r is differentiable).
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

    /** One (estimator, M) cell: mean and variance {@code [2d]} over the replicas. */
    public record Cell(Estimator estimator, int m, double[] mean, double[] variance, int replicas) {
        /** Standard error of the mean of component j over the replicas. */
        public double standardError(int j) {
            return Math.sqrt(variance[j] / replicas);
        }

        /** Sum of the component variances (the trace of the estimator's covariance). */
        public double totalVariance() {
            return Arrays.stream(variance).sum();
        }
    }

    private final double[] exact;
    private final List<Cell> cells;

    private VarianceStudy(double[] exact, List<Cell> cells) {
        this.exact = exact;
        this.cells = cells;
    }

    /**
     * Runs the study: mu, logSigma {@code [d]}; exact {@code [2d]} the true gradient (μ then log σ);
     * ms the sample counts (each ≥ 2); {@code replicas} independent estimates per cell. The
     * reparameterized estimator is skipped when r is not differentiable.
     */
    public static VarianceStudy run(Objective r, INDArray mu, INDArray logSigma, double[] exact, int[] ms, int replicas, Rng rng) {
        Check.notNull("r", r);
        Check.notNull("exact", exact);
        Check.notNull("ms", ms);
        Check.notNull("rng", rng);
        if (exact.length != 2 * r.dim()) {
            throw new IllegalArgumentException("exact: expected " + 2 * r.dim() + " entries (μ then log σ), got " + exact.length);
        }
        if (ms.length == 0) {
            throw new IllegalArgumentException("ms: expected at least one sample count, got none");
        }
        for (int m : ms) {
            if (m < 2) {
                throw new IllegalArgumentException("ms: expected sample counts >= 2 (leave-one-out needs two), got " + m);
            }
        }
        if (replicas < 2) {
            throw new IllegalArgumentException("replicas: expected at least 2 to measure a variance, got " + replicas);
        }
        List<Estimator> estimators = new ArrayList<>(List.of(Estimator.SCORE_FUNCTION, Estimator.SCORE_FUNCTION_RUNNING_MEAN,
                Estimator.SCORE_FUNCTION_LEAVE_ONE_OUT));
        if (r.differentiable()) {
            estimators.add(Estimator.REPARAMETERIZED);
        }
        return SmallOps.singleThreaded(() -> new VarianceStudy(exact.clone(), List.copyOf(study(r, mu, logSigma, ms, replicas, rng, estimators))));
    }

    private static List<Cell> study(Objective r, INDArray mu, INDArray logSigma, int[] ms, int replicas, Rng rng, List<Estimator> estimators) {
        List<Cell> cells = new ArrayList<>();
        try (Progress p = Progress.start("variance study", (long) ms.length * estimators.size())) {
            for (int m : ms) {
                for (Estimator e : estimators) {
                    INDArray est = switch (e) {
                        case SCORE_FUNCTION -> GradientEstimators.scoreFunctionReplicas(r, mu, logSigma, m, replicas, Baseline.none(), rng);
                        case SCORE_FUNCTION_RUNNING_MEAN -> {
                            Baseline b = Baseline.runningMean(0.9);
                            GradientEstimators.scoreFunctionReplicas(r, mu, logSigma, m, 20, b, rng); // warm-up
                            yield GradientEstimators.scoreFunctionReplicas(r, mu, logSigma, m, replicas, b, rng);
                        }
                        case SCORE_FUNCTION_LEAVE_ONE_OUT -> GradientEstimators.scoreFunctionReplicas(r, mu, logSigma, m, replicas,
                                Baseline.leaveOneOut(), rng);
                        case REPARAMETERIZED -> GradientEstimators.reparameterizedReplicas(r, mu, logSigma, m, replicas, rng);
                    };
                    double[] mean = est.mean(0).toDoubleVector();
                    double[] var = est.var(false, 0).toDoubleVector();
                    cells.add(new Cell(e, m, mean, var, replicas));
                    p.step("M=%d %s", m, e.label());
                }
            }
            p.finish("%d cells, %d replicas each", cells.size(), replicas);
        }
        return cells;
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

    /** Variance of component j for estimator e at every M (same order as {@link #ms()}). */
    public double[] variances(Estimator e, int component) {
        return Arrays.stream(ms()).mapToDouble(m -> cell(e, m).variance()[component]).toArray();
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
                mean.append(c.mean()[j]);
                ex.append(exact[j]);
                z.append((c.mean()[j] - exact[j]) / Math.max(c.standardError(j), 1e-300));
                var.append(c.variance()[j]);
            }
        }
        return Table.create("gradient variance study", est, mCol, comp, mean, ex, z, var);
    }

    static INDArray vector(double... v) {
        return Nd4j.createFromArray(v).castTo(DataType.DOUBLE);
    }
}
