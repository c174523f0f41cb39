package dev.latentvi.dist;

import static dev.latentvi.dist.NormalTest.REF;
import static dev.latentvi.dist.NormalTest.assertClose;
import static dev.latentvi.dist.NormalTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latentvi.math.Estimates;
import dev.latentvi.math.Rng;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

class KlTest {
    static Normal normalP() {
        return Normal.of(REF.array("normal", "mu_p"), REF.array("normal", "sigma_p"));
    }

    static Normal normalQ() {
        return Normal.of(REF.array("normal", "mu_q"), REF.array("normal", "sigma_q"));
    }

    @Test
    void analyticKlMatchesScipyForAllRegisteredPairs() {
        assertClose(REF.array("normal", "kl_pq"), Kl.divergence(normalP(), normalQ()), 1e-9);
        assertClose(REF.array("normal", "kl_p_standard"), Kl.divergence(normalP(), Normal.standard(4)), 1e-9);
        Bernoulli bp = Bernoulli.ofLogits(REF.array("bernoulli", "logits_p"));
        Bernoulli bq = Bernoulli.ofLogits(REF.array("bernoulli", "logits_q"));
        assertClose(REF.array("bernoulli", "kl_pq"), Kl.divergence(bp, bq), 1e-12);
        Categorical cp = Categorical.ofProbs(REF.array("categorical", "probs_p"));
        Categorical cq = Categorical.ofProbs(REF.array("categorical", "probs_q"));
        assertClose(REF.array("categorical", "kl_pq"), Kl.divergence(cp, cq), 1e-12);
    }

    @Test
    void klIsNonNegativeAndZeroOnlyForEqualDistributions() {
        Rng rng = Rng.seeded(11);
        for (int trial = 0; trial < 20; trial++) {
            Normal a = Normal.ofLogSigma(rng.normal(5, 3), rng.normal(5, 3));
            Normal b = Normal.ofLogSigma(rng.normal(5, 3), rng.normal(5, 3));
            assertTrue(Kl.divergence(a, b).minNumber().doubleValue() > 0);
            assertEquals(0.0, Kl.divergence(a, a).amaxNumber().doubleValue(), 1e-12);
            Categorical c = Categorical.ofLogits(rng.normal(5, 4));
            Categorical e = Categorical.ofLogits(rng.normal(5, 4));
            assertTrue(Kl.divergence(c, e).minNumber().doubleValue() > 0);
            assertEquals(0.0, Kl.divergence(c, c).amaxNumber().doubleValue(), 1e-12);
            Bernoulli f = Bernoulli.ofLogits(rng.normal(5, 4));
            assertEquals(0.0, Kl.divergence(f, f).amaxNumber().doubleValue(), 1e-12);
        }
        Categorical withZero = Categorical.ofProbs(Nd4j.createFromArray(new double[][] {{0.5, 0.5, 0.0}}));
        Categorical full = Categorical.ofProbs(Nd4j.createFromArray(new double[][] {{0.2, 0.3, 0.5}}));
        assertTrue(Double.isFinite(Kl.divergence(withZero, full).getDouble(0)));
        assertEquals(Double.POSITIVE_INFINITY, Kl.divergence(full, withZero).getDouble(0));
    }

    @Test
    void monteCarloKlConvergesToAnalytic() {
        Rng rng = Rng.seeded(12);
        Normal p = normalP();
        Normal q = normalQ();
        Estimates mc = Kl.monteCarlo(p, q, rng, 20_000);
        INDArray exact = Kl.divergence(p, q);
        for (int i = 0; i < 3; i++) {
            double z = (mc.get(i).value() - exact.getDouble(i)) / mc.get(i).standardError();
            assertTrue(Math.abs(z) < 4, "row " + i + ": " + mc.get(i) + " vs " + exact.getDouble(i));
            assertTrue(mc.get(i).standardError() < 0.05 * exact.getDouble(i) + 0.05);
        }
        Categorical cp = Categorical.ofProbs(REF.array("categorical", "probs_p"));
        Categorical cq = Categorical.ofProbs(REF.array("categorical", "probs_q"));
        Estimates cmc = Kl.monteCarlo(cp, cq, rng, 20_000);
        INDArray cexact = Kl.divergence(cp, cq);
        for (int i = 0; i < 3; i++) {
            assertEquals(cexact.getDouble(i), cmc.get(i).value(), 4 * cmc.get(i).standardError());
        }
        Estimates exactViaFallbackApi = Kl.divergence(p, q, rng, 10);
        assertEquals(0.0, exactViaFallbackApi.standardErrors().amaxNumber().doubleValue());
    }

    @Test
    void unregisteredPairFallsBackToMonteCarlo() {
        Normal p = Normal.of(0.0, 1.0);
        Logistic q = new Logistic();
        assertFalse(Kl.hasAnalytic(p, q));
        assertMessage("(p, q):", () -> Kl.divergence(p, q));
        Estimates e = Kl.divergence(p, q, Rng.seeded(1), 50_000);
        double quadrature = REF.array("normal", "kl_standard_logistic").getDouble(0);
        assertTrue(e.get(0).standardError() > 0);
        assertEquals(quadrature, e.get(0).value(), 4 * e.get(0).standardError(), e.get(0).toString());
    }

