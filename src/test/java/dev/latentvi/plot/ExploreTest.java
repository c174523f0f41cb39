package dev.latentvi.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class ExploreTest {
    private static final double[] X = {0, 1, 2, 3};

    /** y = a·x, the title states a. */
    private static JsonFigure slope(double a) {
        double[] y = new double[X.length];
        for (int i = 0; i < X.length; i++) {
            y[i] = a * X[i];
        }
        return Plots.chart("Slope " + a, "x", "y").line("a·x", X, y).dashed("x", X, X).build();
    }

    @Test
    void oneFramePerValueWithTheSameTracesAndFrameZeroAsData() {
        double[] as = {0.5, 1, 2};
        JsonFigure f = Plots.explore("a", as, ExploreTest::slope);
        assertEquals(3, f.frameCount());
        ObjectNode spec = f.spec();
        assertEquals(3, spec.get("frames").size());
        for (int k = 0; k < 3; k++) {
            JsonNode frame = spec.get("frames").get(k);
            assertEquals(2, frame.get("data").size());
            assertEquals("a·x", frame.at("/data/0/name").asText());
            assertEquals("x", frame.at("/data/1/name").asText());
            assertEquals(as[k] * 3, frame.at("/data/0/y/3").asDouble(), 1e-12);
            assertEquals("Slope " + as[k], frame.at("/layout/title/text").asText());
        }
        assertEquals("a = 0.5", spec.at("/frames/0/name").asText());
        assertEquals(spec.at("/frames/0/data"), spec.get("data"));
        assertEquals("Slope 0.5", spec.at("/layout/title/text").asText());
        assertEquals("x", spec.at("/layout/xaxis/title/text").asText());
        assertEquals(0, Plots.line("static", "x", "y", X, X).frameCount());
        assertFalse(Plots.line("static", "x", "y", X, X).spec().has("frames"));
    }

    @Test
    void sliderHasOneAnimateStepPerValueLabelledWithTheValue() {
        JsonFigure f = Plots.explore("β", new double[] {0.25, 1, 4, 16}, ExploreTest::slope);
        JsonNode slider = f.spec().at("/layout/sliders/0");
        assertEquals("β = ", slider.at("/currentvalue/prefix").asText());
        JsonNode steps = slider.get("steps");
        assertEquals(4, steps.size());
        String[] labels = {"0.25", "1", "4", "16"};
        for (int k = 0; k < 4; k++) {
            assertEquals(labels[k], steps.get(k).get("label").asText());
            assertEquals("animate", steps.get(k).get("method").asText());
            assertEquals("β = " + labels[k], steps.get(k).at("/args/0/0").asText());
            assertEquals(f.spec().at("/frames/" + k + "/name").asText(), steps.get(k).at("/args/0/0").asText());
        }
        JsonNode buttons = f.spec().at("/layout/updatemenus/0/buttons");
        assertEquals(2, buttons.size());
        assertTrue(buttons.get(0).get("label").asText().contains("play"));
        assertTrue(buttons.get(0).at("/args/0").isNull());
        assertTrue(buttons.get(1).get("label").asText().contains("pause"));
        assertEquals("animate", buttons.get(1).get("method").asText());
    }

    @Test
    void axisRangesAreTheUnionOverFramesUnlessTheChartSetsItsOwn() {
        JsonFigure f = Plots.explore("a", new double[] {-1, 2}, ExploreTest::slope);
        JsonNode y = f.spec().at("/layout/yaxis/range");
        // y spans a·x over both frames: [-3, 6], padded by 4 %
        assertEquals(-3 - 0.36, y.get(0).asDouble(), 1e-9);
        assertEquals(6 + 0.36, y.get(1).asDouble(), 1e-9);
        JsonNode x = f.spec().at("/layout/xaxis/range");
        assertEquals(-0.12, x.get(0).asDouble(), 1e-9);
        JsonFigure fixed = Plots.explore("a", new double[] {-1, 2},
                a -> Plots.chart("fixed", "x", "y").line("a·x", X, new double[] {0, a, 2 * a, 3 * a}).range(0, 3, -10, 10).build());
        assertEquals(-10, fixed.spec().at("/layout/yaxis/range/0").asDouble());
        assertEquals(10, fixed.spec().at("/layout/yaxis/range/1").asDouble());
    }

    @Test
    void barsAndFixedBinHistogramsGetRangesCoveringEveryFrame() {
        JsonFigure bars = Plots.explore("μ", new double[] {0, 1}, mu -> Plots.chart("bars", "", "nats")
                .bar("ELBO", new String[] {"ELBO + KL", "log p(x)"}, new double[] {-3 - mu, -3}, new double[] {0, 0})
                .bar("KL", new String[] {"ELBO + KL"}, new double[] {mu}, new double[] {-3 - mu}).build());
        JsonNode y = bars.spec().at("/layout/yaxis/range");
        assertTrue(y.get(0).asDouble() < -4 && y.get(0).asDouble() > -4.3, "lowest bar bottom -4 padded: " + y);
        assertTrue(y.get(1).asDouble() > 0 && y.get(1).asDouble() < 0.3, "bars reach 0: " + y);
        assertFalse(bars.spec().at("/layout/xaxis").has("range"), "categorical x keeps its categories");
        // 4 values in [0, 1), 2 in the first of 2 bins of width 1: density 2 / (4 · 1) = 0.5 → range top ≥ 0.5
        JsonFigure hist = Plots.explore("m", new int[] {1, 2}, m -> Plots.chart("h", "g", "density")
                .histogram("g", new double[] {0.1, 0.2, 1.5, 1.7 * m}, 0, 4, 2).build());
        double top = hist.spec().at("/layout/yaxis/range/1").asDouble();
        assertTrue(top >= 0.5 && top < 0.7, "top " + top);
        assertEquals(2.0, hist.spec().at("/data/0/xbins/size").asDouble());
        assertEquals(-0.16, hist.spec().at("/layout/xaxis/range/0").asDouble(), 1e-9);   // the bins [0, 4], padded
        assertEquals(4.16, hist.spec().at("/layout/xaxis/range/1").asDouble(), 1e-9);
    }

    @Test
    void framesWithDifferentTracesAreRejectedNamingTheArgument() {
        IllegalArgumentException count = assertThrows(IllegalArgumentException.class, () -> Plots.explore("a", new double[] {1, 2},
                a -> a == 1 ? slope(a) : Plots.line("one", "x", "y", X, X)));
        assertTrue(count.getMessage().startsWith("figureAt:"), count.getMessage());
        assertTrue(count.getMessage().contains("a = 2"), count.getMessage());
        IllegalArgumentException names = assertThrows(IllegalArgumentException.class, () -> Plots.explore("a", new double[] {1, 2},
                a -> Plots.chart("t", "x", "y").line(a == 1 ? "first" : "second", X, X).build()));
        assertTrue(names.getMessage().contains("\"second\"") && names.getMessage().contains("\"first\""), names.getMessage());
        IllegalArgumentException order = assertThrows(IllegalArgumentException.class, () -> Plots.explore("a", new double[] {1, 2},
                a -> a == 1 ? Plots.chart("t", "x", "y").line("p", X, X).line("q", X, X).build()
                        : Plots.chart("t", "x", "y").line("q", X, X).line("p", X, X).build()));
        assertTrue(order.getMessage().startsWith("figureAt:"));
    }

    @Test
    void badValuesAndParametersAreRejected() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Plots.explore("a", new double[0], ExploreTest::slope))
                .getMessage().startsWith("values:"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Plots.explore("a", (double[]) null, ExploreTest::slope))
                .getMessage().startsWith("values:"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Plots.explore("a", new double[] {1, Double.NaN}, ExploreTest::slope))
                .getMessage().startsWith("values:"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Plots.explore("a", new double[] {1, 2, 1}, ExploreTest::slope))
                .getMessage().contains("distinct"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Plots.explore(" ", new double[] {1}, ExploreTest::slope))
                .getMessage().startsWith("parameter:"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Plots.explore("a", new double[] {1}, a -> null))
                .getMessage().startsWith("figureAt:"));
        JsonFigure inner = Plots.explore("a", new double[] {1}, ExploreTest::slope);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Plots.explore("b", new double[] {1}, b -> inner))
                .getMessage().startsWith("figureAt:"));
    }

    @Test
    void dataAreRoundedToFourSignificantDigits() {
        JsonFigure f = Plots.explore("a", new double[] {Math.PI}, ExploreTest::slope);
        assertEquals(3.142, f.spec().at("/data/0/y/1").asDouble(), 0);
        assertEquals(9.425, f.spec().at("/frames/0/data/0/y/3").asDouble(), 0);
        assertEquals("3.142", Frames.label(Math.PI));
        assertEquals("12", Frames.label(12));
        assertEquals("0.001", Frames.label(0.001));
    }

    @Test
    void sliderLabelsOfAGridShareJustEnoughDecimals() {
        assertArrayEquals(new String[] {"-0.44", "-0.19", "0.06", "0.31"}, Frames.labels(new double[] {-0.4408, -0.1908, 0.0592, 0.3092}));
        assertArrayEquals(new String[] {"0.25", "1", "4"}, Frames.labels(new double[] {0.25, 1, 4}));
        assertArrayEquals(new String[] {"2", "4", "64"}, Frames.labels(new double[] {2, 4, 64}));
        assertArrayEquals(new String[] {"-0.1", "0", "0.1"}, Frames.labels(new double[] {-0.1, 1e-17, 0.1}));
        assertArrayEquals(new String[] {"3.142"}, Frames.labels(new double[] {Math.PI}));
        JsonFigure f = Plots.explore("μ", new double[] {-0.4408, 0.0592}, ExploreTest::slope);
        assertEquals("0.06", f.spec().at("/layout/sliders/0/steps/1/label").asText());
    }

    @Property
    void roundingKeepsFourSignificantDigits(@ForAll @DoubleRange(min = -1e9, max = 1e9) double v) {
        double r = Frames.significant(v, 4);
        assertTrue(Math.abs(r - v) <= 5e-4 * Math.abs(v) + 1e-300, v + " -> " + r);
        // the shortest decimal of the rounded double has at most 4 significant digits: lean JSON
        assertTrue(r == 0 || new java.math.BigDecimal(Double.toString(r)).stripTrailingZeros().precision() <= 4, v + " -> " + r);
    }

    @Test
    void chartLayersForExplorables() {
        ObjectNode e = Plots.chart("ellipse", "x", "y").ellipse("2σ", Nd4j.createFromArray(1.0, 2.0),
                Nd4j.createFromArray(new double[][] {{4, 0}, {0, 1}}), 2).build().spec();
        JsonNode xs = e.at("/data/0/x");
        double max = 0;
        for (JsonNode v : xs) {
            max = Math.max(max, v.asDouble());
        }
        assertEquals(1 + 2 * 2, max, 1e-12);   // mean 1 + radius 2 · σ₁ 2
        assertThrows(IllegalArgumentException.class, () -> Plots.chart("e", "x", "y").ellipse("bad", Nd4j.createFromArray(0.0, 0.0),
                Nd4j.createFromArray(new double[][] {{1, 2}, {2, 1}}), 2));
        ObjectNode s = Plots.chart("soft", "x", "y")
                .softScatter("data", Nd4j.createFromArray(new double[][] {{0, 0}, {1, 1}}), Nd4j.createFromArray(new double[][] {{1, 0}, {0.5, 0.5}}))
                .line("a", X, X).line("b", X, X).build().spec();
        assertEquals("#636efa", s.at("/data/0/marker/color/0").asText());   // all weight on the first component's colour
        assertEquals("#636efa", s.at("/data/1/line/color").asText());
        assertEquals("#a9629b", s.at("/data/0/marker/color/1").asText());   // half #636efa, half #ef553b
        ObjectNode p = Plots.chart("panels", "z", "density").line("q", X, X).panel("", "nats")
                .bar("ELBO", new String[] {"ELBO"}, new double[] {-2}).build().spec();
        assertEquals("x2", p.at("/data/1/xaxis").asText());
        assertEquals("y2", p.at("/layout/xaxis2/anchor").asText());
        assertEquals("nats", p.at("/layout/yaxis2/title/text").asText());
        assertFalse(p.at("/data/0").has("xaxis"));
    }

    @Test
    void waterfallBarsAddUpAndEllipsesComeOnePerComponent() {
        ObjectNode w = Plots.chart("identity", "", "nats").waterfall(new String[] {"ELBO", "KL"}, new double[] {-5, 2}, "log p(x)")
                .build().spec();
        assertEquals(3, w.get("data").size());
        assertEquals(0, w.at("/data/0/base/0").asDouble());
        assertEquals(-5, w.at("/data/1/base/0").asDouble());    // KL starts where the ELBO ends
        assertEquals(2, w.at("/data/1/y/0").asDouble());
        assertEquals(-3, w.at("/data/2/y/0").asDouble());       // log p(x) = ELBO + KL, from 0
        assertEquals("overlay", w.at("/layout/barmode").asText());
        ObjectNode e = Plots.chart("mixture", "x", "y").ellipses("component %d", Nd4j.createFromArray(new double[][] {{0, 0}, {3, 3}}),
                Nd4j.createFromArray(new double[][][] {{{1, 0}, {0, 1}}, {{2, 0.5}, {0.5, 1}}}), 2).build().spec();
        assertEquals("component 1", e.at("/data/1/name").asText());
        assertEquals(3 + 2 * Math.sqrt(2), e.at("/data/1/x/0").asDouble(), 1e-12);   // t = 0: m + r·(√Σ₁₁, Σ₂₁/√Σ₁₁)
        assertEquals(3 + 2 * 0.5 / Math.sqrt(2), e.at("/data/1/y/0").asDouble(), 1e-12);
        ObjectNode h = Plots.chart("p", "z", "density").line("q", X, X).panel("step", "ELBO").line("ELBO", new double[] {10, 20}, new double[] {1, 2})
                .hline("log p(x)", 3).build().spec();
        assertEquals("x2", h.at("/data/2/xaxis").asText());
        assertEquals(10, h.at("/data/2/x/0").asDouble());     // spans the second panel's x only
        assertEquals(20, h.at("/data/2/x/1").asDouble());
    }

    @Test
    void roundingIsRelativeToEachArraysLargestValue() {
        JsonFigure f = Plots.explore("a", new double[] {1}, a -> Plots.heatmap("pixels", "", "", new double[] {0, 1}, new double[] {0},
                new double[][] {{0.98765432, 1.23456e-7}}));
        assertEquals(0.9877, f.spec().at("/data/0/z/0/0").asDouble(), 0);
        assertEquals(0.0, f.spec().at("/data/0/z/0/1").asDouble(), 0);   // not 1.235E-7: lean JSON
    }

    @Test
    void imageGridsWithDifferentTitlesAreFramesOfOneExplorable() {
        JsonFigure f = Plots.explore("k", new int[] {1, 2}, k -> Plots.imageGrid("Image " + k,
                Nd4j.createFromArray(new double[][] {{0, 0.5 * k, 1, 0}}), 2, 2, 1));
        assertEquals(2, f.frameCount());
        assertEquals("Image 2", f.spec().at("/frames/1/layout/title/text").asText());
        assertEquals(1.0, f.spec().at("/frames/1/data/0/z/0/1").asDouble());
        assertEquals("reversed", f.spec().at("/layout/yaxis/autorange").asText());   // the grid's own axes stay
        assertFalse(f.spec().at("/layout/yaxis").has("range"));
    }
}
