package dev.latentvi.plot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.latentvi.dist.Distribution;
import dev.latentvi.math.Grid;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import tech.tablesaw.api.NumericColumn;

/**
 * A fluent builder for one figure: a title, axis labels, then any number of named layers. Layers
 * take {@code double[]}, INDArray vectors ({@code [n]}, {@code [n, 1]} or {@code [1, n]}), numeric
 * Tablesaw columns, points {@code [n, 2]}, distributions (drawn as their density) and {@link Grid}s.
 * Legend order is call order and colours follow it, so the same calls give the same figure.
 *
 * <pre>{@code
 * Plots.chart("Posterior and q", "z", "density")
 *     .density("p(z|x)", posterior, zs).dashedDensity("q(z)", q, zs).build();
 * Plots.chart("ELBO during training", "epoch", "nats")
 *     .line("ELBO", history.intColumn("epoch"), history.doubleColumn("elbo")).hline("log p(x)", logPx).build();
 * }</pre>
 */
public final class Chart {
    private static final int DEFAULT_WIDTH = 720;
    private static final int DEFAULT_HEIGHT = 440;

    /** A legend entry's worth of traces, turned into JSON at build time (when colours and spans are known). */
    private sealed interface Layer permits Drawn, HorizontalLine {
    }

    /** Traces, coloured at build time unless drawn with a colour scale. */
    private record Drawn(List<ObjectNode> traces, boolean coloured) implements Layer {
    }

    /** A horizontal line at y, spanning the x values of the other layers (known at build time). */
    private record HorizontalLine(String name, double y, boolean second) implements Layer {
    }

    private final ObjectNode layout = PlotlyJson.MAPPER.createObjectNode();
    private final List<Layer> layers = new ArrayList<>();
    /** True once {@link #panel} was called: later layers draw on the second axes (x2, y2). */
    private boolean secondPanel;

    Chart(String title, String xLabel, String yLabel) {
        requireText("title", title);
        layout.putObject("title").put("text", title).put("x", 0.04).put("xanchor", "left");
        axis("xaxis").putObject("title").put("text", xLabel == null ? "" : xLabel);
        axis("yaxis").putObject("title").put("text", yLabel == null ? "" : yLabel);
        layout.put("width", DEFAULT_WIDTH).put("height", DEFAULT_HEIGHT);
        layout.put("showlegend", true);
        layout.putObject("margin").put("t", 60).put("r", 30);
    }

    // ---- lines: solid, dashed, with markers, points only -------------------------------------

    /** A solid line through the points (x[i], y[i]). */
    public Chart line(String name, double[] x, double[] y) {
        return coloured(lines(name, x, y));
    }

    /** A solid line through (x[i], y[i]); y a vector. */
    public Chart line(String name, double[] x, INDArray y) {
        return line(name, x, Values.vector("y", y));
    }

    /** A solid line through (x[i], y[i]); x and y vectors. */
    public Chart line(String name, INDArray x, INDArray y) {
        return line(name, Values.vector("x", x), Values.vector("y", y));
    }

    /** A solid line through the rows of two numeric Tablesaw columns. */
    public Chart line(String name, NumericColumn<?> x, NumericColumn<?> y) {
        return line(name, Values.column("x", x), Values.column("y", y));
    }

    /** A dashed line, e.g. a reference value or an exact curve next to an estimate. */
    public Chart dashed(String name, double[] x, double[] y) {
        ObjectNode t = lines(name, x, y);
        t.putObject("line").put("dash", "dash");
        return coloured(t);
    }

    /** A dashed line; y a vector. */
    public Chart dashed(String name, double[] x, INDArray y) {
        return dashed(name, x, Values.vector("y", y));
    }

    /** A dashed line; x and y vectors. */
    public Chart dashed(String name, INDArray x, INDArray y) {
        return dashed(name, Values.vector("x", x), Values.vector("y", y));
    }

    /** A dashed line through the rows of two numeric Tablesaw columns. */
    public Chart dashed(String name, NumericColumn<?> x, NumericColumn<?> y) {
        return dashed(name, Values.column("x", x), Values.column("y", y));
    }

    /** A line with a marker at each point. */
    public Chart markers(String name, double[] x, double[] y) {
        return coloured(xy("scatter", name, x, y).put("mode", "lines+markers"));
    }

