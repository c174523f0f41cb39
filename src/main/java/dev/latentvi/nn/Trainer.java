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
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.updaters.AdamUpdater;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

/**
 * Mini-batch Adam on a user-supplied scalar loss of a {@link Network}. The gradient graph is built
 * once; each step computes gradients with the committed parameters, writes the Adam update into a
 * spare buffer and then commits it in one reference write, so an interrupted step (exception,
 * stopped notebook cell) leaves the network at its last completed step. The gradient graph is
 * built on the first step with standard output discarded ({@link GraphOps#createGradFunctionQuietly}):
 * SameDiff M2.1 prints one "Added differentiated op ..." line per op while building it, which would
 * bury a notebook cell's output.
 *
 * <pre>{@code
 * SDVariable loss = ...;                              // scalar: mean loss over the batch
 * Trainer t = Trainer.of(net, loss, Adam.of(1e-3)).monitor("kl", kl);
 * Table history = t.fit(Map.of("x", x), 20, 128, rng);  // live progress, one row per epoch
 * }</pre>
 */
public final class Trainer {
    /** Per-step extra placeholder values (e.g. reparameterization noise) for a batch of {@code batchSize} rows. */
    @FunctionalInterface
    public interface BatchInputs {
        Map<String, INDArray> inputs(long batchSize, Rng rng);
    }

    private final Network net;
    private final SDVariable loss;
    private final Adam adam;
    private final Map<String, SDVariable> monitors = new LinkedHashMap<>();
    private final List<BatchInputs> extras = new ArrayList<>();
    private final List<double[]> history = new ArrayList<>();
    private String label = "training";
    private Map<String, INDArray> spareParams;
    private Map<String, INDArray> spareM;
    private Map<String, INDArray> spareV;
    private Map<String, INDArray> scratch;
    private double lastLoss = Double.NaN;

    private Trainer(Network net, SDVariable loss, Adam adam) {
        this.net = net;
        this.loss = loss;
        this.adam = adam;
    }

