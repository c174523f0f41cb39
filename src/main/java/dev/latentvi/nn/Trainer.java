package dev.latentvi.nn;

import dev.latentvi.math.Check;
import dev.latentvi.internal.GraphOps;
import dev.latentvi.math.Rng;
import dev.latentvi.internal.SmallOps;
import dev.latentvi.notebook.Progress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.updaters.AdamUpdater;
import org.nd4j.linalg.factory.Nd4j;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

/**
 * Every optimization of the library: Adam (or plain gradient descent) on a user-supplied scalar
 * loss of a {@link Network}, over mini-batches of data ({@link #fit(Map, Fit, Rng)}) or as
 * full-batch steps of a loss whose data live in the graph ({@link #fit(Fit, Rng)}), with the step
 * size following the {@link Fit}'s {@link Schedule}. The gradient graph is built
 * once; each step computes gradients with the committed parameters, writes the update into a
 * spare buffer and then commits it in one reference write, so an interrupted step (exception,
 * stopped notebook cell) leaves the network at its last completed step. An interrupted thread (a
 * notebook cell stopped from JupyterLab) ends a fit with a {@link CancellationException} before the
 * next commit; a step runs holding the network's lock, so {@link Network#output} never sees half a
 * step; a non-finite loss or parameter throws {@link IllegalStateException} naming the step, committing nothing. The gradient graph is
 * built on the first step with standard output discarded ({@link GraphOps#createGradFunctionQuietly}):
 * SameDiff M2.1 prints one "Added differentiated op ..." line per op while building it, which would
 * bury a notebook cell's output.
 *
 * <pre>{@code
 * SDVariable loss = ...;                              // scalar: mean loss over the batch
 * Trainer t = Trainer.of(net, loss, Adam.of(1e-3)).monitor("kl", kl);
 * Table history = t.fit(Map.of("x", x), Fit.epochs(20).batchSize(128).learningRate(1e-3), rng);  // live progress, one row per epoch
 * t.fit(Fit.epochs(500).learningRate(0.1).schedule(Schedule.exponential(0.1)), rng);          // full-batch steps
 * }</pre>
 */
public final class Trainer {
    /**
     * Per-step extra placeholder values (e.g. reparameterization noise) for a batch of {@code batchSize}
     * rows (0 in a full-batch fit without data).
     */
    @FunctionalInterface
    public interface BatchInputs {
        Map<String, INDArray> inputs(long batchSize, Rng rng);
    }

    /**
     * A hand-written gradient of the trainer's loss (e.g. on {@link DenseKernel}), used instead of
     * SameDiff's gradient function when set with {@link #gradients}; everything else (batches, noise
     * extras, the optimizer, the commit) stays the same.
     */
    @FunctionalInterface
    public interface Gradients {
        /**
         * The loss followed by the monitors (in the order they were added) of one step on the
         * placeholder values {@code batch} ({@code rows} rows; extras such as noise included, cast to the
         * network's type) at {@code params}; writes ∂loss/∂θ into {@code grads} (one array per parameter,
         * the parameters' shapes, owned by the trainer; overwritten). Must not modify {@code params}.
         */
        double[] compute(Map<String, INDArray> batch, long rows, Map<String, INDArray> params, Map<String, INDArray> grads);
    }

    /** Called after every committed step with the step's number within the fit (from 1) and its loss. */
    @FunctionalInterface
    public interface StepListener {
        void stepDone(long step, double loss);
    }

    private final Network net;
    private final SDVariable loss;
    private final Optimizer optimizer;
    private final Map<String, SDVariable> monitors = new LinkedHashMap<>();
    private final List<BatchInputs> extras = new ArrayList<>();
    private final List<StepListener> listeners = new ArrayList<>();
    private final List<double[]> history = new ArrayList<>();
    private String label = "training";
    private Map<String, INDArray> spareParams;
    private Map<String, INDArray> spareM;
    private Map<String, INDArray> spareV;
    private Map<String, INDArray> scratch;
    private Gradients gradients;
    private Map<String, INDArray> gradBuffers;
    private double lastLoss = Double.NaN;

    private Trainer(Network net, SDVariable loss, Optimizer optimizer) {
        this.net = net;
        this.loss = loss;
        this.optimizer = optimizer;
    }

