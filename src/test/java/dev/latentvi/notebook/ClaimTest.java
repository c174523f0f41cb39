package dev.latentvi.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latentvi.math.Estimate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClaimTest {
    @Test
    void inequalitiesOnNumbersAreExact() {
        assertTrue(Claim.that("x ≥ 5", 5.0).atLeast(5).holds());
        assertFalse(Claim.that("x ≥ 5", 4.999).atLeast(5).holds());
        assertTrue(Claim.that("x ≤ 5", 5.0).atMost(5).holds());
        assertFalse(Claim.that("x ≤ 5", 5.001).atMost(5).holds());
        assertFalse(Claim.that("NaN is never ≤ anything", Double.NaN).atMost(1).holds());
        assertEquals("12.5 ≥ 10", Claim.that("ratio", 12.5).atLeast(10).evidence());
    }

    @Test
    void estimatesGetThreeStandardErrorsOfSlack() {
        Estimate e = new Estimate(1.02, 0.01);
        assertTrue(Claim.that("e ≤ 1", e).atMost(1.0).holds());          // 2 SE above: noise
        assertFalse(Claim.that("e ≤ 0.98", e).atMost(0.98).holds());     // 4 SE above
        assertTrue(Claim.that("e ≥ 1.05", e).atLeast(1.05).holds());     // 3 SE below exactly
        assertFalse(Claim.that("e ≥ 1.06", e).atLeast(1.06).holds());
        assertTrue(Claim.that("e ≤ other", e).atMost(new Estimate(1.0, 0.01)).holds()); // 1.4 combined SE
        assertEquals("1.02 ± 0.01 ≤ 1 ± 0.01 (within 3 SE)", Claim.that("e ≤ other", e).atMost(new Estimate(1.0, 0.01)).evidence());
        assertFalse(Claim.that("e ≤ other", e).atMost(new Estimate(0.9, 0.01)).holds());
        assertEquals("1.02 ± 0.01 ≤ 1 (within 3 SE)", Claim.that("e ≤ 1", e).atMost(1.0).evidence());
    }

    @Test
    void betweenAndWithin() {
        assertTrue(Claim.that("r", 8.0).between(5, 15).holds());
        assertFalse(Claim.that("r", 16.0).between(5, 15).holds());
        assertTrue(Claim.that("close", 0.1004).within(1e-3, 0.1).holds());
        assertFalse(Claim.that("close", 0.102).within(1e-3, 0.1).holds());
        assertThrows(IllegalArgumentException.class, () -> Claim.that("r", 1).between(2, 1));
        assertTrue(Claim.every("all ratios ≥ 5", 8, 12, 15).atLeast(5).holds());
        Claim some = Claim.every("all ratios ≥ 5", 8, 4, 15).atLeast(5);
        assertFalse(some.holds());
        assertEquals("worst of 3: 4 ≥ 5", some.evidence());
        assertEquals("worst of 3: 4 in [1, 20]", Claim.every("r", 8, 4, 15).between(1, 20).evidence());
        List<Estimate> bounds = List.of(new Estimate(-6.11, 0.01), new Estimate(-6.08, 0.01), new Estimate(-6.12, 0.001));
        assertTrue(Claim.every("each ≤ log p(x) within noise", bounds).atMost(-6.1).holds());       // 2 SE above at worst
        Claim tight = Claim.every("each ≤ log p(x) within noise", bounds).atMost(-6.115);
        assertFalse(tight.holds());                                                                 // the second: 3.5 SE above
        assertEquals("worst of 3: -6.08 ± 0.01 ≤ -6.115 (within 3 SE)", tight.evidence());
        assertFalse(Claim.every("a NaN fails", 1, Double.NaN).atMost(5).holds());
        assertThrows(IllegalArgumentException.class, () -> Claim.that("r", 1).within(-1, 0));
    }

    @Test
    void sequencesReportTheWorstStep() {
        Claim up = Claim.nonDecreasing("rises", 1, 2, 2, 3);
        assertTrue(up.holds());
        Claim dip = Claim.nonDecreasing("rises", 1, 2, 1.5, 3);
        assertFalse(dip.holds());
        assertEquals("4 values, smallest step -0.5 (from 2 to 1.5)", dip.evidence());
        List<Estimate> noisy = List.of(new Estimate(1, 0.1), new Estimate(0.9, 0.1), new Estimate(1.2, 0.1));
        assertTrue(Claim.nonDecreasing("rises within noise", noisy).holds()); // −0.1 is 0.7 combined SE
        List<Estimate> falling = List.of(new Estimate(1, 0.01), new Estimate(0.9, 0.01));
        assertFalse(Claim.nonDecreasing("rises within noise", falling).holds());
        assertThrows(IllegalArgumentException.class, () -> Claim.nonDecreasing("one value", 1.0));
        assertTrue(Claim.nonIncreasing("falls", 3, 2, 2, 1).holds());
        Claim bump = Claim.nonIncreasing("falls", 3, 2, 2.5, 1);
        assertFalse(bump.holds());
        assertEquals("4 values, smallest fall -0.5 (from 2 to 2.5)", bump.evidence());
    }

    @Test
    void claimsRenderAsTickedListAndMachineReadableJson() {
        Claims cs = Claims.of(Claim.that("a <b>", 2.0).atLeast(1), Claim.that("b", 0.0).atLeast(1));
        assertFalse(cs.allHold());
        Map<String, Object> bundle = cs.mimeBundle();
        assertEquals("✓ a <b>: 2 ≥ 1\n✗ b: 0 ≥ 1", bundle.get("text/plain"));
        String html = (String) bundle.get("text/html");
        assertTrue(html.contains("a &lt;b&gt;"), html);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> json = (List<Map<String, Object>>) ((Map<String, Object>) bundle.get(Claim.MIME)).get("claims");
        assertEquals(2, json.size());
        assertEquals(Boolean.FALSE, json.get(1).get("holds"));
        assertEquals("0 ≥ 1", json.get(1).get("evidence"));
    }

    @Test
    void badArgumentsAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Claim.that(" ", 1.0));
        assertTrue(e.getMessage().startsWith("statement:"), e.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, Claims::of).getMessage().startsWith("claims:"));
    }
}
