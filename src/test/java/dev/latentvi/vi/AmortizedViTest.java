package dev.latentvi.vi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latentvi.math.Rng;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class AmortizedViTest {
    /** Mean amortization gap (nats per held-out point) the trained encoder must stay under. */
    private static final double GAP_TOLERANCE = 0.2;

    @Test
    void encoderComesCloseToThePerPointOptimumOnHeldOutData() {
        LinearGaussian model = LinearGaussian.random(5, 2, 1.0, 0.5, Rng.seeded(21));
        INDArray train = model.sample(Rng.seeded(22), 512).x();
        INDArray test = model.sample(Rng.seeded(23), 40).x();
        long t0 = System.nanoTime();
        AmortizedVi.Encoder enc = AmortizedVi.of(model).hidden(32).epochs(150).batchSize(128).learningRate(1e-2).fit(train, Rng.seeded(24));
        System.err.printf("amortized training %.1f s%n", (System.nanoTime() - t0) / 1e9);
        AmortizationGap gap = AmortizationGap.measure(model, enc, test, 200, Rng.seeded(25));
        System.err.println(gap.summary());
        assertEquals(150, enc.history().rowCount());
        double amortization = gap.amortizationGap().meanNumber().doubleValue();
        assertTrue(amortization < GAP_TOLERANCE, "mean amortization gap " + amortization);
        // per-point VI reaches the analytic best diagonal Gaussian; nothing beats log p(x)
        assertEquals(gap.elboMeanField().meanNumber().doubleValue(), gap.elboPerPoint().meanNumber().doubleValue(), 0.01);
        assertTrue(gap.logEvidence().sub(gap.elboAmortized()).minNumber().doubleValue() >= 0);
        assertTrue(gap.logEvidence().sub(gap.elboPerPoint()).minNumber().doubleValue() >= 0);
        // the three gaps: approximation (exact, ≥ 0), amortization and per-point VI's shortfall, all against q*
        assertTrue(gap.approximationGap().minNumber().doubleValue() >= 0);
        assertTrue(gap.amortizationGap().minNumber().doubleValue() >= -1e-12, "no encoder beats the best diagonal Gaussian");
        assertEquals(gap.totalGap().meanNumber().doubleValue(),
                gap.approximationGap().add(gap.amortizationGap()).meanNumber().doubleValue(), 1e-12);
        assertEquals(gap.elboMeanField().sub(gap.elboPerPoint()).getDouble(3), gap.optimizationGap().getDouble(3), 0);
        assertEquals((5 * 32 + 32) + 2 * (32 * 2 + 2), enc.parameterCount());
        double[] trace = enc.elboTrace();
        assertTrue(trace[trace.length - 1] > trace[0], "training ELBO rose");
    }

    @Test
    void badInputIsRejected() {
        LinearGaussian model = LinearGaussian.random(3, 2, 1.0, 0.5, Rng.seeded(0));
        var e = assertThrows(IllegalArgumentException.class, () -> AmortizedVi.of(model).fit(Nd4j.ones(10, 4), Rng.seeded(1)));
        assertTrue(e.getMessage().startsWith("x:"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> AmortizedVi.of(model).epochs(0));
        assertTrue(e.getMessage().startsWith("epochs:"), e.getMessage());
    }
}
