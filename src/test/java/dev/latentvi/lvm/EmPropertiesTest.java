package dev.latentvi.lvm;

import static org.junit.jupiter.api.Assertions.*;

import dev.latentvi.math.Rng;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.nd4j.linalg.api.ndarray.INDArray;

/** EM on random data, fixed jqwik seeds: no step lowers the log-likelihood (full and diagonal covariances). */
class EmPropertiesTest {

    @Property(seed = "1509", tries = 20)
    void anEmStepNeverLowersTheLogLikelihood(@ForAll @LongRange(min = 0, max = 1_000_000) long seed,
            @ForAll @IntRange(min = 1, max = 4) int k, @ForAll @IntRange(min = 1, max = 3) int d, @ForAll boolean diagonal) {
        Rng rng = Rng.seeded(seed);
        INDArray centers = rng.normal(3, d).muli(3);
        INDArray x = rng.normal(120, d);
        for (int i = 0; i < 120; i++) {
            x.getRow(i).addi(centers.getRow(i % 3));
        }
        GaussianMixtureEm em = GaussianMixtureEm.withComponents(k).maxIterations(25).tolerance(0).progress(false);
        GaussianMixtureEm.Fit fit = (diagonal ? em.diagonal() : em).fit(x, rng);
        double[] trace = fit.logLikelihoodTrace();
        assertTrue(trace.length >= 2, "at least one step");
        for (int t = 1; t < trace.length; t++) {
            assertTrue(trace[t] >= trace[t - 1] - 1e-9 * Math.abs(trace[t - 1]), "step " + t + ": " + trace[t - 1] + " -> " + trace[t]);
        }
        assertEquals(fit.mixture().logProb(x).sumNumber().doubleValue() / 120, fit.logLikelihood(), 1e-6 * Math.abs(fit.logLikelihood()) + 1e-9);
    }
}
