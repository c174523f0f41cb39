package dev.latentvi.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import tech.tablesaw.api.DoubleColumn;

class SeriesGroupsTest {
    @Test
    void seriesKeepTheirOrderAndValues() {
        Series s = Series.of("zeta", new double[] {1, 2}).and("alpha", Nd4j.createFromArray(3.0, 4.0).reshape(2, 1))
                .and("mid", DoubleColumn.create("c", 5.0, 6.0));
        assertEquals(List.of("zeta", "alpha", "mid"), s.names());
        assertArrayEquals(new double[] {3, 4}, s.values(1), 0);
        assertArrayEquals(new double[] {5, 6}, s.values(2), 0);
        ObjectNode density = Plots.density("curves", "x", new double[] {0, 1}, s).spec();
        assertEquals("zeta", density.at("/data/0/name").asText());
        assertEquals("alpha", density.at("/data/1/name").asText());
        assertEquals("mid", density.at("/data/2/name").asText());
        assertEquals(6.0, density.at("/data/2/y/1").asDouble());
        assertEquals("#00cc96", density.at("/data/2/line/color").asText());
        ObjectNode bar = Plots.bar("one", "digit", "count", new String[] {"0", "1"}, Series.of("count", new double[] {7, 9})).spec();
        assertEquals(9.0, bar.at("/data/0/y/1").asDouble());
        assertEquals(false, bar.at("/layout/showlegend").asBoolean());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.and("alpha", new double[] {1}));
        assertEquals("name: expected a name not used yet ([zeta, alpha, mid]), got \"alpha\"", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Series.of("nan", new double[] {Double.NaN}));
        assertThrows(IllegalArgumentException.class, () -> Plots.histogram("h", "x", null, 10));
    }

    @Test
    void numericLabelsGroupByValueWithAFormat() {
        INDArray z = Nd4j.createFromArray(2L, 0L, 10L, 1L, 0L, 2L);   // a LONG array, e.g. from argMax
        Groups g = Groups.of(z, "z = %d");
        assertEquals(List.of("z = 0", "z = 1", "z = 2", "z = 10"), g.names());
        assertArrayEquals(new int[] {1, 4}, g.members(0));
        assertArrayEquals(new int[] {0, 5}, g.members(2));
        assertArrayEquals(new int[] {2, 1, 2, 1}, g.sizes());
        assertEquals(List.of("0.50", "1.25"), Groups.of(Nd4j.createFromArray(1.25, 0.5), "%.2f").names());
        assertEquals(List.of("digit 3", "digit 7"), Groups.of(new int[] {7, 3, 7}, "digit %d").names());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Groups.of(Nd4j.createFromArray(0.5, 1.0), "z = %d"));
        assertEquals("labels: expected whole numbers for the format \"z = %d\", got 0.5", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Groups.of(z, "no conversion"));
        assertTrue(e.getMessage().startsWith("format: expected a format with one conversion"), e.getMessage());
    }

    @Test
    void namedLabelsMergeAtTheirSmallestValue() {
        Groups side = Groups.of(Nd4j.createFromArray(1.0, -1, -1, 1, 1), s -> s > 0 ? "passed left" : "passed right");
        assertEquals(List.of("passed right", "passed left"), side.names());
        assertArrayEquals(new int[] {0, 3, 4}, side.members(1));
        Groups rows = Groups.of(new int[] {7, 0, 13, 6, 1}, s -> "row " + s / 6);
        assertEquals(List.of("row 0", "row 1", "row 2"), rows.names());
        assertArrayEquals(new int[] {0, 3}, rows.members(1));
    }

    @Test
    void bandsBinContinuousValues() {
        INDArray z = Nd4j.createFromArray(-2.0, -0.5, 0.0, 0.7, 1.0, 3.0, -1.0);
        Groups b = Groups.bands(z, "z", -1, 0, 1);
        assertEquals(List.of("z < -1", "-1 ≤ z < 0", "0 ≤ z < 1", "z ≥ 1"), b.names());
        assertArrayEquals(new int[] {0}, b.members(0));
        assertArrayEquals(new int[] {1, 6}, b.members(1));
        assertArrayEquals(new int[] {2, 3}, b.members(2));
        assertArrayEquals(new int[] {4, 5}, b.members(3));
        assertEquals(List.of("0.5 ≤ t < 2.5"), Groups.bands(Nd4j.createFromArray(1.0, 2.0), "t", 0.5, 2.5).names());
        assertThrows(IllegalArgumentException.class, () -> Groups.bands(z, "z", 1, 0));
    }

    @Test
    void scatterDrawsOneLayerPerGroupWithItsPoints() {
        INDArray points = Nd4j.createFromArray(new double[][] {{0, 0}, {1, 10}, {2, 20}, {3, 30}});
        ObjectNode spec = Plots.scatter("mixture", "x₁", "x₂", points, Groups.of(Nd4j.createFromArray(1, 0, 1, 0).castTo(DataType.INT), "z = %d")).spec();
        assertEquals(2, spec.get("data").size());
        assertEquals("z = 0", spec.at("/data/0/name").asText());
        assertEquals(1.0, spec.at("/data/0/x/0").asDouble());
        assertEquals(30.0, spec.at("/data/0/y/1").asDouble());
        assertEquals(20.0, spec.at("/data/1/y/1").asDouble());
        assertEquals("#ef553b", spec.at("/data/1/marker/color").asText());
        assertEquals("x₁", spec.at("/layout/xaxis/title/text").asText());
        ObjectNode vectors = Plots.scatter("sides", "s", "a", points.getColumn(0), points.getColumn(1),
                Groups.of(Nd4j.createFromArray(1.0, -1, -1, 1), s -> s > 0 ? "passed left" : "passed right")).spec();
        assertEquals("passed right", vectors.at("/data/0/name").asText());
        assertEquals(List.of(1.0, 2.0), List.of(vectors.at("/data/0/x/0").asDouble(), vectors.at("/data/0/x/1").asDouble()));
        assertEquals(30.0, vectors.at("/data/1/y/1").asDouble());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Plots.scatter("t", "x", "y", points, Groups.of(new int[] {1, 2}, "%d")));
        assertEquals("groups: expected one label per point (4), got 2", e.getMessage());
    }

    @Test
    void countsAreBarsOfGroupSizes() {
        ObjectNode spec = Plots.counts("Digits per class", "digit", "count", Groups.of(new int[] {3, 1, 3, 3, 0}, "%d")).spec();
        assertEquals("bar", spec.at("/data/0/type").asText());
        assertEquals("count", spec.at("/data/0/name").asText());
        assertEquals(List.of("0", "1", "3"), List.of(spec.at("/data/0/x/0").asText(), spec.at("/data/0/x/1").asText(), spec.at("/data/0/x/2").asText()));
        assertArrayEquals(new double[] {1, 1, 3}, new double[] {spec.at("/data/0/y/0").asDouble(), spec.at("/data/0/y/1").asDouble(), spec.at("/data/0/y/2").asDouble()}, 0);
    }

    @Test
    void textLabelsSortNumbersFirstThenText() {
        assertEquals(List.of("2", "10", "apple", "b"), Groups.of(new String[] {"b", "10", "apple", "2", "10"}).names());
    }
}
