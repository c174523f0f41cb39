package dev.latentvi.vi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ElboSurfaceTest {
    private static final LinearGaussian ONE_D = LinearGaussian.of(Nd4j.createFromArray(new double[][] {{1.2}, {-0.7}}),
            Nd4j.createFromArray(0.3, 0.1), 0.6);
    private static final INDArray X = Nd4j.createFromArray(new double[][] {{1.5, -0.4}});

    @Test
    void aSliceIsTheGridsRowOrColumn() {
        double[] mus = {-0.5, 0.0, 0.5};
        double[] logSigmas = {-1.0, 0.0};
        double[][] grid = ElboSurface.of(ONE_D, X).mu(mus).logSigma(logSigmas).grid();
        assertEquals(2, grid.length);
        assertEquals(3, grid[0].length);
        double[] alongLogSigma = ElboSurface.of(ONE_D, X).mu(0.5).logSigma(logSigmas).slice();
        assertArrayEquals(new double[] {grid[0][2], grid[1][2]}, alongLogSigma, 1e-12);
        double[] alongMu = ElboSurface.of(ONE_D, X).mu(mus).logSigma(0.0).slice();
        assertArrayEquals(grid[1], alongMu, 1e-12);
    }

    @Test
    void badInputNamesTheArgument() {
        var e = assertThrows(IllegalArgumentException.class, () -> ElboSurface.of(ONE_D, X).mu());
        assertTrue(e.getMessage().startsWith("mu:"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ElboSurface.of(ONE_D, X).mu(0.0).grid());
        assertTrue(e.getMessage().startsWith("logSigma:"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ElboSurface.of(ONE_D, X).mu(0, 1).logSigma(0, 1).slice());
        assertTrue(e.getMessage().startsWith("mu:"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ElboSurface.of(ONE_D, Nd4j.zeros(1, 3)));
        assertTrue(e.getMessage().startsWith("x:"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ElboSurface.of(ONE_D, X).monteCarlo(0, null));
        assertTrue(e.getMessage().startsWith("m:"), e.getMessage());
    }
}
