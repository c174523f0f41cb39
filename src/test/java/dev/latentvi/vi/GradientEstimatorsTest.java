package dev.latentvi.vi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latentvi.dist.Bernoulli;
import dev.latentvi.dist.Normal;
import dev.latentvi.math.Rng;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class GradientEstimatorsTest {
    private static final double[] CENTER = {1.5, -0.5};
    private static final double[] CURV = {1.0, 4.0};
    private static final double[] MU = {0.3, 0.2};
    private static final double[] LOG_SIGMA = {Math.log(0.8), Math.log(0.5)};

    private static final Normal Q = Normal.ofLogSigma(v(MU), v(LOG_SIGMA));

    private static INDArray v(double... x) {
        return Nd4j.createFromArray(x);
    }

    private static double[] exact() {
        return Objective.quadraticExpectationGradient(Q, CENTER, CURV);
    }

    private static void assertUnbiased(INDArray replicas, double[] exact, String what) {
        double[] mean = replicas.mean(0).toDoubleVector();
        double[] var = replicas.var(false, 0).toDoubleVector();
        for (int j = 0; j < exact.length; j++) {
            double se = Math.sqrt(var[j] / replicas.size(0));
            assertTrue(Math.abs(mean[j] - exact[j]) < 4 * se,
                    what + " component " + j + ": mean " + mean[j] + " vs exact " + exact[j] + " (SE " + se + ")");
        }
    }

    @Test
    void bothEstimatorsAreUnbiasedAcrossSeeds() {
        Objective r = Objective.quadratic(CENTER, CURV);
        for (long seed = 1; seed <= 3; seed++) {
            Rng rng = Rng.seeded(seed);
            assertUnbiased(GradientEstimators.scoreFunctionReplicas(r, Q, 10, 4000, Baseline.none(), rng),
                    exact(), "score function");
            assertUnbiased(GradientEstimators.scoreFunctionReplicas(r, Q, 10, 4000, Baseline.leaveOneOut(), rng),
                    exact(), "score function + leave-one-out");
            assertUnbiased(GradientEstimators.reparameterizedReplicas(r, Q, 10, 4000, rng), exact(),
                    "reparameterized");
        }
    }

    @Test
    void reparameterizationHasLowerVarianceThanScoreFunction() {
        Objective r = Objective.quadratic(CENTER, CURV);
        VarianceStudy.Result study = VarianceStudy.of(r, Q, exact()).sampleCounts(4, 16).replicas(2000).run(Rng.seeded(7));
        for (int m : study.ms()) {
            double reparam = study.cell(VarianceStudy.Estimator.REPARAMETERIZED, m).totalVariance();
            VarianceStudy.Cell cell = study.cell(VarianceStudy.Estimator.SCORE_FUNCTION, m);
            assertEquals(cell.replicas(), cell.estimates().size(0));   // the replicas' estimates, whose mean and variance the cell holds
            assertEquals(cell.mean().getDouble(0), cell.estimates().getColumn(0).meanNumber().doubleValue(), 1e-9);
            assertEquals(cell.variance().getDouble(1), cell.estimates().getColumn(1).var(false, 0).getDouble(0), 1e-9);
            double sf = study.cell(VarianceStudy.Estimator.SCORE_FUNCTION, m).totalVariance();
            double loo = study.cell(VarianceStudy.Estimator.SCORE_FUNCTION_LEAVE_ONE_OUT, m).totalVariance();
            assertTrue(reparam < loo && loo < sf, "M=" + m + ": reparam " + reparam + ", loo " + loo + ", sf " + sf);
        }
        // variance of an M-sample mean falls like 1/M
        double v4 = study.cell(VarianceStudy.Estimator.REPARAMETERIZED, 4).totalVariance();
        double v16 = study.cell(VarianceStudy.Estimator.REPARAMETERIZED, 16).totalVariance();
        assertEquals(4.0, v4 / v16, 0.8);
        assertEquals(4 * 2 * 4, study.table().rowCount());
    }

    @Test
    void bothEstimatorsAreUnbiasedOnTheModelsLogJoint() {
        LinearGaussian model = LinearGaussian.random(3, 2, 1.0, 0.8, Rng.seeded(30));
        INDArray x = model.sample(Rng.seeded(31), 1).x();
        Objective r = Objective.logJoint(model, x);
        double[] sigma = {Math.exp(LOG_SIGMA[0]), Math.exp(LOG_SIGMA[1])};
        double[] exact = model.posterior(x).orElseThrow().expectedLogProbGradient(0, Normal.of(Nd4j.createFromArray(MU), Nd4j.createFromArray(sigma)));
        Rng rng = Rng.seeded(32);
        assertUnbiased(GradientEstimators.scoreFunctionReplicas(r, Q, 10, 3000, Baseline.leaveOneOut(), rng),
                exact, "score function on log p(x, z)");
        assertUnbiased(GradientEstimators.reparameterizedReplicas(r, Q, 10, 3000, rng), exact,
                "reparameterized on log p(x, z)");
    }

    @Test
    void graphObjectiveMatchesClosedFormGradient() {
        Objective closed = Objective.quadratic(CENTER, CURV);
        INDArray a = v(CENTER).reshape(1, 2);
        INDArray c = v(CURV).reshape(1, 2);
        Objective graph = Objective.ofGraph(2, (sd, z) -> {
            var diff = z.sub(sd.constant(a));
            return sd.math.square(diff).mul(sd.constant(c)).sum(1).mul(-0.5);
        });
        INDArray z = Rng.seeded(3).normal(5, 2);
        assertTrue(closed.value(z).equalsWithEps(graph.value(z), 1e-10));
        assertTrue(closed.gradient(z).equalsWithEps(graph.gradient(z), 1e-10));
    }

    @Test
    void runningMeanBaselineTracksTheMeanReward() {
        Objective r = Objective.quadratic(CENTER, CURV);
        Baseline.RunningMean b = (Baseline.RunningMean) Baseline.runningMean(0.9);
        GradientEstimators.scoreFunctionReplicas(r, Q, 50, 200, b, Rng.seeded(4));
        double[] sigma = {Math.exp(LOG_SIGMA[0]), Math.exp(LOG_SIGMA[1])};
        double expected = 0;
        for (int j = 0; j < 2; j++) {
            expected += -0.5 * CURV[j] * ((MU[j] - CENTER[j]) * (MU[j] - CENTER[j]) + sigma[j] * sigma[j]);
        }
        assertEquals(expected, b.value(), 0.2);
    }

    @Test
    void anEstimateNamesItsParts() {
        Objective r = Objective.quadratic(CENTER, CURV);
        GradientEstimate g = GradientEstimators.reparameterized(r, Q, 500, Rng.seeded(11));
        assertEquals(GradientEstimate.Parameters.NORMAL, g.parameters());
        assertArrayEquals(new long[] {500, 4}, g.samples().shape());
        double[] all = g.gradient().toDoubleVector();
        assertArrayEquals(new double[] {all[0], all[1]}, g.mu().toDoubleVector(), 0.0);
        assertArrayEquals(new double[] {all[2], all[3]}, g.logSigma().toDoubleVector(), 0.0);
        assertEquals(g.samples().getColumn(3).var(true).getDouble(0), g.variance().getDouble(3), 1e-12);
        assertEquals(Math.sqrt(g.variance().getDouble(0) / 500), g.standardError().getDouble(0), 1e-12);
        assertEquals(500, g.sampleColumn(1).length);
        assertThrows(IllegalStateException.class, g::logits);
        // the same noise as one replica of the batched estimator
        INDArray replica = GradientEstimators.reparameterizedReplicas(r, Q, 500, 1, Rng.seeded(11));
        assertArrayEquals(all, replica.reshape(4).toDoubleVector(), 1e-12);
    }

    @Test
    void badInputIsRejectedWithClearMessages() {
        Objective r = Objective.quadratic(CENTER, CURV);
        Rng rng = Rng.seeded(0);
        var e = assertThrows(IllegalArgumentException.class,
                () -> GradientEstimators.scoreFunction(r, Normal.of(1.0, 0.5), 5, Baseline.none(), rng));
        assertTrue(e.getMessage().startsWith("q:"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> GradientEstimators.scoreFunction(r, Q, 1, Baseline.leaveOneOut(), rng));
        assertTrue(e.getMessage().startsWith("m:"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> GradientEstimators.reparameterized(r, Normal.ofLogSigma(v(Double.NaN, 0), v(LOG_SIGMA)), 5, rng));
        assertTrue(e.getMessage().startsWith("mu:"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> GradientEstimators.reparameterized(r, Bernoulli.ofLogits(v(0.0, 0.0)), 5, rng));
        assertTrue(e.getMessage().startsWith("q:") && e.getMessage().contains("hasRsample"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> GradientEstimators.scoreFunction(r, Normal.ofLogSigma(Nd4j.zeros(2, 2), Nd4j.zeros(2, 2)), 5, Baseline.none(), rng));
        assertTrue(e.getMessage().startsWith("q:"), e.getMessage());
        Objective blackBox = new Objective() {
            public int dim() {
                return 2;
            }

            public INDArray value(INDArray z) {
                return z.sum(1);
            }
        };
        e = assertThrows(IllegalArgumentException.class, () -> GradientEstimators.reparameterized(blackBox, Q, 5, rng));
        assertTrue(e.getMessage().startsWith("r:"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Baseline.runningMean(1.0));
        assertThrows(IllegalArgumentException.class, () -> Objective.quadratic(new double[] {0}, new double[] {-1}));
    }
}
