package dev.latentvi.vae;

import static org.junit.jupiter.api.Assertions.*;

import dev.latentvi.dist.Bernoulli;
import dev.latentvi.dist.Distribution;
import dev.latentvi.dist.Normal;
import dev.latentvi.math.Estimates;
import dev.latentvi.math.Rng;
import dev.latentvi.vi.Bound;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** A small trained VAE as a LatentModel: its distributions, sample layout, graph form and the bounds. */
class VaeLatentModelTest {
    static final int PIXELS = 32;
    static Prototypes data;
    static INDArray x;
    static Vae vae;

    @BeforeAll
    static void train() {
        Rng rng = Rng.seeded(61);
        data = new Prototypes(5, PIXELS, rng);
        vae = Vae.builder().input(PIXELS).latent(2).hidden(32).learningRate(3e-3).build(Rng.seeded(62));
        vae.fit(data.images(data.labels(600), 0.05, rng), 8, 100, Rng.seeded(63));
        x = data.images(data.labels(20), 0.05, rng);
    }

    @Test
    void encoderAndDecoderAreDistributionsOfTheRightShape() {
        Normal q = vae.encoder(x);
        assertEquals(20, q.batchSize());
        assertArrayEquals(new long[] {20, 2}, q.mean().shape());
        assertEquals(DataType.DOUBLE, q.stddev().dataType());
        Distribution p = vae.decoder(q.mean());
        assertInstanceOf(Bernoulli.class, p);
        assertEquals(20, p.batchSize());
        assertArrayEquals(new long[] {20, PIXELS}, p.mean().shape());
        assertArrayEquals(new long[] {3, 20, PIXELS}, p.sample(Rng.seeded(1), 3).shape());
        // the decoder's log density is the model's log-likelihood
        assertTrue(p.logProb(x).equalsWithEps(vae.logLikelihood(x, q.mean()), 1e-3));
        INDArray reconstruction = vae.reconstruct(x);                 // FLOAT like the data
        assertEquals(DataType.FLOAT, reconstruction.dataType());
        assertTrue(p.mean().equalsWithEps(reconstruction.castTo(DataType.DOUBLE), 1e-6));

        Vae gaussian = Vae.builder().input(5).latent(3).hidden(8).gaussianDecoder(0.2).build(Rng.seeded(1));
        Distribution g = gaussian.decoder(Rng.seeded(2).normal(4, 3));
        assertInstanceOf(Normal.class, g);
        assertArrayEquals(new long[] {4, 5}, g.stddev().shape());
        assertTrue(g.stddev().minNumber().doubleValue() >= 0.2, "sigma >= minSigma");
    }

    @Test
    void logLikelihoodTakesOneOrManySamplesPerPointAndChunksLargeInputs() {
        INDArray z = Rng.seeded(3).normal(300, 20, 2);                // 6,000 decoder rows: more than one chunk
        INDArray all = vae.logLikelihood(x, z);
        assertArrayEquals(new long[] {300, 20}, all.shape());
        for (int s : new int[] {0, 137, 299}) {
            INDArray one = vae.logLikelihood(x, z.get(NDArrayIndex.point(s), NDArrayIndex.all(), NDArrayIndex.all()));
            assertArrayEquals(new long[] {20}, one.shape());
            assertEquals(one, all.getRow(s));
        }
        INDArray joint = vae.logJoint(x, z);
        assertEquals(all.add(vae.prior().logProb(z)), joint);
        VaeTest.assertArgument("z", () -> vae.logLikelihood(x, Rng.seeded(1).normal(19, 2)));
        VaeTest.assertArgument("z", () -> vae.logLikelihood(x, Rng.seeded(1).normal(4, 20, 3)));
    }

    @Test
    void theGraphFormAgreesWithTheEagerOne() {
        INDArray z = Rng.seeded(4).normal(3, 20, 2);
        SameDiff sd = SameDiff.create();                              // another graph: the parameters enter as constants
        SDVariable xv = sd.placeHolder("x", DataType.DOUBLE, -1, PIXELS);
        SDVariable zv = sd.placeHolder("z", DataType.DOUBLE, -1, -1, 2);
        SDVariable zRows = sd.placeHolder("zRows", DataType.DOUBLE, -1, 2);
        SDVariable many = vae.logLikelihood(sd, xv, zv);
        SDVariable rows = vae.logLikelihood(sd, xv, zRows);
        INDArray zFirst = z.get(NDArrayIndex.point(0), NDArrayIndex.all(), NDArrayIndex.all());
        Map<String, INDArray> out = sd.output(Map.of("x", x.castTo(DataType.DOUBLE), "z", z, "zRows", zFirst), many.name(), rows.name());
        INDArray eager = vae.logLikelihood(x, z);
        assertArrayEquals(new long[] {3, 20}, out.get(many.name()).shape());
        assertArrayEquals(new long[] {20}, out.get(rows.name()).shape());
        assertTrue(eager.equalsWithEps(out.get(many.name()), 1e-3), eager + " vs " + out.get(many.name()));
        assertTrue(eager.getRow(0).equalsWithEps(out.get(rows.name()), 1e-3));
        VaeTest.assertArgument("x", () -> vae.logLikelihood(SameDiff.create(), xv, zv));
    }

    @Test
    void monteCarloAndAnalyticKlEstimateTheSameElbo() {
        Normal q = vae.encoder(x);
        Estimates mc = Bound.monteCarlo(2000).estimate(vae, q, x, Rng.seeded(5));
        Estimates kl = Bound.analyticKl(2000).estimate(vae, q, x, Rng.seeded(6));
        for (int i = 0; i < 20; i++) {
            double se = Math.hypot(mc.get(i).standardError(), kl.get(i).standardError());
            assertEquals(mc.get(i).value(), kl.get(i).value(), 4 * se + 1e-9, "point " + i);
        }
        // vae.elbo is the single-sample analytic-KL bound on the same noise
        double single = Bound.analyticKl(1).estimate(vae, q, x, Rng.seeded(7)).values().meanNumber().doubleValue();
        assertEquals(single, vae.elbo(x, Rng.seeded(7)), 1e-12);
    }

    @Test
    void theImportanceWeightedBoundIsAtLeastTheElbo() {
        Normal q = vae.encoder(x);
        Estimates elbo = Bound.analyticKl(500).estimate(vae, q, x, Rng.seeded(8));
        Estimates iwae = Bound.iwae(500).estimate(vae, q, x, Rng.seeded(9));
        for (int i = 0; i < 20; i++) {
            double se = Math.hypot(elbo.get(i).standardError(), iwae.get(i).standardError());
            assertTrue(iwae.get(i).value() >= elbo.get(i).value() - 3 * se, "point " + i + ": IWAE " + iwae.get(i) + " vs ELBO " + elbo.get(i));
        }
        double gap = iwae.values().sub(elbo.values()).meanNumber().doubleValue();
        assertTrue(gap > 0, "mean IWAE(500) − ELBO " + gap);
        assertEquals(iwae.values().meanNumber().doubleValue(), vae.logEvidence(x, 500, Rng.seeded(9)), 1e-12);
    }
}
