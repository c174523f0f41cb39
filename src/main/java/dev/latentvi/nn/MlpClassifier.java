package dev.latentvi.nn;

import dev.latentvi.internal.GraphOps;
import dev.latentvi.math.Check;
import dev.latentvi.math.LogMath;
import dev.latentvi.math.Rng;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import tech.tablesaw.api.Table;

/**
 * A K-class classifier: an MLP whose K outputs are the logits of a Categorical p(y | x), trained by
 * maximum likelihood (softmax cross-entropy). Used to check what a generative model produced, e.g.
 * which digit a conditional VAE's sample shows.
 *
 * <pre>{@code
 * MlpClassifier digits = MlpClassifier.builder().input(784).classes(10).hidden(128).build(rng);
 * digits.fit(train.images(), train.labels(), Fit.epochs(8).batchSize(128).learningRate(1e-3), rng);
 * double acc = digits.accuracy(test.images(), test.labels());
 * }</pre>
 */
public final class MlpClassifier {
    private final Network net;
    private final SDVariable logits;
    private final SDVariable loss;
    private final Step step;           // the hand-written fast path (null: SameDiff's gradients)
    private final int in;
    private final int classes;

    private MlpClassifier(Builder b, Rng rng) {
        this.in = b.input;
        this.classes = b.classes;
        net = Network.create(DataType.FLOAT);
        SDVariable x = net.input("x", in);
        SDVariable y = net.input("y", classes);                      // one-hot labels
        long[] sizes = new long[b.hidden.length + 2];
        sizes[0] = in;
        for (int i = 0; i < b.hidden.length; i++) {
            sizes[i + 1] = b.hidden[i];
        }
        sizes[b.hidden.length + 1] = classes;
        Mlp.Layers layers = Mlp.of(sizes).hidden(Activation.RELU).layers(net, "f", rng);
        logits = layers.apply(x);
        step = "false".equals(System.getProperty("latentvi.denseKernel")) ? null : new Step(DenseKernel.of(layers.dense()), classes);
        SameDiff sd = net.sameDiff();
        // log p(y | x) = ℓ_y − logsumexp(ℓ), written out (M2.1's LogSoftMax op fails in backprop)
        SDVariable logLik = GraphOps.sum(sd, logits.mul(y), 1).sub(LogMath.logSumExp(sd, logits, 1));
        loss = logLik.mean().neg().rename("crossEntropy");
    }

    /** A builder: input 784, 10 classes, one hidden ReLU layer of 128 unless set. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Maximizes the log-likelihood of {@code labels [N]} (each in 0..K−1) given {@code x [N, in]} with
     * Adam as configured by {@code fit}; returns this call's history (loss = cross-entropy in nats per row).
     */
    public Table fit(INDArray x, int[] labels, Fit fit, Rng rng) {
        Check.matrix("x", x, in);
        Check.finite("x", x);
        INDArray y = oneHot("labels", labels, x.size(0));
        Check.notNull("fit", fit);
        Trainer trainer = Trainer.of(net, loss, Adam.of(fit.learningRate())).label("classifier");
        if (step != null) {
            trainer.gradients(step);
        }
        return trainer.fit(Map.of("x", x, "y", y), fit, rng);
    }

    /** The most probable class of each row of {@code x [n, in]}, {@code [n]}. */
    public int[] predict(INDArray x) {
        Check.matrix("x", x, in);
        Check.finite("x", x);
        INDArray l = net.output(Map.of("x", x), logits.name());
        return l.argMax(1).toIntVector();
    }

    /** Fraction of rows of {@code x [n, in]} whose predicted class is their label {@code [n]}. */
    public double accuracy(INDArray x, int[] labels) {
        Check.matrix("x", x, in);
        checkLabels("labels", labels, x.size(0));
        int[] p = predict(x);
        int hits = 0;
        for (int i = 0; i < p.length; i++) {
            hits += p[i] == labels[i] ? 1 : 0;
        }
        return hits / (double) p.length;
    }

