package dev.latentvi.vi;

import dev.latentvi.dist.GraphNormal;
import dev.latentvi.dist.Normal;
import dev.latentvi.math.Check;
import dev.latentvi.internal.GraphOps;
import dev.latentvi.math.Rng;
import dev.latentvi.internal.SmallOps;
import dev.latentvi.notebook.Progress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.ListenerVariables;
import org.nd4j.autodiff.listeners.Loss;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.MultiDataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.schedule.ExponentialSchedule;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.ScheduleType;

/**
 * Per-data-point Gaussian variational inference: one q_i = N(μ_i, diag σ_i²) per data point,
 * fitted by gradient ascent on L_i = E_{q_i}[log p(x_i, z)] + H(q_i) with the reparameterization
 * z = μ_i + σ_i ε (SameDiff autodiff through the model's log-joint graph, SameDiff's own Adam or
 * SGD; H in closed form).
 * The parameter count is 2·d·n: it grows with the data set, and a new point needs a new fit.
 *
 * <pre>{@code
 * PointwiseVi.Result fit = PointwiseVi.of(model, x).steps(500).learningRate(0.05).recordPath(true).fit(rng);
 * fit.q();  fit.elboTrace();  fit.pathMu(0, 0);
 * }</pre>
 */
public final class PointwiseVi {
    /** Gradient-ascent rule. */
    public enum Optimizer { ADAM, SGD }

    private final LatentModel model;
    private final INDArray x;
    private int samples = 1;
    private int steps = 500;
    private double learningRate = 0.1;
    private double decayTo = 0.1;
    private Optimizer optimizer = Optimizer.ADAM;
    private INDArray initMu;
    private INDArray initLogSigma;
    private boolean recordPath;

    private PointwiseVi(LatentModel model, INDArray x) {
        this.model = model;
        this.x = x;
    }

    /** VI for the n points x {@code [n, D]} of a model; defaults: 1 sample, 500 Adam steps, rate 0.1 decaying to 0.01, q_i = N(0, I). */
    public static PointwiseVi of(LatentModel model, INDArray x) {
        Check.notNull("model", model);
        Check.matrix("x", x, model.dataDim());
        Check.finite("x", x);
        return new PointwiseVi(model, x.castTo(DataType.DOUBLE).dup());
    }

