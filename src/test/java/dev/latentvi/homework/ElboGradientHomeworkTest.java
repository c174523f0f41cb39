package dev.latentvi.homework;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latentvi.dist.Normal;
import dev.latentvi.math.LogMath;
import dev.latentvi.math.Rng;
import dev.latentvi.vi.LatentModel;
import dev.latentvi.vi.Objective;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Assignments 2 and 3: the answer key passes; typical mistakes get their specific feedback. */
class ElboGradientHomeworkTest {
    static INDArray entropy(Normal q) {
        return q.logSigma().sum(1).addi(0.5 * q.dim() * (1 + LogMath.LOG_2PI));
    }

    static INDArray kl(Normal q, Normal p) {
        long n = q.batchSize();
        INDArray muP = p.batchSize() == n ? p.mean() : Nd4j.tile(p.mean(), (int) n, 1);      // broadcast one row of p
        INDArray logSigmaP = p.batchSize() == n ? p.logSigma() : Nd4j.tile(p.logSigma(), (int) n, 1);
        INDArray diff = q.mean().sub(muP);
        INDArray ratio = Transforms.exp(q.logSigma().sub(logSigmaP).muli(2), false);          // σ_q² / σ_p²
        INDArray mahalanobis = diff.mul(diff).divi(Transforms.exp(logSigmaP.mul(2), false));
        return logSigmaP.sub(q.logSigma()).addi(ratio.addi(mahalanobis).muli(0.5)).subi(0.5).sum(1);
    }

    static INDArray elbo(LatentModel model, Normal q, INDArray x, int m, Rng rng) {
        INDArray z = q.sample(rng, m);                                      // [m, n, d]
        INDArray logJoint = model.logJoint(x, z);                           // [m, n]
        return logJoint.mean(0).addi(q.entropy());
    }

    static INDArray scoreFunction(Objective r, INDArray mu, INDArray logSigma, int m, Rng rng) {
        int d = r.dim();
        INDArray eps = rng.normal(m, d);
        INDArray sigma = Transforms.exp(logSigma, true).reshape(1, d);
        INDArray z = eps.mulRowVector(sigma).addiRowVector(mu.reshape(1, d));
        INDArray reward = r.value(z).reshape(m, 1);
        INDArray gMu = eps.divRowVector(sigma).muliColumnVector(reward);
        INDArray gLogSigma = eps.mul(eps).subi(1).muliColumnVector(reward);
        return Nd4j.hstack(gMu, gLogSigma).mean(0);
    }

    static INDArray reparameterized(Objective r, INDArray mu, INDArray logSigma, int m, Rng rng) {
        int d = r.dim();
        INDArray eps = rng.normal(m, d);
        INDArray noise = eps.mulRowVector(Transforms.exp(logSigma, true).reshape(1, d));
        INDArray grad = r.gradient(noise.addRowVector(mu.reshape(1, d)));
        return Nd4j.hstack(grad, grad.mul(noise)).mean(0);
    }

    static INDArray leaveOneOut(Objective r, INDArray mu, INDArray logSigma, int m, Rng rng) {
        int d = r.dim();
        INDArray eps = rng.normal(m, d);
        INDArray sigma = Transforms.exp(logSigma, true).reshape(1, d);
        INDArray z = eps.mulRowVector(sigma).addiRowVector(mu.reshape(1, d));
        INDArray reward = r.value(z).reshape(m, 1);
        INDArray baseline = reward.sum(0).reshape(1, 1).broadcast(m, 1).sub(reward).divi(m - 1);
        INDArray centred = reward.sub(baseline);
        return Nd4j.hstack(eps.divRowVector(sigma).muliColumnVector(centred), eps.mul(eps).subi(1).muliColumnVector(centred)).mean(0);
    }

    @Test
    void answerKeyPassesAssignment2() {
        Feedback a = ElboHomework.checkEntropy(ElboGradientHomeworkTest::entropy);
        Feedback b = ElboHomework.checkKl(ElboGradientHomeworkTest::kl);
        Feedback c = ElboHomework.checkElbo(ElboGradientHomeworkTest::elbo);
        assertTrue(a.allPassed(), a.text());
        assertTrue(b.allPassed(), b.text());
        assertTrue(c.allPassed(), c.text());
    }

    @Test
    void answerKeyPassesAssignment3() {
        Feedback a = GradientHomework.checkScoreFunction(ElboGradientHomeworkTest::scoreFunction);
        Feedback b = GradientHomework.checkReparameterized(ElboGradientHomeworkTest::reparameterized);
        Feedback c = GradientHomework.checkLeaveOneOut(ElboGradientHomeworkTest::leaveOneOut);
        assertTrue(a.allPassed(), a.text());
        assertTrue(b.allPassed(), b.text());
        assertTrue(c.allPassed(), c.text());
    }

    @Test
    void entropyViaVarianceUnderflowsOnTheNarrowCase() {
        Feedback f = ElboHomework.checkEntropy(q -> Transforms.log(q.variance(), true).muli(0.5).sum(1)
                .addi(0.5 * q.dim() * (1 + LogMath.LOG_2PI)));
        CaseResult c = f.firstFailure().orElseThrow();
        assertTrue(c.name().startsWith("an extremely narrow q"), f.text());
        assertEquals("−∞", c.got());
        assertTrue(c.hint().contains("use log σ"), c.hint());
    }

    @Test
    void elboWithoutEntropyFailsTheIdentity() {
        Feedback f = ElboHomework.checkElbo((model, q, x, m, rng) -> elbo(model, q, x, m, rng).subi(q.entropy()));
        assertEquals(0, f.passed(), f.text());
        CaseResult identity = f.cases().get(1);
        assertTrue(identity.expected().startsWith("log p(x) − KL(q ‖ p(z|x)) = "), identity.expected());
        assertTrue(identity.hint().contains("the entropy H(q)"), identity.hint());
        Feedback mean = ElboHomework.checkElbo((model, q, x, m, rng) -> elbo(model, q, x, m, rng).mean(0).reshape(1));
        assertTrue(mean.cases().get(0).hint().contains("not over the points"), mean.text());
    }

    @Test
    void scoreFunctionWithTheWrongLogSigmaScoreIsBiasedAndDiffers() {
        Feedback f = GradientHomework.checkScoreFunction((r, mu, ls, m, rng) -> {
            INDArray g = scoreFunction(r, mu, ls, m, rng);
            int d = r.dim();
            g.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(d, 2 * d)).muli(2);    // a wrong ∇_{log σ}
            return g;
        });
        assertTrue(f.cases().stream().filter(c -> c.name().startsWith("unbiased")).noneMatch(CaseResult::passed), f.text());
        CaseResult first = f.firstFailure().orElseThrow();
        assertTrue(first.expected().contains(" at ["), first.expected());
        Feedback gradient = GradientHomework.checkScoreFunction(ElboGradientHomeworkTest::reparameterized);
        CaseResult blackBox = gradient.cases().stream().filter(c -> c.name().startsWith("r is a black box")).findFirst().orElseThrow();
        assertTrue(!blackBox.passed() && blackBox.got().startsWith("threw "), gradient.text());
    }
}
