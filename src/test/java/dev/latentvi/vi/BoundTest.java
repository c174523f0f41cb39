package dev.latentvi.vi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latentvi.dist.Bernoulli;
import dev.latentvi.dist.GraphNormal;
import dev.latentvi.dist.Kl;
import dev.latentvi.dist.MultivariateNormal;
import dev.latentvi.dist.Normal;
import dev.latentvi.internal.GraphOps;
import dev.latentvi.math.Estimates;
import dev.latentvi.math.Rng;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

class BoundTest {
    private static final LinearGaussian MODEL = LinearGaussian.random(4, 2, 1.0, 0.6, Rng.seeded(31));
    private static final INDArray X = MODEL.sample(Rng.seeded(32), 5).x();
    private static final List<Bound> ALL = List.of(Bound.monteCarlo(3), Bound.analyticKl(3), Bound.allSampled(3), Bound.iwae(3));

    /** A poor diagonal q: the posterior mean shifted, σ off by a factor per coordinate. */
    private static Normal roughQ(LinearGaussian model, INDArray x, Rng rng) {
        MultivariateNormal post = model.posterior(x).orElseThrow();
        long n = x.size(0);
        int d = model.latentDim();
        INDArray sigma = post.stddev().dup().muli(Transforms.exp(rng.normal(1, d).muli(0.3), false));
        return Normal.of(post.mean().add(rng.normal(n, d).muli(0.25)), sigma);
    }

    @Test
    void theThreeElboFormsAgreeAndEachEqualsLogEvidenceMinusTheKlToThePosterior() {
        Rng rng = Rng.seeded(1);
        Normal q = roughQ(MODEL, X, rng);
        INDArray logPx = MODEL.logEvidence(X).orElseThrow();
        INDArray exactElbo = logPx.sub(Kl.divergence(q, MODEL.posterior(X).orElseThrow()));
        for (Bound b : List.of(Bound.monteCarlo(4000), Bound.analyticKl(4000), Bound.allSampled(4000), Bound.iwae(1).replicas(4000))) {
            Estimates e = b.estimate(MODEL, q, X, rng);
            for (int i = 0; i < 5; i++) {
                assertEquals(exactElbo.getDouble(i), e.values().getDouble(i), 4 * e.standardErrors().getDouble(i), b + " point " + i);
                assertTrue(e.values().getDouble(i) < logPx.getDouble(i), b + " below log p(x), point " + i);
            }
        }
    }

