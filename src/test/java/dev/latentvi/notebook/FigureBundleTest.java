package dev.latentvi.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latentvi.plot.Plots;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tech.tablesaw.plotly.components.Figure;

class FigureBundleTest {
    private final Figure figure = Plots.line("Loss", "step", "loss", new double[] {0, 1, 2}, new double[] {3, 2, 1.5});

    @Test
    void bundleHasPlotlyJsonHtmlAndText() {
        Map<String, Object> bundle = new FigureBundle().render(figure);
        assertEquals(List.of(FigureBundle.PLOTLY_MIME, "text/html", "text/plain"), List.copyOf(bundle.keySet()));

        @SuppressWarnings("unchecked")
        Map<String, Object> plotly = (Map<String, Object>) bundle.get(FigureBundle.PLOTLY_MIME);
        List<?> data = (List<?>) plotly.get("data");
        assertEquals(1, data.size());
        assertEquals(List.of(3.0, 2.0, 1.5), ((Map<?, ?>) data.get(0)).get("y"));
        assertEquals("Loss", ((Map<?, ?>) ((Map<?, ?>) plotly.get("layout")).get("title")).get("text"));
        assertEquals("Figure: Loss (1 traces)", bundle.get("text/plain"));
    }

    @Test
    void plotlyJsIsInlinedOnceAndNeverFetched() {
        FigureBundle bundles = new FigureBundle();
        String first = (String) bundles.render(figure).get("text/html");
        String second = (String) bundles.render(figure).get("text/html");
        String library = PlotlyLibrary.source();
        assertTrue(library.length() > 1_000_000, "the real plotly.js bundle is embedded");
        assertTrue(first.contains(library), "first figure carries plotly.js");
        assertFalse(second.contains(library), "later figures do not repeat it");
        assertTrue(second.contains("window.__latentviQueue"), "later figures wait for the library if needed");
        for (String html : List.of(first.replace(library, ""), second)) {
            assertFalse(html.contains("cdn.plot.ly"), "no CDN");
            assertFalse(html.contains("<script src="), "no external scripts");
            assertTrue(html.contains("class=\"latentvi-plot\""));
            assertTrue(html.contains("Plotly.newPlot"));
        }
    }

    @Test
    void explorableFiguresCarryTheirFramesInTheJsonAndTheHtml() {
        Figure explorable = Plots.explore("a", new double[] {1, 2, 3},
                a -> Plots.line("Slope " + a, "x", "y", new double[] {0, 1}, new double[] {0, a}));
        Map<String, Object> bundle = new FigureBundle().render(explorable);
        @SuppressWarnings("unchecked")
        Map<String, Object> plotly = (Map<String, Object>) bundle.get(FigureBundle.PLOTLY_MIME);
        List<?> frames = (List<?>) plotly.get("frames");
        assertEquals(3, frames.size());
        assertEquals("a = 3", ((Map<?, ?>) frames.get(2)).get("name"));
        String html = (String) bundle.get("text/html");
        assertTrue(html.contains("frames: spec.frames"), "newPlot gets the frames");
        assertTrue(html.contains("\"frames\":[{\"name\":\"a = 1\""), "the spec in the page holds them");
        assertEquals("Figure: Slope 1.0 (1 traces, 3 frames)", bundle.get("text/plain"));
        String js = explorable.asJavascript("d");
        assertTrue(js.contains("Plotly.addFrames(gd, [{\"name\":\"a = 1\""), js);
    }
}
