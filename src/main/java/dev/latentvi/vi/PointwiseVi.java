package dev.latentvi.vi;

import dev.latentvi.dist.GraphNormal;
import dev.latentvi.dist.Kl;
import dev.latentvi.dist.MultivariateNormal;
import dev.latentvi.dist.Normal;
import dev.latentvi.math.Check;
import dev.latentvi.math.Rng;
import dev.latentvi.nn.Adam;
import dev.latentvi.nn.Fit;
import dev.latentvi.nn.Network;
import dev.latentvi.nn.Schedule;
import dev.latentvi.nn.Sgd;
import dev.latentvi.nn.Trainer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

/**
 * Per-data-point Gaussian variational inference: one q_i = N(μ_i, diag σ_i²) per data point,
 * fitted by gradient ascent on a {@link Bound} — by default the ELBO
 * L_i = E_{q_i}[log p(x_i, z)] + H(q_i) ({@link Bound#monteCarlo}) — with the reparameterization
 * z = μ_i + σ_i ε, in full-batch {@link Trainer} steps (Adam or gradient descent, the step size
 * decaying geometrically). The parameter count is 2·d·n: it grows with the data set, and a new point
 * needs a new fit.
 *
 * <pre>{@code
 * PointwiseVi.Result fit = PointwiseVi.of(model, x).steps(500).learningRate(0.05).recordPath(true).fit(rng);
 * fit.q();  fit.history();  fit.pathMu(0, 0);
 * PointwiseVi.of(model, x).init(-2.0, 0.75).fit(rng);   // every q_i starts at N(-2, e^{1.5})
 * PointwiseVi.of(model, x).bound(Bound.analyticKl(8)).fit(rng);
 * }</pre>
 */
public final class PointwiseVi {
    /** Gradient-ascent rule. */
    public enum Optimizer { ADAM, SGD }

    private final LatentModel model;
    private final INDArray x;
    private Bound bound = Bound.monteCarlo(1);
    private int steps = 500;
    private double learningRate = 0.1;
    private double decayTo = 0.1;
    private Optimizer optimizer = Optimizer.ADAM;
    private INDArray initMu;
    private INDArray initLogSigma;
    private boolean recordPath;
    private boolean sameDiffGradients;

    private PointwiseVi(LatentModel model, INDArray x) {
        this.model = model;
        this.x = x;
    }

    /** VI for the n points x {@code [n, D]} of a model; defaults: Bound.monteCarlo(1), 500 Adam steps, rate 0.1 decaying to 0.01, q_i = N(0, I). */
    public static PointwiseVi of(LatentModel model, INDArray x) {
        Check.notNull("model", model);
        Check.matrix("x", x, model.dataDim());
        Check.finite("x", x);
        return new PointwiseVi(model, x.castTo(DataType.DOUBLE).dup());
    }

    /** Monte Carlo samples per point and step (≥ 1): shorthand for {@code bound(Bound.monteCarlo(m))}. */
    public PointwiseVi samples(int m) {
        Check.positive("samples", m);
        this.bound = Bound.monteCarlo(m);
        return this;
    }

    /** The bound each q_i maximizes (default {@code Bound.monteCarlo(1)}), e.g. {@code Bound.iwae(8)}. */
    public PointwiseVi bound(Bound b) {
        Check.notNull("bound", b);
        this.bound = b;
        return this;
    }

    /** Number of gradient steps (≥ 1). */
    public PointwiseVi steps(int t) {
        Check.positive("steps", t);
        this.steps = t;
        return this;
    }

    /** Step size (> 0). */
    public PointwiseVi learningRate(double lr) {
        Check.positive("learningRate", lr);
        this.learningRate = lr;
        return this;
    }

    /**
     * The step size decays geometrically from {@code learningRate} to {@code fraction × learningRate}
     * over the run ({@link Schedule#exponential}; default 0.1, 1 keeps it constant), so the Monte Carlo
     * noise settles at the end.
     */
    public PointwiseVi decayTo(double fraction) {
        Check.inRange("fraction", fraction, 1e-6, 1);
        this.decayTo = fraction;
        return this;
    }

    /** ADAM (default) or plain SGD. */
    public PointwiseVi optimizer(Optimizer o) {
        Check.notNull("optimizer", o);
        this.optimizer = o;
        return this;
    }