    /**
     * A trainer minimizing {@code loss} (a scalar variable of {@code net}) with {@code optimizer}
     * ({@link Adam} or {@link Sgd}); a {@link Fit} passed to {@code fit} replaces its base step size.
     */
    public static Trainer of(Network net, SDVariable loss, Optimizer optimizer) {
        Check.notNull("net", net);
        Check.notNull("loss", loss);
        Check.notNull("optimizer", optimizer);
        if (loss.getSameDiff() != net.sameDiff()) {
            throw new IllegalArgumentException("loss: expected a variable of the network's graph, got one from another graph");
        }
        if (net.parameterNames().isEmpty()) {
            throw new IllegalArgumentException("net: expected trainable parameters, got none");
        }
        net.sameDiff().setLossVariables(loss);
        return new Trainer(net, loss, optimizer);
    }

    /** Also reports the batch mean of the scalar {@code value} per epoch, in the progress line and the history. */
    public Trainer monitor(String name, SDVariable value) {
        Check.notNull("value", value);
        if (name == null || name.isBlank() || name.equals("loss") || name.equals("epoch") || monitors.containsKey(name)) {
            throw new IllegalArgumentException("name: expected a new non-blank monitor name, got \"" + name + "\"");
        }
        monitors.put(name, value);
        return this;
    }

    /** Feeds standard normal noise {@code [batch, width]} drawn from the step's Rng to {@code placeholder} every step. */
    public Trainer noise(String placeholder, long width) {
        Check.positive("width", width);
        if (placeholder == null || !net.sameDiff().isPlaceHolder(placeholder)) {
            throw new IllegalArgumentException("placeholder: expected a placeholder of the network, got \"" + placeholder + "\"");
        }
        return extra((b, rng) -> Map.of(placeholder, rng.normal(b, width)));
    }

    /** Adds a supplier of extra per-step placeholder values. */
    public Trainer extra(BatchInputs inputs) {
        Check.notNull("inputs", inputs);
        extras.add(inputs);
        return this;
    }

    /** Adds a listener called after every committed step (e.g. to record the parameters' path). */
    public Trainer onStep(StepListener listener) {
        Check.notNull("listener", listener);
        listeners.add(listener);
        return this;
    }

    /**
     * Computes the gradients with {@code g} instead of SameDiff (a fast path; the caller guarantees it
     * is the gradient of the loss this trainer was made with, monitors included, in the same order).
     */
    public Trainer gradients(Gradients g) {
        Check.notNull("g", g);
        this.gradients = g;
        return this;
    }

    /** The progress-bar label (default "training"). */
    public Trainer label(String label) {
        if (label == null || label.isBlank()) {
            throw new IllegalArgumentException("label: expected a non-blank label, got \"" + label + "\"");
        }
        this.label = label;
        return this;
    }

    /** Loss of the last completed step (NaN before the first). */
    public double lastLoss() {
        return lastLoss;
    }

    /**
     * One optimizer step at the base step size on {@code batch} (placeholder name → {@code [b, ...]},
     * b ≥ 2); returns the batch loss. A non-finite loss throws {@link IllegalStateException} and
     * commits nothing.
     */
    public double step(Map<String, INDArray> batch, Rng rng) {
        Check.notNull("batch", batch);
        Check.notNull("rng", rng);
        if (batch.isEmpty()) {
            throw new IllegalArgumentException("batch: expected at least one placeholder array, got none");
        }
        long b = batch.values().iterator().next().size(0);
        if (b < 2) {
            throw new IllegalArgumentException("batch: expected at least 2 rows (SameDiff cannot differentiate a one-row batch), got " + b);
        }
        return update(batch, b, rng, optimizer.learningRate())[0];
    }

    /** One step at step size {@code rate} on the placeholder values {@code batch} of {@code b} rows; loss followed by the monitors. */
    private double[] update(Map<String, INDArray> batch, long b, Rng rng, double rate) {
        synchronized (net) {                             // a half-step is never visible to another thread's output
            return updateLocked(batch, b, rng, rate);
        }
    }