    /** A line with markers; y a vector. */
    public Chart markers(String name, double[] x, INDArray y) {
        return markers(name, x, Values.vector("y", y));
    }

    /** A line with markers; x and y vectors. */
    public Chart markers(String name, INDArray x, INDArray y) {
        return markers(name, Values.vector("x", x), Values.vector("y", y));
    }

    /** A line with markers through the rows of two numeric Tablesaw columns. */
    public Chart markers(String name, NumericColumn<?> x, NumericColumn<?> y) {
        return markers(name, Values.column("x", x), Values.column("y", y));
    }

    /** A line with markers through points given as rows {@code [n, 2]} (x, y), in row order. */
    public Chart markers(String name, INDArray points) {
        double[][] xy = Values.points("points", points);
        return markers(name, xy[0], xy[1]);
    }

    /** Points only (semi-transparent markers). */
    public Chart scatter(String name, double[] x, double[] y) {
        ObjectNode t = xy("scatter", name, x, y).put("mode", "markers");
        t.putObject("marker").put("size", 5).put("opacity", 0.65);
        return coloured(t);
    }

    /** Points only; y a vector. */
    public Chart scatter(String name, double[] x, INDArray y) {
        return scatter(name, x, Values.vector("y", y));
    }

    /** Points only; x and y vectors. */
    public Chart scatter(String name, INDArray x, INDArray y) {
        return scatter(name, Values.vector("x", x), Values.vector("y", y));
    }

    /** Points only, from the rows of two numeric Tablesaw columns. */
    public Chart scatter(String name, NumericColumn<?> x, NumericColumn<?> y) {
        return scatter(name, Values.column("x", x), Values.column("y", y));
    }

    /** Points given as rows {@code [n, 2]} (x, y). */
    public Chart scatter(String name, INDArray points) {
        double[][] xy = Values.points("points", points);
        return scatter(name, xy[0], xy[1]);
    }

    /** Points {@code [n, 2]}, one layer (legend entry, colour) per group, in the groups' order. */
    public Chart scatter(INDArray points, Groups groups) {
        double[][] xy = Values.points("points", points);
        return scatter(xy[0], xy[1], groups);
    }

    /** Points (x[i], y[i]) of two vectors, one layer (legend entry, colour) per group, in the groups' order. */
    public Chart scatter(INDArray x, INDArray y, Groups groups) {
        return scatter(Values.vector("x", x), Values.vector("y", y), groups);
    }

    /** Points (x[i], y[i]), one layer (legend entry, colour) per group, in the groups' order. */
    public Chart scatter(double[] x, double[] y, Groups groups) {
        requireFinite("x", x);
        requireFinite("y", y);
        requireSameLength("y", y, "x", x);
        if (groups == null || groups.size() != x.length) {
            throw new IllegalArgumentException("groups: expected one label per point (" + x.length + "), got "
                    + (groups == null ? "null" : groups.size()));
        }
        for (int g = 0; g < groups.names().size(); g++) {
            int[] members = groups.members(g);
            double[] gx = new double[members.length];
            double[] gy = new double[members.length];
            for (int k = 0; k < members.length; k++) {
                gx[k] = x[members[k]];
                gy[k] = y[members[k]];
            }
            scatter(groups.names().get(g), gx, gy);
        }
        return this;
    }

    /** A horizontal dashed line at y across the x values of all layers (e.g. log p(x) above ELBO estimates). */
    public Chart hline(String name, double y) {
        requireText("name", name);
        if (!Double.isFinite(y)) {
            throw new IllegalArgumentException("y: expected a finite value, got " + y);
        }
        layers.add(new HorizontalLine(name, y, secondPanel));
        return this;
    }

    // ---- densities of distributions ----------------------------------------------------------

    /** The density of a one-dimensional distribution p (one row) at each z: exp(p.logProb(zs as [k, 1])), a solid line. */
    public Chart density(String name, Distribution p, double[] zs) {
        return line(name, zs, Densities.on("p", p, zs));
    }

    /** The density of a one-dimensional distribution at the entries of a vector zs. */
    public Chart density(String name, Distribution p, INDArray zs) {
        return density(name, p, Values.vector("zs", zs));
    }

    /** The density of a one-dimensional distribution as a dashed line (e.g. an approximation q next to p). */
    public Chart dashedDensity(String name, Distribution p, double[] zs) {
        return dashed(name, zs, Densities.on("p", p, zs));
    }