    /** Starting point: mu and logSigma {@code [n, d]} (default zeros, i.e. q_i = N(0, I)). */
    public PointwiseVi init(INDArray mu, INDArray logSigma) {
        long n = x.size(0);
        int d = model.latentDim();
        for (var e : Map.of("mu", mu, "logSigma", logSigma).entrySet()) {
            Check.matrix(e.getKey(), e.getValue(), d);
            Check.finite(e.getKey(), e.getValue());
            if (e.getValue().size(0) != n) {
                throw new IllegalArgumentException(e.getKey() + ": expected " + n + " rows (one per data point), got " + e.getValue().size(0));
            }
        }
        this.initMu = mu.castTo(DataType.DOUBLE).dup();
        this.initLogSigma = logSigma.castTo(DataType.DOUBLE).dup();
        return this;
    }

    /**
     * The same starting point for every point and coordinate: q_i = N(mu, exp(logSigma)²), i.e.
     * {@link #init(INDArray, INDArray)} with mu and logSigma filled into {@code [n, d]}.
     */
    public PointwiseVi init(double mu, double logSigma) {
        Check.finite("mu", mu);
        Check.finite("logSigma", logSigma);
        long[] shape = {x.size(0), model.latentDim()};
        return init(Nd4j.valueArrayOf(shape, mu, DataType.DOUBLE), Nd4j.valueArrayOf(shape, logSigma, DataType.DOUBLE));
    }

    /** Keep (μ, log σ) after every step, e.g. to draw the optimizer's path on an ELBO contour. */
    public PointwiseVi recordPath(boolean record) {
        this.recordPath = record;
        return this;
    }

    /**
     * Differentiate the bound's SameDiff graph even where a closed-form gradient exists (the plain
     * Monte Carlo ELBO of a model with a {@link LatentModel#score}); the two agree to rounding.
     */
    PointwiseVi sameDiffGradients(boolean use) {
        this.sameDiffGradients = use;
        return this;
    }

    /** Runs the optimization with live progress; the noise comes from {@code rng}. */
    public Result fit(Rng rng) {
        Check.notNull("rng", rng);
        long n = x.size(0);
        int d = model.latentDim();
        Network net = Network.create(DataType.DOUBLE);
        SDVariable mu = net.parameter("mu", initMu != null ? initMu : Nd4j.zeros(DataType.DOUBLE, n, d));
        SDVariable logSigma = net.parameter("logSigma", initLogSigma != null ? initLogSigma : Nd4j.zeros(DataType.DOUBLE, n, d));
        Bound.Loss loss = bound.loss(model, GraphNormal.of(mu, logSigma), net.sameDiff().constant(x));
        Trainer trainer = loss.trainer(net, optimizer == Optimizer.SGD ? Sgd.of(learningRate) : Adam.of(learningRate))
                .label("per-point VI (" + n + (n == 1 ? " point)" : " points)"));
        Trainer.Gradients closedForm = sameDiffGradients ? null : bound.reparameterizedGradients(model, x, loss.noise().name());
        if (closedForm != null) {
            trainer.gradients(closedForm);     // the same loss and noise, no graph: 5–8× faster on these small fits
        }
        List<Point> path = new ArrayList<>();
        if (recordPath) {
            path.add(Point.of(net));
            trainer.onStep((t, value) -> path.add(Point.of(net)));
        }
        Table history = trainer.fit(Fit.epochs(steps).learningRate(learningRate).schedule(Schedule.exponential(decayTo)), rng);
        double[] trace = Arrays.stream(history.doubleColumn("loss").asDoubleArray()).map(v -> -v).toArray();
        Point last = Point.of(net);
        return new Result(last.mu(), last.logSigma(), trace, path, model, x);
    }

    /** (μ, log σ) {@code [n, d]} at one step. */
    private record Point(INDArray mu, INDArray logSigma) {
        static Point of(Network net) {
            return new Point(net.parameters().get("mu").dup(), net.parameters().get("logSigma").dup());
        }
    }

    /** The fitted q_i, the per-step ELBO and (if recorded) the path of (μ, log σ). */
    public static final class Result {
        private final INDArray mu;
        private final INDArray logSigma;
        private final double[] trace;
        private final List<Point> path;
        private final LatentModel model;
        private final INDArray x;

        Result(INDArray mu, INDArray logSigma, double[] trace, List<Point> path, LatentModel model, INDArray x) {
            this.mu = mu;
            this.logSigma = logSigma;
            this.trace = trace;
            this.path = path;
            this.model = model;
            this.x = x;
        }

        /** The fitted variational distributions, one row per point {@code [n, d]}. */
        public Normal q() {
            return Normal.ofLogSigma(mu, logSigma);
        }

        /** Fitted means {@code [n, d]}. */
        public INDArray mu() {
            return mu.dup();
        }

