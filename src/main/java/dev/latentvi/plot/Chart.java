package dev.latentvi.plot;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A fluent builder for one figure: a title, axis labels, then any number of named layers.
 *
 * <pre>{@code
 * Figure f = Plots.chart("ELBO during training", "epoch", "nats")
 *     .line("ELBO", epochs, elbo).dashed("log p(x)", epochs, logpx).logY().build();
 * }</pre>
 */
public final class Chart {
    private static final int DEFAULT_WIDTH = 720;
    private static final int DEFAULT_HEIGHT = 440;

    private final ObjectNode layout = PlotlyJson.MAPPER.createObjectNode();
    private final List<JsonTrace> traces = new ArrayList<>();

    Chart(String title, String xLabel, String yLabel) {
        requireText("title", title);
        layout.putObject("title").put("text", title).put("x", 0.04).put("xanchor", "left");
        axis("xaxis").putObject("title").put("text", xLabel == null ? "" : xLabel);
        axis("yaxis").putObject("title").put("text", yLabel == null ? "" : yLabel);
        layout.put("width", DEFAULT_WIDTH).put("height", DEFAULT_HEIGHT);
        layout.put("showlegend", true);
        layout.putObject("margin").put("t", 60).put("r", 30);
    }

    /** A solid line through the points (x[i], y[i]). */
    public Chart line(String name, double[] x, double[] y) {
        return add(xy("scatter", name, x, y).put("mode", "lines"));
    }

    /** A dashed line, e.g. a reference value or an exact curve next to an estimate. */
    public Chart dashed(String name, double[] x, double[] y) {
        ObjectNode t = xy("scatter", name, x, y).put("mode", "lines");
        t.putObject("line").put("dash", "dash");
        return add(t);
    }

    /** A line with a marker at each point. */
    public Chart markers(String name, double[] x, double[] y) {
        return add(xy("scatter", name, x, y).put("mode", "lines+markers"));
    }

    /** Points only (semi-transparent markers). */
    public Chart scatter(String name, double[] x, double[] y) {
        ObjectNode t = xy("scatter", name, x, y).put("mode", "markers");
        t.putObject("marker").put("size", 5).put("opacity", 0.65);
        return add(t);
    }

    /** A histogram normalized to a density (area 1), drawn semi-transparent so layers overlap. */
    public Chart histogram(String name, double[] values, int bins) {
        requireText("name", name);
        requireFinite("values", values);
        if (bins < 1) {
            throw new IllegalArgumentException("bins: expected a number of bins >= 1, got " + bins);
        }
        ObjectNode t = PlotlyJson.MAPPER.createObjectNode().put("type", "histogram").put("name", name);
        t.set("x", array(values));
        t.put("histnorm", "probability density").put("nbinsx", bins).put("opacity", 0.6);
        layout.put("barmode", "overlay");
        return add(t);
    }

    /** A shaded band between lo[i] and hi[i], e.g. ± two standard errors. */
    public Chart band(String name, double[] x, double[] lo, double[] hi) {
        ObjectNode lower = xy("scatter", name, x, lo).put("mode", "lines").put("showlegend", false).put("hoverinfo", "skip");
        lower.putObject("line").put("width", 0);
        ObjectNode upper = xy("scatter", name, x, hi).put("mode", "lines").put("fill", "tonexty")
                .put("fillcolor", "rgba(99,110,250,0.2)");
        upper.putObject("line").put("width", 0);
        requireSameLength("hi", hi, "lo", lo);
        add(lower);
        return add(upper);
    }

    /** Contour lines of z over the grid: z[j][i] is the value at (xs[i], ys[j]). */
    public Chart contour(String name, double[] xs, double[] ys, double[][] z) {
        ObjectNode t = grid("contour", name, xs, ys, z);
        t.put("colorscale", "Viridis").put("ncontours", 25).put("showscale", true);
        t.putObject("contours").put("coloring", "lines");
        t.putObject("colorbar").put("len", 0.8);
        legendBelow();
        return add(t);
    }

    /** A heat map: z[j][i] is the value at (xs[i], ys[j]). */
    public Chart heatmap(String name, double[] xs, double[] ys, double[][] z) {
        ObjectNode t = grid("heatmap", name, xs, ys, z).put("colorscale", "Viridis");
        legendBelow();
        return add(t);
    }

    /** Bars at named categories (grouped when there are several bar layers). */
    public Chart bar(String name, String[] categories, double[] values) {
        requireText("name", name);
        if (categories == null || values == null || categories.length != values.length || values.length == 0) {
            throw new IllegalArgumentException("categories/values: expected equal non-zero lengths, got "
                    + (categories == null ? "null" : categories.length) + " and " + (values == null ? "null" : values.length));
        }
        requireFinite("values", values);
        ObjectNode t = PlotlyJson.MAPPER.createObjectNode().put("type", "bar").put("name", name);
        ArrayNode xs = t.putArray("x");
        for (String c : categories) {
            xs.add(c);
        }
        t.set("y", array(values));
        layout.put("barmode", "group");
        return add(t);
    }

