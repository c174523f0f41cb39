package dev.latentvi.homework;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Compares a student's result with the reference within a tolerance |got − expected| ≤ abs + rel·|expected|:
 * numbers, double arrays, INDArrays (shape first), lists and records (component by component).
 * Returns null when they agree, otherwise the first difference, named by its position.
 */
final class Compare {
    private Compare() {
    }

    /** Where and how two values differ. */
    record Mismatch(String where, String expected, String got, String reason) {
    }

    /** Absolute and relative tolerance. */
    record Tolerance(double abs, double rel) {
        boolean close(double expected, double got) {
            if (Double.isNaN(expected)) {
                return Double.isNaN(got);
            }
            if (Double.isInfinite(expected)) {
                return expected == got;
            }
            return Math.abs(got - expected) <= abs + rel * Math.abs(expected);
        }
    }

    static Mismatch values(Object expected, Object got, Tolerance tol) {
        return values("", expected, got, tol);
    }

    private static Mismatch values(String where, Object expected, Object got, Tolerance tol) {
        if (got == null) {
            return expected == null ? null : new Mismatch(where, brief(expected), "null", "your function returned null");
        }
        if (expected == null) {
            return new Mismatch(where, "null", brief(got), null);
        }
        if (expected instanceof Number e) {
            Double g = asNumber(got);
            if (g == null) {
                return new Mismatch(where, "a number", typeOf(got), "return a single number here");
            }
            return number(where, e.doubleValue(), g, tol);
        }
        if (expected instanceof INDArray || expected instanceof double[] || expected instanceof double[][]) {
            Array e = Array.of(expected);
            Array g = Array.of(got);
            if (g == null) {
                return new Mismatch(where, "an array of shape " + e.shapeText(), typeOf(got), null);
            }
            if (!Arrays.equals(e.shape, g.shape)) {
                return new Mismatch(where, "shape " + e.shapeText(), "shape " + g.shapeText(),
                        "the result has the wrong shape" + shapeHint(e.shape, g.shape));
            }
            for (int i = 0; i < e.values.length; i++) {
                Mismatch m = number(where + e.index(i), e.values[i], g.values[i], tol);
                if (m != null) {
                    return m;
                }
            }
            return null;
        }
        if (expected instanceof List<?> e) {
            if (!(got instanceof List<?> g)) {
                return new Mismatch(where, "a list", typeOf(got), null);
            }
            if (e.size() != g.size()) {
                return new Mismatch(where + " size", Integer.toString(e.size()), Integer.toString(g.size()), null);
            }
            for (int i = 0; i < e.size(); i++) {
                Mismatch m = values(where + "[" + i + "]", e.get(i), g.get(i), tol);
                if (m != null) {
                    return m;
                }
            }
            return null;
        }
        if (expected.getClass().isRecord()) {
            if (!expected.getClass().equals(got.getClass())) {
                return new Mismatch(where, typeOf(expected), typeOf(got), null);
            }
            for (RecordComponent c : expected.getClass().getRecordComponents()) {
                try {
                    c.getAccessor().setAccessible(true);
                    Mismatch m = values(where.isEmpty() ? c.getName() : where + "." + c.getName(),
                            c.getAccessor().invoke(expected), c.getAccessor().invoke(got), tol);
                    if (m != null) {
                        return m;
                    }
                } catch (ReflectiveOperationException ex) {
                    throw new IllegalStateException("cannot read record component " + c.getName(), ex);
                }
            }
            return null;
        }
        return expected.equals(got) ? null : new Mismatch(where, brief(expected), brief(got), null);
    }

    private static Mismatch number(String where, double e, double g, Tolerance tol) {
        if (tol.close(e, g)) {
            return null;
        }
        String reason = null;
        if (Double.isNaN(g)) {
            reason = "got NaN: look for 0/0, log of a negative number, or ∞ − ∞ (work in log space)";
        } else if (Double.isInfinite(g) && !Double.isInfinite(e)) {
            reason = "got " + (g > 0 ? "+∞" : "−∞") + ": something under- or overflowed (exp of a large number, log of 0); work in log space";
        } else if (e != 0 && Math.abs(g + e) <= tol.abs() + tol.rel() * Math.abs(e)) {
            reason = "off by the sign";
        }
        return new Mismatch(where, format(e), format(g), reason);
    }

    private static String shapeHint(long[] e, long[] g) {
        long ne = Arrays.stream(e).reduce(1, (a, b) -> a * b);
        long ng = Arrays.stream(g).reduce(1, (a, b) -> a * b);
        if (ne == ng) {
            return " (same number of entries: reshape it, or reduce over the other axis)";
        }
        return " (check which axis you summed or averaged over)";
    }

    static String format(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+∞" : "−∞";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e9) {
            return Long.toString((long) v);
        }
        double a = Math.abs(v);
        return a >= 1e-4 && a < 1e7 ? String.format(Locale.ROOT, "%.6f", v).replaceAll("0+$", "").replaceAll("\\.$", "")
                : String.format(Locale.ROOT, "%.6e", v);
    }

    static String brief(Object v) {
        if (v instanceof Number n) {
            return format(n.doubleValue());
        }
        Array a = Array.of(v);
        if (a != null) {
            return a.brief();
        }
        String s = String.valueOf(v);
        return s.length() > 120 ? s.substring(0, 120) + "…" : s;
    }

    static String typeOf(Object v) {
        if (v == null) {
            return "null";
        }
        Array a = Array.of(v);
        return a != null ? "an array of shape " + a.shapeText() : "a " + v.getClass().getSimpleName();
    }

    private static Double asNumber(Object v) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof INDArray a && a.length() == 1) {
            return a.castTo(DataType.DOUBLE).getDouble(0);
        }
        return null;
    }

    /** A numeric array flattened in row-major order with its shape. */
    static final class Array {
        final long[] shape;
        final double[] values;

        private Array(long[] shape, double[] values) {
            this.shape = shape;
            this.values = values;
        }

        static Array of(Object v) {
            if (v instanceof INDArray a) {
                INDArray d = a.castTo(DataType.DOUBLE).dup('c');
                return new Array(a.shape(), d.length() == 0 ? new double[0] : d.data().asDouble());
            }
            if (v instanceof double[] a) {
                return new Array(new long[] {a.length}, a.clone());
            }
            if (v instanceof double[][] a) {
                int cols = a.length == 0 ? 0 : a[0].length;
                for (double[] row : a) {
                    if (row.length != cols) {
                        return new Array(new long[] {a.length, -1}, new double[0]);
                    }
                }
                double[] flat = new double[a.length * cols];
                for (int i = 0; i < a.length; i++) {
                    System.arraycopy(a[i], 0, flat, i * cols, cols);
                }
                return new Array(new long[] {a.length, cols}, flat);
            }
            return null;
        }

        String shapeText() {
            return Arrays.toString(shape);
        }

        /** "[i, j]" of flat index k. */
        String index(int k) {
            if (shape.length == 0) {
                return "";
            }
            long[] idx = new long[shape.length];
            long rest = k;
            for (int d = shape.length - 1; d >= 0; d--) {
                idx[d] = shape[d] == 0 ? 0 : rest % shape[d];
                rest = shape[d] == 0 ? 0 : rest / shape[d];
            }
            return Arrays.toString(idx);
        }

        String brief() {
            StringBuilder s = new StringBuilder("shape ").append(shapeText()).append(" [");
            int show = Math.min(values.length, 6);
            for (int i = 0; i < show; i++) {
                s.append(i == 0 ? "" : ", ").append(format(values[i]));
            }
            return s.append(values.length > show ? ", …]" : "]").toString();
        }
    }
}
