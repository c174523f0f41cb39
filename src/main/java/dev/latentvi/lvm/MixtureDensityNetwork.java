package dev.latentvi.lvm;

import dev.latentvi.dist.GraphNormal;
import dev.latentvi.dist.Normal;
import dev.latentvi.math.Check;
import dev.latentvi.math.LogMath;
import dev.latentvi.math.Rng;
import dev.latentvi.nn.Activation;
import dev.latentvi.nn.Adam;
import dev.latentvi.nn.Fit;
import dev.latentvi.nn.GaussianHead;
import dev.latentvi.nn.Mlp;
import dev.latentvi.nn.Network;
import dev.latentvi.nn.DenseKernel;
import dev.latentvi.nn.Trainer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

/**
 * A mixture density network p(y|x) = Σ_k π_k(x) N(y; μ_k(x), diag σ_k(x)²): an MLP maps x
 * {@code [n, dx]} to mixing logits {@code [n, K]}, means and log standard deviations
 * {@code [n, K, dy]}, trained by maximum likelihood (mini-batch Adam on −(1/N) Σ log p(y_i|x_i)).
 * With K = 1 it is the single-Gaussian regressor N(y; μ(x), σ(x)²), which on multimodal data
 * learns the average of the modes. Built on {@link Network} (tanh {@link Mlp}, {@link GaussianHead})
 * and trained with {@link Trainer}.
 *
 * <pre>{@code
 * MixtureDensityNetwork mdn = MixtureDensityNetwork.builder().components(2).hidden(32).build(rng);
 * mdn.fit(states, actions, Fit.epochs(250).batchSize(800).learningRate(0.03), rng);
 * }</pre>
 */
public final class MixtureDensityNetwork {
    private final Network net;
    private final int inputDim;
    private final int outputDim;
    private final int components;
    private final SDVariable logits;
    private final SDVariable mu;
    private final SDVariable logSigma;
    private final SDVariable nll;
    private final List<double[]> history = new ArrayList<>();
    /** The hand-written training step (null: SameDiff's gradient, with {@code -Dlatentvi.denseKernel=false}). */
    private final MdnStep step;

    private MixtureDensityNetwork(Builder b, Rng rng) {
        this.inputDim = b.input;
        this.outputDim = b.output;
        this.components = b.components;
        int[] hidden = b.hidden;
        net = Network.create(DataType.DOUBLE);
        SameDiff sd = net.sameDiff();
        SDVariable x = net.input("x", inputDim);
        SDVariable y = net.input("y", outputDim);
        long[] widths = new long[hidden.length + 1];
        widths[0] = inputDim;
        for (int i = 0; i < hidden.length; i++) {
            widths[i + 1] = hidden[i];
        }
        Mlp.Layers hiddenLayers = Mlp.of(widths).hidden(Activation.TANH).output(Activation.TANH).layers(net, "hidden", rng);
        SDVariable h = hiddenLayers.apply(x);
        step = "false".equals(System.getProperty("latentvi.denseKernel")) || !DenseKernel.supports(hiddenLayers.dense())
                ? null : new MdnStep(hiddenLayers.dense(), components, outputDim);
        long width = hidden[hidden.length - 1];
        // K = 1 has no mixing weights to learn: the likelihood is the single component's
        logits = components == 1
                ? h.mmul(sd.constant(Nd4j.zeros(DataType.DOUBLE, width, 1)))
                : net.dense("logits", h, width, components, Activation.IDENTITY, 1.0, rng);
        GaussianHead head = GaussianHead.build(net, "component", h, width, (long) components * outputDim, rng);
        mu = sd.reshape("mu", head.mean(), -1, components, outputDim);
        logSigma = sd.reshape("logSigma", head.logSigma(), -1, components, outputDim);
        SDVariable y3 = sd.reshape(y, -1, 1, outputDim);                                // [n, 1, dy]
        SDVariable compLogProb = GraphNormal.of(mu, logSigma).logProb(y3);                  // [n, K]
        // log Σ_k softmax(ℓ)_k N_k = logsumexp(ℓ + log N) − logsumexp(ℓ)  (M2.1's own LogSoftMax op fails in backprop)
        SDVariable logLik = components == 1
                ? sd.reshape(compLogProb, -1)
                : LogMath.logSumExp(sd, logits.add(compLogProb), 1).sub(LogMath.logSumExp(sd, logits, 1));   // [n]
        nll = logLik.mean().neg().rename("nll");
    }

    /** A builder: input and output dimension 1, K = 2 components, one tanh hidden layer of 32, unless set. */
    public static Builder builder() {
        return new Builder();
    }