    private double[] updateLocked(Map<String, INDArray> batch, long b, Rng rng, double rate) {
        Network.State cur = net.committed();
        checkInterrupt(cur);
        ensureSpare(cur);
        Map<String, INDArray> ph = new LinkedHashMap<>(net.cast(batch));
        for (BatchInputs e : extras) {
            ph.putAll(net.cast(e.inputs(b, rng)));
        }
        List<String> outs = new ArrayList<>();
        outs.add(loss.name());
        for (SDVariable m : monitors.values()) {
            outs.add(m.name());
        }
        double[] values;
        Map<String, INDArray> grads;
        if (gradients != null) {
            if (gradBuffers == null) {
                gradBuffers = cur.blankLike().params();
            }
            values = gradients.compute(ph, b, cur.params(), gradBuffers);
            grads = gradBuffers;
        } else {
            net.bind(cur);
            SameDiff sd = net.sameDiff();
            if (!sd.hasGradientFunction()) {
                GraphOps.createGradFunctionQuietly(sd);
            }
            OutAndGrad og = sd.calculateGradientsAndOutputs(ph, outs, net.parameterNames());
            values = new double[outs.size()];
            for (int i = 0; i < outs.size(); i++) {
                values[i] = og.getOutputs().get(outs.get(i)).getDouble(0);
            }
            grads = og.getGradients();
        }
        if (!Double.isFinite(values[0])) {
            throw new IllegalStateException("loss: became " + values[0] + " at step " + (cur.step() + 1)
                    + "; parameters kept at the last good step (try a smaller learningRate)");
        }
        int iteration = (int) Math.min(Integer.MAX_VALUE - 1, cur.step());
        boolean sgd = optimizer instanceof Sgd;
        String nonFinite = null;                         // the first parameter whose new values are not all finite
        for (String name : net.parameterNames()) {
            INDArray g = grads.get(name);
            INDArray upd = scratch.get(name);
            INDArray p = cur.params().get(name);
            if (optimizer instanceof Adam adam && Adam.direct(p, g, cur.m().get(name), cur.v().get(name), spareParams.get(name),
                    spareM.get(name), spareV.get(name))) {
                if (!adam.step(p, g, cur.m().get(name), cur.v().get(name), spareParams.get(name), spareM.get(name), spareV.get(name),
                        rate, iteration) && nonFinite == null) {  // one pass in Java, straight into the spare state
                    nonFinite = name;
                }
                continue;
            }
            if (optimizer instanceof Adam adam) {
                Nd4j.exec(new AdamUpdater(g, cur.v().get(name), cur.m().get(name), upd, spareV.get(name), spareM.get(name),
                        rate, adam.beta1(), adam.beta2(), adam.epsilon(), iteration));
            } else {
                upd.assign(g).muli(rate);
            }
            p.sub(upd, spareParams.get(name));
            if (nonFinite == null && !Double.isFinite(spareParams.get(name).sumNumber().doubleValue())) {
                nonFinite = name;
            }
        }
        if (nonFinite != null) {
            throw new IllegalStateException("parameters: " + nonFinite + " became NaN or infinite at step " + (cur.step() + 1)
                    + " (loss " + values[0] + "); parameters kept at the last good step (try a smaller learningRate)");
        }
        checkInterrupt(cur);                             // interrupted during the step: discard it
        // commit: one reference write; the old state becomes the spare buffer (gradient descent keeps its zero moments)
        Network.State next = new Network.State(spareParams, sgd ? cur.m() : spareM, sgd ? cur.v() : spareV, cur.step() + 1);
        net.commit(next);
        spareParams = cur.params();
        if (!sgd) {
            spareM = cur.m();
            spareV = cur.v();
        }
        lastLoss = values[0];
        return values;
    }

    /**
     * A stopped notebook cell (JJava cancels the cell's task with {@code Future.cancel(true)}, which
     * interrupts its thread and returns from the cell at once) ends the fit here, before anything
     * more is committed or displayed: {@link CancellationException} "stopped after N steps". Without
     * this check the loop would run on in the background until something interrupt-sensitive failed
     * (the next progress update does: ZeroMQ refuses to send from an interrupted thread).
     */
    /**
     * One progress update; a stop that lands between {@link #checkInterrupt} and the update (ZeroMQ then
     * refuses to send from the interrupted thread) ends the fit the same way, "stopped after N steps".
     */
    private void show(Progress p, String format, Object... args) {
        try {
            p.step(format, args);
        } catch (RuntimeException e) {
            if (Thread.currentThread().isInterrupted() || String.valueOf(e.getMessage()).contains("Interrupted")) {
                CancellationException stop = new CancellationException("stopped after " + net.committed().step()
                        + " steps (interrupted); the network keeps its last completed step");
                stop.initCause(e);
                throw stop;
            }
            throw e;
        }
    }

