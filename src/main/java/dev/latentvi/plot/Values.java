package dev.latentvi.plot;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import tech.tablesaw.api.NumericColumn;

/** Conversions of the inputs the chart layers accept (INDArrays, Tablesaw columns) to plain values. */
final class Values {
    private Values() {
    }

    /** The entries of a vector: any shape with at most one axis longer than 1 ({@code [n]}, {@code [n, 1]}, {@code [1, n]}). */
    static double[] vector(String arg, INDArray a) {
        if (a == null) {
            throw new IllegalArgumentException(arg + ": expected a vector [n], [n, 1] or [1, n], got null");
        }
        long longAxes = Arrays.stream(a.shape()).filter(s -> s != 1).count();
        if (longAxes > 1 || a.length() == 0) {
            throw new IllegalArgumentException(arg + ": expected a non-empty vector [n], [n, 1] or [1, n], got shape "
                    + Arrays.toString(a.shape()));
        }
        return a.castTo(DataType.DOUBLE).reshape(new long[] {a.length()}).toDoubleVector();
    }

    /** The values of a numeric Tablesaw column (missing values become NaN, which the layers reject). */
    static double[] column(String arg, NumericColumn<?> c) {
        if (c == null) {
            throw new IllegalArgumentException(arg + ": expected a numeric column, got null");
        }
        return c.asDoubleArray();
    }

    /** The two coordinates {x, y} of points given as rows {@code [n, 2]}. */
    static double[][] points(String arg, INDArray points) {
        if (points == null || points.rank() != 2 || points.size(1) != 2 || points.size(0) == 0) {
            throw new IllegalArgumentException(arg + ": expected points as rows [n, 2] with n >= 1, got "
                    + (points == null ? "null" : "shape " + Arrays.toString(points.shape())));
        }
        double[][] xy = points.castTo(DataType.DOUBLE).transpose().toDoubleMatrix();
        return new double[][] {xy[0], xy[1]};
    }
}