    @Test
    void sameDiffKlEqualsEager() {
        Normal p = normalP();
        Normal q = normalQ();
        SameDiff sd = SameDiff.create();
        SDVariable mp = sd.constant(p.mean());
        SDVariable lp = sd.constant(p.logSigma());
        SDVariable std = Kl.divergence(GraphNormal.of(mp, lp), GraphNormal.constant(sd, Normal.standard((int) q.dim())));
        SDVariable pq = Kl.divergence(GraphNormal.of(mp, lp), GraphNormal.constant(sd, q));
        Map<String, INDArray> out = sd.output(Map.of(), std.name(), pq.name());
        assertClose(Kl.divergence(p, Normal.standard(4)), out.get(std.name()), 1e-12);
        assertClose(Kl.divergence(p, q), out.get(pq.name()), 1e-12);
    }

    @Test
    void mismatchedBatchesAreRejected() {
        Normal p = normalP();
        Normal wrongN = Normal.standard(4).row(0);
        assertMessage("q:", () -> Kl.divergence(p, Normal.of(Nd4j.zeros(2, 4).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE),
                Nd4j.ones(2, 4).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE))));
        assertMessage("q:", () -> Kl.divergence(p, Normal.standard(3)));
        assertEquals(3, Kl.divergence(p, wrongN).length());
    }

    /** A standard logistic in one dimension: a distribution with no registered KL. */
    static final class Logistic implements Distribution {
        @Override
        public long batchSize() {
            return 1;
        }

        @Override
        public INDArray sample(Rng rng) {
            return sample(rng, 1).reshape(1, 1);
        }

        @Override
        public INDArray sample(Rng rng, int m) {
            INDArray u = rng.uniform(m, 1, 1);
            return Transforms.log(u.div(u.rsub(1.0)), false);
        }

        @Override
        public INDArray logProb(INDArray x) {
            INDArray ax = Transforms.abs(x, true);
            // log f(x) = −|x| − 2 log(1 + e^{−|x|})
            return ax.neg().subi(Transforms.log1p(Transforms.exp(ax.neg(), false), false).muli(2)).sum(x.rank() - 1);
        }

        @Override
        public INDArray entropy() {
            return Nd4j.createFromArray(2.0);
        }

        @Override
        public INDArray mean() {
            return Nd4j.zeros(1, 1);
        }

        @Override
        public INDArray stddev() {
            return Nd4j.valueArrayOf(new long[] {1, 1}, Math.PI / Math.sqrt(3));
        }
    }

    @Test
    void oneDimensionalNormalKlHasTheBatchShapeAndTheClosedForm() {
        Normal p = NormalTest.oneDim();
        Normal q = Normal.of(Nd4j.createFromArray(new double[][] {{0.0}, {1.0}, {2.5}, {-3.0}}),
                Nd4j.createFromArray(new double[][] {{1.0}, {0.5}, {3.0}, {0.7}}));
        INDArray kl = Kl.divergence(p, q);
        assertArrayEquals(new long[] {4}, kl.shape());
        for (int i = 0; i < 4; i++) {
            double mp = p.mean().getDouble(i, 0);
            double sp = p.stddev().getDouble(i, 0);
            double mq = q.mean().getDouble(i, 0);
            double sq = q.stddev().getDouble(i, 0);
            assertEquals(Math.log(sq / sp) + (sp * sp + (mp - mq) * (mp - mq)) / (2 * sq * sq) - 0.5, kl.getDouble(i), 1e-12);
        }
        INDArray toStd = Kl.divergence(p, Normal.standard(1));            // one-row q broadcasts
        assertArrayEquals(new long[] {4}, toStd.shape());
        double sp = p.stddev().getDouble(1, 0);
        double mp = p.mean().getDouble(1, 0);
        assertEquals(0.5 * (sp * sp + mp * mp - 1) - Math.log(sp), toStd.getDouble(1), 1e-12);
        // the graph Normal–Normal KL is differentiable for d = 1: ∂KL/∂μp = (μp − μq)/σq²
        SameDiff sd = SameDiff.create();
        SDVariable mu = sd.var("mu", p.mean().dup());
        SDVariable g = Kl.divergence(GraphNormal.of(mu, sd.constant(p.logSigma())), GraphNormal.constant(sd, q));
        sd.setLossVariables(g.sum());
        assertClose(kl, g.eval(), 1e-12);
        dev.latentvi.internal.GraphOps.createGradFunctionQuietly(sd);
        INDArray grad = sd.calculateGradients(Map.of(), "mu").get("mu");
        assertClose(p.mean().sub(q.mean()).div(q.variance()), grad, 1e-12);
    }
}
