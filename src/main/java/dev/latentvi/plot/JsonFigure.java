package dev.latentvi.plot;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import tech.tablesaw.plotly.components.Figure;
import tech.tablesaw.plotly.components.Layout;
import tech.tablesaw.plotly.traces.Trace;

/**
 * A Tablesaw {@link Figure} whose traces and layout are Plotly JSON, so every Plotly attribute is
 * available (log axes, colour scales, image aspect ratio). Made by {@link Chart} and {@link Plots}.
 * An explorable figure ({@link Plots#explore}) also carries Plotly animation {@code frames}: its
 * traces are frame 0, and a slider in its layout moves between the frames.
 */
public final class JsonFigure extends Figure {
    private final ObjectNode layout;
    private final ArrayNode frames;

    JsonFigure(ObjectNode layout, JsonTrace... traces) {
        this(layout, null, traces);
    }

    JsonFigure(ObjectNode layout, ArrayNode frames, JsonTrace... traces) {
        super(Layout.builder().title(layout.path("title").path("text").asText("")).build(), traces);
        this.layout = layout;
        this.frames = frames == null ? PlotlyJson.MAPPER.createArrayNode() : frames;
    }

    /**
     * The Plotly spec {@code {"data": [...], "layout": {...}}} (a fresh copy), with
     * {@code "frames": [...]} when the figure is explorable.
     */
    public ObjectNode spec() {
        ObjectNode spec = PlotlyJson.MAPPER.createObjectNode();
        ArrayNode data = spec.putArray("data");
        for (Trace t : getTraces()) {
            data.add(((JsonTrace) t).json());
        }
        spec.set("layout", layout.deepCopy());
        if (!frames.isEmpty()) {
            spec.set("frames", frames.deepCopy());
        }
        return spec;
    }

    /** The figure's title text. */
    public String title() {
        return layout.path("title").path("text").asText("");
    }

    /** The number of animation frames (one per slider step); 0 for a figure that is not explorable. */
    public int frameCount() {
        return frames.size();
    }

    @Override
    public String asJavascript(String divName) {
        ObjectNode spec = spec();
        String draw = "Plotly.newPlot(target_" + divName + ", " + PlotlyJson.toScriptSafeJson(spec.get("data")) + ", "
                + PlotlyJson.toScriptSafeJson(spec.get("layout")) + ")";
        if (spec.has("frames")) {
            draw += ".then(function (gd) { return Plotly.addFrames(gd, " + PlotlyJson.toScriptSafeJson(spec.get("frames")) + "); })";
        }
        return "<script>\n    var target_" + divName + " = document.getElementById('" + divName + "');\n    " + draw + ";\n</script>\n";
    }
}
