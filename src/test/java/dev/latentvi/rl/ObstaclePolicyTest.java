package dev.latentvi.rl;

import static org.junit.jupiter.api.Assertions.*;

import dev.latentvi.data.ObstacleDemos;
import dev.latentvi.math.Rng;
import dev.latentvi.nn.Fit;
import dev.latentvi.nn.MlpRegressor;
import dev.latentvi.vae.ConditionalVae;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Notebook 04's multimodal-policy claim on the obstacle demonstrations. */
class ObstaclePolicyTest {

    @Test
    void aConditionalVaePolicyCollidesLessThanASquaredErrorRegressor() {
        ObstacleDemos.Demos d = ObstacleDemos.sample(2000, Rng.seeded(2));
        MlpRegressor regressor = MlpRegressor.builder().hidden(32, 32).build(Rng.seeded(3));
        regressor.fit(d.states(), d.actions(), Fit.epochs(20).batchSize(100).learningRate(3e-3), Rng.seeded(4));
        ConditionalVae policy = ConditionalVae.builder().input(1).condition(1).hidden(32, 32).latent(1)
                .gaussianDecoder(0.05).learningRate(3e-3).build(Rng.seeded(5));
        policy.fit(d.actions(), d.states(), 30, 100, Rng.seeded(6));
        double[] offsets = new double[200];
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] = -1 + 2 * (i + 0.5) / offsets.length;
        }
        INDArray s = Nd4j.createFromArray(offsets).reshape(offsets.length, 1);
        double mse = ObstacleDemos.collisionRate(s, regressor.predict(s));
        double cvae = ObstacleDemos.collisionRate(s, policy.sample(s, Rng.seeded(7)));
        System.out.println("MEASURED collision rate regressor " + mse + " cvae " + cvae);
        assertTrue(mse > 0.1, "regressor collision rate " + mse);
        assertTrue(cvae < mse / 2, "CVAE collision rate " + cvae + " vs regressor " + mse);
    }
}
