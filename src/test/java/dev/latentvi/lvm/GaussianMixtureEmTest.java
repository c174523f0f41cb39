package dev.latentvi.lvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latentvi.dist.GaussianMixture;
import dev.latentvi.math.Rng;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class GaussianMixtureEmTest {
    static GaussianMixture truth() {
        return GaussianMixture.full(Nd4j.createFromArray(0.5, 0.3, 0.2),
                Nd4j.createFromArray(new double[][] {{0, 0}, {5, 1}, {-3, 5}}),
                Nd4j.createFromArray(new double[][][] {{{1, 0.6}, {0.6, 2}}, {{0.5, -0.2}, {-0.2, 0.3}}, {{2, 0}, {0, 0.2}}}));
    }

    @Test
    void emNeverDecreasesTheLogLikelihoodAndRecoversAKnownMixture() {
        GaussianMixture truth = truth();
        INDArray x = truth.sampleLabeled(Rng.seeded(1), 3000).x();
        GaussianMixtureEm.Fit fit = GaussianMixtureEm.withComponents(3).tolerance(1e-9).progress(false).fit(x, Rng.seeded(2));
        double[] trace = fit.logLikelihoodTrace();
        for (int t = 1; t < trace.length; t++) {
            assertTrue(trace[t] >= trace[t - 1] - 1e-9 * Math.abs(trace[t]), "decrease at iteration " + t + ": " + Arrays.toString(trace));
        }
        assertTrue(fit.converged());
        // the fitted log-likelihood is at least that of the truth (it is the MLE up to the tiny guard)
        double truthLl = truth.logProb(x).meanNumber().doubleValue();
        assertTrue(fit.logLikelihood() >= truthLl - 1e-6, fit.logLikelihood() + " vs " + truthLl);
        // match components by nearest mean, then compare parameters
        GaussianMixture m = fit.mixture();
        for (int k = 0; k < 3; k++) {
            INDArray mu = truth.means().getRow(k);
            int best = 0;
            double bestD = Double.MAX_VALUE;
            for (int j = 0; j < 3; j++) {
                double d = m.means().getRow(j).distance2(mu);
                if (d < bestD) {
                    bestD = d;
                    best = j;
                }
            }
            assertTrue(bestD < 0.15, "component " + k + " mean off by " + bestD);
            assertEquals(truth.weights().getDouble(k), m.weights().getDouble(best), 0.03);
            INDArray dc = m.covariances().slice(best).sub(truth.covariances().slice(k));
            assertTrue(dc.amaxNumber().doubleValue() < 0.2, "covariance " + k + " off by " + dc);
        }
    }

    @Test
    void sameSeedSameFitAndEmObjectiveImprovesOnEachStep() {
        INDArray x = truth().sampleLabeled(Rng.seeded(3), 500).x();
        GaussianMixtureEm em = GaussianMixtureEm.withComponents(3).maxIterations(15).tolerance(0).progress(false);
        GaussianMixtureEm.Fit a = em.fit(x, Rng.seeded(4));
        GaussianMixtureEm.Fit b = em.fit(x, Rng.seeded(4));
        assertEquals(15, a.iterations());
        assertEquals(16, a.iterates().size());
        assertTrue(Arrays.equals(a.logLikelihoodTrace(), b.logLikelihoodTrace()));
        // the M-step maximizes the expected complete log-likelihood under the previous posterior
        for (int t = 0; t < 5; t++) {
            INDArray r = a.iterates().get(t).responsibilities(x);
            double before = GaussianMixtureEm.expectedCompleteLogLikelihood(a.iterates().get(t), x, r);
            double after = GaussianMixtureEm.expectedCompleteLogLikelihood(a.iterates().get(t + 1), x, r);
            assertTrue(after >= before - 1e-9, "Q decreased at " + t);
            // log p(x) = Q(r) + H(r) when r is the exact posterior
            INDArray logR = org.nd4j.linalg.ops.transforms.Transforms.log(r, true);
            INDArray ent = r.mul(logR);
            org.nd4j.linalg.indexing.BooleanIndexing.replaceWhere(ent, 0.0, org.nd4j.linalg.indexing.conditions.Conditions.isNan());
            double h = -ent.sum(1).meanNumber().doubleValue();
            assertEquals(a.logLikelihoodTrace()[t], before + h, 1e-9);
        }
    }

    @Test
    void fitWithTheDefaultProgressLineRunsOutsideANotebook() {
        INDArray x = truth().sampleLabeled(Rng.seeded(8), 300).x();
        GaussianMixtureEm.Fit fit = GaussianMixtureEm.withComponents(3).maxIterations(5).fit(x, Rng.seeded(9));
        assertEquals(6, fit.logLikelihoodTrace().length);
    }

    @Test
    void diagonalFitKeepsCovariancesDiagonal() {
        INDArray x = truth().sampleLabeled(Rng.seeded(5), 600).x();
        GaussianMixtureEm.Fit fit = GaussianMixtureEm.withComponents(2).diagonal().progress(false).fit(x, Rng.seeded(6));
        assertTrue(fit.mixture().isDiagonal());
        assertEquals(0.0, fit.mixture().covariances().slice(0).getDouble(0, 1), 0.0);
    }

    @Test
    void duplicatePointsDoNotMakeCovariancesSingular() {
        // 3 components, but the data has only 2 distinct points: a component must collapse
        INDArray x = Nd4j.createFromArray(new double[][] {{0, 0}, {0, 0}, {0, 0}, {1, 1}, {1, 1}, {1, 1}});
        GaussianMixtureEm.Fit fit = GaussianMixtureEm.withComponents(3).progress(false).fit(x, Rng.seeded(7));
        assertTrue(Double.isFinite(fit.logLikelihood()));
        assertTrue(Arrays.stream(fit.logLikelihoodTrace()).allMatch(Double::isFinite));
    }

    @Test
    void badInputNamesTheArgument() {
        GaussianMixtureEm em = GaussianMixtureEm.withComponents(3).progress(false);
        assertMessage("k:", () -> em.fit(Nd4j.zeros(DataType.DOUBLE, 2, 2), Rng.seeded(0)));
        assertMessage("x:", () -> em.fit(Nd4j.zeros(DataType.DOUBLE, 0, 2), Rng.seeded(0)));
        assertMessage("x:", () -> em.fit(Nd4j.valueArrayOf(new long[] {5, 2}, Double.NaN, DataType.DOUBLE), Rng.seeded(0)));
        assertMessage("x:", () -> em.fit(Nd4j.zeros(DataType.DOUBLE, 5), Rng.seeded(0)));
        assertMessage("k:", () -> GaussianMixtureEm.withComponents(0));
        assertMessage("minVariance:", () -> em.minVariance(0));
    }

    static void assertMessage(String prefix, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().startsWith(prefix), "message '" + e.getMessage() + "' should start with " + prefix);
    }

    @Test
    void traceAndDecompositionTablesHoldTheFitsNumbers() {
        INDArray x = truth().sampleLabeled(Rng.seeded(11), 400).x();
        GaussianMixtureEm.Fit fit = GaussianMixtureEm.withComponents(3).maxIterations(8).tolerance(0).progress(false).fit(x, Rng.seeded(12));
        tech.tablesaw.api.Table trace = fit.trace();
        assertEquals(fit.iterations() + 1, trace.rowCount());
        for (int t = 0; t <= fit.iterations(); t++) {
            assertEquals(t, trace.intColumn("iteration").getInt(t));
            assertEquals(fit.logLikelihoodTrace()[t], trace.doubleColumn("log-likelihood").getDouble(t), 0);
        }
        tech.tablesaw.api.Table d = fit.decomposition(x, 0, 3, fit.iterations());
        assertEquals("log p(x), Q and H, each computed on its own", d.name());
        assertEquals(3, d.rowCount());
        int[] at = {0, 3, fit.iterations()};
        for (int r = 0; r < 3; r++) {
            GaussianMixture g = fit.iterates().get(at[r]);
            double q = GaussianMixtureEm.expectedCompleteLogLikelihood(g, x, g.responsibilities(x));
            assertEquals(at[r], d.intColumn("iteration").getInt(r));
            assertEquals(fit.logLikelihoodTrace()[at[r]], d.doubleColumn("log-likelihood").getDouble(r), 0);
            assertEquals(q, d.doubleColumn("Q = E[log p(x, z)]").getDouble(r), 0);
            double h = d.doubleColumn("posterior entropy H").getDouble(r);
            // H from the responsibilities themselves, and the identity log p(x) = Q + H that it then satisfies
            assertEquals(GaussianMixtureEm.meanEntropy(g.responsibilities(x)), h, 0);
            assertEquals(fit.logLikelihoodTrace()[at[r]], q + h, 1e-9);
            assertEquals(q + h - fit.logLikelihoodTrace()[at[r]], d.doubleColumn("Q + H − log-likelihood").getDouble(r), 0);
            assertTrue(h >= 0 && h <= Math.log(3) + 1e-12, "entropy of a 3-way posterior: " + h);
        }
        assertMessage("at: expected iterations in [0, " + fit.iterations() + "], got 99", () -> fit.decomposition(x, 0, 99));
        assertMessage("at: expected at least one iteration", () -> fit.decomposition(x));
        assertMessage("x", () -> fit.decomposition(null, 0));
    }

    @Test
    void meanEntropyOfResponsibilities() {
        INDArray r = org.nd4j.linalg.factory.Nd4j.createFromArray(new double[][] {{1, 0}, {0.5, 0.5}});
        assertEquals(Math.log(2) / 2, GaussianMixtureEm.meanEntropy(r), 1e-15);  // 0 log 0 = 0
    }
}
