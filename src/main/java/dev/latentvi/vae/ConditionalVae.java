package dev.latentvi.vae;

import dev.latentvi.math.Check;
import dev.latentvi.math.Rng;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import tech.tablesaw.api.Table;

/**
 * A conditional VAE (Sohn et al., 2015): encoder q(z | x, c) and decoder p(x | z, c) both see a
 * condition c — a one-hot class label or any vector {@code [n, C]} — while the prior stays N(0, I).
 * Sampling z from the prior and decoding with a chosen c generates data of that condition, e.g. a
 * requested digit.
 *
 * <pre>{@code
 * ConditionalVae cvae = ConditionalVae.builder().input(784).classes(10).latent(8).build(rng);
 * cvae.fit(train.images(), train.labels(), 10, 128, rng);
 * INDArray sevens = cvae.generate(7, 16, rng);   // [16, 784]
 * }</pre>
 */
public final class ConditionalVae {
    private final Vae vae;
    private final boolean labels;

    private ConditionalVae(Vae vae, boolean labels) {
        this.vae = vae;
        this.labels = labels;
    }

    /** A builder: like {@link Vae#builder()} plus {@link Builder#classes} or {@link Builder#condition}. */
    public static Builder builder() {
        return new Builder();
    }

    /** Fluent configuration of a {@link ConditionalVae}. */
    public static final class Builder {
        private final Vae.Builder inner = Vae.builder();
        private int condition = -1;
        private boolean labels;

        /** Data width D. */
        public Builder input(int input) {
            inner.input(input);
            return this;
        }

        /** Latent width L. */
        public Builder latent(int latent) {
            inner.latent(latent);
            return this;
        }

        /** Encoder hidden widths (the decoder mirrors them). */
        public Builder hidden(int... hidden) {
            inner.hidden(hidden);
            return this;
        }

        /** Condition on a class label 0..classes−1 (one-hot). */
        public Builder classes(int classes) {
            Check.positive("classes", classes);
            this.condition = classes;
            this.labels = true;
            return this;
        }

        /** Condition on a real vector of this width. */
        public Builder condition(int width) {
            Check.positive("condition", width);
            this.condition = width;
            this.labels = false;
            return this;
        }

        /** Bernoulli decoder (the default). */
        public Builder bernoulliDecoder() {
            inner.bernoulliDecoder();
            return this;
        }

        /** Gaussian decoder with σ ≥ {@code minSigma}. */
        public Builder gaussianDecoder(double minSigma) {
            inner.gaussianDecoder(minSigma);
            return this;
        }

        /** β weight on the KL term. */
        public Builder beta(double beta) {
            inner.beta(beta);
            return this;
        }

        /** Adam step size. */
        public Builder learningRate(double learningRate) {
            inner.learningRate(learningRate);
            return this;
        }

        /** The conditional VAE, parameters initialized from {@code rng}. */
        public ConditionalVae build(Rng rng) {
            if (condition < 0) {
                throw new IllegalArgumentException("condition: expected classes(n) or condition(width) to be set, got none");
            }
            return new ConditionalVae(new Vae(inner.condition(condition).config(), rng), labels);
        }
    }

    /** The architecture (its {@code condition()} is the condition width). */
    public VaeConfig config() {
        return vae.config();
    }

    /** Number of classes (label-conditioned) or the condition width. */
    public int conditionWidth() {
        return vae.config().condition();
    }