    /** A trainer minimizing {@code loss} (a scalar variable of {@code net}) with {@code adam}. */
    public static Trainer of(Network net, SDVariable loss, Adam adam) {
        Check.notNull("net", net);
        Check.notNull("loss", loss);
        Check.notNull("adam", adam);
        if (loss.getSameDiff() != net.sameDiff()) {
            throw new IllegalArgumentException("loss: expected a variable of the network's graph, got one from another graph");
        }
        if (net.parameterNames().isEmpty()) {
            throw new IllegalArgumentException("net: expected trainable parameters, got none");
        }
        net.sameDiff().setLossVariables(loss);
        return new Trainer(net, loss, adam);
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
     * One Adam step on {@code batch} (placeholder name → {@code [b, ...]}); returns the batch loss.
     * A non-finite loss or gradient throws {@link IllegalStateException} and commits nothing.
     */
    public double step(Map<String, INDArray> batch, Rng rng) {
        return stepWithMonitors(batch, rng)[0];
    }

    /** Loss followed by the monitors, for one step. */
    private double[] stepWithMonitors(Map<String, INDArray> batch, Rng rng) {
        Check.notNull("batch", batch);
        Check.notNull("rng", rng);
        Network.State cur = net.committed();
        ensureSpare(cur);
        if (batch.isEmpty()) {
            throw new IllegalArgumentException("batch: expected at least one placeholder array, got none");
        }
        long b = batch.values().iterator().next().size(0);
        if (b < 2) {
            throw new IllegalArgumentException("batch: expected at least 2 rows (SameDiff cannot differentiate a one-row batch), got " + b);
        }
        Map<String, INDArray> ph = new LinkedHashMap<>(net.cast(batch));
        for (BatchInputs e : extras) {
            ph.putAll(net.cast(e.inputs(b, rng)));
        }
        List<String> outs = new ArrayList<>();
        outs.add(loss.name());
        for (SDVariable m : monitors.values()) {
            outs.add(m.name());
        }
        net.bind(cur);
        SameDiff sd = net.sameDiff();
        if (!sd.hasGradientFunction()) {
            GraphOps.createGradFunctionQuietly(sd);
        }
        OutAndGrad og = sd.calculateGradientsAndOutputs(ph, outs, net.parameterNames());
        double[] values = new double[outs.size()];
        for (int i = 0; i < outs.size(); i++) {
            values[i] = og.getOutputs().get(outs.get(i)).getDouble(0);
        }
        if (!Double.isFinite(values[0])) {
            throw new IllegalStateException("loss: became " + values[0] + " at step " + (cur.step() + 1)
                    + "; parameters kept at the last good step (try a smaller learningRate)");
        }
        Map<String, INDArray> grads = og.getGradients();
        int iteration = (int) Math.min(Integer.MAX_VALUE - 1, cur.step());
        for (String name : net.parameterNames()) {
            INDArray g = grads.get(name);
            INDArray upd = scratch.get(name);
            Nd4j.exec(new AdamUpdater(g, cur.v().get(name), cur.m().get(name), upd, spareV.get(name), spareM.get(name),
                    adam.learningRate(), adam.beta1(), adam.beta2(), adam.epsilon(), iteration));
            cur.params().get(name).sub(upd, spareParams.get(name));
        }
        // commit: one reference write; the old state becomes the spare buffer
        Network.State next = new Network.State(spareParams, spareM, spareV, cur.step() + 1);
        net.commit(next);
        spareParams = cur.params();
        spareM = cur.m();
        spareV = cur.v();
        lastLoss = values[0];
        return values;
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

    /**
     * Trains for {@code epochs} passes over {@code data} (placeholder name → {@code [N, ...]}, all
     * with the same N), shuffled each epoch with {@code rng}, in mini-batches of {@code batchSize}
     * (the last one may be smaller; a single leftover row joins the previous batch instead, because
     * SameDiff M2.1 fails on a one-row batch for some graphs, e.g. a mixture density). Shows a live
     * progress line; returns the whole history (one row per epoch: epoch, loss, monitors, seconds).
     */
    public Table fit(Map<String, INDArray> data, int epochs, int batchSize, Rng rng) {
        Check.notNull("data", data);
        Check.positive("epochs", epochs);
        Check.positive("batchSize", batchSize);
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
        int b = Math.min(batchSize, rowsN);
        int batches = (rowsN + b - 1) / b;
        if (batches > 1 && rowsN % b == 1) {
            batches--;                                   // the trailing one-row batch joins the previous one
        }
        int nBatches = batches;
        // one thread for libnd4j and BLAS: on these op sizes fork/join costs more than it saves
        SmallOps.singleThreaded(() -> runEpochs(cast, rowsN, b, nBatches, epochs, rng));
        return history();
    }

    /** The training loop of {@link #fit}. */
    private void runEpochs(Map<String, INDArray> cast, int rowsN, int b, int batches, int epochs, Rng rng) {
        int k = 1 + monitors.size();
        try (Progress p = Progress.start(label, (long) epochs * batches)) {
            for (int epoch = 0; epoch < epochs; epoch++) {
                long t0 = System.nanoTime();
                int[] perm = rng.permutation(rowsN);
                Map<String, INDArray> shuffled = new LinkedHashMap<>();
                for (Map.Entry<String, INDArray> e : cast.entrySet()) {
                    shuffled.put(e.getKey(), e.getValue().getRows(perm));
                }
                double[] sums = new double[k];
                for (int i = 0; i < batches; i++) {
                    int from = i * b;
                    int to = i == batches - 1 ? rowsN : from + b;
                    Map<String, INDArray> batch = new LinkedHashMap<>();
                    for (Map.Entry<String, INDArray> e : shuffled.entrySet()) {
                        batch.put(e.getKey(), e.getValue().get(NDArrayIndex.interval(from, to)));
                    }
                    double[] v = stepWithMonitors(batch, rng);
                    for (int j = 0; j < k; j++) {
                        sums[j] += v[j] * (to - from);
                    }
                    p.step("epoch %d/%d  loss %.4f%s", epoch + 1, epochs, v[0], describe(v));
                }
                double[] row = new double[k + 2];
                row[0] = history.size() + 1;
                for (int j = 0; j < k; j++) {
                    row[j + 1] = sums[j] / rowsN;
                }
                row[k + 1] = (System.nanoTime() - t0) / 1e9;
                history.add(row);
            }
            double[] last = history.get(history.size() - 1);
            p.finish("%d epochs, loss %.4f%s", epochs, last[1], describe(java.util.Arrays.copyOfRange(last, 1, k + 1)));
        }
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
