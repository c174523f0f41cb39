package dev.latentvi.math;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Evaluation grids for plotting densities: 1-D axes and 2-D point sets laid out for contour plots. */
public final class Grid {
    private Grid() {
    }

    /** n ≥ 2 evenly spaced values from lo to hi inclusive (lo &lt; hi). */
    public static double[] linspace(double lo, double hi, int n) {
        Check.finite("lo", lo);
        Check.finite("hi", hi);
        if (!(hi > lo)) {
            throw new IllegalArgumentException("hi: expected a value > lo = " + lo + ", got " + hi);
        }
        if (n < 2) {
            throw new IllegalArgumentException("n: expected at least 2 points, got " + n);
        }
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = lo + (hi - lo) * i / (n - 1);
        }
        return v;
    }

    /** All points (xs[i], ys[j]) as rows {@code [ny·nx, 2]}, row j·nx + i — the layout {@link #matrix} undoes. */
    public static INDArray points(double[] xs, double[] ys) {
        Check.notNull("xs", xs);
        Check.notNull("ys", ys);
        int nx = xs.length;
        int ny = ys.length;
        double[] flat = new double[2 * nx * ny];
        for (int j = 0; j < ny; j++) {
            for (int i = 0; i < nx; i++) {
                flat[2 * (j * nx + i)] = xs[i];
                flat[2 * (j * nx + i) + 1] = ys[j];
            }
        }
        return Nd4j.create(flat, new long[] {(long) ny * nx, 2}, DataType.DOUBLE);
    }

    /** Values at {@link #points} {@code [ny·nx]} as z[j][i] (the layout of Plots.contour / heatmap). */
    public static double[][] matrix(INDArray values, int nx, int ny) {
        Check.notNull("values", values);
        if (values.length() != (long) nx * ny) {
            throw new IllegalArgumentException("values: expected " + (long) nx * ny + " entries (nx·ny), got shape "
                    + Arrays.toString(values.shape()));
        }
        return values.dup('c').reshape(ny, nx).toDoubleMatrix();
    }

    /** Elementwise exp of a matrix (log densities to densities), as a new matrix. */
    public static double[][] exp(double[][] logValues) {
        double[][] out = new double[logValues.length][];
        for (int j = 0; j < out.length; j++) {
            out[j] = Arrays.stream(logValues[j]).map(Math::exp).toArray();
        }
        return out;
    }
}
