package dev.latentvi.vi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latentvi.dist.Kl;
import dev.latentvi.dist.Normal;
import dev.latentvi.math.Estimates;
import dev.latentvi.math.Rng;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ElboTest {
    private static final LinearGaussian MODEL = LinearGaussian.random(5, 2, 1.0, 0.6, Rng.seeded(11));
    private static final INDArray X = MODEL.sample(Rng.seeded(12), 6).x();

    /** A deliberately imperfect q: posterior mean shifted, σ off by a factor. */
    private static Normal roughQ(Rng rng) {
        GaussianPosterior post = MODEL.posterior(X).orElseThrow();
        INDArray mu = post.mean().addi(rng.normal(6, 2).muli(0.4));
        INDArray sigma = Nd4j.tile(post.marginalStd().reshape(1, 2), 6, 1).muli(Nd4j.create(new double[] {0.6, 1.7}).reshape(1, 2));
        return Normal.of(mu, sigma);
    }

    @Test
    void identityHoldsWithinFourStandardErrorsAcrossSeeds() {
        for (long seed = 0; seed < 5; seed++) {
            Rng rng = Rng.seeded(seed);
            Decomposition dec = Decomposition.of(MODEL, roughQ(rng), X, Bound.monteCarlo(2000), rng);
            double[] z = dec.standardizedError().toDoubleVector();
            for (int i = 0; i < z.length; i++) {
                assertTrue(Math.abs(z[i]) < 4, "seed " + seed + " point " + i + ": |ELBO + KL − log p(x)| = " + z[i] + " SE");
            }
            assertEquals(8, dec.table().columnCount());
        }
    }

    @Test
    void elboIsBelowTheEvidenceAndTightAtThePosteriorWhenItIsDiagonal() {
        Rng rng = Rng.seeded(1);
        INDArray logPx = MODEL.logEvidence(X).orElseThrow();
        Estimates elbo = Bound.monteCarlo(2000).estimate(MODEL, roughQ(rng), X, rng);
        for (int i = 0; i < 6; i++) {
            assertTrue(elbo.values().getDouble(i) + 4 * elbo.standardErrors().getDouble(i) < logPx.getDouble(i), "point " + i);
        }
        // with orthogonal columns the posterior is diagonal: at q = posterior the log-ratio log p(x, z) − log q(z)
        // equals log p(x) for every z, so the sampled form is exact with zero variance
        LinearGaussian ortho = LinearGaussian.of(Nd4j.createFromArray(new double[][] {{1.5, 0}, {0, -0.5}, {0, 0}}), Nd4j.ones(3), 0.4);
        INDArray x = ortho.sample(rng, 3).x();
        GaussianPosterior post = ortho.posterior(x).orElseThrow();
        Normal exact = Normal.of(post.mean(), Nd4j.tile(post.marginalStd().reshape(1, 2), 3, 1));
        Estimates tight = Bound.allSampled(50).estimate(ortho, exact, x, rng);
        Estimates mc = Bound.monteCarlo(2000).estimate(ortho, exact, x, rng);
        for (int i = 0; i < 3; i++) {
            double logEv = ortho.logEvidence(x).orElseThrow().getDouble(i);
            assertEquals(logEv, tight.values().getDouble(i), 1e-8);
            assertEquals(0.0, tight.standardErrors().getDouble(i), 1e-8);
            assertEquals(logEv, mc.values().getDouble(i), 4 * mc.standardErrors().getDouble(i));
        }
    }

    @Test
    void threeFormsOfTheBoundAgree() {
        Rng rng = Rng.seeded(2);
        Normal q = roughQ(rng);
        Estimates mc = Bound.monteCarlo(4000).estimate(MODEL, q, X, rng);
        Estimates kl = Bound.analyticKl(4000).estimate(MODEL, q, X, rng);
        Estimates sampled = Bound.allSampled(4000).estimate(MODEL, q, X, rng);
        for (int i = 0; i < 6; i++) {
            double se = Math.hypot(mc.standardErrors().getDouble(i), kl.standardErrors().getDouble(i));
            assertEquals(mc.values().getDouble(i), kl.values().getDouble(i), 4 * se, "analytic KL form, point " + i);
            se = Math.hypot(mc.standardErrors().getDouble(i), sampled.standardErrors().getDouble(i));
            assertEquals(mc.values().getDouble(i), sampled.values().getDouble(i), 4 * se, "sampled form, point " + i);
        }
    }

    @Test
    void analyticAndMonteCarloEntropyAndKlAgree() {
        Rng rng = Rng.seeded(3);
        Normal q = roughQ(rng);
        INDArray z = q.sample(rng, 20000);                                  // [m, n, d]
        Estimates entropy = Estimates.mean(q.logProb(z).negi());
        Estimates klPrior = Estimates.mean(q.logProb(z).subi(MODEL.prior().logProb(z.reshape(20000L * 6, 2)).reshape(20000, 6)));
        INDArray exactKl = Kl.divergence(q, MODEL.prior());
        // KL(q ‖ posterior) by Monte Carlo against the closed form for a full-covariance posterior
        GaussianPosterior post = MODEL.posterior(X).orElseThrow();
        INDArray logPost = post.logProb(z.reshape(20000L * 6, 2)).reshape(20000, 6);
        Estimates klPost = Estimates.mean(q.logProb(z).subi(logPost));
        INDArray exactKlPost = post.klFromDiagonal(q.mean(), q.stddev());
        for (int i = 0; i < 6; i++) {
            assertEquals(q.entropy().getDouble(i), entropy.values().getDouble(i), 4 * entropy.standardErrors().getDouble(i));
            assertEquals(exactKl.getDouble(i), klPrior.values().getDouble(i), 4 * klPrior.standardErrors().getDouble(i));
            assertEquals(exactKlPost.getDouble(i), klPost.values().getDouble(i), 4 * klPost.standardErrors().getDouble(i));
        }
    }

    @Test
    void iwaeBoundIncreasesWithKAndStaysBelowTheEvidence() {
        Rng rng = Rng.seeded(4);
        Normal q = roughQ(rng);
        INDArray logPx = MODEL.logEvidence(X).orElseThrow();
        int[] ks = {1, 4, 16, 64};
        double[][] values = new double[ks.length][];
        double[][] ses = new double[ks.length][];
        for (int a = 0; a < ks.length; a++) {
            Estimates l = Bound.iwae(ks[a]).replicas(400).estimate(MODEL, q, X, rng);
            values[a] = l.values().toDoubleVector();
            ses[a] = l.standardErrors().toDoubleVector();
        }
        Estimates elbo = Bound.monteCarlo(4000).estimate(MODEL, q, X, rng);
        for (int i = 0; i < 6; i++) {
            assertEquals(elbo.values().getDouble(i), values[0][i], 4 * Math.hypot(ses[0][i], elbo.standardErrors().getDouble(i)),
                    "L_1 is the ELBO, point " + i);
            for (int a = 0; a < ks.length; a++) {
                assertTrue(values[a][i] - 4 * ses[a][i] <= logPx.getDouble(i), "L_" + ks[a] + " <= log p(x), point " + i);
                if (a > 0) {
                    assertTrue(values[a][i] + 4 * Math.hypot(ses[a][i], ses[a - 1][i]) >= values[a - 1][i],
                            "L_K non-decreasing at K=" + ks[a] + ", point " + i);
                }
            }
            assertTrue(values[ks.length - 1][i] > values[0][i], "L_64 > L_1 strictly for an imperfect q, point " + i);
        }
    }

    @Test
    void badInputGetsAClearError() {
        Rng rng = Rng.seeded(5);
        Normal q = roughQ(rng);
        var e = assertThrows(IllegalArgumentException.class, () -> Bound.monteCarlo(0).estimate(MODEL, q, X, rng));
        assertTrue(e.getMessage().startsWith("m:"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Bound.monteCarlo(10).estimate(MODEL, q, X.getRows(0, 1), rng));
        assertTrue(e.getMessage().startsWith("q:") && e.getMessage().contains("(2)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Bound.monteCarlo(10).estimate(MODEL, Normal.standard(3), X.getRows(0), rng));
        assertTrue(e.getMessage().startsWith("q:"), e.getMessage());
        LatentModel noEvidence = new LatentModel() {
            public int latentDim() {
                return 2;
            }

            public int dataDim() {
                return 5;
            }

            public INDArray logLikelihood(INDArray x, INDArray z) {
                return MODEL.logLikelihood(x, z);
            }

            public org.nd4j.autodiff.samediff.SDVariable logLikelihood(org.nd4j.autodiff.samediff.SameDiff sd,
                    org.nd4j.autodiff.samediff.SDVariable x, org.nd4j.autodiff.samediff.SDVariable z) {
                return MODEL.logLikelihood(sd, x, z);
            }
        };
        e = assertThrows(IllegalArgumentException.class, () -> Decomposition.of(noEvidence, q, X, Bound.monteCarlo(10), rng));
        assertTrue(e.getMessage().startsWith("model:"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Bound.iwae(0).replicas(10).estimate(MODEL, q, X, rng));
        assertTrue(e.getMessage().startsWith("k:"), e.getMessage());
    }
}
