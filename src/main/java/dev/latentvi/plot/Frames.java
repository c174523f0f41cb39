package dev.latentvi.plot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * Builds explorable figures ({@link Plots#explore}): one Plotly animation frame per value of a
 * parameter, a slider with one step per frame and play / pause buttons. Frame 0's traces are the
 * figure's data, every frame has the same traces (count, names, types, order), the title may
 * change from frame to frame, and axis ranges are fixed to the union over all frames so that the
 * picture does not jump while the slider moves. Numbers in data arrays are rounded to
 * {@value #DIGITS} significant digits of each array's largest magnitude to keep pages light.
 */
final class Frames {
    /** Significant digits kept in the data arrays of an explorable figure. */
    static final int DIGITS = 4;
    private static final int FRAME_MS = 400;
    private static final double PAD = 0.04;

    private Frames() {
    }

    /** The explorable figure over labelled values: figureAt(i) is the figure at values' i-th label. */
    static JsonFigure of(String parameter, String[] labels, IntFunction<JsonFigure> figureAt) {
        Chart.requireText("parameter", parameter);
        if (labels == null || labels.length == 0) {
            throw new IllegalArgumentException("values: expected at least one value, got " + (labels == null ? "null" : "none"));
        }
        if (figureAt == null) {
            throw new IllegalArgumentException("figureAt: expected a function from a value to its figure, got null");
        }
        Set<String> seen = new HashSet<>();
        for (String label : labels) {
            if (!seen.add(label)) {
                throw new IllegalArgumentException("values: expected distinct values, got " + label + " twice");
            }
        }
        List<ObjectNode> specs = new ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
            JsonFigure f = figureAt.apply(i);
            if (f == null) {
                throw new IllegalArgumentException("figureAt: expected a figure at " + parameter + " = " + labels[i] + ", got null");
            }
            ObjectNode spec = f.spec();
            if (spec.has("frames")) {
                throw new IllegalArgumentException("figureAt: expected a static figure at " + parameter + " = " + labels[i]
                        + ", got an explorable one (" + f.frameCount() + " frames)");
            }
            if (i > 0) {
                requireSameTraces(specs.get(0), spec, parameter + " = " + labels[0], parameter + " = " + labels[i]);
            }
            specs.add(spec);
        }
        ObjectNode layout = specs.get(0).path("layout").deepCopy();
        fixRanges(layout, specs);
        boolean titles = specs.stream().map(Frames::title).distinct().count() > 1;
        ArrayNode frames = PlotlyJson.MAPPER.createArrayNode();
        for (int i = 0; i < labels.length; i++) {
            ObjectNode frame = frames.addObject().put("name", frameName(parameter, labels[i]));
            frame.set("data", round(specs.get(i).get("data")));
            if (titles) {
                frame.putObject("layout").set("title", specs.get(i).path("layout").path("title").deepCopy());
            }
        }
        addControls(layout, parameter, labels);
        ArrayNode data = (ArrayNode) round(specs.get(0).get("data"));
        JsonTrace[] traces = new JsonTrace[data.size()];
        for (int t = 0; t < traces.length; t++) {
            traces[t] = new JsonTrace((ObjectNode) data.get(t));
        }
        return new JsonFigure(layout, frames, traces);
    }

    /** The slider label of a value: integers as such, others to {@value #DIGITS} significant digits. */
    static String label(double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("values: expected finite values, got " + value);
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return new BigDecimal(value).round(new MathContext(DIGITS)).stripTrailingZeros().toPlainString();
    }

    /**
     * Slider labels of a grid of values: integers as such; otherwise every value with the same number
     * of decimals, just enough to tell neighbours apart (one more than the smallest gap's first
     * significant decimal), so a slider over {@code linspace(-0.44, 2.56, 13)} reads −0.44, −0.19, …, 2.56.
     */
    static String[] labels(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double gap = Double.POSITIVE_INFINITY;
        boolean integers = true;
        for (int i = 0; i < sorted.length; i++) {
            integers &= sorted[i] == Math.rint(sorted[i]) && Math.abs(sorted[i]) < 1e15;
            if (i > 0 && sorted[i] > sorted[i - 1]) {
                gap = Math.min(gap, sorted[i] - sorted[i - 1]);
            }
        }
        String[] out = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = label(values[i]);   // also rejects non-finite values
        }
        if (integers || Double.isInfinite(gap)) {
            return out;
        }
        int decimals = (int) Math.max(0, Math.min(12, Math.ceil(-Math.log10(gap)) + 1));
        for (int i = 0; i < values.length; i++) {
            out[i] = new BigDecimal(values[i]).setScale(decimals, RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString();
            if (out[i].equals("-0")) {
                out[i] = "0";
            }
        }
        return out;
    }

    static String frameName(String parameter, String label) {
        return parameter + " = " + label;
    }

    private static String title(ObjectNode spec) {
        return spec.path("layout").path("title").path("text").asText("");
    }

    private static void requireSameTraces(ObjectNode first, ObjectNode other, String firstName, String otherName) {
        List<String> want = traceKeys(first);
        List<String> got = traceKeys(other);
        if (!want.equals(got)) {
            throw new IllegalArgumentException("figureAt: every frame needs the same traces in the same order; at " + otherName
                    + " got " + got + ", expected " + want + " (as at " + firstName + ")");
        }
    }

    private static List<String> traceKeys(ObjectNode spec) {
        List<String> keys = new ArrayList<>();
        for (JsonNode t : spec.path("data")) {
            keys.add(t.path("type").asText() + " \"" + t.path("name").asText("") + "\"");
        }
        return keys;
    }

    // ---- fixed axis ranges ---------------------------------------------------------------------

    /** Sets [lo, hi] (padded) on every numeric axis without a range or autorange of its own. */
    private static void fixRanges(ObjectNode layout, List<ObjectNode> specs) {
        Map<String, double[]> spans = new LinkedHashMap<>();
        Set<String> categorical = new HashSet<>();
        for (ObjectNode spec : specs) {
            for (JsonNode t : spec.path("data")) {
                String xa = axisName("xaxis", t.path("xaxis").asText("x"));
                String ya = axisName("yaxis", t.path("yaxis").asText("y"));
                String type = t.path("type").asText();
                boolean logY = "log".equals(layout.path(ya).path("type").asText());
                switch (type) {
                    case "bar" -> {
                        categorical.add(xa);
                        JsonNode base = t.path("base");
                        JsonNode y = t.path("y");
                        for (int i = 0; i < y.size(); i++) {
                            double b = base.isArray() ? base.path(i).asDouble() : base.isNumber() ? base.asDouble() : 0;
                            include(spans, ya, b, logY);
                            include(spans, ya, b + y.get(i).asDouble(), logY);
                        }
                    }
                    case "histogram" -> {
                        if (t.has("xbins")) {   // fixed bins: the axis shows the bins, values outside are not drawn
                            include(spans, xa, t.path("xbins").path("start").asDouble(), false);
                            include(spans, xa, t.path("xbins").path("end").asDouble(), false);
                        } else {
                            includeAll(spans, categorical, xa, t.path("x"), false);
                        }
                        include(spans, ya, 0, logY);
                        include(spans, ya, maxDensity(t), logY);
                    }
                    default -> {
                        includeAll(spans, categorical, xa, t.path("x"), "log".equals(layout.path(xa).path("type").asText()));
                        includeAll(spans, categorical, ya, t.path("y"), logY);
                    }
                }
            }
        }
        for (Map.Entry<String, double[]> e : spans.entrySet()) {
            String name = e.getKey();
            ObjectNode axis = layout.has(name) ? (ObjectNode) layout.get(name) : layout.putObject(name);
            if (categorical.contains(name) || axis.has("range") || axis.has("autorange")) {
                continue;
            }
            double lo = e.getValue()[0];
            double hi = e.getValue()[1];
            boolean log = "log".equals(axis.path("type").asText());
            if (log) {
                lo = Math.log10(lo);
                hi = Math.log10(hi);
            }
            double pad = hi > lo ? PAD * (hi - lo) : Math.max(0.5, Math.abs(hi) * 0.1);
            axis.putArray("range").add(lo - pad).add(hi + pad);
        }
    }

    private static String axisName(String kind, String ref) {
        String suffix = ref.length() > 1 ? ref.substring(1) : "";
        return kind + suffix;
    }

    private static void includeAll(Map<String, double[]> spans, Set<String> categorical, String axis, JsonNode values, boolean log) {
        for (JsonNode v : values) {
            if (v.isArray()) {
                includeAll(spans, categorical, axis, v, log);
            } else if (v.isNumber()) {
                include(spans, axis, v.asDouble(), log);
            } else if (v.isTextual()) {
                categorical.add(axis);
            }
        }
    }

    private static void include(Map<String, double[]> spans, String axis, double v, boolean log) {
        if (!Double.isFinite(v) || (log && !(v > 0))) {
            return;
        }
        double[] span = spans.computeIfAbsent(axis, k -> new double[] {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY});
        span[0] = Math.min(span[0], v);
        span[1] = Math.max(span[1], v);
    }

    /** The tallest bar of a density histogram: exact with fixed xbins, estimated (+10 %) from nbinsx equal bins otherwise. */
    private static double maxDensity(JsonNode t) {
        JsonNode xs = t.path("x");
        int n = xs.size();
        if (n == 0) {
            return 0;
        }
        double lo;
        double size;
        int bins;
        double slack;
        if (t.has("xbins")) {
            lo = t.path("xbins").path("start").asDouble();
            size = t.path("xbins").path("size").asDouble();
            bins = (int) Math.round((t.path("xbins").path("end").asDouble() - lo) / size);
            slack = 1.05;
        } else {
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (JsonNode v : xs) {
                min = Math.min(min, v.asDouble());
                max = Math.max(max, v.asDouble());
            }
            bins = Math.max(1, t.path("nbinsx").asInt(20));
            lo = min;
            size = max > min ? (max - min) / bins : 1;
            slack = 1.25;
        }
        int[] counts = new int[Math.max(1, bins)];
        int inside = 0;
        for (JsonNode v : xs) {
            int b = (int) Math.floor((v.asDouble() - lo) / size);
            if (b == counts.length && v.asDouble() <= lo + size * counts.length + 1e-12) {
                b--;
            }
            if (b >= 0 && b < counts.length) {
                counts[b]++;
                inside++;
            }
        }
        int top = 0;
        for (int c : counts) {
            top = Math.max(top, c);
        }
        boolean density = t.path("histnorm").asText("").equals("probability density");
        return inside == 0 ? 0 : slack * (density ? top / (inside * size) : top);
    }

    // ---- slider and buttons ---------------------------------------------------------------------

    private static void addControls(ObjectNode layout, String parameter, String[] labels) {
        boolean legendBelow = "h".equals(layout.path("legend").path("orientation").asText());
        int padTop = legendBelow ? 110 : 55;
        int height = layout.path("height").asInt(440);
        layout.put("height", height + 100);
        ObjectNode margin = layout.has("margin") ? (ObjectNode) layout.get("margin") : layout.putObject("margin");
        margin.put("b", margin.path("b").asInt(80) + 100);
        ObjectNode slider = layout.putArray("sliders").addObject();
        slider.put("active", 0).put("x", 0.12).put("len", 0.88).put("y", 0).put("yanchor", "top").put("xanchor", "left");
        slider.putObject("pad").put("t", padTop).put("b", 10);
        slider.putObject("currentvalue").put("visible", true).put("prefix", parameter + " = ").put("xanchor", "left");
        slider.putObject("transition").put("duration", 0);
        ArrayNode steps = slider.putArray("steps");
        for (String label : labels) {
            ObjectNode step = steps.addObject().put("label", label).put("method", "animate");
            ArrayNode args = step.putArray("args");
            args.addArray().add(frameName(parameter, label));
            args.add(animation(0).put("mode", "immediate"));
        }
        ObjectNode menu = layout.putArray("updatemenus").addObject();
        menu.put("type", "buttons").put("showactive", false).put("direction", "left")
                .put("x", 0.12).put("y", 0).put("xanchor", "right").put("yanchor", "top");
        menu.putObject("pad").put("t", padTop + 32).put("r", 10);
        ArrayNode buttons = menu.putArray("buttons");
        ObjectNode play = buttons.addObject().put("label", "▶ play").put("method", "animate");
        play.putArray("args").addNull().add(animation(FRAME_MS).put("fromcurrent", true));
        ObjectNode pause = buttons.addObject().put("label", "❚❚ pause").put("method", "animate");
        pause.putArray("args").add(PlotlyJson.MAPPER.createArrayNode().addNull()).add(animation(0).put("mode", "immediate"));
    }

    private static ObjectNode animation(int ms) {
        ObjectNode a = PlotlyJson.MAPPER.createObjectNode();
        a.putObject("frame").put("duration", ms).put("redraw", true);
        a.putObject("transition").put("duration", 0);
        return a;
    }

    // ---- lean numbers ---------------------------------------------------------------------------

    /**
     * A copy of node with every data array rounded to {@value #DIGITS} significant digits of its
     * largest magnitude (so pixel values in [0, 1] keep 4 decimals, and near-zero pixels become 0
     * instead of long exponents).
     */
    static JsonNode round(JsonNode node) {
        if (node.isObject()) {
            ObjectNode out = PlotlyJson.MAPPER.createObjectNode();
            node.fields().forEachRemaining(e -> out.set(e.getKey(), round(e.getValue())));
            return out;
        }
        if (node.isArray()) {
            double max = maxMagnitude(node);
            if (max == 0 || !Double.isFinite(max)) {   // e.g. the array of traces: round inside each
                ArrayNode out = PlotlyJson.MAPPER.createArrayNode();
                for (JsonNode child : node) {
                    out.add(round(child));
                }
                return out;
            }
            int exponent = DIGITS - 1 - (int) Math.floor(Math.log10(max));
            return quantized(node, exponent);
        }
        return node;
    }

    private static double maxMagnitude(JsonNode node) {
        double max = 0;
        for (JsonNode child : node) {
            if (child.isArray()) {
                max = Math.max(max, maxMagnitude(child));
            } else if (child.isFloatingPointNumber()) {
                max = Math.max(max, Math.abs(child.asDouble()));
            }
        }
        return max;
    }

    private static JsonNode quantized(JsonNode node, int exponent) {
        if (node.isArray()) {
            ArrayNode out = PlotlyJson.MAPPER.createArrayNode();
            for (JsonNode child : node) {
                out.add(quantized(child, exponent));
            }
            return out;
        }
        if (node.isObject()) {
            return round(node);
        }
        if (node.isFloatingPointNumber()) {
            return PlotlyJson.MAPPER.getNodeFactory().numberNode(quantize(node.asDouble(), exponent));
        }
        return node;
    }

    /** v rounded to a multiple of 10^-exponent, as the nearest double to that decimal. */
    static double quantize(double v, int exponent) {
        if (v == 0 || !Double.isFinite(v)) {
            return v;
        }
        if (exponent >= 0 && exponent <= 22) {
            double scale = Math.pow(10, exponent);
            return Math.round(v * scale) / scale;
        }
        if (exponent < 0 && exponent >= -22) {
            double scale = Math.pow(10, -exponent);
            return Math.round(v / scale) * scale;
        }
        return new BigDecimal(v).setScale(exponent, java.math.RoundingMode.HALF_EVEN).doubleValue();
    }

    /** v rounded to the given number of significant digits (the nearest double to that decimal). */
    static double significant(double v, int digits) {
        if (v == 0 || !Double.isFinite(v)) {
            return v;
        }
        return quantize(v, digits - 1 - (int) Math.floor(Math.log10(Math.abs(v))));
    }
}
