package dev.latentvi.math;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The native-buffer fill of Rng.normal / Rng.uniform gives exactly the SplittableRandom sequence, in c order. */
class RngFillTest {
    @Test
    void normalAndUniformFollowTheSeededSequenceInRowMajorOrder() {
        INDArray z = Rng.seeded(5).normal(3, 4);
        SplittableRandom r = new SplittableRandom(5);
        double[] expected = new double[12];
        for (int i = 0; i < 12; i++) {
            expected[i] = r.nextGaussian();
        }
        assertArrayEquals(expected, z.dup('c').data().asDouble(), 0.0);
        assertEquals(expected[4], z.getDouble(1, 0), 0.0);
        INDArray u = Rng.seeded(6).uniform(2, 3, 2);
        SplittableRandom r2 = new SplittableRandom(6);
        for (int i = 0; i < 12; i++) {
            assertEquals(r2.nextDouble(), u.dup('c').data().asDouble()[i], 0.0);
        }
        assertEquals(0, Rng.seeded(1).normal(0, 3).length());
    }
}
