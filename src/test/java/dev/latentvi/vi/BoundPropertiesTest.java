package dev.latentvi.vi;

import static org.junit.jupiter.api.Assertions.*;

import dev.latentvi.dist.Kl;
import dev.latentvi.dist.MultivariateNormal;
import dev.latentvi.dist.Normal;
import dev.latentvi.math.Estimates;
import dev.latentvi.math.Rng;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The bound family on random linear-Gaussian models (exact log p(x) and posterior), fixed jqwik
 * seeds: ELBO ≤ log p(x), ELBO + KL(q ‖ p(z|x)) = log p(x), and E[L_K] non-decreasing in K and ≤ log p(x).
 * Monte Carlo comparisons allow 5 standard errors.
 */
class BoundPropertiesTest {

    /** A model D × d, 3 data points drawn from it, and a q that is the posterior's mean field perturbed. */
    private static Object[] setup(long seed, int dataDim, int latentDim) {
        Rng rng = Rng.seeded(seed);
        LinearGaussian model = LinearGaussian.random(dataDim, latentDim, 1.0, 0.3 + rng.uniform(), rng);
        INDArray x = model.sample(rng, 3).x();
        MultivariateNormal post = model.posterior(x).orElseThrow();
        Normal mf = post.meanField();
        Normal q = Normal.ofLogSigma(mf.mean().add(rng.normal(3, latentDim).muli(0.5)), mf.logSigma().add(rng.normal(3, latentDim).muli(0.3)));
        return new Object[] {model, x, q, rng};
    }

    @Property(seed = "1505", tries = 30)
    void elboIsBelowTheEvidenceByExactlyTheKlToThePosterior(@ForAll @LongRange(min = 0, max = 1_000_000) long seed,
            @ForAll @IntRange(min = 1, max = 6) int dataDim, @ForAll @IntRange(min = 1, max = 3) int latentDim) {
        Object[] s = setup(seed, dataDim, latentDim);
        LinearGaussian model = (LinearGaussian) s[0];
        INDArray x = (INDArray) s[1];
        Normal q = (Normal) s[2];
        Decomposition dec = Decomposition.of(model, q, x, Bound.analyticKl(2000), (Rng) s[3]);
        for (int i = 0; i < 3; i++) {
            double logP = dec.logEvidence().getDouble(i);
            double elbo = dec.elbo().values().getDouble(i);
            double se = dec.elbo().standardErrors().getDouble(i);
            double kl = dec.kl().getDouble(i);
            assertTrue(kl >= -1e-9, "KL(q || posterior) = " + kl);
            assertTrue(elbo <= logP + 5 * se + 1e-9, "ELBO " + elbo + " ± " + se + " > log p(x) " + logP);
            assertEquals(logP, elbo + kl, 5 * se + 1e-9 * Math.max(1, Math.abs(logP)), "point " + i);
        }
        // with q the exact posterior's mean field and a one-dimensional latent, q is the posterior: KL = 0
        if (latentDim == 1) {
            Normal exact = model.posterior(x).orElseThrow().meanField();
            for (double v : Kl.divergence(exact, model.posterior(x).orElseThrow()).toDoubleVector()) {
                assertEquals(0.0, v, 1e-9);
            }
        }
    }

    @Property(seed = "1506", tries = 15)
    void iwaeBoundGrowsWithKAndStaysBelowTheEvidence(@ForAll @LongRange(min = 0, max = 1_000_000) long seed,
            @ForAll @IntRange(min = 1, max = 5) int dataDim, @ForAll @IntRange(min = 1, max = 2) int latentDim) {
        Object[] s = setup(seed, dataDim, latentDim);
        LinearGaussian model = (LinearGaussian) s[0];
        INDArray x = (INDArray) s[1];
        Normal q = (Normal) s[2];
        Rng rng = (Rng) s[3];
        double[] logP = model.logEvidence(x).orElseThrow().toDoubleVector();
        Estimates previous = null;
        for (int k : new int[] {1, 4, 16}) {
            Estimates e = Bound.iwae(k).replicas(400).estimate(model, q, x, rng);
            for (int i = 0; i < 3; i++) {
                double v = e.values().getDouble(i);
                double se = e.standardErrors().getDouble(i);
                assertTrue(v <= logP[i] + 5 * se + 1e-9, "L_" + k + " = " + v + " ± " + se + " > log p(x) " + logP[i]);
                if (previous != null) {
                    double pv = previous.values().getDouble(i);
                    double pse = previous.standardErrors().getDouble(i);
                    assertTrue(v >= pv - 5 * Math.hypot(se, pse) - 1e-9, "L_" + k + " = " + v + " < the smaller K's " + pv);
                }
            }
            previous = e;
        }
    }
}