    /** The density of a one-dimensional distribution at the entries of a vector zs, dashed. */
    public Chart dashedDensity(String name, Distribution p, INDArray zs) {
        return dashedDensity(name, p, Values.vector("zs", zs));
    }

    // ---- histograms, bands, bars -------------------------------------------------------------

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
        return coloured(t);
    }

    /** A density histogram of the entries of a vector. */
    public Chart histogram(String name, INDArray values, int bins) {
        return histogram(name, Values.vector("values", values), bins);
    }

    /** A density histogram of a numeric Tablesaw column. */
    public Chart histogram(String name, NumericColumn<?> values, int bins) {
        return histogram(name, Values.column("values", values), bins);
    }

    /** A shaded band between lo[i] and hi[i], e.g. ± two standard errors. */
    public Chart band(String name, double[] x, double[] lo, double[] hi) {
        ObjectNode lower = xy("scatter", name, x, lo).put("mode", "lines").put("showlegend", false).put("hoverinfo", "skip");
        lower.putObject("line").put("width", 0);
        ObjectNode upper = xy("scatter", name, x, hi).put("mode", "lines").put("fill", "tonexty");
        upper.putObject("line").put("width", 0);
        requireSameLength("hi", hi, "lo", lo);
        layers.add(new Drawn(List.of(onPanel(lower), onPanel(upper)), true));
        return this;
    }

    /** A shaded band between two vectors lo and hi over x. */
    public Chart band(String name, double[] x, INDArray lo, INDArray hi) {
        return band(name, x, Values.vector("lo", lo), Values.vector("hi", hi));
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
        if (!layout.has("barmode")) {
            layout.put("barmode", "group");
        }
        return coloured(t);
    }

    /** One bar per group with the number of its points, in the groups' order (e.g. digits per class). */
    public Chart counts(String name, Groups groups) {
        if (groups == null) {
            throw new IllegalArgumentException("groups: expected groups to count, got null");
        }
        double[] sizes = Arrays.stream(groups.sizes()).asDoubleStream().toArray();
        return bar(name, groups.names().toArray(new String[0]), sizes);
    }

    /**
     * Floating bars from base[i] to base[i] + values[i] (a waterfall step: e.g. a KL bar standing on
     * the ELBO bar reaches log p(x)); categories, values and base have the same length.
     */
    public Chart bar(String name, String[] categories, double[] values, double[] base) {
        bar(name, categories, values);
        requireFinite("base", base);
        requireSameLength("base", base, "values", values);
        Drawn last = (Drawn) layers.get(layers.size() - 1);
        last.traces().get(0).set("base", array(base));
        layout.put("barmode", "overlay");
        return this;
    }

    /**
     * A waterfall: one bar per step, each starting where the previous one ended (the first at 0),
     * then a bar from 0 to the sum named {@code total}; one legend entry per bar. E.g. steps ELBO
     * and KL(q ‖ p(z|x)) with total log p(x): the KL bar closes the gap between the ELBO and log p(x).
     */
    public Chart waterfall(String[] names, double[] steps, String total) {
        requireFinite("steps", steps);
        if (names == null || names.length != steps.length) {
            throw new IllegalArgumentException("names: expected one name per step (" + steps.length + "), got "
                    + (names == null ? "null" : names.length));
        }
        double sum = 0;
        for (int i = 0; i < steps.length; i++) {
            bar(names[i], new String[] {names[i]}, new double[] {steps[i]}, new double[] {sum});
            sum += steps[i];
        }
        return bar(total, new String[] {total}, new double[] {sum}, new double[] {0});
    }

    /**
     * The ellipse {(x − m)ᵀ Σ⁻¹ (x − m) = radius²} of a two-dimensional Gaussian as a closed line
     * (radius 2: the "2σ" contour): mean a vector of 2 entries, covariance {@code [2, 2]} symmetric
     * positive definite. 73 points.
     */
    public Chart ellipse(String name, INDArray mean, INDArray covariance, double radius) {
        double[] m = Values.vector("mean", mean);
        if (m.length != 2) {
            throw new IllegalArgumentException("mean: expected 2 entries (a 2-D Gaussian), got " + m.length);
        }
        if (covariance == null || covariance.length() != 4) {
            throw new IllegalArgumentException("covariance: expected shape [2, 2], got "
                    + (covariance == null ? "null" : Arrays.toString(covariance.shape())));
        }
        if (!(radius > 0) || !Double.isFinite(radius)) {
            throw new IllegalArgumentException("radius: expected a finite value > 0, got " + radius);
        }
        double[] c = covariance.castTo(DataType.DOUBLE).reshape(4).toDoubleVector();
        double a = c[0], b = c[1], d = c[3];
        if (!(a > 0) || !(a * d - b * b > 0) || Math.abs(c[1] - c[2]) > 1e-9 * (Math.abs(a) + Math.abs(d))) {
            throw new IllegalArgumentException("covariance: expected a symmetric positive definite [2, 2] matrix, got "
                    + Arrays.toString(c));
        }
        // Cholesky factor L: Σ = L Lᵀ; the ellipse is m + radius · L (cos t, sin t)
        double l11 = Math.sqrt(a), l21 = b / l11, l22 = Math.sqrt(d - l21 * l21);
        int n = 73;
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double t = 2 * Math.PI * i / (n - 1);
            x[i] = m[0] + radius * l11 * Math.cos(t);
            y[i] = m[1] + radius * (l21 * Math.cos(t) + l22 * Math.sin(t));
        }
        return line(name, x, y);
    }

    /**
     * One ellipse layer per Gaussian component (see {@link #ellipse}), named {@code String.format(format, k)}:
     * means {@code [K, 2]}, covariances {@code [K, 2, 2]} (e.g. a fitted mixture's).
     */
    public Chart ellipses(String format, INDArray means, INDArray covariances, double radius) {
        requireText("format", format);
        if (means == null || means.rank() != 2 || means.size(1) != 2) {
            throw new IllegalArgumentException("means: expected shape [K, 2], got " + (means == null ? "null" : Arrays.toString(means.shape())));
        }
        long k = means.size(0);
        if (covariances == null || covariances.rank() != 3 || covariances.size(0) != k || covariances.size(1) != 2 || covariances.size(2) != 2) {
            throw new IllegalArgumentException("covariances: expected shape [" + k + ", 2, 2], got "
                    + (covariances == null ? "null" : Arrays.toString(covariances.shape())));
        }
        for (int i = 0; i < k; i++) {
            ellipse(String.format(format, i), means.getRow(i), covariances.slice(i), radius);
        }
        return this;
    }

    /**
     * Points {@code [n, 2]} in one legend entry, each coloured by its soft assignment: the
     * weights {@code [n, k]} (rows summing to 1, e.g. EM responsibilities r_ik) mix the colours of
     * the next k coloured layers, so a point exactly between two components shows the blend of
     * their colours. Add the k layers the weights refer to right after this one (e.g. one ellipse
     * per component).
     */
    public Chart softScatter(String name, INDArray points, INDArray weights) {
        double[][] xy = Values.points("points", points);
        if (weights == null || weights.rank() != 2 || weights.size(0) != xy[0].length || weights.size(1) < 1) {
            throw new IllegalArgumentException("weights: expected shape [" + xy[0].length + ", k] (one row per point), got "
                    + (weights == null ? "null" : Arrays.toString(weights.shape())));
        }
        double[][] w = weights.castTo(DataType.DOUBLE).toDoubleMatrix();
        int first = colouredLayers();
        ObjectNode t = xy("scatter", name, xy[0], xy[1]).put("mode", "markers");
        ObjectNode marker = t.putObject("marker").put("size", 5).put("opacity", 0.7);
        ArrayNode colours = marker.putArray("color");
        for (int i = 0; i < w.length; i++) {
            double r = 0, g = 0, bl = 0, total = 0;
            for (int k = 0; k < w[i].length; k++) {
                double wk = w[i][k];
                if (!(wk >= 0) || !Double.isFinite(wk)) {
                    throw new IllegalArgumentException("weights: expected finite values >= 0, got " + wk + " at [" + i + ", " + k + "]");
                }
                int rgb = Integer.parseInt(Palette.colour(first + k).substring(1), 16);
                r += wk * (rgb >> 16 & 0xff);
                g += wk * (rgb >> 8 & 0xff);
                bl += wk * (rgb & 0xff);
                total += wk;
            }
            if (!(total > 0)) {
                throw new IllegalArgumentException("weights: expected a positive row sum, got " + total + " in row " + i);
            }
            colours.add(String.format("#%02x%02x%02x", Math.round(r / total), Math.round(g / total), Math.round(bl / total)));
        }
        return add(t);
    }

    /**
     * A density histogram with fixed bins: {@code bins} equal bins over [lo, hi] (values outside
     * are not drawn). Fixed bins keep the bars comparable across histograms, e.g. in the frames of
     * an explorable figure.
     */
    public Chart histogram(String name, double[] values, double lo, double hi, int bins) {
        if (!Double.isFinite(lo) || !Double.isFinite(hi) || !(hi > lo)) {
            throw new IllegalArgumentException("lo/hi: expected finite lo < hi, got " + lo + " and " + hi);
        }
        histogram(name, values, bins);
        ObjectNode t = ((Drawn) layers.get(layers.size() - 1)).traces().get(0);
        t.remove("nbinsx");
        t.put("autobinx", false);
        t.putObject("xbins").put("start", lo).put("end", hi).put("size", (hi - lo) / bins);
        return this;
    }

    /** A density histogram of a vector with fixed bins over [lo, hi]. */
    public Chart histogram(String name, INDArray values, double lo, double hi, int bins) {
        return histogram(name, Values.vector("values", values), lo, hi, bins);
    }

    /**
     * Starts a second panel to the right of the first (its own axes, the first panel keeps the
     * left 56 % of the width): every layer added after this call draws there, e.g. bars of the
     * ELBO next to the densities of q and p. Callable once.
     */
    public Chart panel(String xLabel, String yLabel) {
        if (secondPanel) {
            throw new IllegalStateException("panel: this chart already has a second panel");
        }
        secondPanel = true;
        axis("xaxis").putArray("domain").add(0).add(0.56);
        ObjectNode x2 = axis("xaxis2");
        x2.putArray("domain").add(0.68).add(1);
        x2.put("anchor", "y2").putObject("title").put("text", xLabel == null ? "" : xLabel);
        axis("yaxis2").put("anchor", "x2").putObject("title").put("text", yLabel == null ? "" : yLabel);
        return this;
    }

    // ---- 2-D: contours and heat maps ---------------------------------------------------------

    /** Contour lines of z over the grid: z[j][i] is the value at (xs[i], ys[j]). */
    public Chart contour(String name, double[] xs, double[] ys, double[][] z) {
        ObjectNode t = grid("contour", name, xs, ys, z);
        t.put("colorscale", "Viridis").put("ncontours", 25).put("showscale", true);
        t.putObject("contours").put("coloring", "lines");
        t.putObject("colorbar").put("len", 0.8);
        legendBelow();
        return add(t);
    }

    /** Contour lines of the density of a two-dimensional distribution p (one row): exp(p.logProb(grid.points())). */
    public Chart contour(String name, Grid grid, Distribution p) {
        return contour(name, xs(grid), grid.ys(), Densities.on("p", p, grid));
    }

    /** Contour lines of values given at the grid's points ({@code ny·nx} entries, the order of {@code grid.points()}). */
    public Chart contour(String name, Grid grid, INDArray values) {
        return contour(name, xs(grid), grid.ys(), grid.matrix(values));
    }

    /** Contour lines of the density exp(logValues), log densities given at the grid's points. */
    public Chart contourFromLog(String name, Grid grid, INDArray logValues) {
        return contour(name, xs(grid), grid.ys(), Densities.fromLog("logValues", grid, logValues));
    }

    /** A heat map: z[j][i] is the value at (xs[i], ys[j]). */
    public Chart heatmap(String name, double[] xs, double[] ys, double[][] z) {
        ObjectNode t = grid("heatmap", name, xs, ys, z).put("colorscale", "Viridis");
        legendBelow();
        return add(t);
    }

    /** A heat map of the density of a two-dimensional distribution p (one row) over the grid. */
    public Chart heatmap(String name, Grid grid, Distribution p) {
        return heatmap(name, xs(grid), grid.ys(), Densities.on("p", p, grid));
    }

    /** A heat map of values given at the grid's points ({@code ny·nx} entries, the order of {@code grid.points()}). */
    public Chart heatmap(String name, Grid grid, INDArray values) {
        return heatmap(name, xs(grid), grid.ys(), grid.matrix(values));
    }

    /** A heat map of the density exp(logValues), log densities given at the grid's points. */
    public Chart heatmapFromLog(String name, Grid grid, INDArray logValues) {
        return heatmap(name, xs(grid), grid.ys(), Densities.fromLog("logValues", grid, logValues));
    }

    // ---- axes and size -----------------------------------------------------------------------

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

    /** The figure, ready to display in a notebook or render to HTML: layers in call order, colours in that order. */
    public JsonFigure build() {
        if (layers.isEmpty()) {
            throw new IllegalStateException("chart \"" + layout.path("title").path("text").asText() + "\" has no layers: add a line, scatter, ...");
        }
        List<JsonTrace> traces = new ArrayList<>();
        int colours = 0;
        for (Layer layer : layers) {
            if (layer instanceof Drawn d) {
                String colour = d.coloured() ? Palette.colour(colours++) : null;
                for (ObjectNode t : d.traces()) {
                    traces.add(new JsonTrace(colour == null ? t.deepCopy() : Palette.paint(t.deepCopy(), colour)));
                }
            } else if (layer instanceof HorizontalLine h) {
                ObjectNode t = xy("scatter", h.name(), xSpan(h.name(), h.second()), new double[] {h.y(), h.y()}).put("mode", "lines");
                if (h.second()) {
                    t.put("xaxis", "x2").put("yaxis", "y2");
                }
                t.putObject("line").put("dash", "dash");
                traces.add(new JsonTrace(Palette.paint(t, Palette.colour(colours++))));
            }
        }
        return new JsonFigure(layout.deepCopy(), traces.toArray(new JsonTrace[0]));
    }

    ObjectNode layout() {
        return layout;
    }

    /** Adds a trace drawn with its own colour scale (no palette colour). */
    Chart add(ObjectNode trace) {
        layers.add(new Drawn(List.of(onPanel(trace)), false));
        return this;
    }

    private Chart coloured(ObjectNode trace) {
        layers.add(new Drawn(List.of(onPanel(trace)), true));
        return this;
    }

    private ObjectNode onPanel(ObjectNode trace) {
        if (secondPanel) {
            trace.put("xaxis", "x2").put("yaxis", "y2");
        }
        return trace;
    }

    /** How many palette colours the layers so far take. */
    private int colouredLayers() {
        int n = 0;
        for (Layer layer : layers) {
            if (!(layer instanceof Drawn d) || d.coloured()) {
                n++;
            }
        }
        return n;
    }

    /** [min, max] of the fixed x range, else of every numeric x value of the drawn layers. */
    private double[] xSpan(String name, boolean second) {
        String axisName = second ? "xaxis2" : "xaxis";
        JsonNode range = axis(axisName).path("range");
        if (range.size() == 2) {
            boolean log = axis(axisName).path("type").asText().equals("log");
            double lo = range.get(0).asDouble();
            double hi = range.get(1).asDouble();
            return log ? new double[] {Math.pow(10, lo), Math.pow(10, hi)} : new double[] {lo, hi};
        }
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Layer layer : layers) {
            if (layer instanceof Drawn d) {
                for (ObjectNode t : d.traces()) {
                    if (t.path("xaxis").asText("x").equals("x2") != second) {
                        continue;
                    }
                    for (JsonNode v : t.path("x")) {
                        if (v.isNumber()) {
                            lo = Math.min(lo, v.asDouble());
                            hi = Math.max(hi, v.asDouble());
                        }
                    }
                }
            }
        }
        if (lo > hi) {
            throw new IllegalStateException("hline \"" + name + "\": no layer with numeric x values to span; add a line, scatter, ... or set range(...)");
        }
        return new double[] {lo, hi};
    }

    /** A colour bar takes the right margin, so other layers' legend goes under the plot. */
    private void legendBelow() {
        layout.putObject("legend").put("orientation", "h").put("x", 0).put("y", -0.2).put("yanchor", "top");
        layout.put("height", Math.max(layout.path("height").asInt(DEFAULT_HEIGHT), 480));
    }

    private ObjectNode axis(String name) {
        return layout.has(name) ? (ObjectNode) layout.get(name) : layout.putObject(name);
    }

    private static double[] xs(Grid grid) {
        if (grid == null) {
            throw new IllegalArgumentException("grid: expected a Grid (Grid.of(xs, ys)), got null");
        }
        return grid.xs();
    }

    private static ObjectNode lines(String name, double[] x, double[] y) {
        return xy("scatter", name, x, y).put("mode", "lines");
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
