package dev.latentvi.math;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Argument validation with messages that name the argument, the expected and the actual value.
 * Every public entry point validates up front with these, so bad input never becomes a NaN.
 */
public final class Check {
    private Check() {
    }

    public static void positive(String name, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + ": expected a finite value > 0, got " + value);
        }
    }

    public static void positive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + ": expected a value > 0, got " + value);
        }
    }

    public static void nonNegative(String name, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + ": expected a value >= 0, got " + value);
        }
    }

    public static void finite(String name, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(name + ": expected a finite number, got " + value);
        }
    }

    public static void inRange(String name, double value, double lo, double hi) {
        if (!(value >= lo && value <= hi)) {
            throw new IllegalArgumentException(name + ": expected a value in [" + lo + ", " + hi + "], got " + value);
        }
    }

    public static void notNull(String name, Object value) {
        if (value == null) {
            throw new IllegalArgumentException(name + ": expected a value, got null");
        }
    }

    /** No NaN or infinity anywhere in {@code a}; the message names the first bad entry's index and value. */
    public static void finite(String name, INDArray a) {
        notNull(name, a);
        if (a.isEmpty()) {
            throw new IllegalArgumentException(name + ": expected a non-empty array, got shape " + Arrays.toString(a.shape()));
        }
        if (a.data().dataType().isFPType()) {
            double s = a.sumNumber().doubleValue();
            if (!Double.isFinite(s)) {
                long i = firstIndex(a, v -> !Double.isFinite(v));
                if (i >= 0) {
                    throw new IllegalArgumentException(name + ": expected finite values, got " + entry(a, i));
                }
                // finite entries whose sum overflows: fine
            }
        }
    }

    /** No NaN anywhere in {@code a} (±∞ allowed, e.g. log probabilities of impossible events). */
    public static void notNaN(String name, INDArray a) {
        notNull(name, a);
        if (a.data().dataType().isFPType() && !a.isEmpty() && Double.isNaN(a.sumNumber().doubleValue())) {
            long i = firstIndex(a, Double::isNaN);
            if (i >= 0) {
                throw new IllegalArgumentException(name + ": expected no NaN, got " + entry(a, i));
            }
        }
    }

    /** Every entry finite and in [0, 1] (pixel intensities, probabilities); names the first one outside. */
    public static void unitInterval(String name, INDArray a) {
        finite(name, a);
        double min = a.minNumber().doubleValue();
        double max = a.maxNumber().doubleValue();
        if (min < 0 || max > 1) {
            long i = firstIndex(a, v -> v < 0 || v > 1);
            throw new IllegalArgumentException(name + ": expected values in [0, 1], got range [" + min + ", " + max + "]; first outside: "
                    + entry(a, i) + (max > 1 && max <= 255 ? " (pixels in 0..255? divide by 255)" : ""));
        }
    }

    /** The flat (row-major) index of the first entry satisfying {@code bad}, or −1. */
    private static long firstIndex(INDArray a, java.util.function.DoublePredicate bad) {
        double[] v = a.dup('c').data().asDouble();
        for (int i = 0; i < v.length; i++) {
            if (bad.test(v[i])) {
                return i;
            }
        }
        return -1;
    }

    private static String entry(INDArray a, long flat) {
        long[] shape = a.shape();
        long[] idx = new long[shape.length];
        long r = flat;
        for (int k = shape.length - 1; k >= 0; k--) {
            idx[k] = shape[k] == 0 ? 0 : r % shape[k];
            r = shape[k] == 0 ? r : r / shape[k];
        }
        double v = a.dup('c').data().getDouble(flat);
        return v + " at index " + Arrays.toString(idx);
    }

    /** Every entry strictly positive and finite. */
    public static void positive(String name, INDArray a) {
        finite(name, a);
        double min = a.minNumber().doubleValue();
        if (!(min > 0)) {
            throw new IllegalArgumentException(name + ": expected every entry > 0, got minimum " + min);
        }
    }

    /** A rank-2 array {@code [n, d]} with {@code d == cols} (cols < 0 means any). */
    public static void matrix(String name, INDArray a, long cols) {
        notNull(name, a);
        if (a.rank() != 2 || (cols >= 0 && a.size(1) != cols)) {
            String want = cols >= 0 ? "[n, " + cols + "]" : "[n, d]";
            throw new IllegalArgumentException(name + ": expected shape " + want + ", got " + Arrays.toString(a.shape()));
        }
        if (a.size(0) == 0) {
            throw new IllegalArgumentException(name + ": expected at least one row, got shape " + Arrays.toString(a.shape()));
        }
    }

    /** Same shape as {@code ref}. */
    public static void sameShape(String name, INDArray a, String refName, INDArray ref) {
        notNull(name, a);
        if (!Arrays.equals(a.shape(), ref.shape())) {
            throw new IllegalArgumentException(name + ": expected the shape of " + refName + " " + Arrays.toString(ref.shape())
                    + ", got " + Arrays.toString(a.shape()));
        }
    }
}