    /** Number of mixture components K. */
    public int components() {
        return components;
    }

    /**
     * Maximum likelihood on pairs x {@code [N, inputDim]}, y {@code [N, outputDim]} with Adam as
     * configured by {@code fit} (live progress); returns the whole per-epoch history (epoch, nll = mean
     * negative log-likelihood). A later call continues from the trained parameters and Adam moments.
     */
    public Table fit(INDArray x, INDArray y, Fit fit, Rng rng) {
        checkX(x);
        Check.matrix("y", y, outputDim);
        if (y.size(0) != x.size(0)) {
            throw new IllegalArgumentException("y: expected " + x.size(0) + " rows like x, got " + y.size(0));
        }
        Check.finite("y", y);
        Check.notNull("fit", fit);
        Check.notNull("rng", rng);
        if (x.size(0) < 2) {
            throw new IllegalArgumentException("x: expected at least 2 rows (SameDiff M2.1 cannot differentiate a one-row batch), got " + x.size(0));
        }
        Trainer trainer = Trainer.of(net, nll, Adam.of(fit.learningRate()))
                .label(components == 1 ? "Gaussian regressor" : "MDN (K=" + components + ")");
        if (step != null) {
            trainer.gradients(step);
        }
        Table run = trainer.fit(Map.of("x", x, "y", y), fit, rng);
        for (double loss : run.doubleColumn("loss").asDoubleArray()) {
            history.add(new double[] {history.size() + 1, loss});
        }
        return history();
    }

    /** Training history: one row per epoch (epoch, nll = mean negative log-likelihood over the epoch's batches). */
    public Table history() {
        IntColumn epoch = IntColumn.create("epoch");
        DoubleColumn loss = DoubleColumn.create("nll");
        for (double[] r : history) {
            epoch.append((int) r[0]);
            loss.append(r[1]);
        }
        return Table.create((components == 1 ? "Gaussian regressor" : "MDN") + " history", epoch, loss);
    }

    /** The conditional mixture at each x {@code [n, inputDim]}: weights {@code [n, K]}, means and standard deviations {@code [n, K, dy]}. */
    public Conditional conditional(INDArray x) {
        checkX(x);
        long n = x.size(0);
        Map<String, INDArray> out = net.output(Map.of("x", x, "y", Nd4j.zeros(DataType.DOUBLE, n, outputDim)),
                logits.name(), mu.name(), logSigma.name());
        INDArray l = out.get(logits.name());
        INDArray w = Transforms.exp(l.subColumnVector(LogMath.logSumExp(l, 1, true)), false);
        return new Conditional(w, out.get(mu.name()), Transforms.exp(out.get(logSigma.name()), true));
    }

    /** log p(y_i | x_i) for pairs x {@code [n, inputDim]}, y {@code [n, outputDim]} → {@code [n]}. */
    public INDArray logProb(INDArray x, INDArray y) {
        checkX(x);
        Check.matrix("y", y, outputDim);
        if (y.size(0) != x.size(0)) {
            throw new IllegalArgumentException("y: expected " + x.size(0) + " rows like x, got " + y.size(0));
        }
        Conditional c = conditional(x);
        long n = x.size(0);
        INDArray y3 = y.castTo(DataType.DOUBLE).reshape(n, 1, outputDim);
        INDArray joint = LogMath.normalLogDensity(y3, c.means(), Transforms.log(c.stddevs(), true)).sum(2)   // [n, K]
                .addi(Transforms.log(c.weights(), true));
        return LogMath.logSumExp(joint, 1);
    }

    /** Mean (1/n) Σ log p(y_i | x_i). */
    public double meanLogLikelihood(INDArray x, INDArray y) {
        return logProb(x, y).meanNumber().doubleValue();
    }

    /** The conditional mean E[y|x] = Σ_k π_k μ_k {@code [n, dy]}. */
    public INDArray predictMean(INDArray x) {
        Conditional c = conditional(x);
        long n = x.size(0);
        return c.means().mul(c.weights().reshape(n, components, 1).broadcast(n, components, outputDim)).sum(1);
    }

