package dev.latentvi.vae;

import dev.latentvi.dist.Distribution;
import dev.latentvi.dist.Normal;
import dev.latentvi.math.Check;
import dev.latentvi.math.Rng;
import dev.latentvi.nn.Network;
import dev.latentvi.vi.Bound;
import dev.latentvi.vi.LatentModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import tech.tablesaw.api.Table;

/**
 * A conditional VAE (Sohn et al., 2015): encoder q(z | x, c) and decoder p(x | z, c) both see a
 * condition c — a one-hot class label or any vector {@code [n, C]} — while the prior stays N(0, I).
 * Sampling z from the prior and decoding with a chosen c generates data of that condition, e.g. a
 * requested digit. For a fixed condition it is a {@link LatentModel}: {@link #given}.
 *
 * <pre>{@code
 * ConditionalVae cvae = ConditionalVae.builder().input(784).classes(10).latent(8).build(rng);
 * cvae.fit(train.images(), train.labels(), 10, 128, rng);
 * INDArray sevens = cvae.generate(7, 16, rng);   // [16, 784]
 * LatentModel sevensModel = cvae.given(cvae.oneHot(7));   // p(x, z | c = 7)
 * }</pre>
 */
public final class ConditionalVae {
    private final VaeGraph graph;
    private final Inference inference;

    private ConditionalVae(VaeGraph graph) {
        this.graph = graph;
        this.inference = new Inference(graph);
    }

    /** A builder: like {@link Vae#builder()} plus {@link Builder#classes} or {@link Builder#condition}. */
    public static Builder builder() {
        return new Builder();
    }

    /** Fluent configuration of a {@link ConditionalVae}. */
    public static final class Builder {
        private final Vae.Builder inner = Vae.builder();
        private int condition = -1;

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
            return this;
        }