        /** Fitted log standard deviations {@code [n, d]}. */
        public INDArray logSigma() {
            return logSigma.dup();
        }

        /** The training bound (a single draw of its estimate) averaged over the points, one entry per step {@code [steps]}. */
        public double[] elboTrace() {
            return trace.clone();
        }

        /**
         * The training history: one row per step, "step" (0, 1, …) and "ELBO" (the entries of
         * {@link #elboTrace()}, noisy estimates). With a recorded path and a model with an exact posterior,
         * also "exact ELBO": log p(x) − KL(q_t ‖ p(z|x)) of the q the step's estimate was drawn from,
         * averaged over the points — the quantity the noisy estimates scatter around.
         */
        public Table history() {
            int[] steps = new int[trace.length];
            for (int t = 0; t < steps.length; t++) {
                steps[t] = t;
            }
            Table t = Table.create("per-point VI history", IntColumn.create("step", steps), DoubleColumn.create("ELBO", trace.clone()));
            Optional<MultivariateNormal> posterior = model.posterior(x);
            Optional<INDArray> logEvidence = model.logEvidence(x);
            if (!path.isEmpty() && posterior.isPresent() && logEvidence.isPresent()) {
                double meanLogPx = logEvidence.get().meanNumber().doubleValue();
                double[] exact = new double[trace.length];
                for (int s = 0; s < exact.length; s++) {
                    Point p = path.get(s);
                    exact[s] = meanLogPx - Kl.divergence(Normal.ofLogSigma(p.mu(), p.logSigma()), posterior.get()).meanNumber().doubleValue();
                }
                t.addColumns(DoubleColumn.create("exact ELBO", exact));
            }
            return t;
        }

        /**
         * The fit against exact posteriors p(z|x_i) (e.g. {@code model.posterior(x).orElseThrow()}, n rows):
         * one row per point and latent coordinate — "point" (and "coordinate" when d &gt; 1), "exact mean",
         * "VI mean", "exact σ", "VI σ".
         */
        public Table against(MultivariateNormal exact) {
            Check.notNull("exact", exact);
            long n = mu.size(0);
            int d = (int) mu.size(1);
            if (exact.batchSize() != n || exact.dim() != d) {
                throw new IllegalArgumentException("exact: expected " + n + " posteriors of dimension " + d + " (one per fitted point), got "
                        + exact.batchSize() + " of dimension " + exact.dim());
            }
            IntColumn point = IntColumn.create("point");
            IntColumn coordinate = IntColumn.create("coordinate");
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < d; j++) {
                    point.append(i);
                    coordinate.append(j);
                }
            }
            Table t = Table.create("Per-point VI against the exact posterior", point);
            if (d > 1) {
                t.addColumns(coordinate);
            }
            return t.addColumns(DoubleColumn.create("exact mean", flat(exact.mean())),
                    DoubleColumn.create("VI mean", flat(mu)),
                    DoubleColumn.create("exact σ", flat(exact.stddev())),
                    DoubleColumn.create("VI σ", flat(q().stddev())));
        }

        private static double[] flat(INDArray a) {
            return a.dup('c').reshape(a.length()).toDoubleVector();
        }

        /** The variational distributions after {@code t} steps (t = 0: the initial q), one row per point {@code [n, d]}; needs a recorded path. */
        public Normal qAfter(int t) {
            if (path.isEmpty()) {
                throw new IllegalStateException("path: not recorded; call recordPath(true) before fit");
            }
            Check.inRange("t", t, 0, path.size() - 1);
            Point p = path.get(t);
            return Normal.ofLogSigma(p.mu().dup(), p.logSigma().dup());
        }

        /** μ of point i, coordinate j, before the first step and after each step {@code [steps + 1]}. */
        public double[] pathMu(int i, int j) {
            return pathOf(true, i, j);
        }

        /** log σ of point i, coordinate j, before the first step and after each step {@code [steps + 1]}. */
        public double[] pathLogSigma(int i, int j) {
            return pathOf(false, i, j);
        }

        private double[] pathOf(boolean ofMu, int i, int j) {
            if (path.isEmpty()) {
                throw new IllegalStateException("path: not recorded; call recordPath(true) before fit");
            }
            Check.inRange("i", i, 0, mu.size(0) - 1);
            Check.inRange("j", j, 0, mu.size(1) - 1);
            double[] out = new double[path.size()];
            for (int t = 0; t < out.length; t++) {
                Point p = path.get(t);
                out[t] = (ofMu ? p.mu() : p.logSigma()).getDouble(i, j);
            }
            return out;
        }
    }
}
