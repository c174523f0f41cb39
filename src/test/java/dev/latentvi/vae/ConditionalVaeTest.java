package dev.latentvi.vae;

import static org.junit.jupiter.api.Assertions.*;

import dev.latentvi.dist.Normal;
import dev.latentvi.math.Rng;
import dev.latentvi.vi.Bound;
import dev.latentvi.vi.LatentModel;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The conditional VAE on 10 synthetic classes of 64-pixel binary images. */
class ConditionalVaeTest {
    static Prototypes data;
    static INDArray train;
    static int[] labels;
    static double[][] classMeans;
    static ConditionalVae cvae;

    @BeforeAll
    static void train() {
        Rng rng = Rng.seeded(21);
        data = new Prototypes(10, 64, rng);
        labels = data.labels(1500);
        train = data.images(labels, 0.05, rng);
        classMeans = new double[10][64];
        double[][] rows = train.castTo(DataType.DOUBLE).toDoubleMatrix();
        for (int i = 0; i < rows.length; i++) {
            for (int p = 0; p < 64; p++) {
                classMeans[labels[i]][p] += rows[i][p] / 150.0;
            }
        }
        // a 1-D latent cannot encode the class of 64 pixels by itself: the decoder must use the label
        cvae = ConditionalVae.builder().input(64).classes(10).latent(1).hidden(64).learningRate(3e-3).build(Rng.seeded(2));
        cvae.fit(train, labels, 20, 100, Rng.seeded(3));
    }

    static int nearestMean(double[] x) {
        int best = -1;
        double bestD = Double.POSITIVE_INFINITY;
        for (int k = 0; k < classMeans.length; k++) {
            double d = 0;
            for (int p = 0; p < x.length; p++) {
                double u = x[p] - classMeans[k][p];
                d += u * u;
            }
            if (d < bestD) {
                bestD = d;
                best = k;
            }
        }
        return best;
    }

    @Test
    void generatesTheRequestedClass() {
        Rng rng = Rng.seeded(5);
        for (int digit = 0; digit < 10; digit++) {
            INDArray samples = cvae.generate(digit, 20, rng);
            assertArrayEquals(new long[] {20, 64}, samples.shape());
            double[][] rows = samples.castTo(DataType.DOUBLE).toDoubleMatrix();
            int hits = 0;
            for (double[] row : rows) {
                hits += nearestMean(row) == digit ? 1 : 0;
            }
            assertTrue(hits >= 18, "class " + digit + ": " + hits + "/20 samples nearest to the requested class mean");
        }
    }

    @Test
    void theConditionMattersForTheLikelihood() {
        Rng rng = Rng.seeded(6);
        int[] test = data.labels(200);
        INDArray x = data.images(test, 0.05, rng);
        int[] wrong = new int[test.length];
        for (int i = 0; i < wrong.length; i++) {
            wrong[i] = (test[i] + 1) % 10;
        }
        double right = cvae.logEvidence(x, cvae.oneHot(test), 20, Rng.seeded(7));
        double bad = cvae.logEvidence(x, cvae.oneHot(wrong), 20, Rng.seeded(7));
        assertTrue(right > bad + 10, "log p(x | right label) " + right + " vs wrong label " + bad);
        assertTrue(cvae.elbo(x, cvae.oneHot(test), Rng.seeded(8)) <= right + 0.5);
    }

    @Test
    void roundTripAndShapes(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("cvae.bin");
        cvae.save(file);
        ConditionalVae loaded = ConditionalVae.load(file);
        assertEquals(cvae.generate(3, 4, Rng.seeded(1)), loaded.generate(3, 4, Rng.seeded(1)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Vae.load(file));
        assertTrue(e.getMessage().startsWith("path"), e.getMessage());
        INDArray c = cvae.oneHot(0, 1, 2);
        INDArray x = train.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 3), org.nd4j.linalg.indexing.NDArrayIndex.all());
        Normal q = cvae.encoder(x, c);
        assertArrayEquals(new long[] {3, 1}, q.mean().shape());
        assertArrayEquals(new long[] {3, 64}, cvae.reconstruct(x, c).shape());
        assertArrayEquals(new long[] {3, 64}, cvae.sample(c, Rng.seeded(1)).shape());
    }

    @Test
    void givenAConditionItIsALatentModelMatchingTheConditionalGraph() {
        INDArray x = train.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 6), org.nd4j.linalg.indexing.NDArrayIndex.all());
        INDArray c = cvae.oneHot(labels[0], labels[1], labels[2], labels[3], labels[4], labels[5]);
        LatentModel model = cvae.given(c);
        assertEquals(1, model.latentDim());
        assertEquals(64, model.dataDim());
        INDArray z = Rng.seeded(12).normal(4, 6, 1);
        INDArray eager = model.logLikelihood(x, z);                                   // [4, 6]
        assertArrayEquals(new long[] {4, 6}, eager.shape());
        // the decoder's own density at the same latents and condition
        INDArray z0 = z.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.all());
        assertTrue(cvae.decoder(z0, c).logProb(x).equalsWithEps(eager.getRow(0), 1e-3));
        // the graph form (in another graph: the condition and the parameters become constants)
        SameDiff sd = SameDiff.create();
        SDVariable xv = sd.placeHolder("x", DataType.DOUBLE, -1, 64);
        SDVariable zv = sd.placeHolder("z", DataType.DOUBLE, -1, -1, 1);
        SDVariable graph = model.logLikelihood(sd, xv, zv);
        INDArray out = sd.output(Map.of("x", x.castTo(DataType.DOUBLE), "z", z), graph.name()).get(graph.name());
        assertTrue(eager.equalsWithEps(out, 1e-3), eager + " vs " + out);
        // one condition row serves every point
        INDArray sevens = cvae.oneHot(7, 7, 7, 7, 7, 7);
        assertEquals(cvae.given(sevens).logLikelihood(x, z), cvae.given(cvae.oneHot(7)).logLikelihood(x, z));
        // the conditional ELBO and IWAE are the bounds of this model with the conditional encoder
        Normal q = cvae.encoder(x, c);
        assertEquals(Bound.analyticKl(1).estimate(model, q, x, Rng.seeded(13)).values().meanNumber().doubleValue(),
                cvae.elbo(x, c, Rng.seeded(13)), 1e-12);
        assertEquals(Bound.iwae(30).estimate(model, q, x, Rng.seeded(14)).values().meanNumber().doubleValue(),
                cvae.logEvidence(x, c, 30, Rng.seeded(14)), 1e-12);
        VaeTest.assertArgument("c", () -> cvae.given(Nd4j.zeros(2, 3)));
        VaeTest.assertArgument("c", () -> cvae.given(c).logLikelihood(x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 2),
                org.nd4j.linalg.indexing.NDArrayIndex.all()), Rng.seeded(1).normal(2, 1)));
    }

    @Test
    void badConditionsNameTheArgument() {
        VaeTest.assertArgument("labels[1]", () -> cvae.oneHot(0, 10));
        VaeTest.assertArgument("c", () -> cvae.sample(Nd4j.zeros(2, 3), Rng.seeded(0)));
        VaeTest.assertArgument("labels", () -> cvae.fit(train, new int[3], 1, 10, Rng.seeded(0)));
        VaeTest.assertArgument("condition", () -> ConditionalVae.builder().input(4).build(Rng.seeded(0)));
        VaeTest.assertArgument("classes", () -> ConditionalVae.builder().input(4).classes(0));
    }
}
