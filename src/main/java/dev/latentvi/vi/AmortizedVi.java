package dev.latentvi.vi;

import dev.latentvi.dist.GraphNormal;
import dev.latentvi.dist.Normal;
import dev.latentvi.math.Check;
import dev.latentvi.math.Rng;
import dev.latentvi.internal.SmallOps;
import dev.latentvi.nn.Activation;
import dev.latentvi.nn.Adam;
import dev.latentvi.nn.GaussianHead;
import dev.latentvi.nn.Mlp;
import dev.latentvi.nn.Network;
import dev.latentvi.nn.Trainer;
import java.util.Arrays;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import tech.tablesaw.api.Table;

/**
 * Amortized variational inference: one encoder network q_φ(z|x) = N(μ_φ(x), diag σ_φ(x)²) for all
 * data points, trained by maximizing the average ELBO
 * E_{ε}[log p(x_i, μ_φ(x_i) + σ_φ(x_i) ε)] + H(q_φ(z|x_i)) over mini-batches with the
 * reparameterization trick (one ε per point, entropy in closed form). The model p stays fixed.
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
        SameDiff sd = net.sameDiff();
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
        SDVariable mu = head.mean().rename("mu");
        SDVariable logSigma = head.logSigma().rename("logSigma");
        SDVariable eps = net.input("eps", d);
        GraphNormal q = GraphNormal.of(mu, logSigma);
        SDVariable z = q.rsample(eps);
        SDVariable elbo = model.logJoint(sd, in, z).add(q.entropy());   // [b]
        SDVariable loss = elbo.mean().neg().rename("loss");
        Map<String, INDArray> data = Map.of("x", x.castTo(DataType.DOUBLE));
        // 80% of the epochs at the full step size, then 20% at a tenth of it to let the noise settle
        int coarse = Math.max(1, (int) Math.round(0.8 * epochs));
        int fine = epochs - coarse;
        Table history = SmallOps.singleThreaded(() -> {
            Trainer first = Trainer.of(net, loss, Adam.of(learningRate)).noise("eps", d).label("amortized VI");
            Table t = first.fit(data, coarse, batchSize, rng);
            if (fine > 0) {
                Trainer second = Trainer.of(net, loss, Adam.of(learningRate / 10)).noise("eps", d).label("amortized VI (fine)");
                Table h2 = second.fit(data, fine, batchSize, rng);
                t = t.append(renumber(h2, coarse));
            }
            return t;
        });
        return new Encoder(net, model, history);
    }

    private static Table renumber(Table t, int offset) {
        Table copy = t.copy();
        var col = copy.column("epoch");
        if (col instanceof tech.tablesaw.api.IntColumn ints) {
            for (int i = 0; i < ints.size(); i++) {
                ints.set(i, ints.get(i) + offset);
            }
        } else if (col instanceof tech.tablesaw.api.DoubleColumn ds) {
            for (int i = 0; i < ds.size(); i++) {
                ds.set(i, ds.get(i) + offset);
            }
        }
        return copy;
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

        /** The negated training loss per epoch, i.e. the average training ELBO {@code [epochs]}. */
        public double[] elboTrace() {
            return Arrays.stream(history.doubleColumn("loss").asDoubleArray()).map(v -> -v).toArray();
        }
    }
}
