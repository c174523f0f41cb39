package dev.latentvi.homework;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latentvi.dist.Kl;
import dev.latentvi.dist.Normal;
import dev.latentvi.math.Rng;
import dev.latentvi.vae.Vae;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Assignment 4 (needs the MNIST digits fetched by environment/setup). */
class VaeHomeworkTest {
    static double loss(Vae vae, INDArray x, Rng rng) {
        Normal q = vae.encoder(x);                                             // q(z | x), [n, L]
        INDArray eps = rng.normal(x.size(0), vae.config().latent());
        INDArray z = q.mean().add(q.stddev().mul(eps));                        // reparameterized sample
        INDArray reconstruction = vae.decoder(z).logProb(x);                   // log p(x | z), [n]
        INDArray kl = Kl.divergence(q, Normal.standard(vae.config().latent()));
        return -reconstruction.sub(kl).meanNumber().doubleValue();
    }

    static Vae train(INDArray images, Rng rng) {
        Vae vae = Vae.builder().input(784).latent(8).hidden(128).learningRate(3e-3).build(rng);
        vae.fit(images, 2, 100, rng);
        return vae;
    }

    @Test
    void answerKeyLossMatchesTheLibrary() {
        Feedback f = VaeHomework.checkLoss(VaeHomeworkTest::loss);
        assertTrue(f.allPassed(), f.text());
    }

    @Test
    void elboInsteadOfLossIsOffByTheSignAndStubsScoreZero() {
        Feedback f = VaeHomework.checkLoss((vae, x, rng) -> -loss(vae, x, rng));
        assertEquals(0, f.passed(), f.text());
        assertTrue(f.cases().get(0).hint().startsWith("off by the sign"), f.text());
        Feedback stub = VaeHomework.checkTraining((x, rng) -> {
            throw new UnsupportedOperationException("your code here");
        });
        assertEquals(0.0, stub.score(), stub.text());
        assertTrue(stub.notAttempted(), stub.text());
    }

    @Test
    void shortTrainingRunReachesTheTarget() {
        Feedback f = VaeHomework.checkTraining(VaeHomeworkTest::train);
        System.err.println(f.text());
        assertTrue(f.allPassed(), f.text());
        Feedback untrained = VaeHomework.checkTraining((x, rng) -> Vae.builder().input(784).latent(2).hidden(16).build(rng));
        assertEquals(1, untrained.passed(), untrained.text());
        assertTrue(untrained.cases().get(1).hint().startsWith("train longer"), untrained.text());
    }
}