    private static void checkInterrupt(Network.State cur) {
        if (Thread.currentThread().isInterrupted()) {
            throw new CancellationException("stopped after " + cur.step() + " steps (interrupted); the network keeps its "
                    + "last completed step");
        }
    }

    private void ensureSpare(Network.State cur) {
        if (spareParams == null || spareParams == cur.params() || spareParams.keySet().size() != cur.params().size()) {
            Network.State blank = cur.blankLike();
            spareParams = blank.params();
            spareM = blank.m();
            spareV = blank.v();
            scratch = cur.blankLike().params();
        }
    }

    /** {@link #fit(Map, Fit, Rng)} at the optimizer's base step size, constant. */
    public Table fit(Map<String, INDArray> data, int epochs, int batchSize, Rng rng) {
        Check.positive("epochs", epochs);
        Check.positive("batchSize", batchSize);
        return fit(data, new Fit(epochs, batchSize, optimizer.learningRate(), Schedule.constant()), rng);
    }

    /**
     * Trains for {@code fit.epochs()} passes over {@code data} (placeholder name → {@code [N, ...]}, all
     * with the same N), shuffled each epoch with {@code rng}, in mini-batches of {@code fit.batchSize()}
     * (the last one may be smaller; a single leftover row joins the previous batch instead, because
     * SameDiff M2.1 fails on a one-row batch for some graphs, e.g. a mixture density), at step size
     * {@code fit.learningRate()} × {@code fit.schedule()} per step. Shows a live progress line;
     * returns the whole history (one row per epoch: epoch, loss, monitors, seconds).
     */
    public Table fit(Map<String, INDArray> data, Fit fit, Rng rng) {
        Check.notNull("data", data);
        Check.notNull("fit", fit);
        Check.notNull("rng", rng);
        if (data.isEmpty()) {
            throw new IllegalArgumentException("data: expected at least one placeholder array, got none");
        }
        long n = -1;
        for (Map.Entry<String, INDArray> e : data.entrySet()) {
            if (!net.sameDiff().isPlaceHolder(e.getKey())) {
                throw new IllegalArgumentException("data: expected placeholder names, got \"" + e.getKey() + "\"");
            }
            Check.finite("data[" + e.getKey() + "]", e.getValue());
            long rows = e.getValue().size(0);
            if (n >= 0 && rows != n) {
                throw new IllegalArgumentException("data: expected every array to have " + n + " rows, got " + rows + " for \"" + e.getKey() + "\"");
            }
            n = rows;
        }
        Map<String, INDArray> cast = net.cast(data);
        int rowsN = Math.toIntExact(n);
        if (rowsN < 2) {
            throw new IllegalArgumentException("data: expected at least 2 rows, got " + rowsN);
        }
        int b = Math.min(fit.batchSize(), rowsN);
        int batches = (rowsN + b - 1) / b;
        if (batches > 1 && rowsN % b == 1) {
            batches--;                                   // the trailing one-row batch joins the previous one
        }
        int nBatches = batches;
        // one thread for libnd4j and BLAS: on these op sizes fork/join costs more than it saves, and on the
        // hand-written path a second BLAS thread measured slower on a shared machine (benchmarks/vae/README.md)
        SmallOps.singleThreaded(() -> runEpochs(cast, rowsN, b, nBatches, fit, rng));
        return history();
    }

    /**
     * Full-batch training of a loss whose data live in the graph (constants; extras such as noise are
     * still fed every step): {@code fit.epochs()} steps (the batch size is unused) at step size
     * {@code fit.learningRate()} × {@code fit.schedule()}, with live progress; returns the whole history
     * (one row per step: epoch = step, loss, monitors, seconds).
     */
    public Table fit(Fit fit, Rng rng) {
        Check.notNull("fit", fit);
        Check.notNull("rng", rng);
        SmallOps.singleThreaded(() -> runSteps(fit, rng));
        return history();
    }

