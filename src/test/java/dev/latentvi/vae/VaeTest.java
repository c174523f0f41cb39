package dev.latentvi.vae;

import static org.junit.jupiter.api.Assertions.assertThrows;

import org.nd4j.linalg.indexing.NDArrayIndex;

import static org.junit.jupiter.api.Assertions.*;

import dev.latentvi.dist.Normal;
import dev.latentvi.math.Rng;
import dev.latentvi.vi.Bound;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import tech.tablesaw.api.Table;

/**
 * The VAE on synthetic binary images: 10 random 64-pixel prototypes with 5% of the pixels flipped.
 * The entropy of that distribution is about 15.0 nats per image (log 10 for the class plus 64 binary
 * flips), so no model can do better than ≈ −15.0; independent pixels get ≈ −41.
 */
class VaeTest {
    static final int PIXELS = 64;
    static Prototypes data;
    static INDArray train;
    static INDArray test;
    static Vae vae;
    static Table history;
    static double initialElbo;

    @BeforeAll
    static void train() {
        Rng rng = Rng.seeded(11);
        data = new Prototypes(10, PIXELS, rng);
        train = data.images(data.labels(2000), 0.05, rng);
        test = data.images(data.labels(500), 0.05, rng);
        vae = Vae.builder().input(PIXELS).latent(4).hidden(64).learningRate(3e-3).build(Rng.seeded(1));
        initialElbo = vae.elbo(test, Rng.seeded(2));
        history = vae.fit(train, 25, 100, Rng.seeded(3));
    }

    @Test
    void elboImprovesOverTraining() {
        double first = history.doubleColumn("elbo").get(0);
        double last = history.doubleColumn("elbo").get(history.rowCount() - 1);
        assertEquals(25, history.rowCount());
        assertTrue(last > first + 10, "training ELBO " + first + " -> " + last);
        double heldOut = vae.elbo(test, Rng.seeded(4));
        assertTrue(heldOut > initialElbo + 20, "held-out ELBO " + initialElbo + " -> " + heldOut);
        // the history columns agree: loss = -ELBO at beta = 1, ELBO = reconstruction - KL
        for (int i = 0; i < history.rowCount(); i++) {
            assertEquals(-history.doubleColumn("loss").get(i), history.doubleColumn("elbo").get(i), 1e-3);
            assertEquals(history.doubleColumn("reconstruction").get(i) - history.doubleColumn("kl").get(i),
                    history.doubleColumn("elbo").get(i), 1e-3);
            assertTrue(history.doubleColumn("kl").get(i) >= 0);
        }
    }

    @Test
    void heldOutIwaeLogLikelihoodBeatsTheMeasuredThreshold() {
        double ll = vae.logEvidence(test, 100, Rng.seeded(5));
        // measured -17.5 nats (IWAE with k = 100 on these 500 held-out images, this seed and architecture);
        // the threshold keeps a 2-nat margin. Independent pixels get about -41, the data entropy is about -15.0.
        assertTrue(ll > THRESHOLD && ll < -14.0, "IWAE log p(x) " + ll);
    }

    static final double THRESHOLD = -19.5;

    @Test
    void iwaeIsAtLeastTheElboAndGrowsWithK() {
        double elbo = vae.elbo(test, Rng.seeded(6));
        double k1 = vae.logEvidence(test, 1, Rng.seeded(6));
        double k10 = vae.logEvidence(test, 10, Rng.seeded(7));
        double k100 = vae.logEvidence(test, 100, Rng.seeded(8));
        assertEquals(elbo, k1, 0.5, "IWAE with k = 1 is the single-sample ELBO");
        assertTrue(k10 >= elbo, "IWAE(10) " + k10 + " < ELBO " + elbo);
        assertTrue(k100 >= k10 - 0.05, "IWAE(100) " + k100 + " < IWAE(10) " + k10);
        INDArray per = Bound.iwae(10).estimate(vae, vae.encoder(test), test, Rng.seeded(9)).values();
        assertArrayEquals(new long[] {500}, per.shape());
        assertTrue(per.maxNumber().doubleValue() < 0);
    }

    @Test
    void shapesOfSamplesEncodingsAndReconstructions() {
        INDArray s = vae.sample(Rng.seeded(1), 7);
        assertArrayEquals(new long[] {7, PIXELS}, s.shape());
        assertTrue(s.minNumber().doubleValue() >= 0 && s.maxNumber().doubleValue() <= 1);
        Normal q = vae.encoder(test);
        assertArrayEquals(new long[] {500, 4}, q.mean().shape());
        assertArrayEquals(new long[] {500, 4}, q.stddev().shape());
        assertTrue(q.stddev().minNumber().doubleValue() > 0);
        INDArray r = vae.reconstruct(test);
        assertArrayEquals(new long[] {500, PIXELS}, r.shape());
        // reconstructions recover the prototypes: most pixels on the right side of 1/2
        double agree = r.gt(0.5).castTo(DataType.FLOAT).eq(test).castTo(DataType.DOUBLE).meanNumber().doubleValue();
        assertTrue(agree > 0.9, "pixel agreement " + agree);
        assertArrayEquals(new long[] {9, PIXELS}, vae.decodeGrid(3, 2.0).shape());
        assertArrayEquals(new long[] {5, PIXELS}, vae.decoder(Nd4j.zeros(5, 4)).mean().shape());
    }

