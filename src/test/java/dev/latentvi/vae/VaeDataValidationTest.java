package dev.latentvi.vae;

import static org.junit.jupiter.api.Assertions.*;

import dev.latentvi.dist.Normal;
import dev.latentvi.math.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Data a Bernoulli decoder cannot model are rejected at every entry, naming the argument. */
class VaeDataValidationTest {
    static void assertArgument(String prefix, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().startsWith(prefix), e.getMessage());
    }

    @Test
    void bernoulliDecoderRejectsPixelsOutsideTheUnitInterval() {
        Vae vae = Vae.builder().input(4).latent(2).hidden(3).build(Rng.seeded(0));
        INDArray pixels255 = Nd4j.createFromArray(new float[][] {{0, 255, 128, 3}, {0, 0, 1, 1}});
        assertArgument("x: expected values in [0, 1], got range [0.0, 255.0]", () -> vae.fit(pixels255, 1, 2, Rng.seeded(1)));
        assertEquals(0, vae.network().steps(), "nothing trained");
        assertArgument("x: expected values in [0, 1]", () -> vae.elbo(pixels255, Rng.seeded(1)));
        assertArgument("x: expected values in [0, 1]", () -> vae.encoder(pixels255.neg()));
        INDArray nan = Nd4j.createFromArray(new float[][] {{0, Float.NaN, 0, 1}, {0, 0, 1, 1}});
        assertArgument("x: expected finite values, got NaN at index [0, 1]", () -> vae.fit(nan, 1, 2, Rng.seeded(1)));

        ConditionalVae cvae = ConditionalVae.builder().input(4).latent(2).hidden(3).classes(2).build(Rng.seeded(0));
        assertArgument("x: expected values in [0, 1]", () -> cvae.fit(pixels255, new int[] {0, 1}, 1, 2, Rng.seeded(1)));

        // a Gaussian decoder takes any finite data
        Vae gaussian = Vae.builder().input(4).latent(2).hidden(3).gaussianDecoder(0.1).build(Rng.seeded(0));
        gaussian.fit(pixels255, 1, 2, Rng.seeded(1));
        assertEquals(1, gaussian.network().steps());
        assertArgument("x: expected finite values", () -> gaussian.fit(nan, 1, 2, Rng.seeded(1)));
    }

    @Test
    void rsampleRejectsNonFiniteNoise() {
        Normal q = Normal.of(Nd4j.zeros(2, 3), Nd4j.ones(2, 3));
        INDArray eps = Nd4j.zeros(2, 3);
        eps.putScalar(new long[] {1, 2}, Double.POSITIVE_INFINITY);
        assertArgument("eps: expected finite values, got Infinity at index [1, 2]", () -> q.rsample(eps));
    }
}
