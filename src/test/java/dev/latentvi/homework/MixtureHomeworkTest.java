package dev.latentvi.homework;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latentvi.dist.GaussianMixture;
import dev.latentvi.math.LogMath;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** The answer key (as in the solution notebook) passes; typical mistakes get their specific feedback. */
class MixtureHomeworkTest {
    static INDArray logLikelihood(GaussianMixture g, INDArray x) {
        INDArray logJoint = g.componentLogProbs(x).addRowVector(Transforms.log(g.weights(), true));
        return LogMath.logSumExp(logJoint, 1);
    }

    static INDArray responsibilities(GaussianMixture g, INDArray x) {
        INDArray joint = g.jointLogProbs(x);
        return Transforms.exp(joint.subColumnVector(LogMath.logSumExp(joint, 1, true)), false);
    }

    static GaussianMixture emStep(GaussianMixture g, INDArray x) {
        INDArray r = responsibilities(g, x);                       // [n, K]
        long n = x.size(0);
        long d = x.size(1);
        int k = g.numComponents();
        INDArray nk = r.sum(0);                                    // [K]
        INDArray weights = nk.div(n);
        INDArray means = r.transpose().mmul(x).diviColumnVector(nk.reshape(k, 1));
        INDArray covs = Nd4j.create(DataType.DOUBLE, k, d, d);
        for (int c = 0; c < k; c++) {
            INDArray centred = x.subRowVector(means.getRow(c));
            INDArray weighted = centred.mulColumnVector(r.getColumn(c).reshape(n, 1));
            INDArray cov = weighted.transpose().mmul(centred).divi(nk.getDouble(c));
            cov = cov.add(cov.transpose()).muli(0.5).addi(Nd4j.eye(d).castTo(DataType.DOUBLE).muli(MixtureHomework.MIN_VARIANCE));
            covs.slice(c).assign(cov);
        }
        return GaussianMixture.full(weights, means, covs);
    }

    @Test
    void answerKeyPassesEveryCheck() {
        Feedback a = MixtureHomework.checkLogLikelihood(MixtureHomeworkTest::logLikelihood);
        Feedback b = MixtureHomework.checkResponsibilities(MixtureHomeworkTest::responsibilities);
        Feedback c = MixtureHomework.checkEmStep(MixtureHomeworkTest::emStep);
        assertTrue(a.allPassed(), a.text());
        assertTrue(b.allPassed(), b.text());
        assertTrue(c.allPassed(), c.text());
        assertEquals(7.0, a.score() + b.score() + c.score(), 1e-12);
    }

    @Test
    void naiveProbabilitySpaceLogLikelihoodFailsOnFarAwayPoints() {
        Feedback f = MixtureHomework.checkLogLikelihood((g, x) ->
                Transforms.log(Transforms.exp(g.componentLogProbs(x), true).mulRowVector(g.weights()).sum(1), false));
        assertEquals(4, f.passed(), f.text());
        CaseResult c = f.firstFailure().orElseThrow();
        assertTrue(c.name().startsWith("far-away points"), c.name());
        assertEquals("−∞", c.got());
        assertTrue(c.hint().contains("stay in log space"), c.hint());
    }

    @Test
    void forgettingTheWeightsIsCaughtOnRandomCases() {
        Feedback f = MixtureHomework.checkLogLikelihood((g, x) -> LogMath.logSumExp(g.componentLogProbs(x), 1));
        assertTrue(f.cases().get(0).expected().endsWith("at [0]"), f.text());
        assertTrue(f.score() < 2);
    }

    @Test
    void unnormalizedResponsibilitiesAndStubsScoreAccordingly() {
        Feedback f = MixtureHomework.checkResponsibilities((g, x) -> Transforms.exp(g.jointLogProbs(x), false));
        assertEquals(0, f.passed(), f.text());
        Feedback stub = MixtureHomework.checkEmStep((g, x) -> {
            throw new UnsupportedOperationException("your code here");
        });
        assertEquals(0.0, stub.score());
        assertTrue(stub.cases().stream().allMatch(c -> c.hint().startsWith("not attempted yet")), stub.text());
    }

    @Test
    void emStepWithOldMeansInTheCovarianceIsCaught() {
        Feedback f = MixtureHomework.checkEmStep((g, x) -> {
            GaussianMixture next = emStep(g, x);
            INDArray covs = next.covariances().dup();
            for (int c = 0; c < g.numComponents(); c++) {
                INDArray centred = x.subRowVector(g.means().getRow(c));      // the old mean: wrong
                INDArray r = responsibilities(g, x).getColumn(c).reshape(x.size(0), 1);
                INDArray cov = centred.mulColumnVector(r).transpose().mmul(centred).divi(r.sumNumber().doubleValue());
                covs.slice(c).assign(cov.add(cov.transpose()).muli(0.5).addi(Nd4j.eye(x.size(1)).castTo(DataType.DOUBLE).muli(1e-6)));
            }
            return GaussianMixture.full(next.weights(), next.means(), covs);
        });
        CaseResult c = f.firstFailure().orElseThrow();
        assertTrue(c.expected().contains("at covariances["), c.expected());
        assertTrue(c.hint().contains("use the new μ_k inside Σ_k"), c.hint());
    }
}
