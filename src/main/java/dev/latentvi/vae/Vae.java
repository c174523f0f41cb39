package dev.latentvi.vae;

import dev.latentvi.math.Check;
import dev.latentvi.math.Rng;
import dev.latentvi.nn.Activation;
import dev.latentvi.nn.Adam;
import dev.latentvi.nn.GaussianHead;
import dev.latentvi.nn.Mlp;
import dev.latentvi.nn.Network;
import dev.latentvi.nn.Trainer;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;
import tech.tablesaw.api.Table;

/**
 * A variational autoencoder (Kingma and Welling, 2014) on SameDiff, in FLOAT: an MLP encoder
 * q(z | x) = N(μ(x), diag σ(x)²), a standard normal prior p(z), and an MLP decoder p(x | z),
 * Bernoulli or Gaussian, trained by mini-batch Adam on the reparameterized ELBO (optionally with
 * a β weight on the KL term). An interrupted training keeps the last completed step.
 *
 * <pre>{@code
 * Vae vae = Vae.builder().input(784).latent(2).hidden(256).build(Rng.seeded(0));
 * Table history = vae.fit(mnist.train().images(), 10, 128, rng);  // ELBO, reconstruction, KL per epoch
 * INDArray images = vae.sample(rng, 64);                           // [64, 784]
 * double nats = vae.logLikelihood(mnist.test().images(), 200, rng); // IWAE estimate of log p(x)
 * }</pre>
 */
public final class Vae {
    private static final String MAGIC = "latentvi-vae";
    private static final int FORMAT = 1;
    private static final int MAX_ROWS = 4096; // rows per evaluation chunk

    private final VaeConfig config;
    private final Network net;
    private final String mu;
    private final String sigma;
    private final String decoded;
    private final String logWeight;
    private final String elboRow;
    private Trainer trainer;
    private final SDVariable loss;
    private final SDVariable elbo;
    private final SDVariable recon;
    private final SDVariable kl;

    /** Builds the graph for {@code config}, parameters drawn from {@code rng}. */
    Vae(VaeConfig config, Rng rng) {
        Check.notNull("config", config);
        Check.notNull("rng", rng);
        this.config = config;
        this.net = Network.create(DataType.FLOAT);
        SameDiff sd = net.sameDiff();
        int d = config.input();
        int l = config.latent();
        int c = config.condition();
        int[] h = config.hidden();

        SDVariable x = net.input("x", d);
        SDVariable eps = net.input("eps", l);
        SDVariable zIn = net.input("z", l);
        SDVariable cond = c > 0 ? net.input("c", c) : null;

        long[] encSizes = new long[h.length + 1];
        encSizes[0] = d + c;
        for (int i = 0; i < h.length; i++) {
            encSizes[i + 1] = h[i];
        }
        long[] decSizes = new long[h.length + 2];
        decSizes[0] = l + c;
        for (int i = 0; i < h.length; i++) {
            decSizes[i + 1] = h[h.length - 1 - i];
        }
        decSizes[h.length + 1] = d;

        SDVariable hidden = Mlp.of(encSizes).hidden(Activation.RELU).output(Activation.RELU)
                .build(net, "enc", cond == null ? x : sd.concat(1, x, cond), rng);
        GaussianHead q = GaussianHead.build(net, "q", hidden, h[h.length - 1], l, rng);
        SDVariable logSigma = q.logSigma();
        sd.math.exp("sigma", logSigma);
        sd.identity("mu", q.mean());
        SDVariable z = q.mean().add(sd.math.exp(logSigma).mul(eps));

        Mlp.Layers decoder = Mlp.of(decSizes).hidden(Activation.RELU).output(Activation.IDENTITY).layers(net, "dec", rng);
        SDVariable out = decoder.apply(cond == null ? z : sd.concat(1, z, cond));
        SDVariable outGiven = decoder.apply(cond == null ? zIn : sd.concat(1, zIn, cond));

        SDVariable logPxz;
        if (config.likelihood() == VaeConfig.Likelihood.BERNOULLI) {
            logPxz = GraphDensities.bernoulliLogits(sd, x, out, d);
            sd.nn.sigmoid("decoded", outGiven);
        } else {
            SDVariable raw = net.parameter("dec_sigma_raw", Nd4j.zeros(DataType.FLOAT, 1, d));
            SDVariable logSigmaX = sd.math.log(sd.nn.softplus(raw).add(config.minSigma()));
            logPxz = GraphDensities.normal(sd, x, out, logSigmaX, d);
            sd.identity("decoded", outGiven);
        }
        SDVariable klRow = GraphDensities.klToStandardNormal(sd, q.mean(), logSigma, l);
        SDVariable logPz = GraphDensities.standardNormal(sd, z, l);
        SDVariable logQz = GraphDensities.normal(sd, z, q.mean(), logSigma, l);
        SDVariable logw = logPxz.add(logPz).sub("logWeight", logQz);
        SDVariable elboPerRow = logPxz.sub("elboRow", klRow);
        this.recon = sd.mean("reconstruction", logPxz);
        this.kl = sd.mean("kl", klRow);
        this.elbo = sd.mean("elbo", elboPerRow);
        this.loss = sd.mean("loss", logPxz.neg().add(klRow.mul(config.beta())));
        this.mu = "mu";
        this.sigma = "sigma";
        this.decoded = "decoded";
        this.logWeight = logw.name();
        this.elboRow = elboPerRow.name();
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
        int condition;

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

        Builder condition(int width) {
            this.condition = width;
            return this;
        }

        VaeConfig config() {
            if (input == -1) {
                throw new IllegalArgumentException("input: expected the data width to be set with input(...), got none");
            }
            return new VaeConfig(input, latent, hidden, likelihood, condition, beta, learningRate, minSigma);
        }

        /** The VAE, parameters initialized from {@code rng}. */
        public Vae build(Rng rng) {
            return new Vae(config(), rng);
        }
    }

