package dev.latentvi.lvm;

import dev.latentvi.dist.Normal;
import dev.latentvi.math.Check;
import dev.latentvi.math.LogMath;
import dev.latentvi.math.Rng;
import dev.latentvi.notebook.Progress;
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
import org.nd4j.linalg.indexing.NDArrayIndex;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

/**
 * A mixture density network p(y|x) = Σ_k π_k(x) N(y; μ_k(x), diag σ_k(x)²): an MLP maps x
 * {@code [n, dx]} to mixing logits {@code [n, K]}, means and log standard deviations
 * {@code [n, K, dy]}, trained by maximum likelihood (mini-batch Adam on −(1/N) Σ log p(y_i|x_i)).
 * With K = 1 it is the single-Gaussian regressor N(y; μ(x), σ(x)²), which on multimodal data
 * learns the average of the modes.
 *
 * <p>Built directly on SameDiff with a small in-place Adam loop ({@code AdamSteps}) rather than
 * {@code dev.latentvi.nn.Trainer}: see the class comment of {@code AdamSteps}.
 */
public final class MixtureDensityNetwork {
    private final SameDiff sd;
    private final int inputDim;
    private final int outputDim;
    private final int components;
    private final List<String> params = new ArrayList<>();
    private final SDVariable logits;
    private final SDVariable mu;
    private final SDVariable logSigma;
    private final SDVariable nll;
    private final List<double[]> history = new ArrayList<>();
    private AdamSteps adam;

