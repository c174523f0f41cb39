package dev.latentvi.math;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class GridTest {
    @Test
    void pointsRunOverXFirstAndMatrixUndoesThem() {
        Grid grid = Grid.of(new double[] {-1, 0, 2}, new double[] {5, 7});
        assertEquals(3, grid.nx());
        assertEquals(2, grid.ny());
        INDArray p = grid.points();
        assertArrayEquals(new long[] {6, 2}, p.shape());
        assertArrayEquals(new double[] {2, 5}, p.getRow(2).toDoubleVector(), 0);
        assertArrayEquals(new double[] {-1, 7}, p.getRow(3).toDoubleVector(), 0);
        // f(x, y) = x + 10 y at the points, back as z[j][i]; a [6, 1] column works as well as [6]
        double[][] z = grid.matrix(p.getColumn(0).add(p.getColumn(1).mul(10)).reshape(6, 1).castTo(DataType.FLOAT));
        assertArrayEquals(new double[] {49, 50, 52}, z[0], 1e-5);
        assertArrayEquals(new double[] {69, 70, 72}, z[1], 1e-5);
    }

    @Test
    void axesAreCopiedAndChecked() {
        double[] xs = {0, 1};
        Grid grid = Grid.of(xs, new double[] {3});
        xs[0] = 99;
        assertArrayEquals(new double[] {0, 1}, grid.xs(), 0);
        grid.ys()[0] = 42;
        assertArrayEquals(new double[] {3}, grid.ys(), 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Grid.of(new double[] {0, Double.NaN}, xs));
        assertEquals("xs: expected finite values, got NaN at index 1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Grid.of(xs, new double[0]));
        assertEquals("ys: expected at least one value, got none", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> grid.matrix(Nd4j.zeros(DataType.DOUBLE, 3)));
        assertEquals("values: expected 2 entries (nx·ny), got shape [3]", e.getMessage());
    }

    @Test
    void columnIsABatchOfOneDimensionalInputs() {
        double[] values = {-1, 0.25, 3};
        INDArray c = Grid.column(values);
        assertArrayEquals(new long[] {3, 1}, c.shape());
        assertEquals(DataType.DOUBLE, c.dataType());
        assertArrayEquals(new double[] {-1, 0.25, 3}, c.toDoubleVector(), 0);
        values[0] = 99;
        assertEquals(-1, c.getDouble(0, 0), 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Grid.column(new double[0]));
        assertEquals("values: expected at least one value, got none", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Grid.column(new double[] {1, Double.POSITIVE_INFINITY}));
        assertEquals("values: expected finite values, got Infinity at index 1", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Grid.column(null));
    }
}
