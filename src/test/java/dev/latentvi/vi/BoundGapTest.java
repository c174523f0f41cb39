package dev.latentvi.vi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latentvi.dist.Kl;
import dev.latentvi.dist.MultivariateNormal;
import dev.latentvi.dist.Normal;
import dev.latentvi.math.Estimate;
import dev.latentvi.math.Estimates;
import dev.latentvi.math.Rng;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class BoundGapTest {
    final LinearGaussian model = LinearGaussian.random(4, 2, 1.0, 0.6, Rng.seeded(1));
    final INDArray x = model.sample(Rng.seeded(2), 3).x();
    final MultivariateNormal post = model.posterior(x).orElseThrow();
    final INDArray logPx = model.logEvidence(x).orElseThrow();
    /** q: the mean-field posterior shifted and widened, so every bound has a visible gap. */
    final Normal q = Normal.of(post.mean().add(0.3), post.meanField().stddev().mul(1.3));

    @Test
    void singleWeightGapIsTheKlDivergence() {
        Estimates gap = Bound.allSampled(20_000).gap(model, q, x, logPx, Rng.seeded(3));
        INDArray kl = Kl.divergence(q, post);
        for (int i = 0; i < 3; i++) {
            Estimate g = gap.get(i);
            assertEquals(kl.getDouble(i), g.value(), 4 * g.standardError(), "point " + i);
        }
    }

    @Test
    void iwaeGapAgreesWithTheBoundAndShrinksWithK() {
        double previous = Double.POSITIVE_INFINITY;
        for (int k : new int[] {1, 4, 16, 64}) {
            Bound bound = Bound.iwae(k).replicas(4000);
            Estimates gap = bound.gap(model, q, x, logPx, Rng.seeded(10 + k));
            Estimates value = bound.estimate(model, q, x, Rng.seeded(20 + k));
            for (int i = 0; i < 3; i++) {
                Estimate g = gap.get(i);
                Estimate direct = Estimate.exact(logPx.getDouble(i)).minus(value.get(i));
                assertEquals(direct.value(), g.value(), 4 * Math.hypot(g.standardError(), direct.standardError()), "K = " + k + ", point " + i);
                assertTrue(g.value() > 0);
                // the control variate is far more precise than the bound itself
                assertTrue(g.standardError() < direct.standardError(), "K = " + k);
            }
            double mean = gap.meanValue();
            assertTrue(mean < previous, "K = " + k);
            previous = mean;
        }
    }

    @Test
    void exactProposalHasNoGap() {
        Estimates gap = Bound.iwae(8).replicas(10).gap(model, post, x, logPx, Rng.seeded(4));
        for (int i = 0; i < 3; i++) {
            assertEquals(0, gap.get(i).value(), 1e-9);
        }
    }

    @Test
    void badInputIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Bound.monteCarlo(4).gap(model, q, x, logPx, Rng.seeded(5)));
        assertTrue(e.getMessage().startsWith("bound:"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Bound.iwae(4).gap(model, q, x, logPx.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 2)), Rng.seeded(5)));
        assertTrue(e.getMessage().startsWith("logEvidence:"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Bound.iwae(4).gap(model, q, x, null, Rng.seeded(5)));
        assertTrue(e.getMessage().startsWith("logEvidence:"), e.getMessage());
    }
}
