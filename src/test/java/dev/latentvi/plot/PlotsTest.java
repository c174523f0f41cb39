package dev.latentvi.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

class PlotsTest {
    private static final double[] X = {0, 1, 2};
    private static final double[] Y = {1, 4, 9};

    @Test
    void lineCarriesTitleAxisLabelsAndData() {
        ObjectNode spec = Plots.line("Squares", "n", "n squared", X, Y).spec();
        assertEquals("Squares", spec.at("/layout/title/text").asText());
        assertEquals("n", spec.at("/layout/xaxis/title/text").asText());
        assertEquals("n squared", spec.at("/layout/yaxis/title/text").asText());
        JsonNode trace = spec.at("/data/0");
        assertEquals("scatter", trace.get("type").asText());
        assertEquals("lines", trace.get("mode").asText());
        assertEquals(9.0, trace.at("/y/2").asDouble());
    }

    @Test
    void scatterMakesOneLegendEntryPerGroupInNaturalOrder() {
        double[] x = {1, 2, 3, 4, 5};
        String[] groups = {"10", "2", "10", "1", "2"};
        ObjectNode spec = Plots.scatter("Groups", "x", "y", x, x, groups).spec();
        assertEquals(3, spec.get("data").size());
        assertEquals("1", spec.at("/data/0/name").asText());
        assertEquals("2", spec.at("/data/1/name").asText());
        assertEquals("10", spec.at("/data/2/name").asText());
        assertEquals(2, spec.at("/data/2/x").size());
        assertEquals(3.0, spec.at("/data/2/x/1").asDouble());
    }

    @Test
    void histogramIsDensityNormalizedAndOverlaid() {
        Series samples = Series.of("a", new double[] {0.1, 0.2, 0.3}).and("b", new double[] {0.5, 0.6});
        ObjectNode spec = Plots.histogram("Hist", "x", samples, 10).spec();
        assertEquals(2, spec.get("data").size());
        assertEquals("probability density", spec.at("/data/0/histnorm").asText());
        assertEquals(10, spec.at("/data/1/nbinsx").asInt());
        assertEquals("overlay", spec.at("/layout/barmode").asText());
        assertEquals("density", spec.at("/layout/yaxis/title/text").asText());
    }

    @Test
    void chartLayersAndLogAxes() {
        ObjectNode spec = Plots.chart("Variance", "M", "variance").markers("score", X, Y).dashed("reparam", X, X)
                .band("±2 se", X, X, Y).logX().logY().build().spec();
        assertEquals(4, spec.get("data").size());
        assertEquals("dash", spec.at("/data/1/line/dash").asText());
        assertEquals("tonexty", spec.at("/data/3/fill").asText());
        assertEquals("log", spec.at("/layout/xaxis/type").asText());
        assertEquals("log", spec.at("/layout/yaxis/type").asText());
    }

    @Test
    void contourAndHeatmapKeepTheGridOrientation() {
        double[][] z = {{1, 2, 3}, {4, 5, 6}};
        ObjectNode contour = Plots.contour("C", "mu", "log sigma", X, new double[] {0, 1}, z).spec();
        assertEquals("contour", contour.at("/data/0/type").asText());
        assertEquals(6.0, contour.at("/data/0/z/1/2").asDouble());
        ObjectNode heat = Plots.heatmap("H", "x", "y", X, new double[] {0, 1}, z).spec();
        assertEquals("heatmap", heat.at("/data/0/type").asText());
        assertThrows(IllegalArgumentException.class, () -> Plots.contour("C", "x", "y", X, new double[] {0}, z));
    }

    @Test
    void imageGridTilesImagesWithSeparators() {
        // three 2x2 images, two per row: a 2x2 grid of tiles with 1-pixel gaps -> 5x5 pixels
        float[] px = {0, 1, 1, 0, 1, 1, 1, 1, 0.5f, 0.5f, 0.5f, 0.5f};
        ObjectNode spec = Plots.imageGrid("Digits", Nd4j.create(px, new long[] {3, 4}, DataType.FLOAT), 2, 2, 2).spec();
        JsonNode z = spec.at("/data/0/z");
        assertEquals(5, z.size());
        assertEquals(5, z.get(0).size());
        assertEquals(1.0, z.get(0).get(1).asDouble());   // image 0, pixel (0, 1)
        assertEquals(1.0, z.get(1).get(3).asDouble());   // image 1, pixel (1, 0)
        assertEquals(0.5, z.get(3).get(0).asDouble(), 1e-6); // image 2
        assertEquals(0.25, z.get(2).get(0).asDouble());  // separator row
        assertEquals("reversed", spec.at("/layout/yaxis/autorange").asText());
        assertEquals("x", spec.at("/layout/yaxis/scaleanchor").asText());
    }

    @Test
    void barGroupsOneLayerPerSeries() {
        Series v = Series.of("score function", new double[] {3, 2}).and("reparameterized", new double[] {1, 0.5});
        ObjectNode spec = Plots.bar("Variance", "estimator", "variance", new String[] {"M=1", "M=10"}, v).spec();
        assertEquals(2, spec.get("data").size());
        assertEquals("M=10", spec.at("/data/1/x/1").asText());
        assertEquals("group", spec.at("/layout/barmode").asText());
    }

    @Test
    void badInputNamesTheArgument() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Plots.line("t", "x", "y", X, new double[] {1, 2}));
        assertTrue(e.getMessage().startsWith("y: expected the length of x (3), got 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Plots.line("t", "x", "y", X, new double[] {1, Double.NaN, 2}));
        assertTrue(e.getMessage().contains("y: expected finite values, got NaN at index 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Plots.line(" ", "x", "y", X, Y));
        assertTrue(e.getMessage().startsWith("title:"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Plots.imageGrid("g", Nd4j.zeros(DataType.FLOAT, 2, 10), 3, 3, 2));
        assertTrue(e.getMessage().startsWith("height/width: expected height*width = 10"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> Plots.chart("empty", "x", "y").build());
    }

    @Test
    void heatmapFromLogDrawsTheDensityUnderTheTitle() {
        dev.latentvi.math.Grid grid = dev.latentvi.math.Grid.of(new double[] {0, 1, 2}, new double[] {10, 20});
        ObjectNode spec = Plots.heatmapFromLog("Density", "x", "y", grid,
                Nd4j.createFromArray(0.0, Math.log(2), Math.log(3), Math.log(4), Math.log(5), Math.log(6))).spec();
        assertEquals("Density", spec.at("/layout/title/text").asText());
        assertEquals("Density", spec.at("/data/0/name").asText());
        assertEquals("heatmap", spec.at("/data/0/type").asText());
        assertEquals(1.0, spec.at("/data/0/z/0/0").asDouble(), 1e-12);
        assertEquals(3.0, spec.at("/data/0/z/0/2").asDouble(), 1e-12);
        assertEquals(4.0, spec.at("/data/0/z/1/0").asDouble(), 1e-12);
        assertEquals(20.0, spec.at("/data/0/y/1").asDouble(), 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Plots.heatmapFromLog("Density", "x", "y", grid, Nd4j.zeros(DataType.DOUBLE, 5)));
        assertTrue(e.getMessage().startsWith("logValues"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Plots.heatmapFromLog("Density", "x", "y", null, Nd4j.zeros(DataType.DOUBLE, 6)));
        assertTrue(e.getMessage().startsWith("grid"), e.getMessage());
    }
}
