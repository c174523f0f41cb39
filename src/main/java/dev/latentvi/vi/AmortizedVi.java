package dev.latentvi.vi;

import dev.latentvi.dist.GraphNormal;
import dev.latentvi.dist.Normal;
import dev.latentvi.math.Check;
import dev.latentvi.math.Rng;
import dev.latentvi.nn.Activation;
import dev.latentvi.nn.Adam;
import dev.latentvi.nn.Fit;
import dev.latentvi.nn.GaussianHead;
import dev.latentvi.nn.Mlp;
import dev.latentvi.nn.Network;
import dev.latentvi.nn.Schedule;
import dev.latentvi.nn.Trainer;
import java.util.Arrays;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

/**
 * Amortized variational inference: one encoder network q_φ(z|x) = N(μ_φ(x), diag σ_φ(x)²) for all
 * data points, trained by maximizing the average of a {@link Bound} — by default the ELBO
 * E_{ε}[log p(x_i, μ_φ(x_i) + σ_φ(x_i) ε)] + H(q_φ(z|x_i)) ({@link Bound#monteCarlo}, one ε per point,
 * entropy in closed form) — over mini-batches with the reparameterization trick, in one
 * {@link Trainer} run whose step size drops to a tenth for the last 20% of the steps. The model p stays fixed.
 * The parameter count no longer grows with the data set, and a new point needs one forward pass.
 *
 * <pre>{@code
 * AmortizedVi.Encoder enc = AmortizedVi.of(model).hidden(32).epochs(200).fit(xTrain, rng);
 * Normal q = enc.encode(xTest);
 * }</pre>
 */
public final class AmortizedVi {
    private final LatentModel model;
    private long[] hidden = {32};
    private int epochs = 200;
    private int batchSize = 128;
    private double learningRate = 1e-2;
    private Bound bound = Bound.monteCarlo(1);

    private AmortizedVi(LatentModel model) {
        this.model = model;
    }

    /** Amortized VI for a model; defaults: one tanh hidden layer of 32, 200 epochs, batches of 128, Adam 1e-2 (a tenth for the last 20% of epochs). */
    public static AmortizedVi of(LatentModel model) {
        Check.notNull("model", model);
        return new AmortizedVi(model);
    }

    /** Widths of the tanh hidden layers (none: a linear encoder). */
    public AmortizedVi hidden(long... widths) {
        Check.notNull("widths", widths);
        for (long w : widths) {
            Check.positive("widths", w);
        }
        this.hidden = widths.clone();
        return this;
    }

    /** Passes over the training data (≥ 1). */
    public AmortizedVi epochs(int e) {
        Check.positive("epochs", e);
        this.epochs = e;
        return this;
    }

    /** Mini-batch size (≥ 1). */
    public AmortizedVi batchSize(int b) {
        Check.positive("batchSize", b);
        this.batchSize = b;
        return this;
    }

    /** The bound the encoder maximizes on average (default {@code Bound.monteCarlo(1)}), e.g. {@code Bound.analyticKl(1)}. */
    public AmortizedVi bound(Bound b) {
        Check.notNull("bound", b);
        this.bound = b;
        return this;
    }

    /** Adam step size (> 0). */
    public AmortizedVi learningRate(double lr) {
        Check.positive("learningRate", lr);
        this.learningRate = lr;
        return this;
    }

    /** Trains the encoder on x {@code [N, D]} with live progress; returns it with its training history. */
    public Encoder fit(INDArray x, Rng rng) {
        Check.matrix("x", x, model.dataDim());
        Check.finite("x", x);
        Check.notNull("rng", rng);
        int d = model.latentDim();
        int dataDim = model.dataDim();
        Network net = Network.create(DataType.DOUBLE);
        SDVariable in = net.input("x", dataDim);
        SDVariable h = in;
        long width = dataDim;
        if (hidden.length > 0) {
            long[] sizes = new long[hidden.length + 1];
            sizes[0] = dataDim;
            System.arraycopy(hidden, 0, sizes, 1, hidden.length);
            h = Mlp.of(sizes).hidden(Activation.TANH).output(Activation.TANH).build(net, "enc", in, rng);
            width = hidden[hidden.length - 1];
        }
        GaussianHead head = GaussianHead.build(net, "q", h, width, d, rng);
        GraphNormal q = GraphNormal.of(head.mean().rename("mu"), head.logSigma().rename("logSigma"));
        Bound.Loss loss = bound.loss(model, q, in);
        Map<String, INDArray> data = Map.of("x", x.castTo(DataType.DOUBLE));
        // 80% of the steps at the full step size, then a tenth of it to let the noise settle
        Fit fit = Fit.epochs(epochs).batchSize(batchSize).learningRate(learningRate).schedule(Schedule.dropAt(0.8, 0.1));
        Table history = loss.trainer(net, Adam.of(learningRate)).label("amortized VI").fit(data, fit, rng);
        return new Encoder(net, model, history);
    }

    /** A trained encoder x ↦ q_φ(z|x). */
    public static final class Encoder {
        private final Network net;
        private final LatentModel model;
        private final Table history;

        Encoder(Network net, LatentModel model, Table history) {
            this.net = net;
            this.model = model;
            this.history = history;
        }

        /** q_φ(z|x) for each row: x {@code [n, D]} → a batch of n Normals {@code [n, d]}. */
        public Normal encode(INDArray x) {
            Check.matrix("x", x, model.dataDim());
            Check.finite("x", x);
            Map<String, INDArray> out = net.output(Map.of("x", x.castTo(DataType.DOUBLE)), "mu", "logSigma");
            return Normal.ofLogSigma(out.get("mu").dup(), out.get("logSigma").dup());
        }

        /** Number of encoder parameters |φ| (independent of the data-set size). */
        public long parameterCount() {
            return net.parameterCount();
        }

        /** Training history: one row per epoch with the loss (−ELBO per point) and seconds. */
        public Table history() {
            return history;
        }

        /** The average training ELBO per epoch as a table: "epoch" (1, 2, …) and "ELBO" (the entries of {@link #elboTrace()}). */
        public Table elboHistory() {
            double[] elbo = elboTrace();
            int[] epochs = new int[elbo.length];
            for (int e = 0; e < epochs.length; e++) {
                epochs[e] = e + 1;
            }
            return Table.create("amortized VI history", IntColumn.create("epoch", epochs), DoubleColumn.create("ELBO", elbo));
        }

        /** The negated training loss per epoch, i.e. the average training ELBO {@code [epochs]}. */
        public double[] elboTrace() {
            return Arrays.stream(history.doubleColumn("loss").asDoubleArray()).map(v -> -v).toArray();
        }
    }
}
