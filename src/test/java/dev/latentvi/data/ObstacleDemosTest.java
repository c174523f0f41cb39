package dev.latentvi.data;

import static org.junit.jupiter.api.Assertions.*;

import dev.latentvi.math.Rng;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class ObstacleDemosTest {

    @Test
    void expertsAvoidTheObstacleButTheirAverageDoesNot() {
        ObstacleDemos.Demos d = ObstacleDemos.sample(2000, Rng.seeded(1));
        assertEquals(0.0, ObstacleDemos.collisionRate(d.states(), d.actions()));
        // the conditional mean near the middle is about -x: it ends at ~0, inside the obstacle
        assertTrue(ObstacleDemos.collides(0.05, -0.05));
        assertFalse(ObstacleDemos.collides(0.05, 0.95));
    }

    @Test
    void demonstrationsAreBimodal() {
        ObstacleDemos.Demos d = ObstacleDemos.sample(1000, Rng.seeded(6));
        INDArray resid = d.actions().sub(ObstacleDemos.steering(d.states(), d.sides().reshape(1000, 1)));
        assertEquals(ObstacleDemos.NOISE, resid.stdNumber().doubleValue(), 0.01);
        assertEquals(0.0, d.actions().meanNumber().doubleValue(), 0.1);
    }

    @Test
    void fixedOffsetsKeepTheirOrderAndSidesNameTheirSide() {
        double[] offsets = {-0.9, 0.0, 0.9};
        ObstacleDemos.Demos d = ObstacleDemos.at(offsets, Rng.seeded(3));
        assertArrayEquals(offsets, d.states().reshape(3).toDoubleVector());
        assertEquals(3, d.size());
        String[] names = d.sideNames();
        for (int i = 0; i < 3; i++) {
            assertEquals(d.sides().getDouble(i) > 0 ? "passed left" : "passed right", names[i]);
        }
    }

    @Test
    void badInputNamesTheArgument() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ObstacleDemos.sample(0, Rng.seeded(0)));
        assertTrue(e.getMessage().startsWith("n:"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ObstacleDemos.at(new double[0], Rng.seeded(0)));
        assertTrue(e.getMessage().startsWith("offsets:"), e.getMessage());
        ObstacleDemos.Demos d = ObstacleDemos.sample(4, Rng.seeded(0));
        e = assertThrows(IllegalArgumentException.class, () -> ObstacleDemos.collisionRate(d.states(), d.actions().getRows(0, 1)));
        assertTrue(e.getMessage().startsWith("actions:"), e.getMessage());
    }

    @Test
    void evenlySpacedDemosSitAtCellMidpoints() {
        ObstacleDemos.Demos d = ObstacleDemos.evenlySpaced(4, Rng.seeded(3));
        assertArrayEquals(new long[] {4, 1}, d.states().shape());
        assertArrayEquals(new double[] {-0.75, -0.25, 0.25, 0.75}, d.states().toDoubleVector(), 0);
        assertEquals(4, d.actions().size(0));
        // the same draws as at(offsets) with those offsets
        ObstacleDemos.Demos same = ObstacleDemos.at(new double[] {-0.75, -0.25, 0.25, 0.75}, Rng.seeded(3));
        assertArrayEquals(same.actions().toDoubleVector(), d.actions().toDoubleVector(), 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ObstacleDemos.evenlySpaced(0, Rng.seeded(3)));
        assertTrue(e.getMessage().startsWith("n"), e.getMessage());
    }
}
