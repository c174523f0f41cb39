package dev.latentvi.vae;

import dev.latentvi.dist.GraphDistribution;
import dev.latentvi.dist.GraphNormal;
import dev.latentvi.dist.Kl;
import dev.latentvi.math.Check;
import dev.latentvi.math.Rng;
import dev.latentvi.nn.Activation;
import dev.latentvi.nn.Adam;
import dev.latentvi.nn.GaussianHead;
import dev.latentvi.nn.Mlp;
import dev.latentvi.nn.Network;
import dev.latentvi.nn.Trainer;
import dev.latentvi.vi.Bound;
import dev.latentvi.vi.LatentModel;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import tech.tablesaw.api.Table;

/**
 * The networks of a VAE (conditional when {@code config.condition() > 0}) in one FLOAT SameDiff
 * graph: the encoder q(z | x[, c]) = N(μ, diag σ²), the {@link Decoder}, the per-point ELBO terms
 * and the β-weighted training loss, plus the named outputs {@link Inference} evaluates.
 *
 * <p>Placeholders: x {@code [n, D]}, c {@code [n, C]} (conditional only), z {@code [m, n, L]}, and the
 * training noise eps {@code [1, n, L]}.
 */
final class VaeGraph {
    static final String X = "x";
    static final String C = "c";
    static final String Z = "z";
    /** Encoder mean and log σ of x, {@code [n, L]}. */
    static final String MU = "mu";
    static final String LOG_SIGMA = "logSigma";
    /** Decoder outputs (logits or means) of z, {@code [m, n, D]}. */
    static final String DECODED = "decoded";
    /** Means of p(x | z) (pixel probabilities or Gaussian means) of z, {@code [m, n, D]}. */
    static final String DECODED_MEAN = "decodedMean";
    /** log p(x | z) of x and z, {@code [m, n]}. */
    static final String LOG_LIKELIHOOD = "logLikelihood";

    /** The Gaussian decoder's raw σ parameter {@code [1, D]}. */
    static final String SIGMA_RAW = "dec_sigma_raw";
    /**
     * Whether a VAE built now trains with the hand-written {@link VaeStep} (default) instead of SameDiff's
     * gradient; {@code -Dlatentvi.denseKernel=false} switches it off (for benchmarks and comparisons).
     */
    static boolean kernel() {
        return !"false".equals(System.getProperty("latentvi.denseKernel"));
    }

    private final VaeConfig config;
    private final Network net;
    private final Condition condition;
    private final Decoder decoder;
    private final SDVariable loss;
    private final SDVariable elbo;
    private final SDVariable reconstruction;
    private final SDVariable kl;
    private final Trainer.BatchInputs noise;
    /** The hand-written training step (null: SameDiff's gradient), see {@link #kernel()}. */
    private final VaeStep step;
    private Trainer trainer;

    /** Builds the graph for {@code config}, parameters drawn from {@code rng}. */
    VaeGraph(VaeConfig config, Rng rng) {
        Check.notNull("config", config);
        Check.notNull("rng", rng);
        this.config = config;
        this.net = Network.create(DataType.FLOAT);
        SameDiff sd = net.sameDiff();
        int d = config.input();
        int l = config.latent();
        int c = config.condition();
        int[] h = config.hidden();

        SDVariable x = net.input(X, d);
        SDVariable z = sd.placeHolder(Z, DataType.FLOAT, -1, -1, l);
        this.condition = c > 0 ? new Condition.Columns(net.input(C, c), c) : new Condition.None();

        long[] encSizes = new long[h.length + 1];
        encSizes[0] = d + c;
        long[] decSizes = new long[h.length + 2];
        decSizes[0] = l + c;
        for (int i = 0; i < h.length; i++) {
            encSizes[i + 1] = h[i];
            decSizes[i + 1] = h[h.length - 1 - i];
        }
        decSizes[h.length + 1] = d;

        var encLayers = Mlp.of(encSizes).hidden(Activation.RELU).output(Activation.RELU).layers(net, "enc", rng);
        SDVariable hidden = encLayers.apply(condition.encoderInput(x));
        GaussianHead head = GaussianHead.build(net, "q", hidden, h[h.length - 1], l, rng);
        GraphNormal q = GraphNormal.of(sd.identity(MU, head.mean()), sd.identity(LOG_SIGMA, head.logSigma()));

        var layers = Mlp.of(decSizes).hidden(Activation.RELU).output(Activation.IDENTITY).layers(net, "dec", rng).dense();
        boolean bernoulli = config.likelihood() == VaeConfig.Likelihood.BERNOULLI;
        this.decoder = bernoulli
                ? Decoder.bernoulli(net, layers, l + c, d)
                : Decoder.gaussian(net, layers, l + c, d, net.parameter(SIGMA_RAW, Nd4j.zeros(DataType.FLOAT, 1, d)),
                        config.minSigma());
        SDVariable decoded = sd.identity(DECODED, decoder.output(z, condition));
        GraphDistribution given = decoder.observe(decoded);
        sd.identity(DECODED_MEAN, given.mean());
        sd.identity(LOG_LIKELIHOOD, given.logProb(x));

        // training: the single-sample analytic-KL ELBO (Bound.analyticKl(1)), the KL weighted by β
        Bound.Loss bound = Bound.analyticKl(1).loss(new InputModel(), q, x);
        SDVariable zero = sd.zerosLike(q.mean());
        SDVariable klRow = Kl.divergence(q, GraphNormal.of(zero, zero));                               // [n]
        this.kl = sd.mean("kl", klRow);
        this.elbo = sd.mean("elbo", bound.perPoint());
        this.reconstruction = sd.mean("reconstruction", bound.perPoint().add(klRow));
        this.loss = sd.identity("loss", bound.value().add(kl.mul(config.beta() - 1)));
        this.noise = bound.feed();
        this.step = kernel() && VaeStep.supports(encLayers.dense(), layers)
                ? new VaeStep(config, encLayers.dense(), "q_mu", "q_logsigma", layers, bernoulli ? null : SIGMA_RAW, bound.noise().name())
                : null;
    }

