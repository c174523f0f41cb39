package dev.latentvi.plot;

import dev.latentvi.dist.Distribution;
import dev.latentvi.math.Grid;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Densities exp(logProb) of a distribution with one row, on a 1-D axis or over a 2-D {@link Grid}. */
final class Densities {
    private Densities() {
    }

    /** p(z) at each z: {@code exp(p.logProb(zs as [k, 1]))}, for a one-dimensional p. */
    static double[] on(String arg, Distribution p, double[] zs) {
        requireDimension(arg, p, 1);
        Chart.requireFinite("zs", zs);
        INDArray column = Nd4j.create(zs, new long[] {zs.length, 1}, DataType.DOUBLE);
        return exp(arg, p.logProb(column), zs.length);
    }

    /** p(xs[i], ys[j]) as {@code z[j][i]}: {@code exp(p.logProb(grid.points()))}, for a two-dimensional p. */
    static double[][] on(String arg, Distribution p, Grid grid) {
        requireDimension(arg, p, 2);
        double[] flat = exp(arg, p.logProb(grid.points()), (long) grid.nx() * grid.ny());
        return grid.matrix(Nd4j.createFromArray(flat));
    }

    /** exp of log values given at the grid's points ({@code ny·nx} entries) as {@code z[j][i]}. */
    static double[][] fromLog(String arg, Grid grid, INDArray logValues) {
        double[] flat = exp(arg, Nd4j.createFromArray(Values.vector(arg, logValues)), (long) grid.nx() * grid.ny());
        return grid.matrix(Nd4j.createFromArray(flat));
    }

    private static void requireDimension(String arg, Distribution p, int d) {
        if (p == null) {
            throw new IllegalArgumentException(arg + ": expected a distribution, got null");
        }
        INDArray mean = p.mean();
        if (mean.length() != d) {
            throw new IllegalArgumentException(arg + ": expected a " + d + "-dimensional distribution with one row (mean of shape [1, "
                    + d + "]), got mean of shape " + Arrays.toString(mean.shape()));
        }
    }

    private static double[] exp(String arg, INDArray logValues, long expected) {
        if (logValues.length() != expected) {
            throw new IllegalArgumentException(arg + ": expected " + expected + " log densities (one per point), got shape "
                    + Arrays.toString(logValues.shape()));
        }
        double[] v = logValues.castTo(DataType.DOUBLE).reshape(new long[] {expected}).toDoubleVector();
        for (int i = 0; i < v.length; i++) {
            if (Double.isNaN(v[i]) || v[i] == Double.POSITIVE_INFINITY) {
                throw new IllegalArgumentException(arg + ": expected log densities < +inf, got " + v[i] + " at point " + i);
            }
            v[i] = Math.exp(v[i]);
        }
        return v;
    }
}
