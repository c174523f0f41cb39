package dev.latentvi.notebook;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.latentvi.plot.PlotlyJson;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import tech.tablesaw.plotly.components.Figure;

/**
 * The MIME bundle of a figure: {@code application/vnd.plotly.v1+json} for JupyterLab's Plotly
 * renderer, {@code text/html} that draws with plotly.js everywhere else (exported HTML, Notebook 7
 * without the extension), and {@code text/plain}. An explorable figure's animation {@code frames}
 * travel in both: in the Plotly JSON (JupyterLab's renderer adds them after drawing) and in the
 * HTML, which draws with {@code Plotly.newPlot(div, {data, layout, frames, config})}. plotly.js goes inline with the first figure of a
 * kernel session only; later figures queue until it has loaded.
 */
public final class FigureBundle {
    public static final String PLOTLY_MIME = "application/vnd.plotly.v1+json";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final AtomicBoolean libraryIncluded = new AtomicBoolean(false);

    /** The bundle for {@code figure}: MIME type → data (a JSON map for Plotly, strings otherwise). */
    public Map<String, Object> render(Figure figure) {
        ObjectNode spec = PlotlyJson.spec(figure);
        Map<String, Object> bundle = new LinkedHashMap<>();
        bundle.put(PLOTLY_MIME, MAPPER.convertValue(spec, Map.class));
        bundle.put("text/html", html(spec, !libraryIncluded.getAndSet(true)));
        String title = spec.path("layout").path("title").path("text").asText("");
        bundle.put("text/plain", "Figure" + (title.isEmpty() ? "" : ": " + title) + " (" + spec.path("data").size() + " traces"
                + (spec.has("frames") ? ", " + spec.path("frames").size() + " frames" : "") + ")");
        return bundle;
    }

    /** A self-contained HTML fragment drawing {@code spec}; with the library inline if asked. */
    static String html(ObjectNode spec, boolean includeLibrary) {
        String id = "latentvi-" + UUID.randomUUID();
        int width = spec.path("layout").path("width").asInt(720);
        int height = spec.path("layout").path("height").asInt(440);
        StringBuilder html = new StringBuilder();
        html.append("<div id=\"").append(id).append("\" class=\"latentvi-plot\" style=\"width:").append(width)
                .append("px;height:").append(height).append("px;max-width:100%\"></div>\n");
        html.append("<script type=\"text/javascript\">(function () {\n")
                .append("  var spec = ").append(PlotlyJson.toScriptSafeJson(spec)).append(";\n")
                .append("  var draw = function () { window.Plotly.newPlot(document.getElementById('").append(id)
                .append("'), {data: spec.data, layout: spec.layout, frames: spec.frames || [], config: {responsive: true, displaylogo: false}}); };\n")
                .append("  if (window.Plotly) { draw(); } else { (window.__latentviQueue = window.__latentviQueue || []).push(draw); }\n")
                .append("})();</script>\n");
        if (includeLibrary) {
            html.append(PlotlyLibrary.scriptTag());
        }
        return html.toString();
    }
}