    private MixtureDensityNetwork(int inputDim, int outputDim, int components, int[] hidden, Rng rng) {
        this.inputDim = inputDim;
        this.outputDim = outputDim;
        this.components = components;
        sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.DOUBLE, -1, inputDim);
        SDVariable y = sd.placeHolder("y", DataType.DOUBLE, -1, outputDim);
        SDVariable h = x;
        long width = inputDim;
        for (int i = 0; i < hidden.length; i++) {
            h = sd.math.tanh(dense("hidden" + i, h, width, hidden[i], 1.0, rng));
            width = hidden[i];
        }
        long kd = (long) components * outputDim;
        // K = 1 has no mixing weights to learn (and M2.1 cannot reduce over a size-1 axis in backprop)
        logits = components == 1 ? h.mmul(sd.constant(Nd4j.zeros(DataType.DOUBLE, width, 1))) : dense("logits", h, width, components, 1.0, rng);
        SDVariable muFlat = dense("mu", h, width, kd, 1.0, rng);
        SDVariable lsFlat = dense("logsigma", h, width, kd, 0.1, rng);
        mu = sd.reshape("mu", muFlat, -1, components, outputDim);
        logSigma = sd.reshape("logSigma", lsFlat, -1, components, outputDim);
        SDVariable y3 = sd.reshape(y, -1, 1, outputDim);                                // [n, 1, dy]
        SDVariable compLogProb = Normal.logProb(sd, y3, mu, logSigma);                  // [n, K]
        // log Σ_k softmax(ℓ)_k N_k = logsumexp(ℓ + log N) − logsumexp(ℓ)  (M2.1's LogSoftMax and logSumExp ops fail in backprop)
        SDVariable logLik = components == 1
                ? sd.reshape(compLogProb, -1)
                : LogMath.logSumExp(sd, logits.add(compLogProb), 1).sub(LogMath.logSumExp(sd, logits, 1));   // [n]
        nll = logLik.mean().neg().rename("nll");
    }

    /** x W + b with W ~ N(0, scale²/in) from rng and b = 0: {@code [n, in] → [n, out]}. */
    private SDVariable dense(String name, SDVariable x, long in, long out, double scale, Rng rng) {
        SDVariable w = sd.var(name + "_W", rng.normal(in, out).muli(scale / Math.sqrt(in)));
        SDVariable b = sd.var(name + "_b", Nd4j.zeros(DataType.DOUBLE, 1, out));
        params.add(w.name());
        params.add(b.name());
        return x.mmul(w).add(b);
    }

    /**
     * A network for x {@code [n, inputDim]} → p(y|x) over y {@code [n, outputDim]} with K
     * components and tanh hidden layers of the given widths, initialized from {@code rng}.
     */
    public static MixtureDensityNetwork create(int inputDim, int outputDim, int components, int[] hidden, Rng rng) {
        Check.positive("inputDim", inputDim);
        Check.positive("outputDim", outputDim);
        Check.positive("components", components);
        Check.notNull("hidden", hidden);
        if (hidden.length == 0) {
            throw new IllegalArgumentException("hidden: expected at least one hidden width, got none");
        }
        for (int i = 0; i < hidden.length; i++) {
            Check.positive("hidden[" + i + "]", hidden[i]);
        }
        Check.notNull("rng", rng);
        return new MixtureDensityNetwork(inputDim, outputDim, components, hidden.clone(), rng);
    }

    /** Number of mixture components K. */
    public int components() {
        return components;
    }

    /**
     * Maximum likelihood on pairs x {@code [N, inputDim]}, y {@code [N, outputDim]} with Adam
     * (live progress); returns the per-epoch history (epoch, loss = mean negative log-likelihood).
     */
    public Table fit(INDArray x, INDArray y, int epochs, int batchSize, double learningRate, Rng rng) {
        return SmallOps.singleThreaded(() -> train(x, y, epochs, batchSize, learningRate, rng));
    }

    private Table train(INDArray x, INDArray y, int epochs, int batchSize, double learningRate, Rng rng) {
        checkX(x);
        Check.matrix("y", y, outputDim);
        if (y.size(0) != x.size(0)) {
            throw new IllegalArgumentException("y: expected " + x.size(0) + " rows like x, got " + y.size(0));
        }
        Check.finite("y", y);
        Check.positive("epochs", epochs);
        Check.positive("batchSize", batchSize);
        Check.positive("learningRate", learningRate);
        Check.notNull("rng", rng);
        if (adam == null) {
            adam = new AdamSteps(sd, nll, params, learningRate);
        }
        INDArray xs = x.castTo(DataType.DOUBLE);
        INDArray ys = y.castTo(DataType.DOUBLE);
        int n = Math.toIntExact(x.size(0));
        if (n < 2) {
            throw new IllegalArgumentException("x: expected at least 2 rows (SameDiff M2.1 cannot differentiate a one-row batch), got " + n);
        }
        int b = Math.min(batchSize, n);
        int batches = (n + b - 1) / b;
        if (batches > 1 && n % b == 1) {
            batches--;                                   // a trailing one-row batch joins the previous one
        }
        String label = components == 1 ? "Gaussian regressor" : "MDN (K=" + components + ")";
        try (Progress p = Progress.start(label, (long) epochs * batches)) {
            for (int e = 0; e < epochs; e++) {
                int[] perm = rng.permutation(n);
                INDArray xp = xs.getRows(perm);
                INDArray yp = ys.getRows(perm);
                double sum = 0;
                for (int i = 0; i < batches; i++) {
                    int from = i * b;
                    int to = i == batches - 1 ? n : from + b;
                    double loss = adam.step(Map.of("x", xp.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()),
                            "y", yp.get(NDArrayIndex.interval(from, to), NDArrayIndex.all())));
                    sum += loss * (to - from);
                    p.step("epoch %d/%d  nll %.4f", e + 1, epochs, loss);
                }
                history.add(new double[] {history.size() + 1, sum / n});
            }
            p.finish("%d epochs, mean negative log-likelihood %.4f", epochs, history.get(history.size() - 1)[1]);
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

    /** The conditional mixture at each x {@code [n, inputDim]}: weights {@code [n, K]}, means and σ {@code [n, K, dy]}. */
    public Conditional conditional(INDArray x) {
        checkX(x);
        long n = x.size(0);
        Map<String, INDArray> out = sd.output(Map.of("x", x.castTo(DataType.DOUBLE), "y", Nd4j.zeros(DataType.DOUBLE, n, outputDim)),
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
        INDArray joint = LogMath.normalLogDensity(y3, c.means(), Transforms.log(c.sigmas(), true)).sum(2)   // [n, K]
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
        INDArray s = c.sigmas().mul(mask).sum(1);
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
        INDArray logSigma2 = Transforms.log(c.sigmas().reshape(n, components), true);
        INDArray grid = Nd4j.createFromArray(ys).reshape(ys.length, 1, 1);
        INDArray joint = LogMath.normalLogDensity(grid, mu2, logSigma2)                 // [g, n, K]
                .addi(Transforms.log(c.weights(), true));
        INDArray density = Transforms.exp(LogMath.logSumExp(joint, 2), false);           // [g, n]
        return density.toDoubleMatrix();
    }

    /** The underlying SameDiff graph (for inspection). */
    public SameDiff sameDiff() {
        return sd;
    }

    private void checkX(INDArray x) {
        Check.matrix("x", x, inputDim);
        Check.finite("x", x);
    }

    /**
     * The mixture p(y | x_i) for each row.
     *
     * @param weights π {@code [n, K]} (rows sum to 1)
     * @param means   μ {@code [n, K, dy]}
     * @param sigmas  σ {@code [n, K, dy]}
     */
    public record Conditional(INDArray weights, INDArray means, INDArray sigmas) {
        @Override
        public String toString() {
            return "Conditional" + Arrays.toString(means.shape());
        }
    }
}
