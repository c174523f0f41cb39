package dev.latentvi.plot;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import tech.tablesaw.api.NumericColumn;

/**
 * Named series of values in the order they were given, for {@link Plots#density},
 * {@link Plots#histogram} and {@link Plots#bar}: that order is the legend order and picks the
 * colours, so a figure comes out the same on every run. Immutable; {@link #and} returns a new one.
 *
 * <pre>{@code
 * Plots.histogram("Samples", "x", Series.of("prior", priorDraws).and("posterior", posteriorDraws), 40)
 * }</pre>
 */
public final class Series {
    /** One named series: its legend name and its values (read with {@link Series#values(int)}). */
    private record Entry(String name, double[] values) {
    }

    private final List<Entry> entries;

    private Series(List<Entry> entries) {
        this.entries = entries;
    }

    /** One series of values. */
    public static Series of(String name, double[] values) {
        return new Series(List.of()).and(name, values);
    }

    /** One series of the entries of a vector ({@code [n]}, {@code [n, 1]} or {@code [1, n]}). */
    public static Series of(String name, INDArray values) {
        return of(name, Values.vector(name, values));
    }

    /** One series of the values of a numeric Tablesaw column. */
    public static Series of(String name, NumericColumn<?> values) {
        return of(name, Values.column(name, values));
    }

    /** These series followed by one more; names must be distinct (they label the legend). */
    public Series and(String name, double[] values) {
        Chart.requireText("name", name);
        Chart.requireFinite(name, values);
        if (names().contains(name)) {
            throw new IllegalArgumentException("name: expected a name not used yet (" + names() + "), got \"" + name + "\"");
        }
        List<Entry> more = new ArrayList<>(entries);
        more.add(new Entry(name, values.clone()));
        return new Series(Collections.unmodifiableList(more));
    }

    /** These series followed by the entries of a vector. */
    public Series and(String name, INDArray values) {
        return and(name, Values.vector(name, values));
    }

    /** These series followed by the values of a numeric Tablesaw column. */
    public Series and(String name, NumericColumn<?> values) {
        return and(name, Values.column(name, values));
    }

    /** Number of series. */
    public int size() {
        return entries.size();
    }

    /** The names in order. */
    public List<String> names() {
        return entries.stream().map(Entry::name).toList();
    }

    /** The values of series i (a copy). */
    public double[] values(int i) {
        if (i < 0 || i >= entries.size()) {
            throw new IllegalArgumentException("i: expected a series index in [0, " + entries.size() + "), got " + i);
        }
        return entries.get(i).values().clone();
    }

    @Override
    public String toString() {
        return "Series " + names();
    }
}
