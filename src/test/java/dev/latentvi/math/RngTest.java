package dev.latentvi.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class RngTest {
    @Test
    void sameSeedSameNumbers() {
        assertEquals(Rng.seeded(7).normal(3, 4), Rng.seeded(7).normal(3, 4));
        assertNotEquals(Rng.seeded(7).normal(3, 4), Rng.seeded(8).normal(3, 4));
    }

    @Test
    void childStreamsAreIndependentOfLaterParentUse() {
        Rng a = Rng.seeded(1);
        Rng childA = a.child();
        a.normal(1000);
        Rng b = Rng.seeded(1);
        Rng childB = b.child();
        assertEquals(childA.normal(5), childB.normal(5));
        assertNotEquals(childA.normal(5), Rng.seeded(1).normal(5));
    }

    @Test
    void normalDrawsHaveUnitMoments() {
        INDArray x = Rng.seeded(3).normal(200_000);
        assertEquals(0.0, x.meanNumber().doubleValue(), 4 * 1 / Math.sqrt(200_000));
        assertEquals(1.0, x.stdNumber().doubleValue(), 0.01);
    }

    @Test
    void permutationIsAPermutation() {
        int[] p = Rng.seeded(2).permutation(50);
        int[] sorted = p.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < 50; i++) {
            assertEquals(i, sorted[i]);
        }
    }

    @Test
    void badShapesAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Rng.seeded(0).normal(2, -1));
        assertEquals("shape: expected non-negative sizes, got [2, -1]", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Rng.seeded(0).nextInt(0));
    }
}
