package dev.latentvi.plot;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.latentvi.dist.Distribution;
import dev.latentvi.math.Grid;
import java.util.Arrays;
import java.util.function.DoubleFunction;
import java.util.function.IntFunction;
import org.nd4j.linalg.api.ndarray.INDArray;
import tech.tablesaw.api.NumericColumn;

/**
 * The plots of the course in one place. Every method returns a Tablesaw figure with a title, axis
 * labels and a legend, which a notebook displays as an interactive Plotly chart. Several curves or
 * samples come as an ordered {@link Series}, labelled points as {@link Groups}: legend order and
 * colours are fixed by the call, so a figure is the same on every run. For anything these
 * shortcuts do not cover, start from {@link #chart}.
 */
public final class Plots {
    private Plots() {
    }

    /** An empty chart to add layers to (lines, scatters, histograms, bands, contours, bars). */
    public static Chart chart(String title, String xLabel, String yLabel) {
        return new Chart(title, xLabel, yLabel);
    }

    /** One curve y(x); x and y have the same length. */
    public static JsonFigure line(String title, String xLabel, String yLabel, double[] x, double[] y) {
        Chart c = chart(title, xLabel, yLabel).line(yLabel == null || yLabel.isBlank() ? "y" : yLabel, x, y);
        c.layout().put("showlegend", false);
        return c.build();
    }

    /** One curve y(x); y a vector ({@code [n]}, {@code [n, 1]} or {@code [1, n]}) of x's length. */
    public static JsonFigure line(String title, String xLabel, String yLabel, double[] x, INDArray y) {
        return line(title, xLabel, yLabel, x, Values.vector("y", y));
    }

    /** One curve y(x); x and y vectors of the same length. */
    public static JsonFigure line(String title, String xLabel, String yLabel, INDArray x, INDArray y) {
        return line(title, xLabel, yLabel, Values.vector("x", x), Values.vector("y", y));
    }

    /** One curve through the rows of two numeric Tablesaw columns (e.g. a training history). */
    public static JsonFigure line(String title, String xLabel, String yLabel, NumericColumn<?> x, NumericColumn<?> y) {
        return line(title, xLabel, yLabel, Values.column("x", x), Values.column("y", y));
    }

    /**
     * Points (x[i], y[i]), one colour per distinct {@code groups[i]} (legend sorted, numbers
     * numerically, see {@link Groups#of(String[])}); {@code groups} may be null for a single colour.
     */
    public static JsonFigure scatter(String title, String xLabel, String yLabel, double[] x, double[] y, String[] groups) {
        if (groups == null) {
            return single(chart(title, xLabel, yLabel).scatter("points", x, y));
        }
        Chart.requireFinite("x", x);
        if (groups.length != x.length) {
            throw new IllegalArgumentException("groups: expected the length of x (" + x.length + "), got " + groups.length);
        }
        return chart(title, xLabel, yLabel).scatter(x, y, Groups.of(groups)).build();
    }

    /** Points given as rows {@code [n, 2]}, one colour per group (e.g. {@code Groups.of(z, "z = %d")}), in the groups' order. */
    public static JsonFigure scatter(String title, String xLabel, String yLabel, INDArray points, Groups groups) {
        return chart(title, xLabel, yLabel).scatter(points, groups).build();
    }

    /** Points (x[i], y[i]) of two vectors, one colour per group, in the groups' order. */
    public static JsonFigure scatter(String title, String xLabel, String yLabel, INDArray x, INDArray y, Groups groups) {
        return chart(title, xLabel, yLabel).scatter(x, y, groups).build();
    }

    /** Points given as rows {@code [n, 2]}, in one colour. */
    public static JsonFigure scatter(String title, String xLabel, String yLabel, INDArray points) {
        return single(chart(title, xLabel, yLabel).scatter("points", points));
    }

    /** Overlaid density-normalized histograms, one per series, in the series' order. */
    public static JsonFigure histogram(String title, String xLabel, Series samples, int bins) {
        requireSeries("samples", samples);
        Chart c = chart(title, xLabel, "density");
        for (int i = 0; i < samples.size(); i++) {
            c.histogram(samples.names().get(i), samples.values(i), bins);
        }
        return c.build();
    }

