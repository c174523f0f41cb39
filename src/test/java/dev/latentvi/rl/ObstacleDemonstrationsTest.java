package dev.latentvi.rl;

import static org.junit.jupiter.api.Assertions.*;

import dev.latentvi.math.Rng;
import dev.latentvi.nn.MlpRegressor;
import dev.latentvi.vae.ConditionalVae;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class ObstacleDemonstrationsTest {

    @Test
    void expertsAvoidTheObstacleButTheirAverageDoesNot() {
        ObstacleDemonstrations.Demonstrations d = ObstacleDemonstrations.sample(2000, Rng.seeded(1));
        assertEquals(0.0, ObstacleDemonstrations.collisionRate(d.states(), d.actions()));
        // the conditional mean near the middle is about -x: it ends at ~0, inside the obstacle
        assertTrue(ObstacleDemonstrations.collides(0.05, -0.05));
        assertFalse(ObstacleDemonstrations.collides(0.05, 0.95));
    }

    @Test
    void aConditionalVaePolicyCollidesLessThanASquaredErrorRegressor() {
        ObstacleDemonstrations.Demonstrations d = ObstacleDemonstrations.sample(2000, Rng.seeded(2));
        MlpRegressor regressor = MlpRegressor.create(1, 1, new int[] {32, 32}, 3e-3, Rng.seeded(3));
        regressor.fit(d.states(), d.actions(), 20, 100, Rng.seeded(4));
        ConditionalVae policy = ConditionalVae.builder().input(1).condition(1).hidden(32, 32).latent(1)
                .gaussianDecoder(0.05).learningRate(3e-3).build(Rng.seeded(5));
        policy.fit(d.actions(), d.states(), 30, 100, Rng.seeded(6));
        double[] offsets = new double[200];
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] = -1 + 2 * (i + 0.5) / offsets.length;
        }
        INDArray s = ObstacleDemonstrations.column(offsets);
        double mse = ObstacleDemonstrations.collisionRate(s, regressor.predict(s));
        double cvae = ObstacleDemonstrations.collisionRate(s, policy.sample(s, Rng.seeded(7)));
        System.out.println("MEASURED collision rate regressor " + mse + " cvae " + cvae);
        assertTrue(mse > 0.1, "regressor collision rate " + mse);
        assertTrue(cvae < mse / 2, "CVAE collision rate " + cvae + " vs regressor " + mse);
    }
}