    /** Monte Carlo samples per point and step (≥ 1). */
    public PointwiseVi samples(int m) {
        Check.positive("samples", m);
        this.samples = m;
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
     * over the run (default 0.1; 1 keeps it constant), so the Monte Carlo noise settles at the end.
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

    /** Keep (μ, log σ) after every step, e.g. to draw the optimizer's path on an ELBO contour. */
    public PointwiseVi recordPath(boolean record) {
        this.recordPath = record;
        return this;
    }

    /** Runs the optimization with live progress; the noise comes from {@code rng}. */
    public Result fit(Rng rng) {
        Check.notNull("rng", rng);
        return SmallOps.singleThreaded(() -> run(rng));
    }

    private Result run(Rng rng) {
        long n = x.size(0);
        int d = model.latentDim();
        SameDiff sd = SameDiff.create();
        SDVariable mu = sd.var("mu", initMu != null ? initMu.dup() : Nd4j.zeros(DataType.DOUBLE, n, d));
        SDVariable logSigma = sd.var("logSigma", initLogSigma != null ? initLogSigma.dup() : Nd4j.zeros(DataType.DOUBLE, n, d));
        SDVariable eps = sd.placeHolder("eps", DataType.DOUBLE, samples, n, d);
        GraphNormal q = GraphNormal.of(mu, logSigma);
        SDVariable z = q.rsample(eps).reshape(samples * n, d);     // [m·n, d]
        SDVariable xs = sd.constant(Nd4j.tile(x, samples, 1));                            // [m·n, D]
        SDVariable logJoint = GraphOps.mean(sd, model.logJoint(sd, xs, z).reshape(samples, n), 0); // [n]
        SDVariable elbo = logJoint.add(q.entropy()).rename("elbo");  // [n]
        SDVariable loss = elbo.sum().neg().rename("loss");
        sd.setLossVariables(loss);

        GraphOps.createGradFunctionQuietly(sd);
        sd.setTrainingConfig(TrainingConfig.builder().updater(updater()).dataSetFeatureMapping("eps").markLabelsUnused().build());

        double[] trace = new double[steps];
        List<INDArray[]> path = new ArrayList<>();
        if (recordPath) {
            path.add(new INDArray[] {mu.getArr().dup(), logSigma.getArr().dup()});
        }
        try (Progress p = Progress.start("per-point VI (" + n + (n == 1 ? " point)" : " points)"), steps)) {
            sd.setListeners(new BaseListener() {
                private int t;

                @Override
                public boolean isActive(Operation operation) {
                    return operation == Operation.TRAINING;
                }

                @Override
                public ListenerVariables requiredVariables(SameDiff s) {
                    return ListenerVariables.builder().trainingVariables("elbo").build();
                }

                @Override
                public void activationAvailable(SameDiff s, At at, MultiDataSet batch, SameDiffOp op, String varName, INDArray activation) {
                    if ("elbo".equals(varName) && t < steps) {
                        trace[t] = activation.meanNumber().doubleValue();
                    }
                }

                @Override
                public void iterationDone(SameDiff s, At at, MultiDataSet data, Loss loss) {
                    if (t < steps) {
                        if (recordPath) {
                            path.add(new INDArray[] {s.getArrForVarName("mu").dup(), s.getArrForVarName("logSigma").dup()});
                        }
                        p.step("mean ELBO %.4f", trace[t]);
                        t++;
                    }
                }
            });
            sd.fit(new NoiseIterator(rng, steps, samples, n, d), 1);
            p.finish("mean ELBO %.4f after %d steps", trace[steps - 1], steps);
        }
        return new Result(sd.getArrForVarName("mu").dup(), sd.getArrForVarName("logSigma").dup(), trace, path);
    }

    /** Adam or SGD with the step size decaying geometrically from learningRate to decayTo × learningRate. */
    private IUpdater updater() {
        ISchedule schedule = new ExponentialSchedule(ScheduleType.ITERATION, learningRate, Math.pow(decayTo, 1.0 / Math.max(1, steps - 1)));
        return optimizer == Optimizer.SGD ? new Sgd(schedule) : new Adam(schedule);
    }

    /** Fresh standard-normal noise ε {@code [m, n, d]} from the caller's Rng, one batch per step. */
    private static final class NoiseIterator implements MultiDataSetIterator {
        private final Rng rng;
        private final int steps;
        private final long[] shape;
        private int k;

        NoiseIterator(Rng rng, int steps, long... shape) {
            this.rng = rng;
            this.steps = steps;
            this.shape = shape;
        }

        @Override
        public boolean hasNext() {
            return k < steps;
        }

        @Override
        public MultiDataSet next() {
            k++;
            return new org.nd4j.linalg.dataset.MultiDataSet(new INDArray[] {rng.normal(shape)}, null);
        }

        @Override
        public MultiDataSet next(int num) {
            return next();
        }

        @Override
        public void setPreProcessor(MultiDataSetPreProcessor preProcessor) {
        }

        @Override
        public MultiDataSetPreProcessor getPreProcessor() {
            return null;
        }

        @Override
        public boolean resetSupported() {
            return false;
        }

        @Override
        public boolean asyncSupported() {
            return false;
        }

        @Override
        public void reset() {
            throw new UnsupportedOperationException("noise is drawn once per step");
        }
    }

    /** The fitted q_i, the per-step ELBO and (if recorded) the path of (μ, log σ). */
    public static final class Result {
        private final INDArray mu;
        private final INDArray logSigma;
        private final double[] trace;
        private final List<INDArray[]> path;

        Result(INDArray mu, INDArray logSigma, double[] trace, List<INDArray[]> path) {
            this.mu = mu;
            this.logSigma = logSigma;
            this.trace = trace;
            this.path = path;
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

        /** Single-step Monte Carlo ELBO averaged over the points, one entry per step {@code [steps]}. */
        public double[] elboTrace() {
            return trace.clone();
        }

        /** μ of point i, coordinate j, before the first step and after each step {@code [steps + 1]}. */
        public double[] pathMu(int i, int j) {
            return pathOf(0, i, j);
        }

        /** log σ of point i, coordinate j, before the first step and after each step {@code [steps + 1]}. */
        public double[] pathLogSigma(int i, int j) {
            return pathOf(1, i, j);
        }

        private double[] pathOf(int which, int i, int j) {
            if (path.isEmpty()) {
                throw new IllegalStateException("path: not recorded; call recordPath(true) before fit");
            }
            Check.inRange("i", i, 0, mu.size(0) - 1);
            Check.inRange("j", j, 0, mu.size(1) - 1);
            double[] out = new double[path.size()];
            for (int t = 0; t < out.length; t++) {
                out[t] = path.get(t)[which].getDouble(i, j);
            }
            return out;
        }
    }
}