    /** The architecture and settings. */
    VaeConfig config() {
        return config;
    }

    /** The network: graph and committed parameters. */
    Network network() {
        return net;
    }

    /** The hand-written training step, or null when training uses SameDiff's gradient. */
    VaeStep step() {
        return step;
    }

    /** The training loss and its monitors (elbo, reconstruction, kl), in the trainer's order. */
    SDVariable[] lossAndMonitors() {
        return new SDVariable[] {loss, elbo, reconstruction, kl};
    }

    /** The decoder, for eager distributions of its outputs. */
    Decoder decoder() {
        return decoder;
    }

    /** Data for this decoder: finite, and in [0, 1] for a Bernoulli decoder (pixel probabilities). */
    void checkData(String name, INDArray x) {
        if (config.likelihood() == VaeConfig.Likelihood.BERNOULLI) {
            Check.unitInterval(name, x);
        } else {
            Check.finite(name, x);
        }
    }

    /** log p(x | z) in x's graph: x {@code [n, D]} (or {@code [1, D]}), z {@code [.., n, L]} → {@code [.., n]}. */
    SDVariable logLikelihood(SDVariable x, SDVariable z, Condition given) {
        return decoder.observe(decoder.output(z, given)).logProb(x);
    }

    /** Checks that x and z are variables of {@code sd}. */
    static void checkGraph(SameDiff sd, SDVariable x, SDVariable z) {
        Check.notNull("sd", sd);
        Check.notNull("x", x);
        Check.notNull("z", z);
        if (x.getSameDiff() != sd || z.getSameDiff() != sd) {
            throw new IllegalArgumentException((x.getSameDiff() != sd ? "x" : "z") + ": expected a variable of the graph sd, got one of another graph");
        }
    }

    /**
     * Trains on {@code data} (x, and c for a conditional VAE, {@code [N, ..]}) with a live progress line;
     * returns the history so far.
     */
    Table fit(Map<String, INDArray> data, int epochs, int batchSize, Rng rng) {
        return trainer().fit(data, epochs, batchSize, rng);
    }

    /** One row per epoch: epoch, loss, elbo, reconstruction, kl, seconds. */
    Table history() {
        return trainer().history();
    }

    private Trainer trainer() {
        if (trainer == null) {
            trainer = Trainer.of(net, loss, Adam.of(config.learningRate())).label(config.condition() > 0 ? "conditional VAE" : "VAE")
                    .monitor("elbo", elbo).monitor("reconstruction", reconstruction).monitor("kl", kl)
                    .extra(noise);
            if (step != null) {
                trainer.gradients(step);
            }
        }
        return trainer;
    }

    /**
     * The model the training bound is built on: p(x | z[, c]) with c the graph's own input. Graph form
     * only — its eager form would need c's rows, which only a training batch supplies; the eager
     * models are {@link Vae} and {@link ConditionalVae#given}.
     */
    private final class InputModel implements LatentModel {
        @Override
        public int latentDim() {
            return config.latent();
        }

        @Override
        public int dataDim() {
            return config.input();
        }

        @Override
        public INDArray logLikelihood(INDArray x, INDArray z) {
            throw new UnsupportedOperationException("the training model has a graph form only; evaluate a Vae or ConditionalVae.given(c)");
        }

        @Override
        public SDVariable logLikelihood(SameDiff sd, SDVariable x, SDVariable z) {
            return VaeGraph.this.logLikelihood(x, z, condition);
        }
    }
}