    /** Density curves on a common grid x, one per series (each of x's length), in the series' order. */
    public static JsonFigure density(String title, String xLabel, double[] x, Series curves) {
        requireSeries("curves", curves);
        Chart c = chart(title, xLabel, "density");
        for (int i = 0; i < curves.size(); i++) {
            c.line(curves.names().get(i), x, curves.values(i));
        }
        return c.build();
    }

    /** Contour lines of z[j][i] = f(xs[i], ys[j]). */
    public static JsonFigure contour(String title, String xLabel, String yLabel, double[] xs, double[] ys, double[][] z) {
        return chart(title, xLabel, yLabel).contour(title, xs, ys, z).build();
    }

    /** Contour lines of the density of a two-dimensional distribution p over the grid. */
    public static JsonFigure contour(String title, String xLabel, String yLabel, Grid grid, Distribution p) {
        return chart(title, xLabel, yLabel).contour(title, grid, p).build();
    }

    /** A heat map of z[j][i] = f(xs[i], ys[j]). */
    public static JsonFigure heatmap(String title, String xLabel, String yLabel, double[] xs, double[] ys, double[][] z) {
        return chart(title, xLabel, yLabel).heatmap(title, xs, ys, z).build();
    }

    /** A heat map of the density of a two-dimensional distribution p over the grid. */
    public static JsonFigure heatmap(String title, String xLabel, String yLabel, Grid grid, Distribution p) {
        return chart(title, xLabel, yLabel).heatmap(title, grid, p).build();
    }

    /** A heat map of the density exp(logValues), log densities given at the grid's points ({@code ny·nx} entries, the order of {@code grid.points()}). */
    public static JsonFigure heatmapFromLog(String title, String xLabel, String yLabel, Grid grid, INDArray logValues) {
        return chart(title, xLabel, yLabel).heatmapFromLog(title, grid, logValues).build();
    }

    /** Grouped bars: one bar layer per series (legend when more than one), each with one value per category. */
    public static JsonFigure bar(String title, String xLabel, String yLabel, String[] categories, Series values) {
        requireSeries("values", values);
        Chart c = chart(title, xLabel, yLabel);
        for (int i = 0; i < values.size(); i++) {
            c.bar(values.names().get(i), categories, values.values(i));
        }
        c.layout().put("showlegend", values.size() > 1);
        return c.build();
    }

    /** One bar per group with the number of its points, in the groups' order (e.g. {@code Groups.of(labels, "%d")}). */
    public static JsonFigure counts(String title, String xLabel, String yLabel, Groups groups) {
        return single(chart(title, xLabel, yLabel).counts(yLabel == null || yLabel.isBlank() ? "count" : yLabel, groups));
    }

    /**
     * Images tiled in a grid, white on black like MNIST: {@code images} is [n, height*width] with
     * values in [0, 1] (row-major pixels), shown {@code columns} per row. One heat-map trace named
     * "images" (so frames of an explorable figure of image grids match whatever their titles).
     */
    public static JsonFigure imageGrid(String title, INDArray images, int height, int width, int columns) {
        if (images == null || images.rank() != 2 || images.size(0) == 0) {
            throw new IllegalArgumentException("images: expected shape [n, height*width] with n >= 1, got "
                    + (images == null ? "null" : Arrays.toString(images.shape())));
        }
        if (height < 1 || width < 1 || images.size(1) != (long) height * width) {
            throw new IllegalArgumentException("height/width: expected height*width = " + images.size(1) + " (the image size), got "
                    + height + "x" + width);
        }
        if (columns < 1) {
            throw new IllegalArgumentException("columns: expected >= 1, got " + columns);
        }
        int n = (int) images.size(0);
        int cols = Math.min(columns, n);
        int rows = (n + cols - 1) / cols;
        double[][] pixels = images.toDoubleMatrix();
        int gap = 1;
        int totalH = rows * (height + gap) - gap;
        int totalW = cols * (width + gap) - gap;
        ObjectNode t = PlotlyJson.MAPPER.createObjectNode().put("type", "heatmap").put("name", "images");
        ArrayNode z = t.putArray("z");
        for (int r = 0; r < totalH; r++) {
            ArrayNode row = z.addArray();
            int imgRow = r / (height + gap);
            int py = r % (height + gap);
            for (int cIdx = 0; cIdx < totalW; cIdx++) {
                int imgCol = cIdx / (width + gap);
                int px = cIdx % (width + gap);
                int k = imgRow * cols + imgCol;
                if (py == height || px == width || k >= n) {
                    row.add(0.25); // grey separator between tiles
                } else {
                    double v = pixels[k][py * width + px];
                    if (!Double.isFinite(v)) {
                        throw new IllegalArgumentException("images: expected finite pixel values, got " + v + " in image " + k);
                    }
                    row.add(Math.max(0, Math.min(1, v)));
                }
            }
        }
        t.put("colorscale", "Greys").put("reversescale", false).put("showscale", false).put("zmin", 0).put("zmax", 1);
        t.put("hovertemplate", "row %{y}, col %{x}: %{z:.2f}<extra></extra>");
        Chart c = chart(title, "", "");
        c.add(t);
        ObjectNode layout = c.layout();
        layout.put("showlegend", false);
        double cell = Math.min(10.0, 760.0 / totalW); // at most ~820 px wide: fits a notebook page
        layout.put("width", (int) Math.max(240, totalW * cell + 60)).put("height", (int) Math.max(200, totalH * cell + 90));
        hideAxis((ObjectNode) layout.get("xaxis"));
        ObjectNode y = (ObjectNode) layout.get("yaxis");
        hideAxis(y);
        y.put("autorange", "reversed").put("scaleanchor", "x").put("scaleratio", 1);
        return c.build();
    }