    /** Fraction of rows of {@code x [n, in]} classified as {@code label} (e.g. samples meant to show it). */
    public double fractionClassifiedAs(INDArray x, int label) {
        Check.inRange("label", label, 0, classes - 1);
        int[] p = predict(x);
        int hits = 0;
        for (int v : p) {
            hits += v == label ? 1 : 0;
        }
        return hits / (double) p.length;
    }

    /** Number of classes K. */
    public int classes() {
        return classes;
    }

    private void checkLabels(String name, int[] labels, long rows) {
        Check.notNull(name, labels);
        if (labels.length != rows) {
            throw new IllegalArgumentException(name + ": expected " + rows + " labels (one per row of x), got " + labels.length);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException(name + "[" + i + "]: expected a class in [0, " + (classes - 1) + "], got " + labels[i]);
            }
        }
    }

    private INDArray oneHot(String name, int[] labels, long rows) {
        checkLabels(name, labels, rows);
        INDArray y = Nd4j.zeros(DataType.FLOAT, rows, classes);
        for (int i = 0; i < labels.length; i++) {
            y.putScalar(i, labels[i], 1f);
        }
        return y;
    }

    /**
     * The cross-entropy step by hand on a {@link DenseKernel}: with p = softmax(ℓ) per row,
     * loss = −(1/n) Σ_i log p_{i,y_i} and ∂loss/∂ℓ = (p − onehot(y))/n. Checked against SameDiff in the tests.
     */
    static final class Step implements Trainer.Gradients {
        private final DenseKernel kernel;
        private final int k;

        Step(DenseKernel kernel, int classes) {
            this.kernel = kernel;
            this.k = classes;
        }

        @Override
        public double[] compute(Map<String, INDArray> batch, long rows, Map<String, INDArray> params, Map<String, INDArray> grads) {
            INDArray l = kernel.forward(batch.get("x"), params);
            int n = (int) l.size(0);
            float[] logit = l.dup('c').data().asFloat();
            float[] y = batch.get("y").castTo(DataType.FLOAT).dup('c').data().asFloat();
            float[] d = new float[n * k];
            double total = 0;
            for (int i = 0; i < n; i++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < k; c++) {
                    max = Math.max(max, logit[i * k + c]);
                }
                double sum = 0;
                for (int c = 0; c < k; c++) {
                    sum += Math.exp(logit[i * k + c] - max);
                }
                double logZ = max + Math.log(sum);
                for (int c = 0; c < k; c++) {
                    double p = Math.exp(logit[i * k + c] - logZ);
                    total -= y[i * k + c] * (logit[i * k + c] - logZ);
                    d[i * k + c] = (float) ((p - y[i * k + c]) / n);
                }
            }
            kernel.backward(Nd4j.createFromArray(d).reshape(n, k), params, grads, false);
            return new double[] {total / n};
        }
    }

    /** Widths of an {@link MlpClassifier}; {@link #build} initializes it. */
    public static final class Builder {
        private int input = 784;
        private int classes = 10;
        private int[] hidden = {128};

        private Builder() {
        }

        /** Input width (default 784). */
        public Builder input(int width) {
            Check.positive("input", width);
            input = width;
            return this;
        }

        /** Number of classes K ≥ 2 (default 10). */
        public Builder classes(int k) {
            if (k < 2) {
                throw new IllegalArgumentException("classes: expected at least 2 classes, got " + k);
            }
            classes = k;
            return this;
        }

        /** Hidden ReLU layer widths, at least one (default 128). */
        public Builder hidden(int... widths) {
            hidden = MlpRegressor.checkWidths(widths);
            return this;
        }

        /** The classifier with weights drawn from {@code rng}. */
        public MlpClassifier build(Rng rng) {
            Check.notNull("rng", rng);
            return new MlpClassifier(this, rng);
        }
    }
}
