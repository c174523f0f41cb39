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
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import tech.tablesaw.api.Table;

/**
 * A variational autoencoder (Kingma and Welling, 2014) on SameDiff, in FLOAT: an MLP encoder
 * q(z | x) = N(μ(x), diag σ(x)²), the standard normal prior p(z), and an MLP decoder p(x | z),
 * Bernoulli or Gaussian, trained by mini-batch Adam on the reparameterized ELBO (optionally with
 * a β weight on the KL term) through {@link Bound#analyticKl}'s graph form. An interrupted training
 * keeps the last completed step. As a {@link LatentModel} it is p(x, z) = p(x | z) p(z) with the
 * decoder's current parameters, so every {@link Bound} estimates with it.
 *
 * <pre>{@code
 * Vae vae = Vae.builder().input(784).latent(2).hidden(256).build(Rng.seeded(0));
 * Table history = vae.fit(mnist.train().images(), 10, 128, rng);  // ELBO, reconstruction, KL per epoch
 * Normal q = vae.encoder(x);                                       // q(z | x), [n, L]
 * INDArray images = vae.sample(rng, 64);                           // [64, 784]
 * double nats = vae.logEvidence(mnist.test().images(), 200, rng);  // IWAE estimate of log p(x)
 * Estimates perPoint = Bound.iwae(200).estimate(vae, vae.encoder(x), x, rng);   // [n] ± SE
 * }</pre>
 */
public final class Vae implements LatentModel {
    private static final Map<String, INDArray> UNCONDITIONED = Map.of();

    private final VaeGraph graph;
    private final Inference inference;

    private Vae(VaeGraph graph) {
        this.graph = graph;
        this.inference = new Inference(graph);
    }

    /** A builder with defaults: hidden 400, latent 20, Bernoulli decoder, β = 1, learning rate 1e-3. */
    public static Builder builder() {
        return new Builder();
    }

    /** Fluent configuration of a {@link Vae}. */
    public static final class Builder {
        int input = -1;
        int latent = 20;
        int[] hidden = {400};
        VaeConfig.Likelihood likelihood = VaeConfig.Likelihood.BERNOULLI;
        double beta = 1;
        double learningRate = 1e-3;
        double minSigma = 0.01;

        /** Data width D. */
        public Builder input(int input) {
            this.input = input;
            return this;
        }

        /** Latent width L. */
        public Builder latent(int latent) {
            this.latent = latent;
            return this;
        }

        /** Encoder hidden widths (the decoder mirrors them). */
        public Builder hidden(int... hidden) {
            this.hidden = hidden == null ? null : hidden.clone();
            return this;
        }

        /** Bernoulli pixels (the default). */
        public Builder bernoulliDecoder() {
            this.likelihood = VaeConfig.Likelihood.BERNOULLI;
            return this;
        }

        /** Gaussian decoder with a learned per-dimension σ ≥ {@code minSigma}. */
        public Builder gaussianDecoder(double minSigma) {
            this.likelihood = VaeConfig.Likelihood.GAUSSIAN;
            this.minSigma = minSigma;
            return this;
        }

        /** β weight on the KL term (1 = the ELBO). */
        public Builder beta(double beta) {
            this.beta = beta;
            return this;
        }

        /** Adam step size. */
        public Builder learningRate(double learningRate) {
            this.learningRate = learningRate;
            return this;
        }

        /** The configuration, with condition columns of the given width (0 for a plain VAE). */
        VaeConfig config(int condition) {
            if (input == -1) {
                throw new IllegalArgumentException("input: expected the data width to be set with input(...), got none");
            }
            return new VaeConfig(input, latent, hidden, likelihood, condition, beta, learningRate, minSigma);
        }

        /** The VAE, parameters initialized from {@code rng}. */
        public Vae build(Rng rng) {
            return new Vae(new VaeGraph(config(0), rng));
        }
    }

    /** The architecture and settings. */
    public VaeConfig config() {
        return graph.config();
    }

    /** The reparameterized computation graph of this VAE, drawn for its architecture (SVG in a notebook). */
    public VaeDiagram diagram() {
        return new VaeDiagram(config());
    }

    /** The underlying network (graph and committed parameters). */
    public Network network() {
        return graph.network();
    }

    /** Total number of trainable parameters. */
    public long parameterCount() {
        return graph.network().parameterCount();
    }

    /** Latent width L. */
    @Override
    public int latentDim() {
        return config().latent();
    }

    /** Data width D. */
    @Override
    public int dataDim() {
        return config().input();
    }

    /**
     * Trains on {@code x} {@code [N, D]} for {@code epochs} epochs of mini-batches of {@code batchSize},
     * with a live progress line (ELBO, reconstruction term, KL); returns the history so far.
     */
    public Table fit(INDArray x, int epochs, int batchSize, Rng rng) {
        Check.matrix("x", x, config().input());
        graph.checkData("x", x);
        return graph.fit(Map.of(VaeGraph.X, x), epochs, batchSize, rng);
    }

    /**
     * Training history, one row per epoch: epoch, loss (−ELBO with β), elbo, reconstruction
     * (E_q log p(x|z)), kl, seconds — all per data point, in nats.
     */
    public Table history() {
        return graph.history();
    }