    /** The training loop of {@link #fit(Map, Fit, Rng)}. */
    private void runEpochs(Map<String, INDArray> cast, int rowsN, int b, int batches, Fit fit, Rng rng) {
        int k = 1 + monitors.size();
        int epochs = fit.epochs();
        long total = (long) epochs * batches;
        long t = 0;
        BatchRows rows = new BatchRows(cast);
        try (Progress p = Progress.start(label, total)) {
            for (int epoch = 0; epoch < epochs; epoch++) {
                long t0 = System.nanoTime();
                int[] perm = rng.permutation(rowsN);
                double[] sums = new double[k];
                for (int i = 0; i < batches; i++) {
                    int from = i * b;
                    int to = i == batches - 1 ? rowsN : from + b;
                    Map<String, INDArray> batch = rows.gather(perm, from, to);
                    double[] v = update(batch, to - from, rng, fit.learningRate() * fit.schedule().factor(t, total));
                    t++;
                    notifyListeners(t, v[0]);
                    for (int j = 0; j < k; j++) {
                        sums[j] += v[j] * (to - from);
                    }
                    checkInterrupt(net.committed());        // before the display: JJava's socket fails on an interrupted thread
                    show(p, "epoch %d/%d  loss %.4f%s", epoch + 1, epochs, v[0], describe(v));
                }
                for (int j = 0; j < k; j++) {
                    sums[j] /= rowsN;
                }
                record(sums, t0);
            }
            finish(p, epochs + " epochs");
        }
    }

    /** The training loop of {@link #fit(Fit, Rng)}. */
    private void runSteps(Fit fit, Rng rng) {
        int steps = fit.epochs();
        try (Progress p = Progress.start(label, steps)) {
            for (int t = 0; t < steps; t++) {
                long t0 = System.nanoTime();
                double[] v = update(Map.of(), 0, rng, fit.learningRate() * fit.schedule().factor(t, steps));
                notifyListeners(t + 1, v[0]);
                record(v, t0);
                checkInterrupt(net.committed());
                show(p, "step %d/%d  loss %.4f%s", t + 1, steps, v[0], describe(v));
            }
            finish(p, steps + " steps");
        }
    }

    private void notifyListeners(long step, double value) {
        for (StepListener l : listeners) {
            l.stepDone(step, value);
        }
    }

    /** Appends one history row: the loss and monitors {@code v}, timed from {@code t0}. */
    private void record(double[] v, long t0) {
        int k = 1 + monitors.size();
        double[] row = new double[k + 2];
        row[0] = history.size() + 1;
        System.arraycopy(v, 0, row, 1, k);
        row[k + 1] = (System.nanoTime() - t0) / 1e9;
        history.add(row);
    }

    private void finish(Progress p, String what) {
        double[] last = history.get(history.size() - 1);
        p.finish("%s, loss %.4f%s", what, last[1], describe(java.util.Arrays.copyOfRange(last, 1, 2 + monitors.size())));
    }

    private String describe(double[] v) {
        StringBuilder s = new StringBuilder();
        int j = 1;
        for (String name : monitors.keySet()) {
            s.append(String.format(java.util.Locale.ROOT, "  %s %.4f", name, v[j++]));
        }
        return s.toString();
    }

    /** One row per completed epoch: epoch, loss, each monitor, seconds. */
    public Table history() {
        int k = 1 + monitors.size();
        IntColumn epoch = IntColumn.create("epoch");
        List<DoubleColumn> cols = new ArrayList<>();
        cols.add(DoubleColumn.create("loss"));
        for (String name : monitors.keySet()) {
            cols.add(DoubleColumn.create(name));
        }
        DoubleColumn secs = DoubleColumn.create("seconds");
        for (double[] row : history) {
            epoch.append((int) row[0]);
            for (int j = 0; j < k; j++) {
                cols.get(j).append(row[j + 1]);
            }
            secs.append(row[k + 1]);
        }
        Table t = Table.create(label + " history", epoch);
        cols.forEach(t::addColumns);
        t.addColumns(secs);
        return t;
    }
}
