package dev.latentvi.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class EstimateTest {

    @Test
    void meanAndStandardErrorOfKnownSamples() {
        Estimate e = Estimate.mean(1.0, 2.0, 3.0, 4.0);
        assertEquals(2.5, e.value(), 1e-15);
        // sample variance 5/3, se = sqrt(5/3 / 4)
        assertEquals(Math.sqrt(5.0 / 12.0), e.standardError(), 1e-15);
        assertEquals(2.5 - 1.96 * e.standardError(), e.lower(1.96), 1e-15);
        assertEquals(Double.POSITIVE_INFINITY, Estimate.mean(7.0).standardError());
        assertEquals(0.0, Estimate.exact(3).standardError());
    }

    @Test
    void logMeanExpMatchesDirectComputationAndDeltaMethod() {
        double[] w = {0.5, 1.5, 2.0, 4.0};
        double[] lw = new double[w.length];
        for (int i = 0; i < w.length; i++) {
            lw[i] = Math.log(w[i]) - 800; // far below double range of exp
        }
        Estimate e = Estimate.logMeanExp(lw);
        Estimate direct = Estimate.mean(w);
        assertEquals(Math.log(direct.value()) - 800, e.value(), 1e-12);
        assertEquals(direct.standardError() / direct.value(), e.standardError(), 1e-12);
    }

    @Test
    void columnEstimatesAgreeWithScalarOnes() {
        INDArray s = Rng.seeded(1).normal(50, 3);
        Estimates es = Estimates.mean(s);
        for (int j = 0; j < 3; j++) {
            Estimate col = Estimate.mean(s.getColumn(j));
            assertEquals(col.value(), es.get(j).value(), 1e-12);
            assertEquals(col.standardError(), es.get(j).standardError(), 1e-12);
        }
        Estimates ls = Estimates.logMeanExp(s);
        for (int j = 0; j < 3; j++) {
            Estimate col = Estimate.logMeanExp(s.getColumn(j));
            assertEquals(col.value(), ls.get(j).value(), 1e-12);
            assertEquals(col.standardError(), ls.get(j).standardError(), 1e-12);
        }
    }

    @Test
    void badInputIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Estimate.mean(new double[0]));
        assertTrue(e.getMessage().startsWith("samples:"));
        e = assertThrows(IllegalArgumentException.class, () -> Estimate.mean(1.0, Double.NaN));
        assertTrue(e.getMessage().startsWith("samples[1]:"));
        e = assertThrows(IllegalArgumentException.class, () -> new Estimate(1, -1));
        assertTrue(e.getMessage().startsWith("standardError:"));
        e = assertThrows(IllegalArgumentException.class, () -> Estimate.logMeanExp(0.0, Double.NaN));
        assertTrue(e.getMessage().startsWith("logWeights[1]:"));
        assertThrows(IllegalArgumentException.class, () -> Estimates.mean(Nd4j.createFromArray(1.0, 2.0)));
    }
}