    /** The encoder's q(z | x) for {@code x [n, D]}: a Normal {@code [n, L]} (DOUBLE); its mean() is μ(x). */
    public Normal encoder(INDArray x) {
        return inference.encoder(x, UNCONDITIONED);
    }

    /**
     * The decoder's p(x | z) for latents {@code z [n, L]}: a {@link dev.latentvi.dist.Bernoulli} from the
     * logits, or a {@link Normal} for a Gaussian decoder, {@code [n, D]}.
     */
    public Distribution decoder(INDArray z) {
        return inference.decoder(z, UNCONDITIONED);
    }

    /** log p(x | z): x {@code [n, D]}, z {@code [n, L]} → {@code [n]} or z {@code [m, n, L]} → {@code [m, n]} (DOUBLE). */
    @Override
    public INDArray logLikelihood(INDArray x, INDArray z) {
        return inference.logLikelihood(x, z, UNCONDITIONED);
    }

    /**
     * log p(x | z) in a graph: x {@code [n, D]} (or {@code [1, D]}), z {@code [.., n, L]} → {@code [.., n]}.
     * In {@link #network()}'s graph the decoder is trainable; in any other, its current parameters are constants.
     */
    @Override
    public SDVariable logLikelihood(SameDiff sd, SDVariable x, SDVariable z) {
        VaeGraph.checkGraph(sd, x, z);
        return graph.logLikelihood(x, z, new Condition.None());
    }

    /** Decoder mean at the encoder mean: {@code x [n, D]} to FLOAT {@code [n, D]} (pixel probabilities or means). */
    public INDArray reconstruct(INDArray x) {
        return inference.decoderMean(encoder(x).mean(), UNCONDITIONED);
    }

    /** {@code n} draws z ~ N(0, I) decoded to their means, FLOAT {@code [n, D]}. */
    public INDArray sample(Rng rng, int n) {
        Check.notNull("rng", rng);
        Check.positive("n", n);
        return inference.decoderMean(rng.normal(n, latentDim()), UNCONDITIONED);
    }

    /**
     * Mean single-sample ELBO (β = 1) per data point of {@code x [n, D]}, in nats:
     * {@code Bound.analyticKl(1).estimate(vae, vae.encoder(x), x, rng)} averaged (z = μ + σ ⊙ ε, ε = rng.normal(n, L)).
     */
    public double elbo(INDArray x, Rng rng) {
        return Bound.analyticKl(1).estimate(this, encoder(x), x, rng).values().meanNumber().doubleValue();
    }

    /**
     * Importance-weighted (IWAE) estimate of the mean log p(x) per data point of {@code x [n, D]} in
     * nats, with {@code k} samples from q(z | x) per point: log (1/k) Σ p(x, z_i)/q(z_i | x), a lower
     * bound that tightens as k grows (k = 1 is the ELBO). Per point with standard errors:
     * {@code Bound.iwae(k).estimate(vae, vae.encoder(x), x, rng)}.
     */
    public double logEvidence(INDArray x, int k, Rng rng) {
        Check.positive("k", k);
        return Bound.iwae(k).estimate(this, encoder(x), x, rng).values().meanNumber().doubleValue();
    }

    /**
     * A {@code steps × steps} grid of decoded latents over [−range, range]² (first two latent
     * dimensions, the rest 0), row by row from the top (largest z2), FLOAT {@code [steps², D]}.
     */
    public INDArray decodeGrid(int steps, double range) {
        return inference.decoderMean(LatentGrid.of(steps, range, latentDim()), UNCONDITIONED);
    }

    /**
     * A latent traversal: {@code steps} latents evenly spaced on the segment from {@code from} to
     * {@code to} (both of {@link #latentDim()} entries, ends included), decoded to their means, FLOAT
     * {@code [steps, D]} (e.g. a row of digits morphing along z2 at a fixed z1).
     */
    public INDArray decodeLine(double[] from, double[] to, int steps) {
        Check.notNull("from", from);
        Check.notNull("to", to);
        if (from.length != latentDim() || to.length != latentDim()) {
            throw new IllegalArgumentException("from/to: expected " + latentDim() + " latent coordinates each, got "
                    + from.length + " and " + to.length);
        }
        if (steps < 2) {
            throw new IllegalArgumentException("steps: expected >= 2 (both ends), got " + steps);
        }
        double[][] z = new double[steps][latentDim()];
        for (int i = 0; i < steps; i++) {
            double t = (double) i / (steps - 1);
            for (int j = 0; j < latentDim(); j++) {
                z[i][j] = from[j] + t * (to[j] - from[j]);
            }
        }
        return inference.decoderMean(Nd4j.createFromArray(z), UNCONDITIONED);
    }

    /**
     * Saves configuration, parameters and optimizer state to {@code path}, exactly: written to a
     * temporary file in the same folder and moved into place atomically, so a crash never leaves a
     * half-written model.
     */
    public void save(Path path) throws IOException {
        VaeFile.save(graph, path);
    }

    /** Loads a VAE written by {@link #save}; it behaves exactly like the saved one. */
    public static Vae load(Path path) throws IOException {
        return new Vae(VaeFile.load(path, false));
    }

    /** The graph behind this VAE (model files, tests). */
    VaeGraph graph() {
        return graph;
    }

    @Override
    public String toString() {
        return "Vae(" + config() + ", " + parameterCount() + " parameters, " + network().steps() + " steps)";
    }
}