    /** The architecture and settings. */
    public VaeConfig config() {
        return config;
    }

    /** The underlying network (graph and committed parameters). */
    public Network network() {
        return net;
    }

    /** Total number of trainable parameters. */
    public long parameterCount() {
        return net.parameterCount();
    }

    /**
     * Trains on {@code x} {@code [N, D]} for {@code epochs} epochs of mini-batches of {@code batchSize},
     * with a live progress line (ELBO, reconstruction term, KL); returns the history so far.
     */
    public Table fit(INDArray x, int epochs, int batchSize, Rng rng) {
        requireUnconditional();
        return fitData(Map.of("x", checkX(x)), epochs, batchSize, rng);
    }

    Table fitData(Map<String, INDArray> data, int epochs, int batchSize, Rng rng) {
        return trainer().fit(data, epochs, batchSize, rng);
    }

    private Trainer trainer() {
        if (trainer == null) {
            trainer = Trainer.of(net, loss, Adam.of(config.learningRate())).label("VAE")
                    .monitor("elbo", elbo).monitor("reconstruction", recon).monitor("kl", kl)
                    .noise("eps", config.latent());
        }
        return trainer;
    }

    /**
     * Training history, one row per epoch: epoch, loss (−ELBO with β), elbo, reconstruction
     * (E_q log p(x|z)), kl, seconds — all per data point, in nats.
     */
    public Table history() {
        return trainer().history();
    }

    /** The encoder's q(z | x): mean and standard deviation, each {@code [n, L]}, for {@code x [n, D]}. */
    public Encoding encode(INDArray x) {
        requireUnconditional();
        return encodeWith(checkX(x), null);
    }

    Encoding encodeWith(INDArray x, INDArray c) {
        INDArray[] out = chunked(x, c, null, null, mu, sigma);
        return new Encoding(out[0], out[1]);
    }

    /** The decoder's mean for latents {@code z [n, L]}: pixel probabilities (Bernoulli) or means (Gaussian), {@code [n, D]}. */
    public INDArray decode(INDArray z) {
        requireUnconditional();
        return decodeWith(checkZ(z), null);
    }

    INDArray decodeWith(INDArray z, INDArray c) {
        return chunked(null, c, z, null, decoded)[0];
    }

    /** Decoder mean at the encoder mean: {@code x [n, D]} to {@code [n, D]}. */
    public INDArray reconstruct(INDArray x) {
        return decode(encode(x).mean());
    }

    /** {@code n} draws z ~ N(0, I) decoded to their means, {@code [n, D]}. */
    public INDArray sample(Rng rng, int n) {
        requireUnconditional();
        Check.notNull("rng", rng);
        Check.positive("n", n);
        return decodeWith(rng.normal(n, config.latent()).castTo(DataType.FLOAT), null);
    }

    /** Mean single-sample ELBO (β = 1) per data point of {@code x [n, D]}, in nats. */
    public double elbo(INDArray x, Rng rng) {
        requireUnconditional();
        return elboWith(checkX(x), null, rng);
    }