    @Test
    void decodeLineIsTheDecoderMeanAlongTheSegment() {
        // the top row of a 3 x 3 decoded grid is the segment from (-2, 2) to (2, 2), the rest of z at 0
        INDArray line = vae.decodeLine(new double[] {-2, 2, 0, 0}, new double[] {2, 2, 0, 0}, 3);
        assertArrayEquals(new long[] {3, PIXELS}, line.shape());
        assertEquals(vae.decodeGrid(3, 2.0).get(NDArrayIndex.interval(0, 3), NDArrayIndex.all()), line);
        assertThrows(IllegalArgumentException.class, () -> vae.decodeLine(new double[] {0, 0}, new double[] {1, 1}, 3));
        assertThrows(IllegalArgumentException.class, () -> vae.decodeLine(new double[4], new double[4], 1));
    }

    @Test
    void sameSeedSameNumbers() {
        assertEquals(vae.sample(Rng.seeded(42), 3), vae.sample(Rng.seeded(42), 3));
        assertEquals(vae.logEvidence(test, 5, Rng.seeded(1)), vae.logEvidence(test, 5, Rng.seeded(1)));
    }

    @Test
    void saveLoadRoundTripsExactlyAndAtomically(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("vae.bin");
        Files.writeString(file, "an older file that the save replaces");
        vae.save(file);
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
        Vae loaded = Vae.load(file);
        assertEquals(vae.config(), loaded.config());
        for (Map.Entry<String, INDArray> e : vae.network().parameters().entrySet()) {
            assertEquals(e.getValue(), loaded.network().parameters().get(e.getKey()), e.getKey());
        }
        assertEquals(vae.network().steps(), loaded.network().steps());
        assertEquals(vae.sample(Rng.seeded(3), 5), loaded.sample(Rng.seeded(3), 5));
        assertEquals(vae.logEvidence(test, 4, Rng.seeded(3)), loaded.logEvidence(test, 4, Rng.seeded(3)));
        Path notAVae = dir.resolve("other.bin");
        Files.writeString(notAVae, "hello");
        java.io.IOException e = assertThrows(java.io.IOException.class, () -> Vae.load(notAVae));
        assertTrue(e.getMessage().startsWith(notAVae + ": expected a latentvi VAE file"), e.getMessage());
        assertThrows(java.nio.file.NoSuchFileException.class, () -> Vae.load(dir.resolve("missing.bin")));
    }

    @Test
    void badConfigurationsAndInputsNameTheArgument() {
        assertArgument("latent", () -> Vae.builder().input(10).latent(0).build(Rng.seeded(0)));
        assertArgument("hidden", () -> Vae.builder().input(10).hidden().build(Rng.seeded(0)));
        assertArgument("hidden[1]", () -> Vae.builder().input(10).hidden(8, -1).build(Rng.seeded(0)));
        assertArgument("input", () -> Vae.builder().latent(2).build(Rng.seeded(0)));
        assertArgument("beta", () -> Vae.builder().input(10).beta(-1).build(Rng.seeded(0)));
        assertArgument("learningRate", () -> Vae.builder().input(10).learningRate(0).build(Rng.seeded(0)));
        assertArgument("minSigma", () -> Vae.builder().input(10).gaussianDecoder(0).build(Rng.seeded(0)));
        assertArgument("x", () -> vae.encoder(Nd4j.zeros(3, 5)));
        assertArgument("x", () -> vae.fit(withNaN(), 1, 2, Rng.seeded(0)));
        assertArgument("z", () -> vae.decoder(Nd4j.zeros(3, 3)));
        assertArgument("k", () -> vae.logEvidence(test, 0, Rng.seeded(0)));
        assertArgument("epochs", () -> vae.fit(train, 0, 10, Rng.seeded(0)));
        assertArgument("batchSize", () -> vae.fit(train, 1, 0, Rng.seeded(0)));
        assertArgument("n", () -> vae.sample(Rng.seeded(0), 0));
    }

    static INDArray withNaN() {
        INDArray x = Nd4j.zeros(DataType.FLOAT, 3, PIXELS);
        x.putScalar(1, 5, Float.NaN);
        return x;
    }

    static void assertArgument(String name, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().startsWith(name + ":"), "expected the message to name " + name + ": " + e.getMessage());
    }
}
