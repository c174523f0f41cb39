package dev.latentvi.lvm;

import static dev.latentvi.lvm.GaussianMixtureEmTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latentvi.dist.GaussianMixture;
import dev.latentvi.dist.Kl;
import dev.latentvi.dist.MultivariateNormal;
import dev.latentvi.dist.Normal;
import dev.latentvi.math.Rng;
import dev.latentvi.vi.LinearGaussian;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class PpcaTest {
    static final int D = 6;
    static final int LATENT = 2;

    /** Data from a PPCA model with well-separated signal directions (scales 3 and 1.5, σ = 0.5). */
    static INDArray data(int n, long seed) {
        Rng rng = Rng.seeded(seed);
        INDArray w = rng.normal(D, LATENT);
        w.getColumn(0).muli(3.0 / Math.sqrt(D));
        w.getColumn(1).muli(1.5 / Math.sqrt(D));
        return LinearGaussian.of(w, rng.normal(D), 0.5).sample(rng, n).x();
    }

    static INDArray covariance(LinearGaussian m) {
        INDArray w = m.weights();
        return w.mmul(w.transpose()).addi(Nd4j.eye(m.dataDim()).castTo(DataType.DOUBLE).muli(m.noise() * m.noise()));
    }

    @Test
    void maximumLikelihoodMatchesTheSampleCovarianceSpectrum() {
        INDArray x = data(400, 1);
        LinearGaussian ml = Ppca.maximumLikelihood(x, LATENT);
        double[] lambda = Ppca.covarianceEigenvalues(x);
        // b is the sample mean
        assertArrayEquals(x.mean(0).toDoubleVector(), ml.bias().toDoubleVector(), 1e-12);
        // σ² is the mean of the discarded eigenvalues
        double s2 = 0;
        for (int j = LATENT; j < D; j++) {
            s2 += lambda[j] / (D - LATENT);
        }
        assertEquals(s2, ml.noise() * ml.noise(), 1e-12);
        // the model covariance WWᵀ + σ²I has the top eigenvalues of S and σ² for the rest, with S's eigenvectors
        INDArray centred = x.subRowVector(x.mean(0));
        INDArray s = centred.transpose().mmul(centred).divi(x.size(0));
        INDArray c = covariance(ml);
        INDArray w = ml.weights();
        for (int j = 0; j < LATENT; j++) {
            INDArray u = w.getColumn(j).dup().reshape(D, 1);
            u.divi(u.norm2Number().doubleValue());
            // S u = λ_j u and C u = λ_j u
            assertArrayEquals(u.mul(lambda[j]).toDoubleVector(), s.mmul(u).toDoubleVector(), 1e-9);
            assertArrayEquals(u.mul(lambda[j]).toDoubleVector(), c.mmul(u).toDoubleVector(), 1e-9);
        }
        // eigenvalues sorted, trace preserved: tr C = Σ_{j ≤ d} λ_j + (D − d)σ² = tr S
        for (int j = 1; j < D; j++) {
            assertTrue(lambda[j - 1] >= lambda[j]);
        }
        assertEquals(traceOf(s), traceOf(c), 1e-9);
    }

    static double traceOf(INDArray a) {
        return Nd4j.diag(a).sumNumber().doubleValue();
    }

    @Test
    void maximumLikelihoodIsAStationaryPointAndBeatsPerturbations() {
        INDArray x = data(300, 2);
        LinearGaussian ml = Ppca.maximumLikelihood(x, LATENT);
        double best = ml.meanLogEvidence(x);
        // an EM step from the ML solution stays there (a fixed point of EM is a stationary point of log p)
        LinearGaussian again = Ppca.mStep(x, ml.posterior(x).orElseThrow());
        assertArrayEquals(covariance(ml).reshape(D * D).toDoubleVector(), covariance(again).reshape(D * D).toDoubleVector(), 1e-9);
        assertArrayEquals(ml.bias().toDoubleVector(), again.bias().toDoubleVector(), 1e-9);
        // central finite differences of log p along every parameter vanish
        double h = 1e-5;
        INDArray w = ml.weights();
        for (int i = 0; i < D; i++) {
            for (int j = 0; j < LATENT; j++) {
                INDArray up = w.dup();
                up.putScalar(i, j, w.getDouble(i, j) + h);
                INDArray down = w.dup();
                down.putScalar(i, j, w.getDouble(i, j) - h);
                double g = (LinearGaussian.of(up, ml.bias(), ml.noise()).meanLogEvidence(x)
                        - LinearGaussian.of(down, ml.bias(), ml.noise()).meanLogEvidence(x)) / (2 * h);
                assertEquals(0, g, 1e-6, "d log p / dW[" + i + "][" + j + "]");
            }
        }
        double gSigma = (LinearGaussian.of(w, ml.bias(), ml.noise() + h).meanLogEvidence(x)
                - LinearGaussian.of(w, ml.bias(), ml.noise() - h).meanLogEvidence(x)) / (2 * h);
        assertEquals(0, gSigma, 1e-6);
        // and it is a maximum: random perturbations lower log p
        Rng rng = Rng.seeded(3);
        for (int k = 0; k < 20; k++) {
            LinearGaussian other = LinearGaussian.of(w.add(rng.normal(D, LATENT).muli(0.05)), ml.bias().add(rng.normal(D).muli(0.05)),
                    ml.noise() * Math.exp(0.05 * rng.normal()));
            assertTrue(other.meanLogEvidence(x) < best);
        }
    }

    @Test
    void logEvidenceIsTheMarginalGaussian() {
        INDArray x = data(50, 4);
        LinearGaussian m = LinearGaussian.random(D, LATENT, 0.8, 0.6, Rng.seeded(5));
        GaussianMixture marginal = GaussianMixture.full(Nd4j.createFromArray(1.0), m.bias().reshape(1, D),
                covariance(m).reshape(1, D, D));
        assertArrayEquals(marginal.logProb(x).toDoubleVector(), m.logEvidence(x).orElseThrow().toDoubleVector(), 1e-9);
    }

    @Test
    void closedFormElboIsLogEvidenceMinusKl() {
        INDArray x = data(20, 6);
        LinearGaussian m = LinearGaussian.random(D, LATENT, 0.8, 0.6, Rng.seeded(7));
        MultivariateNormal post = m.posterior(x).orElseThrow();
        INDArray logPx = m.logEvidence(x).orElseThrow();
        // exact q: ELBO = log p(x)
        assertArrayEquals(logPx.toDoubleVector(), m.elbo(x, post).toDoubleVector(), 1e-9);
        // any diagonal q: ELBO = log p(x) − KL(q ‖ p(z|x))
        Rng rng = Rng.seeded(8);
        Normal q = Normal.of(post.mean().add(rng.normal(20, LATENT).muli(0.3)), rng.uniform(20, LATENT).addi(0.2));
        assertArrayEquals(logPx.sub(Kl.divergence(q, post)).toDoubleVector(), m.elbo(x, q).toDoubleVector(), 1e-9);
        // a full-covariance q away from the posterior
        MultivariateNormal full = MultivariateNormal.of(post.mean().add(0.4), Nd4j.createFromArray(new double[][] {{0.5, 0.1}, {0.1, 0.3}}));
        assertArrayEquals(logPx.sub(Kl.divergence(full, post)).toDoubleVector(), m.elbo(x, full).toDoubleVector(), 1e-9);
        // the mean-field optimum beats other diagonal q and stays below log p(x)
        Normal mf = post.meanField();
        double best = m.meanElbo(x, mf);
        assertTrue(best > m.meanElbo(x, q));
        assertTrue(best <= m.meanLogEvidence(x) + 1e-12);
    }

    @Test
    void mStepMaximizesTheElboOverTheta() {
        INDArray x = data(200, 9);
        LinearGaussian m = LinearGaussian.random(D, LATENT, 0.8, 0.6, Rng.seeded(10));
        Normal q = m.posterior(x).orElseThrow().meanField();
        LinearGaussian next = Ppca.mStep(x, q);
        double best = next.meanElbo(x, q);
        assertTrue(best >= m.meanElbo(x, q));
        Rng rng = Rng.seeded(11);
        for (int k = 0; k < 20; k++) {
            LinearGaussian other = LinearGaussian.of(next.weights().add(rng.normal(D, LATENT).muli(0.02)),
                    next.bias().add(rng.normal(D).muli(0.02)), next.noise() * Math.exp(0.02 * rng.normal()));
            assertTrue(other.meanElbo(x, q) < best);
        }
    }

    @Test
    void exactEmConvergesToMaximumLikelihood() {
        INDArray x = data(500, 12);
        LinearGaussian ml = Ppca.maximumLikelihood(x, LATENT);
        LinearGaussian start = Ppca.initial(x, LATENT, Rng.seeded(13));
        Ppca.Fit fit = Ppca.variationalEm(Ppca.Posterior.EXACT).iterations(200).fit(x, start, Rng.seeded(14));
        assertTrue(Ppca.subspaceAngle(fit.model().weights(), ml.weights()) < 1e-3);
        assertEquals(ml.noise() * ml.noise(), fit.model().noise() * fit.model().noise(), 1e-6);
        assertEquals(ml.meanLogEvidence(x), fit.logEvidenceTrace()[200], 1e-6);
        assertArrayEquals(ml.bias().toDoubleVector(), fit.model().bias().toDoubleVector(), 1e-9);   // b = x̄ kept from the start
        // the converged W spans the ML subspace with the ML covariance WWᵀ (W itself is unique up to a rotation)
        assertArrayEquals(covariance(ml).reshape(D * D).toDoubleVector(), covariance(fit.model()).reshape(D * D).toDoubleVector(), 1e-2);
        double[] elbo = fit.elboTrace();
        double[] logPx = fit.logEvidenceTrace();
        for (int t = 0; t <= 200; t++) {
            assertEquals(logPx[t], elbo[t], 1e-9, "exact q: ELBO = log p at iteration " + t);
            if (t > 0) {
                assertTrue(elbo[t] >= elbo[t - 1] - 1e-10, "EM never decreases the ELBO, iteration " + t);
            }
        }
        assertEquals(fit.angleTrace()[200], fit.history().doubleColumn("angle to ML (°)").get(200), 0);
        assertEquals(201, fit.history().rowCount());
        // the summary row is the last iteration
        tech.tablesaw.api.Table summary = Ppca.summary(fit);
        assertEquals(elbo[200], summary.doubleColumn("ELBO").get(0), 0);
        assertEquals(ml.meanLogEvidence(x) - logPx[200], summary.doubleColumn("ML log p(x) − log p(x)").get(0), 1e-12);
        assertEquals(ml.noise() * ml.noise(), summary.doubleColumn("ML σ²").get(0), 1e-12);
        assertEquals(ml.meanLogEvidence(x), fit.maximumLogLikelihood(), 1e-12);
    }

    @Test
    void meanFieldEmIsMonotoneBelowLogEvidenceAndFindsTheSubspace() {
        INDArray x = data(500, 15);
        LinearGaussian ml = Ppca.maximumLikelihood(x, LATENT);
        LinearGaussian start = Ppca.initial(x, LATENT, Rng.seeded(16));
        Ppca.Fit fit = Ppca.variationalEm(Ppca.Posterior.MEAN_FIELD).iterations(200).fit(x, start, Rng.seeded(17));
        double[] elbo = fit.elboTrace();
        double[] logPx = fit.logEvidenceTrace();
        for (int t = 0; t <= 200; t++) {
            assertTrue(elbo[t] <= logPx[t] + 1e-10, "ELBO ≤ log p at iteration " + t);
            if (t > 0) {
                assertTrue(elbo[t] >= elbo[t - 1] - 1e-10, "coordinate ascent never decreases the ELBO, iteration " + t);
            }
        }
        // the mean-field fixed point is an ML solution with orthogonal columns, where q is exact
        assertTrue(Ppca.subspaceAngle(fit.model().weights(), ml.weights()) < 0.01);
        assertEquals(ml.meanLogEvidence(x), logPx[200], 1e-4);
        assertTrue(fit.gap() < 1e-5, "gap " + fit.gap());
    }

    @Test
    void amortizedEmStaysBelowLogEvidenceAndApproachesTheSubspace() {
        INDArray x = data(300, 18);
        LinearGaussian ml = Ppca.maximumLikelihood(x, LATENT);
        LinearGaussian start = Ppca.initial(x, LATENT, Rng.seeded(19));
        Ppca.Fit fit = Ppca.variationalEm(Ppca.Posterior.AMORTIZED).iterations(30).encoderSteps(5).learningRate(0.05).fit(x, start, Rng.seeded(20));
        double[] elbo = fit.elboTrace();
        double[] logPx = fit.logEvidenceTrace();
        for (int t = 0; t <= 30; t++) {
            assertTrue(elbo[t] <= logPx[t] + 1e-10, "ELBO ≤ log p at iteration " + t);
        }
        assertTrue(elbo[30] > elbo[0] + 1);
        assertTrue(fit.angleTrace()[30] < 5, "angle " + fit.angleTrace()[30]);
        assertTrue(ml.meanLogEvidence(x) - logPx[30] < 0.2, "log p short of ML by " + (ml.meanLogEvidence(x) - logPx[30]));
        // the analytic-KL bound with 4 samples: a less noisy q step, the same guarantees
        Ppca.Fit analytic = Ppca.variationalEm(Ppca.Posterior.AMORTIZED).iterations(30).encoderSteps(3).learningRate(0.05)
                .bound(dev.latentvi.vi.Bound.analyticKl(4)).fit(x, start, Rng.seeded(20));
        for (int t = 0; t <= 30; t++) {
            assertTrue(analytic.elboTrace()[t] <= analytic.logEvidenceTrace()[t] + 1e-10);
        }
        assertTrue(analytic.angleTrace()[30] < 5, "angle " + analytic.angleTrace()[30]);
        // deterministic for a seed
        Ppca.Fit again = Ppca.variationalEm(Ppca.Posterior.AMORTIZED).iterations(30).encoderSteps(5).learningRate(0.05).fit(x, start, Rng.seeded(20));
        assertArrayEquals(elbo, again.elboTrace(), 0);
    }

    @Test
    void subspaceAngleOfKnownSubspaces() {
        INDArray e12 = Nd4j.zeros(DataType.DOUBLE, 4, 2);
        e12.putScalar(0, 0, 1);
        e12.putScalar(1, 1, 1);
        // invariant to an invertible mixing of the columns
        INDArray mixed = e12.mmul(Nd4j.createFromArray(new double[][] {{2, 1}, {-1, 3}}));
        assertEquals(0, Ppca.subspaceAngle(e12, mixed), 1e-12);
        // rotate the second direction by 30° towards e3: the largest principal angle is 30°
        INDArray tilted = e12.dup();
        tilted.putScalar(1, 1, Math.cos(Math.toRadians(30)));
        tilted.putScalar(2, 1, Math.sin(Math.toRadians(30)));
        assertEquals(30, Ppca.subspaceAngle(e12, tilted), 1e-10);
        assertEquals(30, Ppca.subspaceAngle(tilted, e12), 1e-10);
        // tiny angles are resolved
        INDArray tiny = e12.dup();
        tiny.putScalar(2, 1, 1e-9);
        assertEquals(Math.toDegrees(1e-9), Ppca.subspaceAngle(e12, tiny), 1e-15);
        // orthogonal
        INDArray e34 = Nd4j.zeros(DataType.DOUBLE, 4, 2);
        e34.putScalar(2, 0, 1);
        e34.putScalar(3, 1, 1);
        assertEquals(90, Ppca.subspaceAngle(e12, e34), 1e-9);
    }

    @Test
    void badInputIsRejectedNamingTheArgument() {
        INDArray x = data(50, 21);
        assertMessage("d:", () -> Ppca.maximumLikelihood(x, D));
        assertMessage("d:", () -> Ppca.maximumLikelihood(x, 0));
        assertMessage("x:", () -> Ppca.maximumLikelihood(Nd4j.zeros(DataType.DOUBLE, 5), 1));
        INDArray nan = x.dup();
        nan.putScalar(0, 0, Double.NaN);
        assertMessage("x:", () -> Ppca.maximumLikelihood(nan, 1));
        assertMessage("x:", () -> Ppca.maximumLikelihood(Nd4j.ones(DataType.DOUBLE, 10, 3), 1));   // no spread: σ² = 0
        assertMessage("q:", () -> Ppca.mStep(x, Normal.standard(2).row(0).aggregate()));
        assertMessage("q:", () -> Ppca.mStep(x, Normal.of(Nd4j.zeros(DataType.DOUBLE, 7, 2), Nd4j.ones(DataType.DOUBLE, 7, 2))));
        assertMessage("w2:", () -> Ppca.subspaceAngle(Nd4j.ones(DataType.DOUBLE, 4, 2), Nd4j.ones(DataType.DOUBLE, 4, 1)));
        assertMessage("w1:", () -> Ppca.subspaceAngle(Nd4j.ones(DataType.DOUBLE, 4, 2), Nd4j.ones(DataType.DOUBLE, 4, 2)));   // rank 1
        assertMessage("d:", () -> Ppca.initial(x, D, Rng.seeded(1)));
        assertMessage("rng:", () -> Ppca.initial(x, 1, null));
        assertMessage("iterations:", () -> Ppca.variationalEm(Ppca.Posterior.EXACT).iterations(0));
        assertMessage("q:", () -> Ppca.variationalEm(null));
        assertMessage("bound:", () -> Ppca.variationalEm(Ppca.Posterior.AMORTIZED).bound(null));
        assertMessage("fits:", () -> Ppca.summary());
        assertMessage("start:", () -> Ppca.variationalEm(Ppca.Posterior.EXACT).fit(x, LinearGaussian.random(3, 1, 1, 1, Rng.seeded(1)), Rng.seeded(1)));
        LinearGaussian m = LinearGaussian.random(D, LATENT, 1, 1, Rng.seeded(1));
        assertMessage("q:", () -> m.elbo(x, Normal.standard(3)));
        assertMessage("x:", () -> m.elbo(Nd4j.zeros(DataType.DOUBLE, 3, 4), Normal.standard(2)));
    }
}
