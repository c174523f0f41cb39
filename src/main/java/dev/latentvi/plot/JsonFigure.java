package dev.latentvi.plot;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import tech.tablesaw.plotly.components.Figure;
import tech.tablesaw.plotly.components.Layout;
import tech.tablesaw.plotly.traces.Trace;

/**
 * A Tablesaw {@link Figure} whose traces and layout are Plotly JSON, so every Plotly attribute is
 * available (log axes, colour scales, image aspect ratio). Made by {@link Chart} and {@link Plots}.
 */
public final class JsonFigure extends Figure {
    private final ObjectNode layout;

    JsonFigure(ObjectNode layout, JsonTrace... traces) {
        super(Layout.builder().title(layout.path("title").path("text").asText("")).build(), traces);
        this.layout = layout;
    }

    /** The Plotly spec {@code {"data": [...], "layout": {...}}} (a fresh copy). */
    public ObjectNode spec() {
        ObjectNode spec = PlotlyJson.MAPPER.createObjectNode();
        ArrayNode data = spec.putArray("data");
        for (Trace t : getTraces()) {
            data.add(((JsonTrace) t).json());
        }
        spec.set("layout", layout.deepCopy());
        return spec;
    }

    /** The figure's title text. */
    public String title() {
        return layout.path("title").path("text").asText("");
    }

    @Override
    public String asJavascript(String divName) {
        ObjectNode spec = spec();
        return "<script>\n    var target_" + divName + " = document.getElementById('" + divName + "');\n"
                + "    Plotly.newPlot(target_" + divName + ", " + PlotlyJson.toScriptSafeJson(spec.get("data")) + ", "
                + PlotlyJson.toScriptSafeJson(spec.get("layout")) + ");\n</script>\n";
    }
}