    /** One-hot rows {@code [n, classes]} FLOAT for labels in 0..classes−1. */
    public INDArray oneHot(int... labels) {
        Check.notNull("labels", labels);
        int k = conditionWidth();
        INDArray out = Nd4j.zeros(DataType.FLOAT, labels.length, k);
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= k) {
                throw new IllegalArgumentException("labels[" + i + "]: expected a class in 0.." + (k - 1) + ", got " + labels[i]);
            }
            out.putScalar(i, labels[i], 1f);
        }
        return out;
    }

    /** Trains on {@code x [N, D]} with class {@code labels} (length N); returns the history. */
    public Table fit(INDArray x, int[] labels, int epochs, int batchSize, Rng rng) {
        return fit(x, oneHot(checkLabels(labels, x)), epochs, batchSize, rng);
    }

    /** Trains on {@code x [N, D]} with conditions {@code c [N, C]}; returns the history. */
    public Table fit(INDArray x, INDArray c, int epochs, int batchSize, Rng rng) {
        INDArray xs = vae.checkX(x);
        return vae.fitData(Map.of("x", xs, "c", checkC(c, xs)), epochs, batchSize, rng);
    }

    /** History, one row per epoch (see {@link Vae#history()}). */
    public Table history() {
        return vae.history();
    }

    /** {@code n} samples of class {@code label}: z ~ N(0, I) decoded with its one-hot condition, {@code [n, D]}. */
    public INDArray generate(int label, int n, Rng rng) {
        Check.positive("n", n);
        int[] ls = new int[n];
        java.util.Arrays.fill(ls, label);
        return sample(oneHot(ls), rng);
    }

    /** One sample per condition row {@code c [n, C]}: decoder means at z ~ N(0, I), {@code [n, D]}. */
    public INDArray sample(INDArray c, Rng rng) {
        Check.notNull("rng", rng);
        Check.matrix("c", c, conditionWidth());
        INDArray z = rng.normal(c.size(0), vae.config().latent()).castTo(DataType.FLOAT);
        return vae.decodeWith(z, c.castTo(DataType.FLOAT));
    }

    /** q(z | x, c) for {@code x [n, D]}, {@code c [n, C]}. */
    public Encoding encode(INDArray x, INDArray c) {
        INDArray xs = vae.checkX(x);
        return vae.encodeWith(xs, checkC(c, xs));
    }

    /** Decoder means for {@code z [n, L]} under conditions {@code c [n, C]}, {@code [n, D]}. */
    public INDArray decode(INDArray z, INDArray c) {
        INDArray zs = vae.checkZ(z);
        return vae.decodeWith(zs, checkC(c, zs));
    }

    /** Decoder mean at the encoder mean, {@code [n, D]}. */
    public INDArray reconstruct(INDArray x, INDArray c) {
        return decode(encode(x, c).mean(), c);
    }

    /** Mean IWAE estimate of log p(x | c) per point, in nats (see {@link Vae#logLikelihood}). */
    public double logLikelihood(INDArray x, INDArray c, int k, Rng rng) {
        INDArray xs = vae.checkX(x);
        return vae.logLikelihoodsWith(xs, checkC(c, xs), k, rng).meanNumber().doubleValue();
    }

    /** Mean single-sample ELBO of log p(x | c) per point, in nats. */
    public double elbo(INDArray x, INDArray c, Rng rng) {
        INDArray xs = vae.checkX(x);
        return vae.elboWith(xs, checkC(c, xs), rng);
    }

    /** Saves exactly and atomically (see {@link Vae#save}). */
    public void save(Path path) throws IOException {
        vae.save(path);
    }

    /** Loads a conditional VAE written by {@link #save}. */
    public static ConditionalVae load(Path path) throws IOException {
        Vae v = Vae.load(path, true);
        return new ConditionalVae(v, true);
    }

    /** The underlying network (graph and committed parameters). */
    public dev.latentvi.nn.Network network() {
        return vae.network();
    }

    private int[] checkLabels(int[] labels, INDArray x) {
        Check.notNull("labels", labels);
        if (x != null && labels.length != x.size(0)) {
            throw new IllegalArgumentException("labels: expected " + x.size(0) + " labels (one per row of x), got " + labels.length);
        }
        return labels;
    }

    private INDArray checkC(INDArray c, INDArray x) {
        Check.matrix("c", c, conditionWidth());
        Check.finite("c", c);
        if (c.size(0) != x.size(0)) {
            throw new IllegalArgumentException("c: expected " + x.size(0) + " rows (one per data row), got " + c.size(0));
        }
        return c.castTo(DataType.FLOAT);
    }

    @Override
    public String toString() {
        return "ConditionalVae(" + vae.config() + ", " + vae.parameterCount() + " parameters)";
    }
}
