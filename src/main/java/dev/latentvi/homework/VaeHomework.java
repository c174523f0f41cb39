package dev.latentvi.homework;

import dev.latentvi.data.Mnist;
import dev.latentvi.dist.Kl;
import dev.latentvi.dist.MultivariateNormal;
import dev.latentvi.dist.Normal;
import dev.latentvi.math.Rng;
import dev.latentvi.vae.ConditionalVae;
import dev.latentvi.vae.Vae;
import dev.latentvi.vi.LinearGaussian;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Assignment 4 — the variational autoencoder (Lecture 18, parts 3–4): the negative ELBO of a
 * mini-batch, compared with {@link Vae#elbo} on the same noise; a short training run on MNIST judged
 * by its held-out ELBO against a reference VAE the check trains the same way (same images, seed and
 * evaluation); and amortized inference in closed form — the linear encoder of the linear-Gaussian
 * model, compared with {@link MultivariateNormal#meanField()} of the exact posterior on unseen points;
 * and the conditional VAE's ELBO, compared with {@link ConditionalVae#elbo} on the same noise.
 *
 * <p>Noise protocol (so the draws match the library's): ε = rng.normal(n, L) in one call, then
 * z = μ(x) + σ(x) ⊙ ε.
 */
public final class VaeHomework {
    /** Images the training check hands to the student's training function. */
    public static final int TRAIN_IMAGES = 1500;
    /** Held-out images the trained VAE is evaluated on. */
    public static final int TEST_IMAGES = 1000;
    /** Latent size of the reference VAE of Exercise 4.2 (the answer key's recipe). */
    public static final int REFERENCE_LATENT = 8;
    /** Hidden width of the reference VAE. */
    public static final int REFERENCE_HIDDEN = 128;
    /** Adam learning rate of the reference VAE. */
    public static final double REFERENCE_LEARNING_RATE = 3e-3;
    /** Training epochs of the reference VAE. */
    public static final int REFERENCE_EPOCHS = 2;
    /** Mini-batch size of the reference VAE. */
    public static final int REFERENCE_BATCH = 100;
    /** A trained VAE passes Exercise 4.2 if its held-out ELBO is at most this many nats per image below the reference's. */
    public static final double ELBO_MARGIN = 15;
    /** Seed of the training run the check hands to the student's function (and to the reference). */
    static final long TRAIN_SEED = 4500;
    /** Seed of the held-out ELBO evaluation. */
    static final long EVAL_SEED = 4400;

    private static Double referenceElbo;

    /** Student: the VAE loss −(1/n) Σ_i [log p(x_i | z_i) − KL(q(z|x_i) ‖ p(z))] of a mini-batch x {@code [n, D]}. */
    @FunctionalInterface
    public interface Loss {
        double apply(Vae vae, INDArray x, Rng rng) throws Exception;
    }

    /** Student: builds and trains a VAE on images {@code [N, 784]} (in a few seconds) and returns it. */
    @FunctionalInterface
    public interface Training {
        Vae apply(INDArray images, Rng rng) throws Exception;
    }

    /**
     * Student: the best linear amortized encoder of a linear-Gaussian model, computed from the model alone.
     */
    @FunctionalInterface
    public interface EncoderOfModel {
        LinearEncoder apply(LinearGaussian model) throws Exception;
    }

    /**
     * A linear Gaussian encoder q(z | x) = N(x·weights + bias, diag(stddev²)) — one map for every x,
     * with the same σ for every x.
     *
     * @param weights {@code [D, d]}
     * @param bias {@code [d]} (or {@code [1, d]})
     * @param stddev {@code [d]} (or {@code [1, d]}), positive
     */
    public record LinearEncoder(INDArray weights, INDArray bias, INDArray stddev) {
        /** q(z | x) for every row of x {@code [n, D]}: a Normal {@code [n, d]}. */
        public Normal encode(INDArray x) {
            if (weights == null || bias == null || stddev == null) {
                throw new IllegalArgumentException("encoder: expected weights [D, d], bias [d] and stddev [d], got a null part");
            }
            if (weights.rank() != 2 || x.size(1) != weights.size(0)) {
                throw new IllegalArgumentException("weights: expected [" + x.size(1) + ", d] (data width by latent width), got "
                        + Arrays.toString(weights.shape()));
            }
            long d = weights.size(1);
            if (bias.length() != d || stddev.length() != d) {
                throw new IllegalArgumentException("bias, stddev: expected " + d + " entries each (the latent width), got "
                        + bias.length() + " and " + stddev.length());
            }
            INDArray mean = x.castTo(DataType.DOUBLE).mmul(weights.castTo(DataType.DOUBLE))
                    .addiRowVector(bias.castTo(DataType.DOUBLE).reshape(1, d));
            INDArray sigma = Nd4j.tile(stddev.castTo(DataType.DOUBLE).reshape(1, d), (int) x.size(0), 1);
            return Normal.of(mean, sigma);
        }
    }

    /** What the encoder check compares: the means and standard deviations of q(z | x) on probe points. */
    record Posteriors(INDArray mean, INDArray stddev) {
        static Posteriors of(Normal q) {
            return new Posteriors(q.mean(), q.stddev());
        }
    }

    /** A model and unseen probe points the encoder is evaluated on. */
    record ModelInput(LinearGaussian model, INDArray probes) {
    }

    record Input(Vae vae, INDArray x, long seed) {
    }

    /**
     * Student: the mean single-sample ELBO of log p(x | c) of a conditional VAE for a batch x {@code [n, D]}
     * under conditions c {@code [n, C]}: (1/n) Σ_i [log p(x_i | z_i, c_i) − KL(q(z | x_i, c_i) ‖ N(0, I))].
     */
    @FunctionalInterface
    public interface ConditionalElbo {
        double apply(ConditionalVae cvae, INDArray x, INDArray c, Rng rng) throws Exception;
    }

    record ConditionalInput(ConditionalVae cvae, INDArray x, INDArray c, long seed) {
    }

    private static ConditionalInput twoClusters;

    private VaeHomework() {
    }

    /** Exercise 4.1 (3 points): the negative ELBO of a mini-batch. */
    public static Feedback checkLoss(Loss student) {
        return Exercise.<Loss, Input, Double>of("Exercise 4.1 — the VAE loss of a mini-batch",
                        in -> -in.vae().elbo(in.x(), Rng.seeded(in.seed())),
                        (f, in) -> f.apply(in.vae(), in.x().dup(), Rng.seeded(in.seed())))
                .points(3)
                .tolerance(1e-2, 1e-3)
                .hint("loss = −mean_i [log p(x_i | z_i) − KL(q(z | x_i) ‖ N(0, I))] with q = vae.encoder(x),"
                        + " z_i = μ_i + σ_i ⊙ ε_i, ε = rng.normal(n, L) in one call, log p(x | z) = vae.decoder(z).logProb(x);"
                        + " a loss is the NEGATIVE ELBO")
                .describe(in -> String.format(Locale.ROOT, "x %s, latent %d", Arrays.toString(in.x().shape()), in.vae().config().latent()))
                .random(2, 4400, rng -> new Input(Vae.builder().input(48).latent(1 + rng.nextInt(3)).hidden(24).build(rng),
                        rng.uniform(4 + rng.nextInt(12), 48), 4400 + rng.nextInt(1000)))
                .edge("random VAE, 64-dimensional data", memo(() -> {
                    Rng rng = Rng.seeded(4100);
                    return new Input(Vae.builder().input(64).latent(2).hidden(32).build(rng), rng.uniform(16, 64), 4101);
                }), null)
                .edge("MNIST digits, 784 pixels", memo(() -> {
                    Rng rng = Rng.seeded(4200);
                    return new Input(Vae.builder().input(Mnist.PIXELS).latent(4).hidden(64).build(rng),
                            Mnist.load().test().first(32).images(), 4201);
                }), "with 784 pixels, summing instead of averaging over the batch (or the reverse over pixels) is a large error")
                .edge("a batch of one image", memo(() -> {
                    Rng rng = Rng.seeded(4300);
                    return new Input(Vae.builder().input(Mnist.PIXELS).latent(2).hidden(32).build(rng),
                            Mnist.load().test().first(1).images(), 4301);
                }), "n = 1: keep shapes [1, L] and [1, D]")
                .check(student);
    }

    /**
     * Exercise 4.2 (3 points): a short training run, judged by its held-out ELBO against the pass mark
     * {@link #elboTarget()}: a reference VAE the check trains with the answer key's recipe on the same
     * images and seed, minus {@link #ELBO_MARGIN}.
     */
    public static Feedback checkTraining(Training student) {
        Trained[] run = new Trained[1];
        Exception[] failed = new Exception[1];
        return Exercise.<Training>properties("Exercise 4.2 — a short VAE training run on MNIST")
                .points(3)
                .timeLimit(java.time.Duration.ofSeconds(300))   // a real training run (and the reference's), not an endless loop
                .property("returns a VAE for 784-pixel images", f -> {
                    try {
                        run[0] = train(f);
                    } catch (Exception e) {
                        failed[0] = e;
                        throw e;
                    }
                    if (run[0].vae() == null) {
                        return Outcome.fail("a Vae", "null", "return the VAE you trained");
                    }
                    int input = run[0].vae().config().input();
                    return input == Mnist.PIXELS ? Outcome.pass(String.format(Locale.ROOT, "trained in %.1f s", run[0].seconds()))
                            : Outcome.fail("input width 784", Integer.toString(input), "Vae.builder().input(784)");
                })
                .property(String.format(Locale.ROOT, "held-out ELBO (%d test digits) within %.0f nats of a reference VAE trained the same way",
                                TEST_IMAGES, ELBO_MARGIN),
                        f -> {
                            if (failed[0] != null) {
                                throw failed[0];                 // the same feedback as the case above
                            }
                            if (run[0] == null || run[0].vae() == null || run[0].vae().config().input() != Mnist.PIXELS) {
                                return Outcome.fail("a trained VAE", "none (see the case above)", null);
                            }
                            double elbo = heldOutElbo(run[0].vae());
                            double reference = referenceElbo();
                            double target = reference - ELBO_MARGIN;
                            String got = String.format(Locale.ROOT, "ELBO %.1f nats (reference %.1f, pass mark %.1f)", elbo, reference, target);
                            return elbo >= target ? Outcome.pass(got)
                                    : Outcome.fail(String.format(Locale.ROOT, "ELBO ≥ %.1f nats (the reference's %.1f − %.0f)", target, reference,
                                                    ELBO_MARGIN), got,
                                            "train longer (more epochs) or with a larger learning rate, e.g. 3e-3; did you call vae.fit?");
                        })
                .check(student);
    }

    /**
     * The reference VAE of Exercise 4.2, built and trained with the answer key's recipe
     * (latent {@value #REFERENCE_LATENT}, hidden {@value #REFERENCE_HIDDEN}, Adam at {@value #REFERENCE_LEARNING_RATE},
     * {@value #REFERENCE_EPOCHS} epochs of mini-batches of {@value #REFERENCE_BATCH}) on images {@code [N, 784]}.
     */
    public static Vae trainReference(INDArray images, Rng rng) {
        Vae vae = Vae.builder().input(Mnist.PIXELS).latent(REFERENCE_LATENT).hidden(REFERENCE_HIDDEN)
                .learningRate(REFERENCE_LEARNING_RATE).build(rng);
        vae.fit(images, REFERENCE_EPOCHS, REFERENCE_BATCH, rng);
        return vae;
    }

    /**
     * The held-out ELBO (nats per image) of the reference VAE, trained as the check trains the
     * student's (the same {@value #TRAIN_IMAGES} images and seed) and evaluated the same way; trained
     * once per JVM, on first use.
     */
    public static synchronized double referenceElbo() {
        if (referenceElbo == null) {
            referenceElbo = heldOutElbo(trainReference(trainingImages(), Rng.seeded(TRAIN_SEED)));
        }
        return referenceElbo;
    }

    /** The pass mark of Exercise 4.2: {@link #referenceElbo()} − {@link #ELBO_MARGIN}. */
    public static double elboTarget() {
        return referenceElbo() - ELBO_MARGIN;
    }

    /** The mean ELBO of a VAE on the {@value #TEST_IMAGES} held-out digits, as the check measures it. */
    public static double heldOutElbo(Vae vae) {
        return vae.elbo(Mnist.load().test().first(TEST_IMAGES).images(), Rng.seeded(EVAL_SEED));
    }

    /**
     * Exercise 4.3 (3 points): amortized inference in closed form. For the linear-Gaussian model the
     * exact posterior mean is an affine map of x and the best diagonal σ (reverse KL, 1/√Λ_jj) is the
     * same for every x, so one linear encoder computed from the model is optimal for every point; the
     * check compares it with {@link MultivariateNormal#meanField()} of the exact posterior on points
     * it never saw, and its ELBO with the best per-point diagonal Gaussian's (no amortization gap).
     */
    public static Feedback checkLinearEncoder(EncoderOfModel student) {
        return Exercise.<EncoderOfModel, ModelInput, Posteriors>of("Exercise 4.3 — amortized inference: the linear encoder",
                        in -> Posteriors.of(in.model().posterior(in.probes()).orElseThrow().meanField()),
                        (f, in) -> {
                            LinearEncoder e = f.apply(in.model());
                            return e == null ? null : Posteriors.of(e.encode(in.probes()));
                        })
                .points(3)
                .tolerance(1e-8, 1e-6)
                .hint("Λ = I + WᵀW/σ² (the posterior precision), μ(x) = Λ⁻¹Wᵀ(x − b)/σ², so weights = WΛ⁻¹/σ² [D, d] and"
                        + " bias = −bᵀ·weights; the best diagonal σ_j under KL(q ‖ p) is 1/√Λ_jj (not √(Λ⁻¹)_jj)")
                .describe(in -> String.format(Locale.ROOT, "D = %d, d = %d, %d unseen points", in.model().dataDim(), in.model().latentDim(),
                        in.probes().size(0)))
                .random(3, 4600, rng -> {
                    LinearGaussian model = LinearGaussian.random(3 + rng.nextInt(3), 1 + rng.nextInt(3), 1.0, 0.3 + rng.uniform(), rng);
                    return new ModelInput(model, model.sample(rng, 12).x());
                })
                .edge("one latent dimension", () -> {
                    LinearGaussian model = LinearGaussian.of(new double[][] {{1.5}, {-0.8}}, new double[] {0.5, 0.0}, 0.7);
                    return new ModelInput(model, model.sample(Rng.seeded(4700), 5).x());
                }, null)
                .edge("a correlated posterior: σ_j = 1/√Λ_jj is narrower than the marginal √(Λ⁻¹)_jj", () -> {
                    LinearGaussian model = LinearGaussian.of(new double[][] {{1, 0.9}, {0.9, 1}, {0.5, 0.5}}, new double[] {0, 1, -1}, 0.5);
                    return new ModelInput(model, model.sample(Rng.seeded(4710), 6).x());
                }, "reverse KL fits a diagonal Gaussian inside a correlated posterior: σ_j = 1/√Λ_jj, smaller than the marginal σ")
                .property("no amortization gap: on 200 new points its exact ELBO equals the best diagonal Gaussian's, point by point",
                        VaeHomework::noAmortizationGap)
                .check(student);
    }

    /**
     * Exercise 4.4 (2 points): the conditional VAE's ELBO, compared with {@link ConditionalVae#elbo} on the
     * same noise, and on a model trained on two clusters: the data score higher under their own label.
     */
    public static Feedback checkConditionalElbo(ConditionalElbo student) {
        return Exercise.<ConditionalElbo, ConditionalInput, Double>of("Exercise 4.4 — the conditional VAE's ELBO",
                        in -> in.cvae().elbo(in.x(), in.c(), Rng.seeded(in.seed())),
                        (f, in) -> f.apply(in.cvae(), in.x().dup(), in.c().dup(), Rng.seeded(in.seed())))
                .points(2)
                .tolerance(1e-2, 1e-3)
                .hint("ELBO = mean_i [log p(x_i | z_i, c_i) − KL(q(z | x_i, c_i) ‖ N(0, I))] with q = cvae.encoder(x, c),"
                        + " z = μ + σ ⊙ ε, ε = rng.normal(n, L) in one call, log p(x | z, c) = cvae.decoder(z, c).logProb(x): the condition goes"
                        + " into the encoder and the decoder")
                .describe(in -> String.format(Locale.ROOT, "x %s, c %s, latent %d", Arrays.toString(in.x().shape()),
                        Arrays.toString(in.c().shape()), in.cvae().config().latent()))
                .random(2, 4900, rng -> {
                    ConditionalVae cvae = ConditionalVae.builder().input(48).classes(3).latent(1 + rng.nextInt(3)).hidden(24).build(rng);
                    int n = 4 + rng.nextInt(10);
                    int[] labels = new int[n];
                    for (int i = 0; i < n; i++) {
                        labels[i] = rng.nextInt(3);
                    }
                    return new ConditionalInput(cvae, rng.uniform(n, 48), cvae.oneHot(labels), 4900 + rng.nextInt(1000));
                })
                .edge("MNIST digits with their labels", memoConditional(() -> {
                    Rng rng = Rng.seeded(4910);
                    ConditionalVae cvae = ConditionalVae.builder().input(Mnist.PIXELS).classes(10).latent(2).hidden(32).build(rng);
                    Mnist.Split digits = Mnist.load().test().first(16);
                    return new ConditionalInput(cvae, digits.images(), cvae.oneHot(digits.labels()), 4911);
                }), "condition both networks on c: cvae.encoder(x, c) and cvae.decoder(z, c)")
                .property("the condition matters: a model trained on two clusters scores them far higher under their own label",
                        VaeHomework::rightLabelWins)
                .check(student);
    }

    /** On a small conditional model trained on two labelled clusters, the student's ELBO with the right labels vs the swapped ones. */
    private static Outcome rightLabelWins(ConditionalElbo f) throws Exception {
        ConditionalInput in = twoClusters();
        INDArray swapped = Nd4j.hstack(in.c().getColumn(1, true), in.c().getColumn(0, true));   // one-hot of the other class
        double right = f.apply(in.cvae(), in.x().dup(), in.c().dup(), Rng.seeded(in.seed()));
        double wrong = f.apply(in.cvae(), in.x().dup(), swapped, Rng.seeded(in.seed()));
        String got = String.format(Locale.ROOT, "ELBO %.2f with the right labels, %.2f with the swapped ones (nats per point)", right, wrong);
        return right - wrong >= 10 ? Outcome.pass(got)
                : Outcome.fail("the right labels at least 10 nats per point better", got,
                        "pass c to the decoder too: p(x | z, c) must depend on the label");
    }

    /** A conditional VAE (Gaussian decoder, 1-D latent) trained on two clusters at (∓2, 0) labelled 0 and 1; trained once per JVM. */
    private static synchronized ConditionalInput twoClusters() {
        if (twoClusters == null) {
            Rng rng = Rng.seeded(4920);
            int n = 400;
            int[] labels = new int[n];
            INDArray x = rng.normal(n, 2).muli(0.3);
            for (int i = 0; i < n; i++) {
                labels[i] = i % 2;
                x.putScalar(i, 0, x.getDouble(i, 0) + (labels[i] == 0 ? -2 : 2));
            }
            ConditionalVae cvae = ConditionalVae.builder().input(2).classes(2).latent(1).hidden(16).gaussianDecoder(0.05)
                    .learningRate(1e-2).build(rng);
            INDArray c = cvae.oneHot(labels);
            cvae.fit(x, c, 40, 100, rng);
            twoClusters = new ConditionalInput(cvae, x.getRows(java.util.stream.IntStream.range(0, 40).toArray()),
                    c.getRows(java.util.stream.IntStream.range(0, 40).toArray()), 4921);
        }
        return twoClusters;
    }

    /** The exact ELBO log p(x) − KL(q ‖ p(z|x)) of the student's encoder vs that of the mean-field optimum, on fresh points. */
    private static Outcome noAmortizationGap(EncoderOfModel f) throws Exception {
        LinearGaussian model = LinearGaussian.random(5, 2, 1.0, 0.5, Rng.seeded(4800));
        LinearEncoder encoder = f.apply(model);
        if (encoder == null) {
            return Outcome.fail("a LinearEncoder", "null", "return new VaeHomework.LinearEncoder(weights, bias, stddev)");
        }
        INDArray x = model.sample(Rng.seeded(4801), 200).x();
        MultivariateNormal post = model.posterior(x).orElseThrow();
        INDArray gap = Kl.divergence(encoder.encode(x), post).subi(Kl.divergence(post.meanField(), post));   // ELBO* − ELBO, [200]
        double worst = gap.maxNumber().doubleValue();
        double mean = gap.meanNumber().doubleValue();
        return worst <= 1e-6 ? Outcome.pass(String.format(Locale.ROOT, "largest ELBO shortfall %.2g nats", Math.max(worst, 0)))
                : Outcome.fail("ELBO = the best diagonal Gaussian's at every point (gap ≤ 1e-6)",
                        String.format(Locale.ROOT, "short by %.4g nats on average, %.4g at worst", mean, worst),
                        "a gap that grows with x means the mean map is off; a constant one, the standard deviations");
    }

    private record Trained(Vae vae, double seconds) {
    }

    private static INDArray trainingImages() {
        return Mnist.load().train().first(TRAIN_IMAGES).images().dup();
    }

    private static Trained train(Training f) throws Exception {
        INDArray images = trainingImages();
        long start = System.nanoTime();
        Vae vae = f.apply(images, Rng.seeded(TRAIN_SEED));
        return new Trained(vae, (System.nanoTime() - start) / 1e9);
    }

    /** As {@link #memo} for a conditional VAE's input. */
    private static Supplier<ConditionalInput> memoConditional(Supplier<ConditionalInput> make) {
        ConditionalInput[] cached = new ConditionalInput[1];
        return () -> {
            if (cached[0] == null) {
                cached[0] = make.get();
            }
            return new ConditionalInput(cached[0].cvae(), cached[0].x().dup(), cached[0].c().dup(), cached[0].seed());
        };
    }

    /** The same input for the reference and the student: building a VAE is the expensive part, and the encoder and decoder do not change it. */
    private static Supplier<Input> memo(Supplier<Input> make) {
        Input[] cached = new Input[1];
        return () -> {
            if (cached[0] == null) {
                cached[0] = make.get();
            }
            return new Input(cached[0].vae(), cached[0].x().castTo(DataType.FLOAT).dup(), cached[0].seed());
        };
    }
}
