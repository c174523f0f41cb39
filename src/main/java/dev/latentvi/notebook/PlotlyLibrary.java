package dev.latentvi.notebook;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * plotly.js, embedded in the library jar from the npm package {@code plotly.js-dist-min} that
 * {@code environment/setup} fetches, so figures draw offline with no CDN.
 */
public final class PlotlyLibrary {
    static final String RESOURCE = "dev/latentvi/notebook/plotly.min.js";
    private static volatile String source;

    private PlotlyLibrary() {
    }

    /** The plotly.js source (cached after the first call). */
    public static String source() {
        String s = source;
        if (s == null) {
            synchronized (PlotlyLibrary.class) {
                if (source == null) {
                    source = load();
                }
                s = source;
            }
        }
        return s;
    }

    /**
     * An HTML {@code <script>} that defines {@code window.Plotly} and then draws every figure that
     * was waiting for it. The AMD/CommonJS globals are hidden so the bundle always sets the global.
     */
    public static String scriptTag() {
        return "<script type=\"text/javascript\">(function(define, module, exports){\n" + source()
                + "\n}).call(window);\n(window.__latentviQueue || []).forEach(function (draw) { draw(); });\n"
                + "window.__latentviQueue = [];</script>\n";
    }

    private static String load() {
        try (InputStream in = PlotlyLibrary.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("plotly.js is not in the latentvi jar (" + RESOURCE
                        + "): run environment/setup, which fetches it to data/plotly/ and rebuilds the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + RESOURCE + " from the latentvi jar", e);
        }
    }
}
