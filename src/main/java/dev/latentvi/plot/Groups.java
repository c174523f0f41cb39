package dev.latentvi.plot;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IllegalFormatException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleFunction;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A partition of n points into named groups, one scatter layer (legend entry, colour) per group.
 * The group order is fixed by the labels, never by hashing: numeric labels sort by value (a group
 * named by several values sits at its smallest), text labels sort numbers first, then text.
 *
 * <pre>{@code
 * Plots.scatter("Samples of a mixture", "x₁", "x₂", x, Groups.of(z, "z = %d"));
 * Groups.of(sides, s -> s > 0 ? "passed left" : "passed right");
 * Groups.bands(z, "z", -1, 0, 1);   // "z < -1", "-1 ≤ z < 0", "0 ≤ z < 1", "z ≥ 1"
 * }</pre>
 */
public final class Groups {
    private static final Pattern CONVERSION = Pattern.compile("%[-#+ 0,(<]*\\d*(?:\\.\\d+)?([a-zA-Z%])");

    private final List<String> names;
    private final int[] groupOf;

    private Groups(List<String> names, int[] groupOf) {
        this.names = List.copyOf(names);
        this.groupOf = groupOf;
    }

    /**
     * Numeric labels (a vector, e.g. component indices z {@code [n]}) named with a format:
     * {@code "z = %d"} (whole-number labels) or {@code "%.1f"}; groups in increasing label order.
     */
    public static Groups of(INDArray labels, String format) {
        return of(Values.vector("labels", labels), formatter(format));
    }

    /** Integer labels (e.g. digit classes) named with a format such as {@code "digit %d"}; increasing label order. */
    public static Groups of(int[] labels, String format) {
        return of(asDoubles(labels), formatter(format));
    }

    /** Numeric labels named by a function; several labels may share a name (one group, placed at its smallest label). */
    public static Groups of(INDArray labels, DoubleFunction<String> name) {
        return of(Values.vector("labels", labels), name);
    }

    /** Integer labels named by a function; several labels may share a name (one group, placed at its smallest label). */
    public static Groups of(int[] labels, IntFunction<String> name) {
        if (name == null) {
            throw new IllegalArgumentException("name: expected a function from label to group name, got null");
        }
        return of(asDoubles(labels), v -> name.apply((int) v));
    }

    /** Text labels, one group per distinct text: numbers first (numerically: "2" before "10"), then text. */
    public static Groups of(String[] labels) {
        if (labels == null || labels.length == 0) {
            throw new IllegalArgumentException("labels: expected at least one label, got " + (labels == null ? "null" : "none"));
        }
        List<String> names = Arrays.stream(labels).map(String::valueOf).distinct().sorted(Groups::naturalOrder).toList();
        int[] groupOf = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            groupOf[i] = names.indexOf(String.valueOf(labels[i]));
        }
        return new Groups(names, groupOf);
    }

    /**
     * Continuous values binned at increasing edges e₁ &lt; … &lt; e_k into k + 1 bands named with
     * {@code variable}: "z &lt; e₁", "e₁ ≤ z &lt; e₂", …, "z ≥ e_k" (only bands that hold a value appear).
     */
    public static Groups bands(INDArray values, String variable, double... edges) {
        Chart.requireText("variable", variable);
        Chart.requireFinite("edges", edges);
        for (int k = 1; k < edges.length; k++) {
            if (!(edges[k] > edges[k - 1])) {
                throw new IllegalArgumentException("edges: expected increasing values, got " + edges[k] + " after " + edges[k - 1]);
            }
        }
        String[] bandNames = new String[edges.length + 1];
        bandNames[0] = variable + " < " + number(edges[0]);
        for (int k = 1; k < edges.length; k++) {
            bandNames[k] = number(edges[k - 1]) + " ≤ " + variable + " < " + number(edges[k]);
        }
        bandNames[edges.length] = variable + " ≥ " + number(edges[edges.length - 1]);
        return of(values, v -> {
            int band = 0;
            while (band < edges.length && v >= edges[band]) {
                band++;
            }
            return bandNames[band];
        });
    }

    /** The group names in legend order. */
    public List<String> names() {
        return names;
    }

    /** Number of points n. */
    public int size() {
        return groupOf.length;
    }

    /** Number of points in each group, in the order of {@link #names()}. */
    public int[] sizes() {
        int[] sizes = new int[names.size()];
        for (int g : groupOf) {
            sizes[g]++;
        }
        return sizes;
    }

    /** The indices of the points in group g, increasing. */
    public int[] members(int g) {
        if (g < 0 || g >= names.size()) {
            throw new IllegalArgumentException("g: expected a group index in [0, " + names.size() + "), got " + g);
        }
        return IntStream.range(0, groupOf.length).filter(i -> groupOf[i] == g).toArray();
    }

    @Override
    public String toString() {
        return "Groups " + names + " of " + groupOf.length + " points";
    }

    private static Groups of(double[] labels, DoubleFunction<String> name) {
        if (name == null) {
            throw new IllegalArgumentException("name: expected a function from label to group name, got null");
        }
        Chart.requireFinite("labels", labels);
        double[] distinct = Arrays.stream(labels).distinct().sorted().toArray();
        Map<Double, Integer> groupOfValue = new LinkedHashMap<>();
        List<String> names = new ArrayList<>();
        for (double v : distinct) {
            String n = name.apply(v);
            Chart.requireText("group name of label " + v, n);
            int g = names.indexOf(n);
            if (g < 0) {
                g = names.size();
                names.add(n);
            }
            groupOfValue.put(v, g);
        }
        int[] groupOf = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            groupOf[i] = groupOfValue.get(labels[i]);
        }
        return new Groups(names, groupOf);
    }

    /** A label namer for a format with one conversion: integral conversions (%d, %x, %o) take whole numbers. */
    private static DoubleFunction<String> formatter(String format) {
        Chart.requireText("format", format);
        Matcher m = CONVERSION.matcher(format);
        String conversion = "";
        while (m.find()) {
            if (!m.group(1).equals("%")) {
                conversion = m.group(1);
                break;
            }
        }
        if (conversion.isEmpty()) {
            throw new IllegalArgumentException("format: expected a format with one conversion such as \"z = %d\", got \"" + format + "\"");
        }
        boolean integral = "dxXo".contains(conversion);
        DoubleFunction<String> namer = v -> {
            if (integral && v != Math.rint(v)) {
                throw new IllegalArgumentException("labels: expected whole numbers for the format \"" + format + "\", got " + v);
            }
            return integral ? String.format(Locale.ROOT, format, (long) v) : String.format(Locale.ROOT, format, v);
        };
        try {
            namer.apply(0);
        } catch (IllegalFormatException e) {
            throw new IllegalArgumentException("format: expected a format for one number, got \"" + format + "\" (" + e.getMessage() + ")", e);
        }
        return namer;
    }

    private static double[] asDoubles(int[] labels) {
        if (labels == null) {
            throw new IllegalArgumentException("labels: expected integer labels, got null");
        }
        return Arrays.stream(labels).asDoubleStream().toArray();
    }

    private static String number(double v) {
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    private static int naturalOrder(String a, String b) {
        Double x = parse(a);
        Double y = parse(b);
        if (x != null && y != null) {
            return Double.compare(x, y) != 0 ? Double.compare(x, y) : a.compareTo(b);
        }
        return x != null ? -1 : y != null ? 1 : a.compareTo(b);
    }

    private static Double parse(String s) {
        try {
            double v = Double.parseDouble(s);
            return Double.isNaN(v) ? null : v;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
