package dev.latentvi.math;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

class EstimatesTableTest {

    @Test
    void minusSubtractsValuesAndAddsVariances() {
        Estimate gap = new Estimate(3.0, 0.3).minus(new Estimate(1.0, 0.4));
        assertEquals(2.0, gap.value(), 1e-15);
        assertEquals(0.5, gap.standardError(), 1e-15);
        Estimate fromExact = Estimate.exact(-2.5).minus(new Estimate(-3.25, 0.125));
        assertEquals(0.75, fromExact.value(), 1e-15);
        assertEquals(0.125, fromExact.standardError(), 0.0);   // exact minus estimate keeps the SE exactly
        var e = assertThrows(IllegalArgumentException.class, () -> Estimate.exact(1).minus(null));
        assertTrue(e.getMessage().startsWith("other:"), e.getMessage());
    }

    @Test
    void ofGathersEstimatesInOrder() {
        Estimates es = Estimates.of(Estimate.exact(1.5), new Estimate(-2.0, 0.25), new Estimate(4.0, 0.5));
        assertEquals(3, es.size());
        assertArrayEquals(new double[] {1.5, -2.0, 4.0}, es.values().toDoubleVector(), 0.0);
        assertArrayEquals(new double[] {0.0, 0.25, 0.5}, es.standardErrors().toDoubleVector(), 0.0);
        assertEquals(new Estimate(-2.0, 0.25), es.get(1));
        assertEquals(3.5 / 3, es.meanValue(), 1e-15);
        assertEquals(0.25, es.meanStandardError(), 1e-15);
    }

    @Test
    void tableHasALabelColumnThenValueAndStandardError() {
        Table t = Estimates.of(Estimate.exact(-3.0), new Estimate(-3.1, 0.02)).table("bounds", "quantity", "log p(x)", "ELBO");
        assertEquals("bounds", t.name());
        assertEquals(java.util.List.of("quantity", "value", "standard error"), t.columnNames());
        assertEquals("ELBO", t.stringColumn("quantity").get(1));
        assertEquals(-3.1, t.doubleColumn("value").get(1), 0.0);
        assertEquals(0.02, t.doubleColumn("standard error").get(1), 0.0);
        assertEquals(0.0, t.doubleColumn("standard error").get(0), 0.0);
    }

    @Test
    void badInputNamesTheArgument() {
        Estimates es = Estimates.of(Estimate.exact(1), Estimate.exact(2));
        var e = assertThrows(IllegalArgumentException.class, () -> Estimates.of());
        assertTrue(e.getMessage().startsWith("estimates:"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Estimates.of(Estimate.exact(1), null));
        assertTrue(e.getMessage().startsWith("estimates[1]:"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> es.get(2));
        assertTrue(e.getMessage().startsWith("i:"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> es.table("t", "quantity", "only one"));
        assertTrue(e.getMessage().startsWith("names:"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> es.table(" ", "quantity", "a", "b"));
        assertTrue(e.getMessage().startsWith("title:"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> es.table("t", null, "a", "b"));
        assertTrue(e.getMessage().startsWith("label:"), e.getMessage());
    }
}
