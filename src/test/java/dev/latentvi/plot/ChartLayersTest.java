package dev.latentvi.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.latentvi.dist.GaussianMixture;
import dev.latentvi.dist.Normal;
import dev.latentvi.math.Grid;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;

class ChartLayersTest {
    private static final double[] X = {0, 1, 2};
    private static final double[] Y = {1, 4, 9};

    private static double[] values(JsonNode array) {
        double[] v = new double[array.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = array.get(i).asDouble();
        }
        return v;
    }

    private static List<String> names(ObjectNode spec) {
        List<String> names = new ArrayList<>();
        spec.get("data").forEach(t -> names.add(t.get("name").asText()));
        return names;
    }

    @Test
    void everyVectorShapeAndDtypeGivesTheSameData() {
        INDArray flat = Nd4j.createFromArray(Y);                          // [3]
        INDArray column = flat.reshape(3, 1);                           // [3, 1]
        INDArray row = flat.reshape(1, 3).castTo(DataType.FLOAT);       // [1, 3], float
        ObjectNode spec = Plots.chart("shapes", "x", "y").line("flat", X, flat).dashed("column", Nd4j.createFromArray(X), column)
                .markers("row", X, row).scatter("both", Nd4j.createFromArray(X).reshape(1, 3), column).build().spec();
        assertEquals(List.of("flat", "column", "row", "both"), names(spec));
        for (int t = 0; t < 4; t++) {
            assertArrayEquals(X, values(spec.at("/data/" + t + "/x")), 0);
            assertArrayEquals(Y, values(spec.at("/data/" + t + "/y")), 0);
        }
        assertEquals("dash", spec.at("/data/1/line/dash").asText());
        assertEquals("lines+markers", spec.at("/data/2/mode").asText());
        assertEquals("markers", spec.at("/data/3/mode").asText());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Plots.chart("t", "x", "y").line("m", X, Nd4j.zeros(DataType.DOUBLE, 3, 2)));
        assertEquals("y: expected a non-empty vector [n], [n, 1] or [1, n], got shape [3, 2]", e.getMessage());
    }

    @Test
    void tablesawColumnsAreLayersToo() {
        IntColumn epoch = IntColumn.create("epoch", 1, 2, 3);
        DoubleColumn elbo = DoubleColumn.create("elbo", -120.5, -110.25, -105.0);
        ObjectNode spec = Plots.chart("history", "epoch", "ELBO").line("ELBO", epoch, elbo).histogram("all", elbo, 5).build().spec();
        assertArrayEquals(new double[] {1, 2, 3}, values(spec.at("/data/0/x")), 0);
        assertArrayEquals(new double[] {-120.5, -110.25, -105.0}, values(spec.at("/data/0/y")), 0);
        assertArrayEquals(new double[] {-120.5, -110.25, -105.0}, values(spec.at("/data/1/x")), 0);
        assertArrayEquals(new double[] {1, 2, 3}, values(Plots.line("h", "epoch", "ELBO", epoch, elbo).spec().at("/data/0/x")), 0);
        DoubleColumn gap = DoubleColumn.create("gap", 1.0, Double.NaN, 2.0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Plots.chart("t", "x", "y").line("gap", epoch, gap));
        assertEquals("y: expected finite values, got NaN at index 1", e.getMessage());
    }

    @Test
    void densityOfADistributionIsExpLogProbOnTheGrid() {
        Normal q = Normal.of(0.5, 2.0);
        double[] zs = {-3, -1, 0.5, 2, 4};
        ObjectNode spec = Plots.chart("q", "z", "density").density("q(z)", q, zs)
                .dashedDensity("q again", q, Nd4j.createFromArray(zs).reshape(1, 5)).build().spec();
        double[] expected = Transforms.exp(q.logProb(Nd4j.createFromArray(zs).reshape(5, 1)), true).toDoubleVector();
        for (int t = 0; t < 2; t++) {
            assertArrayEquals(zs, values(spec.at("/data/" + t + "/x")), 0);
            assertArrayEquals(expected, values(spec.at("/data/" + t + "/y")), 1e-15);
        }
        double z = 2, pdf = Math.exp(-0.5 * Math.pow((z - 0.5) / 2.0, 2)) / (2.0 * Math.sqrt(2 * Math.PI));
        assertEquals(pdf, spec.at("/data/0/y/3").asDouble(), 1e-15);
        assertEquals("dash", spec.at("/data/1/line/dash").asText());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Plots.chart("t", "z", "p").density("2-D", Normal.standard(2), zs));
        assertEquals("p: expected a 1-dimensional distribution with one row (mean of shape [1, 1]), got mean of shape [1, 2]", e.getMessage());
        Normal twoRows = Normal.of(Nd4j.createFromArray(new double[][] {{0}, {1}}), Nd4j.ones(DataType.DOUBLE, 2, 1));
        assertThrows(IllegalArgumentException.class, () -> Plots.chart("t", "z", "p").density("rows", twoRows, zs));
    }

    @Test
    void hlineSpansTheXValuesOfAllLayersWhereverItIsAdded() {
        ObjectNode spec = Plots.chart("bound", "K", "nats").hline("log p(x)", -3.5).line("L_K", new double[] {1, 4, 16}, new double[] {-5, -4, -3.7})
                .scatter("points", new double[] {2, 1024}, new double[] {-4, -3.6}).build().spec();
        assertEquals(List.of("log p(x)", "L_K", "points"), names(spec));
        assertArrayEquals(new double[] {1, 1024}, values(spec.at("/data/0/x")), 0);
        assertArrayEquals(new double[] {-3.5, -3.5}, values(spec.at("/data/0/y")), 0);
        assertEquals("dash", spec.at("/data/0/line/dash").asText());
        ObjectNode fixed = Plots.chart("r", "x", "y").line("l", X, Y).range(-1, 5, 0, 10).hline("h", 2).build().spec();
        assertArrayEquals(new double[] {-1, 5}, values(fixed.at("/data/1/x")), 0);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Plots.chart("r", "x", "y").hline("alone", 1).build());
        assertTrue(e.getMessage().startsWith("hline \"alone\": no layer with numeric x values"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Plots.chart("r", "x", "y").hline("nan", Double.NaN));
    }

    @Test
    void coloursFollowLayerOrderAndColourScalesTakeNone() {
        double[][] z = {{1, 2, 3}, {4, 5, 6}};
        ObjectNode spec = Plots.chart("colours", "x", "y").contour("surface", X, new double[] {0, 1}, z).line("a", X, Y)
                .band("band", X, X, Y).histogram("h", Y, 3).markers("m", X, Y).hline("ref", 1).build().spec();
        assertEquals(List.of("surface", "a", "band", "band", "h", "m", "ref"), names(spec));
        assertFalse(spec.at("/data/0").has("line"), "a contour is drawn with its colour scale");
        assertEquals("#636efa", spec.at("/data/1/line/color").asText());
        assertEquals("#ef553b", spec.at("/data/2/line/color").asText());
        assertEquals("#ef553b", spec.at("/data/3/line/color").asText());
        assertEquals("rgba(239,85,59,0.2)", spec.at("/data/3/fillcolor").asText());
        assertEquals("#00cc96", spec.at("/data/4/marker/color").asText());
        assertEquals("#ab63fa", spec.at("/data/5/line/color").asText());
        assertEquals("#ab63fa", spec.at("/data/5/marker/color").asText());
        assertEquals("#ffa15a", spec.at("/data/6/line/color").asText());
    }

    @Test
    void theSameFigureBuiltTwiceIsByteIdentical() {
        GaussianMixture mixture = GaussianMixture.diagonal(Nd4j.createFromArray(0.3, 0.7),
                Nd4j.createFromArray(new double[][] {{-1, 0}, {1, 0.5}}), Nd4j.createFromArray(new double[][] {{0.5, 0.3}, {0.2, 0.4}}));
        INDArray labels = Nd4j.createFromArray(3.0, 1, 2, 1, 0, 3, 2, 0);
        INDArray points = Nd4j.linspace(0, 15, 16, DataType.DOUBLE).reshape(8, 2);
        Grid grid = Grid.of(Grid.linspace(-2, 2, 9), Grid.linspace(-1, 1.5, 7));
        List<String> json = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            JsonFigure f = Plots.chart("everything", "x₁", "x₂").contour("p(x)", grid, mixture).scatter(points, Groups.of(labels, "z = %d"))
                    .markers("means", mixture.means()).hline("level", 0.25).build();
            json.add(PlotlyJson.toScriptSafeJson(f.spec()) + f.asJavascript("div"));
            JsonFigure h = Plots.histogram("h", "x", Series.of("b", Y).and("a", X).and("c", points.getColumn(0)), 4);
            json.add(PlotlyJson.toScriptSafeJson(h.spec()));
        }
        assertEquals(json.get(0), json.get(2));
        assertEquals(json.get(1), json.get(3));
        assertTrue(json.get(0).contains("\"name\":\"z = 0\""));
    }

    @Test
    void gridLayersEvaluateTheDensityAtEveryPoint() {
        GaussianMixture mixture = GaussianMixture.diagonal(Nd4j.createFromArray(0.4, 0.6),
                Nd4j.createFromArray(new double[][] {{-1, 0}, {1, 0.5}}), Nd4j.createFromArray(new double[][] {{0.5, 0.3}, {0.2, 0.4}}));
        double[] xs = Grid.linspace(-2, 2, 5);
        double[] ys = Grid.linspace(-1, 1, 3);
        Grid grid = Grid.of(xs, ys);
        ObjectNode spec = Plots.chart("mixture", "x₁", "x₂").contour("p(x)", grid, mixture).heatmap("again", grid, mixture)
                .contourFromLog("from log", grid, mixture.logProb(grid.points())).heatmap("values", grid, grid.points().getColumn(0))
                .build().spec();
        for (int t = 0; t < 3; t++) {
            assertArrayEquals(xs, values(spec.at("/data/" + t + "/x")), 0);
            assertArrayEquals(ys, values(spec.at("/data/" + t + "/y")), 0);
            for (int j = 0; j < ys.length; j++) {
                for (int i = 0; i < xs.length; i++) {
                    double p = Math.exp(mixture.logProb(Nd4j.createFromArray(new double[][] {{xs[i], ys[j]}})).getDouble(0));
                    assertEquals(p, spec.at("/data/" + t + "/z/" + j + "/" + i).asDouble(), 1e-15);
                }
            }
        }
        assertEquals("heatmap", spec.at("/data/1/type").asText());
        assertArrayEquals(xs, values(spec.at("/data/3/z/2")), 0);   // z[j][i] = xs[i]
        assertEquals("mixture", Plots.contour("mixture", "x₁", "x₂", grid, mixture).spec().at("/layout/title/text").asText());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Plots.chart("t", "x", "y").contour("1-D", grid, Normal.of(0, 1)));
        assertEquals("p: expected a 2-dimensional distribution with one row (mean of shape [1, 2]), got mean of shape [1, 1]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Plots.chart("t", "x", "y").heatmap("short", grid, Nd4j.zeros(DataType.DOUBLE, 14)));
        assertTrue(e.getMessage().startsWith("values: expected 15 entries"), e.getMessage());
    }

    @Test
    void pointsAsRowsFeedScatterAndMarkers() {
        INDArray points = Nd4j.createFromArray(new double[][] {{-2, 0}, {2, 1.5}, {0.5, -2.5}});
        ObjectNode spec = Plots.chart("means", "x₁", "x₂").scatter("all", points).markers("means", points).build().spec();
        for (int t = 0; t < 2; t++) {
            assertArrayEquals(new double[] {-2, 2, 0.5}, values(spec.at("/data/" + t + "/x")), 0);
            assertArrayEquals(new double[] {0, 1.5, -2.5}, values(spec.at("/data/" + t + "/y")), 0);
        }
        ObjectNode single = Plots.scatter("one colour", "x₁", "x₂", points).spec();
        assertFalse(single.at("/layout/showlegend").asBoolean());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Plots.chart("t", "x", "y").scatter("three", Nd4j.zeros(DataType.DOUBLE, 4, 3)));
        assertEquals("points: expected points as rows [n, 2] with n >= 1, got shape [4, 3]", e.getMessage());
    }
}
