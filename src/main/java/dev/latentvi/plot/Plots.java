package dev.latentvi.plot;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The plots of the course in one place. Every method returns a Tablesaw figure with a title, axis
 * labels and a legend, which a notebook displays as an interactive Plotly chart. For anything
 * these shortcuts do not cover, start from {@link #chart}.
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

    /**
     * Points (x[i], y[i]), one colour per distinct {@code groups[i]} (legend sorted, numbers
     * numerically); {@code groups} may be null for a single colour.
     */
    public static JsonFigure scatter(String title, String xLabel, String yLabel, double[] x, double[] y, String[] groups) {
        Chart c = chart(title, xLabel, yLabel);
        if (groups == null) {
            c.scatter("points", x, y);
            c.layout().put("showlegend", false);
            return c.build();
        }
        Chart.requireFinite("x", x);
        Chart.requireSameLength("y", y, "x", x);
        if (groups.length != x.length) {
            throw new IllegalArgumentException("groups: expected the length of x (" + x.length + "), got " + groups.length);
        }
        Map<String, List<Integer>> members = new LinkedHashMap<>();
        for (int i = 0; i < groups.length; i++) {
            members.computeIfAbsent(String.valueOf(groups[i]), k -> new ArrayList<>()).add(i);
        }
        members.keySet().stream().sorted(Plots::naturalOrder).forEach(g -> {
            List<Integer> idx = members.get(g);
            double[] gx = new double[idx.size()];
            double[] gy = new double[idx.size()];
            for (int k = 0; k < gx.length; k++) {
                gx[k] = x[idx.get(k)];
                gy[k] = y[idx.get(k)];
            }
            c.scatter(g, gx, gy);
        });
        return c.build();
    }

    /** Overlaid density-normalized histograms, one per named sample. */
    public static JsonFigure histogram(String title, String xLabel, Map<String, double[]> samples, int bins) {
        requireSeries("samples", samples);
        Chart c = chart(title, xLabel, "density");
        samples.forEach((name, values) -> c.histogram(name, values, bins));
        return c.build();
    }

    /** Density curves evaluated on a common grid x; each entry of {@code curves} has x's length. */
    public static JsonFigure density(String title, String xLabel, double[] x, Map<String, double[]> curves) {
        requireSeries("curves", curves);
        Chart c = chart(title, xLabel, "density");
        curves.forEach((name, y) -> c.line(name, x, y));
        return c.build();
    }

    /** Contour lines of z[j][i] = f(xs[i], ys[j]). */
    public static JsonFigure contour(String title, String xLabel, String yLabel, double[] xs, double[] ys, double[][] z) {
        return chart(title, xLabel, yLabel).contour(title, xs, ys, z).build();
    }

    /** A heat map of z[j][i] = f(xs[i], ys[j]). */
    public static JsonFigure heatmap(String title, String xLabel, String yLabel, double[] xs, double[] ys, double[][] z) {
        return chart(title, xLabel, yLabel).heatmap(title, xs, ys, z).build();
    }

    /** Grouped bars: one bar layer per entry of {@code values}, each with one value per category. */
    public static JsonFigure bar(String title, String xLabel, String yLabel, String[] categories, Map<String, double[]> values) {
        requireSeries("values", values);
        Chart c = chart(title, xLabel, yLabel);
        values.forEach((name, v) -> c.bar(name, categories, v));
        c.layout().put("showlegend", values.size() > 1);
        return c.build();
    }

    /**
     * Images tiled in a grid, white on black like MNIST: {@code images} is [n, height*width] with
     * values in [0, 1] (row-major pixels), shown {@code columns} per row.
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
        ObjectNode t = PlotlyJson.MAPPER.createObjectNode().put("type", "heatmap").put("name", title);
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

    private static void hideAxis(ObjectNode axis) {
        axis.put("showticklabels", false).put("showgrid", false).put("zeroline", false).put("ticks", "");
    }

    private static void requireSeries(String arg, Map<String, double[]> series) {
        if (series == null || series.isEmpty()) {
            throw new IllegalArgumentException(arg + ": expected at least one named series, got " + (series == null ? "null" : "none"));
        }
    }

    private static int naturalOrder(String a, String b) {
        try {
            return Double.compare(Double.parseDouble(a), Double.parseDouble(b));
        } catch (NumberFormatException e) {
            return a.compareTo(b);
        }
    }
}