    /** One draw y ~ p(y|x_i) per row {@code [n, dy]}: pick a component, then add its Gaussian noise. */
    public INDArray sample(INDArray x, Rng rng) {
        Check.notNull("rng", rng);
        Conditional c = conditional(x);
        long n = x.size(0);
        INDArray k = dev.latentvi.dist.Categorical.ofProbs(c.weights()).sample(rng);   // [n]
        INDArray oneHot = Nd4j.create(DataType.DOUBLE, n, components);
        for (int j = 0; j < components; j++) {
            oneHot.getColumn(j).assign(k.eq(j).castTo(DataType.DOUBLE));
        }
        INDArray mask = oneHot.reshape(n, components, 1).broadcast(n, components, outputDim);
        INDArray eps = rng.normal(n, outputDim);
        INDArray m = c.means().mul(mask).sum(1);
        INDArray s = c.stddevs().mul(mask).sum(1);
        return eps.muli(s).addi(m);
    }

    /**
     * p(y|x) on a grid: for states x {@code [n, inputDim]} and one-dimensional outputs ys
     * {@code [g]}, the density {@code [g][n]} (row j is y = ys[j]), for contour/heatmap plots.
     */
    public double[][] densityGrid(INDArray x, double[] ys) {
        if (outputDim != 1) {
            throw new IllegalArgumentException("outputDim: expected 1 for a density grid, got " + outputDim);
        }
        checkX(x);
        Check.notNull("ys", ys);
        long n = x.size(0);
        Conditional c = conditional(x);
        INDArray mu2 = c.means().reshape(n, components);
        INDArray logSigma2 = Transforms.log(c.stddevs().reshape(n, components), true);
        INDArray grid = Nd4j.createFromArray(ys).reshape(ys.length, 1, 1);
        INDArray joint = LogMath.normalLogDensity(grid, mu2, logSigma2)                 // [g, n, K]
                .addi(Transforms.log(c.weights(), true));
        INDArray density = Transforms.exp(LogMath.logSumExp(joint, 2), false);           // [g, n]
        return density.toDoubleMatrix();
    }

    /**
     * p(y | x = state) at each ys[j] for a one-dimensional input and output: {@code [g]}, the
     * column of {@link #densityGrid} at that one state (e.g. the action density in front of an obstacle).
     */
    public double[] density(double state, double[] ys) {
        if (inputDim != 1) {
            throw new IllegalArgumentException("state: expected a model with one-dimensional input, this one has inputDim " + inputDim);
        }
        Check.finite("state", state);
        INDArray x = Nd4j.zeros(DataType.DOUBLE, 1, 1).putScalar(0, 0, state);
        double[][] grid = densityGrid(x, ys);
        double[] column = new double[grid.length];
        for (int j = 0; j < grid.length; j++) {
            column[j] = grid[j][0];
        }
        return column;
    }

    /** The underlying SameDiff graph (for inspection). */
    public SameDiff sameDiff() {
        return net.sameDiff();
    }

    private void checkX(INDArray x) {
        Check.matrix("x", x, inputDim);
        Check.finite("x", x);
    }

    /** Dimensions and widths of a {@link MixtureDensityNetwork}; {@link #build} initializes it. */
    public static final class Builder {
        private int input = 1;
        private int output = 1;
        private int components = 2;
        private int[] hidden = {32};

        private Builder() {
        }

        /** Dimension of x (default 1). */
        public Builder input(int dim) {
            Check.positive("input", dim);
            input = dim;
            return this;
        }

        /** Dimension of y (default 1). */
        public Builder output(int dim) {
            Check.positive("output", dim);
            output = dim;
            return this;
        }

        /** Number of mixture components K (default 2; K = 1 is the single-Gaussian regressor). */
        public Builder components(int k) {
            Check.positive("components", k);
            components = k;
            return this;
        }

        /** Widths of the tanh hidden layers, at least one (default 32). */
        public Builder hidden(int... widths) {
            Check.notNull("hidden", widths);
            if (widths.length == 0) {
                throw new IllegalArgumentException("hidden: expected at least one hidden width, got none");
            }
            for (int i = 0; i < widths.length; i++) {
                Check.positive("hidden[" + i + "]", widths[i]);
            }
            hidden = widths.clone();
            return this;
        }

        /** The network with weights drawn from {@code rng}. */
        public MixtureDensityNetwork build(Rng rng) {
            Check.notNull("rng", rng);
            return new MixtureDensityNetwork(this, rng);
        }
    }

    /**
     * The mixture p(y | x_i) for each row.
     *
     * @param weights π {@code [n, K]} (rows sum to 1)
     * @param means   μ {@code [n, K, dy]}
     * @param stddevs σ {@code [n, K, dy]}
     */
    public record Conditional(INDArray weights, INDArray means, INDArray stddevs) {
        @Override
        public String toString() {
            return "Conditional" + Arrays.toString(means.shape());
        }
    }
}