    /** Logarithmic x axis. */
    public Chart logX() {
        axis("xaxis").put("type", "log");
        return this;
    }

    /** Logarithmic y axis. */
    public Chart logY() {
        axis("yaxis").put("type", "log");
        return this;
    }

    /** Equal scales on both axes (circles look round). */
    public Chart equalAspect() {
        axis("yaxis").put("scaleanchor", "x").put("scaleratio", 1);
        return this;
    }

    /** Fixed axis ranges. */
    public Chart range(double xMin, double xMax, double yMin, double yMax) {
        axis("xaxis").putArray("range").add(xMin).add(xMax);
        axis("yaxis").putArray("range").add(yMin).add(yMax);
        return this;
    }

    /** Figure size in pixels. */
    public Chart size(int width, int height) {
        if (width < 100 || height < 100) {
            throw new IllegalArgumentException("size: expected width and height >= 100 px, got " + width + "x" + height);
        }
        layout.put("width", width).put("height", height);
        return this;
    }

    /** The figure, ready to display in a notebook or render to HTML. */
    public JsonFigure build() {
        if (traces.isEmpty()) {
            throw new IllegalStateException("chart \"" + layout.path("title").path("text").asText() + "\" has no layers: add a line, scatter, ...");
        }
        return new JsonFigure(layout.deepCopy(), traces.toArray(new JsonTrace[0]));
    }

    ObjectNode layout() {
        return layout;
    }

    Chart add(ObjectNode trace) {
        traces.add(new JsonTrace(trace));
        return this;
    }

    /** A colour bar takes the right margin, so other layers' legend goes under the plot. */
    private void legendBelow() {
        layout.putObject("legend").put("orientation", "h").put("x", 0).put("y", -0.2).put("yanchor", "top");
        layout.put("height", Math.max(layout.path("height").asInt(DEFAULT_HEIGHT), 480));
    }

    private ObjectNode axis(String name) {
        return layout.has(name) ? (ObjectNode) layout.get(name) : layout.putObject(name);
    }

    private static ObjectNode xy(String type, String name, double[] x, double[] y) {
        requireText("name", name);
        requireFinite("x", x);
        requireFinite("y", y);
        requireSameLength("y", y, "x", x);
        ObjectNode t = PlotlyJson.MAPPER.createObjectNode().put("type", type).put("name", name);
        t.set("x", array(x));
        t.set("y", array(y));
        return t;
    }

    private static ObjectNode grid(String type, String name, double[] xs, double[] ys, double[][] z) {
        requireText("name", name);
        requireFinite("xs", xs);
        requireFinite("ys", ys);
        if (z == null || z.length != ys.length) {
            throw new IllegalArgumentException("z: expected " + ys.length + " rows (one per ys), got " + (z == null ? "null" : z.length));
        }
        ObjectNode t = PlotlyJson.MAPPER.createObjectNode().put("type", type).put("name", name);
        t.set("x", array(xs));
        t.set("y", array(ys));
        ArrayNode rows = t.putArray("z");
        for (int j = 0; j < z.length; j++) {
            if (z[j] == null || z[j].length != xs.length) {
                throw new IllegalArgumentException("z[" + j + "]: expected " + xs.length + " values (one per xs), got "
                        + (z[j] == null ? "null" : z[j].length));
            }
            requireFinite("z[" + j + "]", z[j]);
            rows.add(array(z[j]));
        }
        return t;
    }

    static ArrayNode array(double[] values) {
        ArrayNode a = PlotlyJson.MAPPER.createArrayNode();
        for (double v : values) {
            a.add(v);
        }
        return a;
    }

    static void requireText(String arg, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(arg + ": expected a non-blank text, got " + (value == null ? "null" : "\"" + value + "\""));
        }
    }

    static void requireFinite(String arg, double[] values) {
        if (values == null || values.length == 0) {
            throw new IllegalArgumentException(arg + ": expected a non-empty array, got " + (values == null ? "null" : "length 0"));
        }
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException(arg + ": expected finite values, got " + values[i] + " at index " + i);
            }
        }
    }

    static void requireSameLength(String arg, double[] a, String refArg, double[] ref) {
        if (a.length != ref.length) {
            throw new IllegalArgumentException(arg + ": expected the length of " + refArg + " (" + ref.length + "), got " + a.length);
        }
    }
}
