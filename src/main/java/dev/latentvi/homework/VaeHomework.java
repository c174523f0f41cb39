package dev.latentvi.homework;

import dev.latentvi.data.Mnist;
import dev.latentvi.math.Rng;
import dev.latentvi.vae.Vae;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Assignment 4 — the variational autoencoder (Lecture 18, part 4): the negative ELBO of a
 * mini-batch, compared with {@link Vae#elbo} on the same noise, and a short training run on MNIST
 * judged by the library's held-out ELBO.
 *
 * <p>Noise protocol (so the draws match the library's): ε = rng.normal(n, L) in one call, then
 * z = μ(x) + σ(x) ⊙ ε.
 */
public final class VaeHomework {
    /** Images the training check hands to the student's training function. */
    public static final int TRAIN_IMAGES = 1500;
    /** Held-out images the trained VAE is evaluated on. */
    public static final int TEST_IMAGES = 1000;
    /** The held-out mean ELBO (nats per image) a trained VAE must reach; an untrained one scores about −545. */
    public static final double ELBO_TARGET = -250;

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

    record Input(Vae vae, INDArray x, long seed) {
    }

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

    /** Exercise 4.2 (3 points): a short training run, judged by the library's held-out ELBO. */
    public static Feedback checkTraining(Training student) {
        Trained[] run = new Trained[1];
        Exception[] failed = new Exception[1];
        return Exercise.<Training>properties("Exercise 4.2 — a short VAE training run on MNIST")
                .points(3)
                .timeLimit(java.time.Duration.ofSeconds(300))   // a real training run, not an endless loop
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
                .property(String.format(Locale.ROOT, "held-out ELBO above %.0f nats per image (%d test digits)", ELBO_TARGET, TEST_IMAGES),
                        f -> {
                            if (failed[0] != null) {
                                throw failed[0];                 // the same feedback as the case above
                            }
                            if (run[0] == null || run[0].vae() == null || run[0].vae().config().input() != Mnist.PIXELS) {
                                return Outcome.fail("a trained VAE", "none (see the case above)", null);
                            }
                            double elbo = run[0].vae().elbo(Mnist.load().test().first(TEST_IMAGES).images(), Rng.seeded(4400));
                            String got = String.format(Locale.ROOT, "%.1f nats", elbo);
                            return elbo > ELBO_TARGET ? Outcome.pass("ELBO " + got)
                                    : Outcome.fail("ELBO > " + Compare.format(ELBO_TARGET) + " nats", got,
                                            "train longer (more epochs) or with a larger learning rate, e.g. 3e-3; did you call vae.fit?");
                        })
                .check(student);
    }

    private record Trained(Vae vae, double seconds) {
    }

    private static Trained train(Training f) throws Exception {
        INDArray images = Mnist.load().train().first(TRAIN_IMAGES).images();
        long start = System.nanoTime();
        Vae vae = f.apply(images.dup(), Rng.seeded(4500));
        return new Trained(vae, (System.nanoTime() - start) / 1e9);
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
