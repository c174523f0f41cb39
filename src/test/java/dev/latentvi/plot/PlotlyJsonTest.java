package dev.latentvi.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import tech.tablesaw.plotly.components.Axis;
import tech.tablesaw.plotly.components.Figure;
import tech.tablesaw.plotly.components.Layout;
import tech.tablesaw.plotly.traces.HistogramTrace;
import tech.tablesaw.plotly.traces.ScatterTrace;

class PlotlyJsonTest {
    @Test
    void readsFiguresBuiltWithTablesawsOwnBuilders() {
        ScatterTrace line = ScatterTrace.builder(new double[] {1, 2, 3}, new double[] {4, 5, 6.5})
                .mode(ScatterTrace.Mode.LINE).name("it's a <line>").build();
        HistogramTrace hist = HistogramTrace.builder(new double[] {0.5, 1.5, 1.7}).name("h").build();
        Layout layout = Layout.builder().title("A 'quoted' & <escaped> title")
                .xAxis(Axis.builder().title("x axis").type(Axis.Type.LOG).build()).build();
        ObjectNode spec = PlotlyJson.spec(new Figure(layout, line, hist));

        assertEquals("A 'quoted' & <escaped> title", spec.at("/layout/title").asText());
        assertEquals("x axis", spec.at("/layout/xaxis/title").asText());
        assertEquals("log", spec.at("/layout/xaxis/type").asText());
        assertEquals(2, spec.get("data").size());
        assertEquals("it's a <line>", spec.at("/data/0/name").asText());
        assertEquals("lines", spec.at("/data/0/mode").asText());
        assertTrue(spec.at("/data/0/y/2").isNumber(), "numbers come back as numbers");
        assertEquals(6.5, spec.at("/data/0/y/2").asDouble());
        assertEquals("histogram", spec.at("/data/1/type").asText());
    }

    @Test
    void scriptSafeJsonCannotCloseTheScriptElement() {
        ObjectNode spec = Plots.line("</script><script>alert(1)</script>", "x", "y", new double[] {0}, new double[] {0}).spec();
        String json = PlotlyJson.toScriptSafeJson(spec);
        assertFalse(json.contains("</script>"));
        assertTrue(json.contains("<\\/script>"));
    }
}