    /**
     * An explorable figure: one frame per value of a parameter, a slider with one step per value
     * (labelled with the value, the current one shown as {@code "parameter = value"}) and play /
     * pause buttons. {@code figureAt.apply(values[i])} is the figure of frame i, made with the same
     * calls as any chart (title, axis labels, legend); frame 0 is what shows first, and the only
     * frame of a static export. Every frame must have the same traces — count, names, types,
     * order — (else an IllegalArgumentException naming {@code figureAt}); the title may change
     * (e.g. to state the value reached); axis ranges are fixed to the union over the frames unless
     * the charts set their own ({@link Chart#range}), so the picture does not jump. Keep frames few
     * (10–20) and lean: data are stored to 4 significant digits.
     *
     * <pre>{@code
     * Plots.explore("μ", Grid.linspace(-2, 2, 17), mu -> Plots.chart("q = N(" + mu + ", 1)", "z", "density")
     *     .density("q(z)", Normal.of(mu, 1), zs).build())
     * }</pre>
     *
     * @param parameter the slider's name, e.g. "β" or "EM iteration"
     * @param values    the parameter's values in slider order, distinct, finite (labelled with just enough decimals to tell neighbours apart)
     * @param figureAt  the figure at one value
     */
    public static JsonFigure explore(String parameter, double[] values, DoubleFunction<JsonFigure> figureAt) {
        if (values == null) {
            throw new IllegalArgumentException("values: expected at least one value, got null");
        }
        String[] labels = Frames.labels(values);
        if (figureAt == null) {
            throw new IllegalArgumentException("figureAt: expected a function from a value to its figure, got null");
        }
        return Frames.of(parameter, labels, i -> figureAt.apply(values[i]));
    }

    /** An explorable figure over integer values (iterations, steps, sample counts): see {@link #explore(String, double[], DoubleFunction)}. */
    public static JsonFigure explore(String parameter, int[] values, IntFunction<JsonFigure> figureAt) {
        if (values == null) {
            throw new IllegalArgumentException("values: expected at least one value, got null");
        }
        String[] labels = Arrays.stream(values).mapToObj(Integer::toString).toArray(String[]::new);
        if (figureAt == null) {
            throw new IllegalArgumentException("figureAt: expected a function from a value to its figure, got null");
        }
        return Frames.of(parameter, labels, i -> figureAt.apply(values[i]));
    }

    private static void hideAxis(ObjectNode axis) {
        axis.put("showticklabels", false).put("showgrid", false).put("zeroline", false).put("ticks", "");
    }

    private static JsonFigure single(Chart c) {
        c.layout().put("showlegend", false);
        return c.build();
    }

    private static void requireSeries(String arg, Series series) {
        if (series == null) {
            throw new IllegalArgumentException(arg + ": expected named series (Series.of(name, values)), got null");
        }
    }
}