    double elboWith(INDArray x, INDArray c, Rng rng) {
        Check.notNull("rng", rng);
        INDArray eps = rng.normal(x.size(0), config.latent()).castTo(DataType.FLOAT);
        return chunked(x, c, null, eps, elboRow)[0].castTo(DataType.DOUBLE).meanNumber().doubleValue();
    }

    /**
     * Importance-sampled (IWAE) estimate of the mean log p(x) per data point of {@code x [n, D]} in
     * nats, with {@code k} samples from q(z | x) per point: log (1/k) Σ p(x, z_i)/q(z_i | x), a lower
     * bound that tightens as k grows (k = 1 is the ELBO).
     */
    public double logLikelihood(INDArray x, int k, Rng rng) {
        requireUnconditional();
        return logLikelihoods(x, k, rng).meanNumber().doubleValue();
    }

    /** Per-point IWAE estimates, DOUBLE {@code [n]}; see {@link #logLikelihood}. */
    public INDArray logLikelihoods(INDArray x, int k, Rng rng) {
        requireUnconditional();
        return logLikelihoodsWith(checkX(x), null, k, rng);
    }

    INDArray logLikelihoodsWith(INDArray x, INDArray c, int k, Rng rng) {
        Check.positive("k", k);
        Check.notNull("rng", rng);
        int n = Math.toIntExact(x.size(0));
        int rows = Math.max(1, MAX_ROWS / k);
        double[] out = new double[n];
        for (int from = 0; from < n; from += rows) {
            int to = Math.min(n, from + rows);
            INDArray xs = rowsOf(x, from, to).repeat(0, k);
            INDArray cs = c == null ? null : rowsOf(c, from, to).repeat(0, k);
            INDArray eps = rng.normal((long) (to - from) * k, config.latent()).castTo(DataType.FLOAT);
            Map<String, INDArray> in = new HashMap<>();
            in.put("x", xs);
            in.put("eps", eps);
            if (cs != null) {
                in.put("c", cs);
            }
            INDArray logw = net.output(in, logWeight).castTo(DataType.DOUBLE).reshape(to - from, k);
            INDArray max = logw.max(1);
            INDArray lse = Transforms.log(Transforms.exp(logw.subColumnVector(max.reshape(to - from, 1)), false).sum(1), false)
                    .addi(max).subi(Math.log(k));
            for (int i = from; i < to; i++) {
                out[i] = lse.getDouble(i - from);
            }
        }
        return Nd4j.createFromArray(out);
    }

    /** Runs {@code outputs} over row chunks of the given inputs (any may be null) and concatenates. */
    private INDArray[] chunked(INDArray x, INDArray c, INDArray z, INDArray eps, String... outputs) {
        INDArray any = x != null ? x : z;
        int n = Math.toIntExact(any.size(0));
        INDArray[][] parts = new INDArray[outputs.length][(n + MAX_ROWS - 1) / MAX_ROWS];
        int p = 0;
        for (int from = 0; from < n; from += MAX_ROWS, p++) {
            int to = Math.min(n, from + MAX_ROWS);
            Map<String, INDArray> in = new HashMap<>();
            if (x != null) {
                in.put("x", rowsOf(x, from, to));
            }
            if (c != null) {
                in.put("c", rowsOf(c, from, to));
            }
            if (z != null) {
                in.put("z", rowsOf(z, from, to));
            }
            if (eps != null) {
                in.put("eps", rowsOf(eps, from, to));
            }
            Map<String, INDArray> out = net.output(in, outputs);
            for (int j = 0; j < outputs.length; j++) {
                parts[j][p] = out.get(outputs[j]).dup();
            }
        }
        INDArray[] result = new INDArray[outputs.length];
        for (int j = 0; j < outputs.length; j++) {
            result[j] = parts[j].length == 1 ? parts[j][0] : Nd4j.concat(0, parts[j]);
        }
        return result;
    }

    private static INDArray rowsOf(INDArray a, int from, int to) {
        if (from == 0 && to == a.size(0)) {
            return a;
        }
        return a.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
    }

    /**
     * A {@code steps × steps} grid of decoded latents over [−range, range]² (first two latent
     * dimensions, the rest 0), row by row from the top (largest z2), {@code [steps², D]}.
     */
    public INDArray decodeGrid(int steps, double range) {
        requireUnconditional();
        return decodeWith(gridLatents(steps, range), null);
    }

