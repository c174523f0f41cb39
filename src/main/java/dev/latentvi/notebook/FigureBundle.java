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

    /**
     * Pausing an animation interrupts it, and plotly.js rejects the interrupted animation's
     * promise, which its own play / pause buttons never catch ("Uncaught (in promise)" on every
     * pause). The page marks exactly that rejection as handled: one with no reason, within two
     * seconds of a figure's {@code plotly_animationinterrupted} event. Every other error still shows.
     */
    static final String CALM_INTERRUPTED_ANIMATIONS = "  if (!window.__latentviCalm) { window.__latentviCalm = true;\n"
            + "    window.addEventListener('unhandledrejection', function (e) {\n"
            + "      if (e.reason === undefined && Date.now() - (window.__latentviInterrupted || 0) < 2000) { e.preventDefault(); } }); }\n";

    /**
     * Hooks on a drawn explorable figure: notes the time an animation is interrupted (see
     * {@link #CALM_INTERRUPTED_ANIMATIONS}), and when a slider is released clears the "dragging"
     * mark of every slider: plotly.js 3.8 sets that mark on the slider's options before the
     * animation's redraw copies them, so a quick click can leave the copy marked, and a marked
     * slider no longer follows the play button.
     */
    static final String EXPLORABLE_HOOKS = ".then(function () {"
            + " gd.on('plotly_animationinterrupted', function () { window.__latentviInterrupted = Date.now(); });"
            + " gd.on('plotly_sliderend', function () { (gd._fullLayout.sliders || []).forEach(function (s) { s._dragging = false; }); }); })";

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
                .append("  var draw = function () { var gd = document.getElementById('").append(id).append("');\n")
                .append("    window.Plotly.newPlot(gd, {data: spec.data, layout: spec.layout, frames: spec.frames || [], config: {responsive: true, displaylogo: false}})")
                .append(spec.has("frames") ? EXPLORABLE_HOOKS : "")
                .append("; };\n")
                .append(spec.has("frames") ? CALM_INTERRUPTED_ANIMATIONS : "")
                .append("  if (window.Plotly) { draw(); } else { (window.__latentviQueue = window.__latentviQueue || []).push(draw); }\n")
                .append("})();</script>\n");
        if (includeLibrary) {
            html.append(PlotlyLibrary.scriptTag());
        }
        return html.toString();
    }
}