    @Test
    void logWeightsGiveLogEvidenceByLogMeanExpAndTheElboByTheirMean() {
        Rng rng = Rng.seeded(5);
        Normal q = roughQ(MODEL, X, rng);
        INDArray logW = Bound.logWeights(MODEL, q, X, 50_000, rng);
        assertEquals(List.of(50_000L, 5L), List.of(logW.size(0), logW.size(1)));
        INDArray logPx = MODEL.logEvidence(X).orElseThrow();
        INDArray exactElbo = logPx.sub(Kl.divergence(q, MODEL.posterior(X).orElseThrow()));
        Estimates logMeanExp = Estimates.logMeanExp(logW), mean = Estimates.mean(logW);
        for (int i = 0; i < 5; i++) {
            assertEquals(logPx.getDouble(i), logMeanExp.values().getDouble(i), 4 * logMeanExp.standardErrors().getDouble(i) + 1e-3, "log p(x), point " + i);
            assertEquals(exactElbo.getDouble(i), mean.values().getDouble(i), 4 * mean.standardErrors().getDouble(i), "ELBO, point " + i);
        }
        // one q row for all points: fresh draws per point
        INDArray shared = Bound.logWeights(MODEL, Normal.standard(2), X, 10, rng);
        assertEquals(List.of(10L, 5L), List.of(shared.size(0), shared.size(1)));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Bound.logWeights(MODEL, q, X, 0, rng)).getMessage().startsWith("m:"));
        assertEquals(MODEL.logJoint(X.getRow(0, true), Nd4j.createFromArray(new double[][] {{0.3, -0.2}})).getDouble(0),
                MODEL.logJointAt(X.getRow(0, true), 0.3, -0.2), 0);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MODEL.logJointAt(X, 0.3, -0.2)).getMessage().startsWith("x:"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MODEL.logJointAt(X.getRow(0, true), 0.3)).getMessage().startsWith("z:"));
    }

    @Test
    void iwaeLiesBetweenTheElboAndLogEvidenceAndConvergesToItWithK() {
        Rng rng = Rng.seeded(2);
        Normal q = roughQ(MODEL, X, rng);
        INDArray logPx = MODEL.logEvidence(X).orElseThrow();
        Estimates elbo = Bound.monteCarlo(4000).estimate(MODEL, q, X, rng);
        double elboGap = logPx.sub(elbo.values()).sumNumber().doubleValue();
        double previousGap = elboGap;
        for (int k : new int[] {4, 64, 1024}) {
            Estimates l = Bound.iwae(k).replicas(50).estimate(MODEL, q, X, rng);
            double gap = 0;
            for (int i = 0; i < 5; i++) {
                double v = l.values().getDouble(i);
                double se = l.standardErrors().getDouble(i);
                assertTrue(v > elbo.values().getDouble(i), "L_" + k + " > ELBO, point " + i);
                assertTrue(v - 4 * se <= logPx.getDouble(i), "L_" + k + " <= log p(x), point " + i);
                gap += logPx.getDouble(i) - v;
            }
            assertTrue(gap < previousGap, "the gap to log p(x) shrinks with K: " + gap + " at K = " + k);
            previousGap = gap;
        }
        assertTrue(previousGap < elboGap / 10, "L_1024 closes 90% of the ELBO's gap " + elboGap + ", got " + previousGap);
        // one replica: the delta-method error of importance sampling, which covers the truth
        Estimates is = Bound.iwae(20_000).estimate(MODEL, q, X, rng);
        for (int i = 0; i < 5; i++) {
            assertEquals(logPx.getDouble(i), is.values().getDouble(i), 5 * is.standardErrors().getDouble(i) + 1e-3, "point " + i);
        }
    }

    @Test
    void atTheExactPosteriorIwaeIsExactForEveryK() {
        // orthogonal columns: the posterior is diagonal, so q = p(z|x) makes every weight equal p(x)
        LinearGaussian ortho = LinearGaussian.of(Nd4j.createFromArray(new double[][] {{1.5, 0}, {0, -0.5}, {0, 0}}), Nd4j.ones(3), 0.4);
        INDArray x = ortho.sample(Rng.seeded(3), 3).x();
        MultivariateNormal post = ortho.posterior(x).orElseThrow();
        Normal exact = Normal.of(post.mean(), post.stddev().dup());
        INDArray logPx = ortho.logEvidence(x).orElseThrow();
        for (int k : new int[] {1, 7}) {
            Estimates e = Bound.iwae(k).replicas(3).estimate(ortho, exact, x, Rng.seeded(4));
            for (int i = 0; i < 3; i++) {
                assertEquals(logPx.getDouble(i), e.values().getDouble(i), 1e-8);
                assertEquals(0.0, e.standardErrors().getDouble(i), 1e-8);
            }
        }
    }

    @Test
    void aOneRowProposalIsBroadcastWithFreshDrawsPerPoint() {
        // q = the prior (one row) for every point: naive Monte Carlo, an unbiased estimate of p(x) on average
        INDArray logPx = MODEL.logEvidence(X).orElseThrow();
        Estimates naive = Bound.iwae(200_000).estimate(MODEL, MODEL.prior(), X, Rng.seeded(5));
        assertEquals(5, naive.size());
        for (int i = 0; i < 5; i++) {
            assertEquals(logPx.getDouble(i), naive.values().getDouble(i), 5 * naive.standardErrors().getDouble(i) + 1e-3, "point " + i);
        }
        // analytic KL and entropy broadcast too
        Estimates mc = Bound.monteCarlo(50_000).estimate(MODEL, MODEL.prior(), X, Rng.seeded(6));
        Estimates kl = Bound.analyticKl(50_000).estimate(MODEL, MODEL.prior(), X, Rng.seeded(6));
        for (int i = 0; i < 5; i++) {
            double se = Math.hypot(mc.standardErrors().getDouble(i), kl.standardErrors().getDouble(i));
            assertEquals(mc.values().getDouble(i), kl.values().getDouble(i), 4 * se, "KL(prior ‖ prior) = 0 and H(prior), point " + i);
        }
    }

    @Test
    void graphFormEqualsEagerFormForTheSameNoiseAtEveryShape() {
        for (int d : new int[] {1, 2}) {
            for (int dataDim : new int[] {1, 3}) {
                LinearGaussian model = LinearGaussian.random(dataDim, d, 1.0, 0.7, Rng.seeded(7));
                for (int n : new int[] {1, 4}) {
                    INDArray x = model.sample(Rng.seeded(8), n).x();
                    Rng rng = Rng.seeded(9);
                    INDArray mu = rng.normal(n, d);
                    INDArray logSigma = rng.normal(n, d).muli(0.3);
                    for (Bound bound : ALL) {
                        INDArray eps = rng.normal(bound.noiseSamples(), n, d);
                        Normal q = Normal.ofLogSigma(mu, logSigma);
                        INDArray eager = bound.estimate(model, q, x, q.rsample(eps)).values();
                        SameDiff sd = SameDiff.create();
                        GraphNormal gq = GraphNormal.of(sd.var("mu", mu.dup()), sd.var("logSigma", logSigma.dup()));
                        SDVariable e = sd.placeHolder("eps", DataType.DOUBLE, bound.noiseSamples(), n, d);
                        SDVariable perPoint = bound.graph(model, gq, sd.constant(x), e);
                        INDArray graph = perPoint.eval(Map.of("eps", eps));
                        assertEquals(n, graph.length());
                        for (int i = 0; i < n; i++) {
                            assertEquals(eager.getDouble(i), graph.getDouble(i), 1e-9, bound + " d=" + d + " D=" + dataDim + " n=" + n);
                        }
                        // and it is differentiable in q's parameters
                        SDVariable loss = GraphOps.sum(sd, perPoint, 0).neg();
                        sd.setLossVariables(loss);
                        GraphOps.createGradFunctionQuietly(sd);
                        Map<String, INDArray> g = sd.calculateGradients(Map.of("eps", eps), "mu", "logSigma");
                        assertTrue(!g.get("mu").isNaN().any() && g.get("mu").amaxNumber().doubleValue() > 0, bound + " gradient");
                    }
                }
            }
        }
    }

    @Test
    void theLossIsMinusTheMeanBoundAndFeedsItsNoise() {
        int n = 3;
        SameDiff sd = SameDiff.create();
        GraphNormal q = GraphNormal.of(sd.var("mu", Nd4j.zeros(DataType.DOUBLE, n, 2)), sd.var("logSigma", Nd4j.zeros(DataType.DOUBLE, n, 2)));
        Bound bound = Bound.iwae(5);
        Bound.Loss loss = bound.loss(MODEL, q, sd.constant(X.getRows(0, 1, 2)));
        assertEquals(n, loss.rows());
        Map<String, INDArray> fed = loss.feed().inputs(0, Rng.seeded(10));
        INDArray eps = fed.get(loss.noise().name());
        assertEquals(List.of(5L, 3L, 2L), List.of(eps.size(0), eps.size(1), eps.size(2)));
        Map<String, INDArray> out = sd.output(fed, loss.value().name(), loss.perPoint().name());
        assertEquals(-out.get(loss.perPoint().name()).meanNumber().doubleValue(), out.get(loss.value().name()).getDouble(0), 1e-12);
        // a second loss on the same graph gets its own placeholder
        assertTrue(!Bound.monteCarlo(1).loss(MODEL, q, sd.constant(X.getRows(0, 1, 2))).noise().name().equals(loss.noise().name()));
    }

    @Test
    void badInputNamesTheArgument() {
        Rng rng = Rng.seeded(11);
        Normal q = roughQ(MODEL, X, rng);
        assertMessage("m:", () -> Bound.monteCarlo(0));
        assertMessage("k:", () -> Bound.iwae(-1));
        assertMessage("replicas:", () -> Bound.iwae(2).replicas(0));
        assertMessage("x:", () -> Bound.allSampled(2).estimate(MODEL, q, Nd4j.ones(5, 3), rng));
        assertMessage("q:", () -> Bound.allSampled(2).estimate(MODEL, q, X.getRows(0, 1), rng));
        assertMessage("q:", () -> Bound.analyticKl(2).estimate(MODEL, Bernoulli.ofProbs(Nd4j.valueArrayOf(new long[] {5, 2}, 0.5)), X, rng));
        assertMessage("elbo:", () -> Decomposition.of(MODEL, q, X, Bound.iwae(4), rng));
        SameDiff sd = SameDiff.create();
        GraphNormal gq = GraphNormal.of(sd.var("mu", Nd4j.zeros(DataType.DOUBLE, 5, 2)), sd.var("logSigma", Nd4j.zeros(DataType.DOUBLE, 5, 2)));
        assertMessage("eps:", () -> Bound.iwae(4).graph(MODEL, gq, sd.constant(X), sd.placeHolder("e", DataType.DOUBLE, 3, 5, 2)));
        assertEquals("Bound.iwae(4).replicas(3)", Bound.iwae(4).replicas(3).toString());
    }

    private static void assertMessage(String prefix, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().startsWith(prefix), e.getMessage());
    }
}