    INDArray gridLatents(int steps, double range) {
        Check.positive("steps", steps);
        Check.positive("range", range);
        if (config.latent() < 2) {
            throw new IllegalArgumentException("latent: a decoded grid needs a latent width >= 2, got " + config.latent());
        }
        INDArray z = Nd4j.zeros(DataType.FLOAT, (long) steps * steps, config.latent());
        for (int r = 0; r < steps; r++) {
            for (int col = 0; col < steps; col++) {
                double z1 = steps == 1 ? 0 : -range + 2 * range * col / (steps - 1);
                double z2 = steps == 1 ? 0 : range - 2 * range * r / (steps - 1);
                z.putScalar(new long[] {(long) r * steps + col, 0}, z1);
                z.putScalar(new long[] {(long) r * steps + col, 1}, z2);
            }
        }
        return z;
    }

    /**
     * Saves configuration, parameters and optimizer state to {@code path}, exactly: written to a
     * temporary file in the same folder and moved into place atomically, so a crash never leaves a
     * half-written model.
     */
    public void save(Path path) throws IOException {
        Check.notNull("path", path);
        Path abs = path.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("path: expected a file in an existing folder, got " + path);
        }
        Path tmp = Files.createTempFile(dir, abs.getFileName().toString(), ".tmp");
        try {
            try (OutputStream os = Files.newOutputStream(tmp);
                    DataOutputStream out = new DataOutputStream(new BufferedOutputStream(os))) {
                writeTo(out);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (java.nio.file.AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private void writeTo(DataOutputStream out) throws IOException {
        out.writeUTF(MAGIC);
        out.writeInt(FORMAT);
        out.writeInt(config.input());
        out.writeInt(config.latent());
        out.writeInt(config.hidden().length);
        for (int h : config.hidden()) {
            out.writeInt(h);
        }
        out.writeUTF(config.likelihood().name());
        out.writeInt(config.condition());
        out.writeDouble(config.beta());
        out.writeDouble(config.learningRate());
        out.writeDouble(config.minSigma());
        net.write(out);
    }

    static VaeConfig readConfig(DataInputStream in, Path path) throws IOException {
        String magic;
        try {
            magic = in.readUTF();
        } catch (IOException e) {
            throw new IllegalArgumentException("path: expected a latentvi VAE file, got an unreadable file " + path);
        }
        if (!MAGIC.equals(magic)) {
            throw new IllegalArgumentException("path: expected a latentvi VAE file, got " + path);
        }
        int format = in.readInt();
        if (format != FORMAT) {
            throw new IllegalArgumentException("path: expected format " + FORMAT + ", got " + format + " in " + path);
        }
        int input = in.readInt();
        int latent = in.readInt();
        int[] hidden = new int[in.readInt()];
        for (int i = 0; i < hidden.length; i++) {
            hidden[i] = in.readInt();
        }
        VaeConfig.Likelihood lik = VaeConfig.Likelihood.valueOf(in.readUTF());
        int condition = in.readInt();
        return new VaeConfig(input, latent, hidden, lik, condition, in.readDouble(), in.readDouble(), in.readDouble());
    }

    /** Loads a VAE written by {@link #save}; it behaves exactly like the saved one. */
    public static Vae load(Path path) throws IOException {
        return load(path, false);
    }

    static Vae load(Path path, boolean conditional) throws IOException {
        Check.notNull("path", path);
        if (!Files.isRegularFile(path)) {
            throw new NoSuchFileException(path.toString(), null, "no saved VAE at this path");
        }
        try (InputStream is = Files.newInputStream(path); DataInputStream in = new DataInputStream(new BufferedInputStream(is))) {
            VaeConfig config = readConfig(in, path);
            if (conditional != (config.condition() > 0)) {
                throw new IllegalArgumentException("path: expected a " + (conditional ? "conditional" : "unconditional")
                        + " VAE, got a " + (conditional ? "unconditional" : "conditional") + " one in " + path
                        + (conditional ? "; use Vae.load" : "; use ConditionalVae.load"));
            }
            Vae vae = new Vae(config, Rng.seeded(0));
            vae.net.read(in);
            return vae;
        }
    }

    void requireUnconditional() {
        if (config.condition() > 0) {
            throw new IllegalStateException("this VAE is conditional: use the ConditionalVae methods that take a condition");
        }
    }

    INDArray checkX(INDArray x) {
        Check.matrix("x", x, config.input());
        Check.finite("x", x);
        return x.castTo(DataType.FLOAT);
    }

    INDArray checkZ(INDArray z) {
        Check.matrix("z", z, config.latent());
        Check.finite("z", z);
        return z.castTo(DataType.FLOAT);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(" + config + ", " + net.parameterCount() + " parameters, " + net.steps() + " steps)";
    }
}