        /** Condition on a real vector of this width. */
        public Builder condition(int width) {
            Check.positive("condition", width);
            this.condition = width;
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
            return new ConditionalVae(new VaeGraph(inner.config(condition), rng));
        }
    }

    /** The architecture (its {@code condition()} is the condition width). */
    public VaeConfig config() {
        return graph.config();
    }

    /** Number of classes (label-conditioned) or the condition width. */
    public int conditionWidth() {
        return graph.config().condition();
    }

    /** The reparameterized computation graph of this conditional VAE, drawn for its architecture (SVG in a notebook). */
    public VaeDiagram diagram() {
        return new VaeDiagram(config());
    }

    /** The underlying network (graph and committed parameters). */
    public Network network() {
        return graph.network();
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
        Check.notNull("labels", labels);
        Check.matrix("x", x, config().input());
        if (labels.length != x.size(0)) {
            throw new IllegalArgumentException("labels: expected " + x.size(0) + " labels (one per row of x), got " + labels.length);
        }
        return fit(x, oneHot(labels), epochs, batchSize, rng);
    }

    /** Trains on {@code x [N, D]} with conditions {@code c [N, C]}; returns the history. */
    public Table fit(INDArray x, INDArray c, int epochs, int batchSize, Rng rng) {
        Check.matrix("x", x, config().input());
        graph.checkData("x", x);
        return graph.fit(Map.of(VaeGraph.X, x, VaeGraph.C, rows(c, x.size(0))), epochs, batchSize, rng);
    }

    /** History, one row per epoch (see {@link Vae#history()}). */
    public Table history() {
        return graph.history();
    }

    /** {@code n} samples of class {@code label}: z ~ N(0, I) decoded with its one-hot condition, FLOAT {@code [n, D]}. */
    public INDArray generate(int label, int n, Rng rng) {
        Check.positive("n", n);
        int[] labels = new int[n];
        Arrays.fill(labels, label);
        return sample(oneHot(labels), rng);
    }

    /** One sample per condition row {@code c [n, C]}: decoder means at z ~ N(0, I), FLOAT {@code [n, D]}. */
    public INDArray sample(INDArray c, Rng rng) {
        Check.notNull("rng", rng);
        Check.matrix("c", c, conditionWidth());
        INDArray z = rng.normal(c.size(0), config().latent());
        return inference.decoderMean(z, condition(c, z.size(0)));
    }

    /** q(z | x, c) for {@code x [n, D]}, {@code c [n, C]}: a Normal {@code [n, L]}. */
    public Normal encoder(INDArray x, INDArray c) {
        Check.matrix("x", x, config().input());
        return inference.encoder(x, condition(c, x.size(0)));
    }

    /** p(x | z, c) for {@code z [n, L]} under conditions {@code c [n, C]}: a Bernoulli or Normal {@code [n, D]}. */
    public Distribution decoder(INDArray z, INDArray c) {
        Check.matrix("z", z, config().latent());
        return inference.decoder(z, condition(c, z.size(0)));
    }

    /** Decoder mean at the encoder mean, FLOAT {@code [n, D]}. */
    public INDArray reconstruct(INDArray x, INDArray c) {
        Normal q = encoder(x, c);
        return inference.decoderMean(q.mean(), condition(c, x.size(0)));
    }

    /**
     * The model p(x, z | c) for a fixed condition: {@code c [n, C]} paired with the n rows of every x
     * it is given, or one row {@code [1, C]} for all of them.
     */
    public LatentModel given(INDArray c) {
        Check.matrix("c", c, conditionWidth());
        Check.finite("c", c);
        return new Given(c.castTo(DataType.FLOAT));
    }

    /**
     * Mean IWAE estimate of log p(x | c) per point with {@code k} samples, in nats (see {@link Vae#logEvidence}):
     * {@code Bound.iwae(k).estimate(cvae.given(c), cvae.encoder(x, c), x, rng)} averaged.
     */
    public double logEvidence(INDArray x, INDArray c, int k, Rng rng) {
        Check.positive("k", k);
        return Bound.iwae(k).estimate(given(c), encoder(x, c), x, rng).values().meanNumber().doubleValue();
    }

    /** Mean single-sample ELBO of log p(x | c) per point, in nats ({@code Bound.analyticKl(1)}). */
    public double elbo(INDArray x, INDArray c, Rng rng) {
        return Bound.analyticKl(1).estimate(given(c), encoder(x, c), x, rng).values().meanNumber().doubleValue();
    }

    /** Saves exactly and atomically (see {@link Vae#save}). */
    public void save(Path path) throws IOException {
        VaeFile.save(graph, path);
    }

    /** Loads a conditional VAE written by {@link #save}. */
    public static ConditionalVae load(Path path) throws IOException {
        return new ConditionalVae(VaeFile.load(path, true));
    }

    /** The condition as the network's input "c": {@code c [n, C]}, one row per data row. */
    private Map<String, INDArray> condition(INDArray c, long n) {
        return Map.of(VaeGraph.C, rows(c, n));
    }

    /** c checked to be {@code [n, C]} and finite. */
    private INDArray rows(INDArray c, long n) {
        Check.matrix("c", c, conditionWidth());
        Check.finite("c", c);
        if (c.size(0) != n) {
            throw new IllegalArgumentException("c: expected " + n + " rows (one per data row), got " + c.size(0));
        }
        return c;
    }

    /** p(x, z | c) for a fixed c {@code [n, C]} or {@code [1, C]}. */
    private final class Given implements LatentModel {
        private final INDArray c;

        Given(INDArray c) {
            this.c = c;
        }

        @Override
        public int latentDim() {
            return config().latent();
        }

        @Override
        public int dataDim() {
            return config().input();
        }

        /** log p(x | z, c): x {@code [n, D]}, z {@code [n, L]} → {@code [n]} or {@code [m, n, L]} → {@code [m, n]}. */
        @Override
        public INDArray logLikelihood(INDArray x, INDArray z) {
            Check.matrix("x", x, config().input());
            long n = x.size(0);
            return inference.logLikelihood(x, z, condition(c.size(0) == 1 ? c.repeat(0, n) : c, n));
        }

        /** The graph form; c becomes a constant of {@code sd}. */
        @Override
        public SDVariable logLikelihood(SameDiff sd, SDVariable x, SDVariable z) {
            VaeGraph.checkGraph(sd, x, z);
            return graph.logLikelihood(x, z, new Condition.Columns(sd.constant(c.castTo(z.dataType())), conditionWidth()));
        }

        @Override
        public String toString() {
            return "ConditionalVae.given(c [" + c.size(0) + ", " + c.size(1) + "])";
        }
    }

    @Override
    public String toString() {
        return "ConditionalVae(" + graph.config() + ", " + graph.network().parameterCount() + " parameters)";
    }
}
