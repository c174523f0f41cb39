package dev.latentvi.plot;

import com.fasterxml.jackson.databind.node.ObjectNode;
import tech.tablesaw.plotly.components.HoverLabel;
import tech.tablesaw.plotly.traces.Trace;

/**
 * A Plotly trace given directly as its JSON object (any trace type, any attribute), usable in a
 * Tablesaw {@link tech.tablesaw.plotly.components.Figure} next to Tablesaw's own traces.
 */
public final class JsonTrace implements Trace {
    private final ObjectNode json;

    public JsonTrace(ObjectNode json) {
        if (json == null || !json.has("type")) {
            throw new IllegalArgumentException("json: expected a Plotly trace object with a \"type\", got " + json);
        }
        this.json = json;
    }

    /** The trace's JSON (a defensive copy). */
    public ObjectNode json() {
        return json.deepCopy();
    }

    @Override
    public String asJavascript(int i) {
        return "var trace" + i + " = " + PlotlyJson.toScriptSafeJson(json) + ";\n";
    }

    @Override
    public String name() {
        return json.path("name").asText("trace");
    }

    @Override
    public HoverLabel hoverLabel() {
        return null;
    }

    @Override
    public boolean showLegend() {
        return json.path("showlegend").asBoolean(true);
    }
}
