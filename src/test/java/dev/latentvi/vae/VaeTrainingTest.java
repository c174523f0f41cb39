package dev.latentvi.vae;

import static org.junit.jupiter.api.Assertions.*;

import dev.latentvi.math.Rng;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import tech.tablesaw.api.Table;

/** Training behaviour: interruption, the β weight and the Gaussian decoder. */
class VaeTrainingTest {

    @Test
    @SuppressWarnings({"deprecation", "removal"})
    void stoppingTheTrainingThreadLeavesAUsableModelAtItsLastStep() throws Exception {
        Rng rng = Rng.seeded(31);
        Prototypes data = new Prototypes(5, 64, rng);
        INDArray x = data.images(data.labels(400), 0.05, rng);
        Vae vae = Vae.builder().input(64).latent(2).hidden(32).build(Rng.seeded(1));
        vae.fit(x, 1, 50, Rng.seeded(2)); // builds the gradient graph
        long before = vae.network().steps();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                vae.fit(x, 100_000, 50, Rng.seeded(3));
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        t.start();
        while (vae.network().steps() < before + 20) {
            Thread.sleep(5);
        }
        t.stop(); // what JJava does to a cell's thread when the user interrupts it
        t.join(10_000);
        assertFalse(t.isAlive());
        assertInstanceOf(ThreadDeath.class, thrown.get());
        long steps = vae.network().steps();
        Map<String, INDArray> params = Map.copyOf(vae.network().parameters());
        for (INDArray p : params.values()) {
            assertFalse(p.isNaN().any() || p.isInfinite().any());
        }
        double elbo = vae.elbo(x, Rng.seeded(4));
        assertTrue(Double.isFinite(elbo));
        // still the same committed state after evaluating, and training resumes from it
        assertEquals(steps, vae.network().steps());
        params.forEach((k, v) -> assertSame(v, vae.network().parameters().get(k)));
        Table h = vae.fit(x, 1, 50, Rng.seeded(5));
        assertEquals(steps + 8, vae.network().steps());
        assertTrue(h.rowCount() >= 2);
    }

    @Test
    void aLargerBetaBuysASmallerKl() {
        Rng rng = Rng.seeded(41);
        Prototypes data = new Prototypes(10, 64, rng);
        INDArray x = data.images(data.labels(1000), 0.05, rng);
        double[] kl = new double[2];
        double[] beta = {1, 4};
        for (int i = 0; i < 2; i++) {
            Vae vae = Vae.builder().input(64).latent(4).hidden(64).beta(beta[i]).learningRate(3e-3).build(Rng.seeded(1));
            Table h = vae.fit(x, 6, 100, Rng.seeded(2));
            kl[i] = h.doubleColumn("kl").get(h.rowCount() - 1);
            assertEquals(-h.doubleColumn("reconstruction").get(h.rowCount() - 1) + beta[i] * kl[i],
                    h.doubleColumn("loss").get(h.rowCount() - 1), 1e-3);
        }
        assertTrue(kl[1] < 0.8 * kl[0], "KL with beta 4: " + kl[1] + ", with beta 1: " + kl[0]);
    }

    @Test
    void gaussianDecoderLearnsContinuousData() {
        // points near a noisy circle in 8-D: x = A (cos t, sin t) + 0.05 noise
        Rng rng = Rng.seeded(51);
        INDArray a = rng.normal(2, 8);
        int n = 800;
        double[][] pts = new double[n][2];
        for (int i = 0; i < n; i++) {
            double t = 2 * Math.PI * rng.uniform();
            pts[i][0] = Math.cos(t);
            pts[i][1] = Math.sin(t);
        }
        INDArray x = org.nd4j.linalg.factory.Nd4j.create(pts).mmul(a).addi(rng.normal(n, 8).muli(0.05)).castTo(DataType.FLOAT);
        Vae vae = Vae.builder().input(8).latent(2).hidden(64).gaussianDecoder(0.01).learningRate(3e-3).build(Rng.seeded(2));
        double before = vae.elbo(x, Rng.seeded(3));
        Table h = vae.fit(x, 30, 100, Rng.seeded(4));
        double after = vae.elbo(x, Rng.seeded(3));
        assertTrue(after > before + 10, "Gaussian ELBO " + before + " -> " + after);
        // the reconstruction is close to the data: mean squared error well under the data variance
        double mse = vae.reconstruct(x).sub(x).castTo(DataType.DOUBLE).norm2Number().doubleValue();
        double var = x.sub(x.mean(0)).castTo(DataType.DOUBLE).norm2Number().doubleValue();
        assertTrue(mse < 0.3 * var, "reconstruction error " + mse + " vs spread " + var);
        assertTrue(h.doubleColumn("elbo").get(h.rowCount() - 1) > h.doubleColumn("elbo").get(0));
    }
}
