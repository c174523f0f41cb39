package dev.latentvi.vi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latentvi.math.Reference;
import dev.latentvi.math.Rng;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class LinearGaussianTest {
    private static final Reference REF = Reference.load("vi-linear-gaussian");

    private static LinearGaussian model() {
        return LinearGaussian.of(REF.array("linear_gaussian", "W"), REF.array("linear_gaussian", "b"),
                REF.array("linear_gaussian", "sigma").getDouble(0));
    }

    private static void assertClose(INDArray expected, INDArray actual, double tol) {
        double[] e = expected.reshape(expected.length()).toDoubleVector();
        double[] a = actual.reshape(actual.length()).toDoubleVector();
        assertEquals(e.length, a.length);
        for (int i = 0; i < e.length; i++) {
            assertEquals(e[i], a[i], tol, "entry " + i);
        }
    }

    @Test
    void evidenceAndPosteriorMatchScipy() {
        LinearGaussian m = model();
        INDArray x = REF.array("linear_gaussian", "x");
        assertClose(REF.array("linear_gaussian", "log_evidence"), m.logEvidence(x).orElseThrow(), 1e-9);
        GaussianPosterior post = m.posterior(x).orElseThrow();
        assertClose(REF.array("linear_gaussian", "posterior_mean"), post.mean(), 1e-9);
        assertClose(REF.array("linear_gaussian", "posterior_cov"), post.covariance(), 1e-9);
        assertClose(REF.array("linear_gaussian", "kl_q_posterior"),
                post.klFromDiagonal(REF.array("linear_gaussian", "q_mean"), REF.array("linear_gaussian", "q_std")), 1e-9);
    }

    @Test
    void bayesRuleHoldsAtAnyLatent() {
        // log p(x) = log p(x, z) − log p(z|x) for every z: ties the eager log-joint to evidence and posterior
        LinearGaussian m = LinearGaussian.random(6, 3, 1.0, 0.5, Rng.seeded(2));
        INDArray x = m.sample(Rng.seeded(3), 5).x();
        INDArray z = Rng.seeded(4).normal(5, 3);
        INDArray viaBayes = m.logJoint(x, z).sub(m.posterior(x).orElseThrow().logProb(z));
        assertClose(m.logEvidence(x).orElseThrow(), viaBayes, 1e-9);
    }

    @Test
    void graphLogJointMatchesEager() {
        LinearGaussian m = LinearGaussian.random(4, 2, 1.0, 0.3, Rng.seeded(5));
        INDArray x = m.sample(Rng.seeded(6), 1).x();
        Objective r = Objective.logJoint(m, x);
        INDArray z = Rng.seeded(7).normal(6, 2);
        assertClose(m.logJoint(Nd4j.tile(x, 6, 1), z), r.value(z), 1e-10);
        // ∇_z log p(x, z) = −Λ(z − μ_post) for a Gaussian posterior with precision Λ
        GaussianPosterior post = m.posterior(x).orElseThrow();
        INDArray precision = org.nd4j.linalg.inverse.InvertMatrix.invert(post.covariance(), false);
        INDArray expected = z.subRowVector(post.mean()).mmul(precision).negi();
        assertClose(expected, r.gradient(z), 1e-8);
    }

    @Test
    void broadcastSampleLikelihoodEqualsTheTiledRowForm() {
        for (int dataDim : new int[] {1, 4}) {
            LinearGaussian m = LinearGaussian.random(dataDim, 2, 1.0, 0.6, Rng.seeded(8));
            INDArray x = m.sample(Rng.seeded(9), 3).x();
            INDArray z = Rng.seeded(10).normal(5, 3, 2);                                  // [m, n, d]
            INDArray tiled = m.logJoint(Nd4j.tile(x, 5, 1), z.reshape(15, 2)).reshape(5, 3);
            assertClose(tiled, m.logJoint(x, z), 1e-10);
        }
    }

    @Test
    void largerModelsFactorizeCleanly() {
        // W^T W from a 20 × 5 product is symmetric only up to rounding; the Cholesky factorization must not mind
        LinearGaussian m = LinearGaussian.random(20, 5, 1.0, 0.5, Rng.seeded(1));
        INDArray x = m.sample(Rng.seeded(2), 3).x();
        INDArray z = Rng.seeded(3).normal(3, 5);
        assertClose(m.logEvidence(x).orElseThrow(), m.logJoint(x, z).sub(m.posterior(x).orElseThrow().logProb(z)), 1e-8);
    }

    @Test
    void meanFieldEqualsExactMarginalsForOrthogonalWeights() {
        INDArray w = Nd4j.createFromArray(new double[][] {{2, 0}, {0, 1}, {0, 0}});
        LinearGaussian m = LinearGaussian.of(w, Nd4j.zeros(3), 0.5);
        GaussianPosterior post = m.posterior(Nd4j.createFromArray(new double[][] {{1, 2, 3}})).orElseThrow();
        INDArray[] mf = post.meanField();
        assertClose(post.marginalStd(), mf[1], 1e-12);
        // σ_j² = 1 / (1 + w_j²/σ²)
        assertEquals(Math.sqrt(1 / (1 + 4 / 0.25)), mf[1].getDouble(0, 0), 1e-12);
        assertEquals(0.0, post.klFromDiagonal(mf[0], mf[1]).getDouble(0), 1e-12);
    }

    @Test
    void badInputIsRejected() {
        INDArray w = Nd4j.ones(3, 2);
        var e = assertThrows(IllegalArgumentException.class, () -> LinearGaussian.of(w, Nd4j.zeros(3), 0.0));
        assertTrue(e.getMessage().startsWith("noise:"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LinearGaussian.of(w, Nd4j.zeros(4), 1.0));
        assertTrue(e.getMessage().startsWith("bias:"), e.getMessage());
        LinearGaussian m = LinearGaussian.of(w, Nd4j.zeros(3), 1.0);
        e = assertThrows(IllegalArgumentException.class, () -> m.logEvidence(Nd4j.ones(2, 4)));
        assertTrue(e.getMessage().startsWith("x:") && e.getMessage().contains("[n, 3]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> m.logJoint(Nd4j.ones(2, 3), Nd4j.ones(3, 2)));
        assertTrue(e.getMessage().startsWith("z:"), e.getMessage());
        INDArray nan = Nd4j.ones(1, 3).putScalar(1, Double.NaN);
        e = assertThrows(IllegalArgumentException.class, () -> m.logEvidence(nan));
        assertTrue(e.getMessage().startsWith("x:"), e.getMessage());
    }
}
