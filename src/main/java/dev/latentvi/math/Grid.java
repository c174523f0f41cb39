package dev.latentvi.math;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A 2-D evaluation grid: every point (xs[i], ys[j]), for contour plots and heat maps of a density.
 * {@link #points()} lays the points out as rows to evaluate at, {@link #matrix} turns the values back
 * into the {@code z[j][i]} layout of a Plotly contour.
 *
 * <pre>{@code
 * Grid grid = Grid.of(Grid.linspace(-5, 5, 101), Grid.linspace(-5, 4.5, 96));
 * double[][] logDensity = grid.matrix(mixture.logProb(grid.points()));   // z[j][i] = log p(xs[i], ys[j])
 * }</pre>
 * (Plots and Chart take a Grid with a distribution directly and draw its density.)
 */
public final class Grid {
    private final double[] xs;
    private final double[] ys;

    private Grid(double[] xs, double[] ys) {
        this.xs = xs;
        this.ys = ys;
    }

    /** The grid of all points (xs[i], ys[j]); both axes non-empty and finite (copied). */
    public static Grid of(double[] xs, double[] ys) {
        return new Grid(axis("xs", xs), axis("ys", ys));
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

    /** The x axis values {@code [nx]} (a copy). */
    public double[] xs() {
        return xs.clone();
    }

    /** The y axis values {@code [ny]} (a copy). */
    public double[] ys() {
        return ys.clone();
    }

    /** Number of x values. */
    public int nx() {
        return xs.length;
    }

    /** Number of y values. */
    public int ny() {
        return ys.length;
    }

    /** All points as rows {@code [ny·nx, 2]}: row j·nx + i is (xs[i], ys[j]) — the layout {@link #matrix} undoes. */
    public INDArray points() {
        return points(xs, ys);
    }

    /**
     * Values at {@link #points()} ({@code ny·nx} entries in any vector shape, e.g. a logProb result
     * {@code [ny·nx]}) as {@code z[j][i]}, the value at (xs[i], ys[j]).
     */
    public double[][] matrix(INDArray values) {
        return matrix(values, xs.length, ys.length);
    }

    /**
     * Values as a column {@code [n, 1]} (DOUBLE, a copy): a batch of n one-dimensional inputs, e.g.
     * states {@code Grid.column(Grid.linspace(-1, 1, 81))} to evaluate a policy at.
     */
    public static INDArray column(double... values) {
        Check.notNull("values", values);
        if (values.length == 0) {
            throw new IllegalArgumentException("values: expected at least one value, got none");
        }
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException("values: expected finite values, got " + values[i] + " at index " + i);
            }
        }
        return Nd4j.create(values.clone(), new long[] {values.length, 1}, DataType.DOUBLE);
    }

    /**
     * All points (xs[i], ys[j]) as rows {@code [ny·nx, 2]}, row j·nx + i. Same as
     * {@code Grid.of(xs, ys).points()}, which new code should use.
     */
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

    /**
     * Values at {@link #points(double[], double[])} {@code [ny·nx]} as z[j][i]. Same as
     * {@code Grid.of(xs, ys).matrix(values)}, which new code should use.
     */
    public static double[][] matrix(INDArray values, int nx, int ny) {
        Check.notNull("values", values);
        if (values.length() != (long) nx * ny) {
            throw new IllegalArgumentException("values: expected " + (long) nx * ny + " entries (nx·ny), got shape "
                    + Arrays.toString(values.shape()));
        }
        return values.castTo(DataType.DOUBLE).dup('c').reshape(ny, nx).toDoubleMatrix();
    }

    /** Elementwise exp of a matrix (log densities to densities), as a new matrix. */
    public static double[][] exp(double[][] logValues) {
        double[][] out = new double[logValues.length][];
        for (int j = 0; j < out.length; j++) {
            out[j] = Arrays.stream(logValues[j]).map(Math::exp).toArray();
        }
        return out;
    }

    @Override
    public String toString() {
        return "Grid " + xs.length + " x " + ys.length + " over [" + xs[0] + ", " + xs[xs.length - 1] + "] x ["
                + ys[0] + ", " + ys[ys.length - 1] + "]";
    }

    private static double[] axis(String name, double[] values) {
        Check.notNull(name, values);
        if (values.length == 0) {
            throw new IllegalArgumentException(name + ": expected at least one value, got none");
        }
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException(name + ": expected finite values, got " + values[i] + " at index " + i);
            }
        }
        return values.clone();
    }
}
