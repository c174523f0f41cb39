package dev.latentvi.dist;

import static dev.latentvi.dist.NormalTest.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latentvi.internal.GraphOps;
import dev.latentvi.math.Rng;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Every graph twin computes what its eager distribution computes, and the KL registry serves both. */
class GraphTwinsTest {
    private static final int N = 3;
    private static final int D = 4;
    private static final int M = 5;

    private static Normal randomNormal(Rng rng, int rows) {
        return Normal.ofLogSigma(rng.normal(rows, D), rng.normal(rows, D).muli(0.5));
    }

    @Test
    void graphNormalAgreesWithNormal() {
        Rng rng = Rng.seeded(1);
        Normal p = randomNormal(rng, N);
        INDArray x2 = rng.normal(N, D);
        INDArray x3 = rng.normal(M, N, D);
        SameDiff sd = SameDiff.create();
        GraphNormal g = GraphNormal.of(sd.var("mu", p.mean().dup()), sd.var("ls", p.logSigma().dup()));
        SDVariable lp2 = g.logProb(sd.constant(x2));
        SDVariable lp3 = g.logProb(sd.constant(x3));
        SDVariable z3 = g.rsample(sd.constant(x3));
        SDVariable h = g.entropy();
        SDVariable sigma = g.stddev();
        Map<String, INDArray> out = sd.output(Map.of(), lp2.name(), lp3.name(), z3.name(), h.name(), sigma.name());
        assertClose(p.logProb(x2), out.get(lp2.name()), 1e-12);      // [n, d] → [n]
        assertClose(p.logProb(x3), out.get(lp3.name()), 1e-12);      // [m, n, d] → [m, n]
        assertClose(p.rsample(x3), out.get(z3.name()), 1e-12);       // z = μ + σ ε, [m, n, d]
        assertClose(p.entropy(), out.get(h.name()), 1e-12);
        assertClose(p.stddev(), out.get(sigma.name()), 1e-12);
        assertTrue(g.hasRsample() && p.hasRsample());
        // a constant twin of a one-row Normal broadcasts like the eager one
        SDVariable lpPrior = GraphNormal.constant(sd, Normal.standard(D)).logProb(sd.constant(x3));
        assertClose(Normal.standard(D).logProb(x3), lpPrior.eval(), 1e-12);
    }

    @Test
    void graphBernoulliAgreesWithBernoulli() {
        Rng rng = Rng.seeded(2);
        Bernoulli p = Bernoulli.ofLogits(rng.normal(N, D).muli(2));
        INDArray x2 = p.sample(rng);
        INDArray x3 = p.sample(rng, M);
        SameDiff sd = SameDiff.create();
        GraphBernoulli g = GraphBernoulli.ofLogits(sd.constant(p.logits()));
        SDVariable lp2 = g.logProb(sd.constant(x2));
        SDVariable lp3 = g.logProb(sd.constant(x3));
        SDVariable h = g.entropy();
        SDVariable mean = g.mean();
        Map<String, INDArray> out = sd.output(Map.of(), lp2.name(), lp3.name(), h.name(), mean.name());
        assertClose(p.logProb(x2), out.get(lp2.name()), 1e-12);
        assertClose(p.logProb(x3), out.get(lp3.name()), 1e-12);
        assertClose(p.entropy(), out.get(h.name()), 1e-12);
        assertClose(p.mean(), out.get(mean.name()), 1e-12);
        assertFalse(g.hasRsample() || p.hasRsample());
    }

    @Test
    void onlyReparameterizableDistributionsSayHasRsample() {
        assertTrue(Normal.standard(2).hasRsample());
        assertTrue(MultivariateNormal.of(Nd4j.zeros(DataType.DOUBLE, 1, 2), Nd4j.eye(2).castTo(DataType.DOUBLE)).hasRsample());
        assertFalse(Categorical.ofLogits(Nd4j.zeros(DataType.DOUBLE, 1, 3)).hasRsample());
        assertFalse(GaussianMixture.diagonal(Nd4j.createFromArray(1.0), Nd4j.zeros(DataType.DOUBLE, 1, 2),
                Nd4j.ones(DataType.DOUBLE, 1, 2)).hasRsample());
        assertFalse(GridDensity.of(0, 1, new double[] {0, 0, 0}).hasRsample());
    }

    @Test
    void graphKlRegistryAgreesWithTheEagerOneIncludingABroadcastPrior() {
        Rng rng = Rng.seeded(3);
        Normal q = randomNormal(rng, N);
        Normal p = randomNormal(rng, N);
        Normal prior = Normal.standard(D);                                   // [1, d]
        Normal onePrior = randomNormal(rng, 1);                              // a non-standard [1, d]
        SameDiff sd = SameDiff.create();
        GraphNormal gq = GraphNormal.of(sd.var("mu", q.mean().dup()), sd.var("ls", q.logSigma().dup()));
        SDVariable pq = Kl.divergence(gq, GraphNormal.constant(sd, p));
        SDVariable toPrior = Kl.divergence(gq, GraphNormal.constant(sd, prior));
        SDVariable toOne = Kl.divergence(gq, GraphNormal.constant(sd, onePrior));
        Map<String, INDArray> out = sd.output(Map.of(), pq.name(), toPrior.name(), toOne.name());
        assertClose(Kl.divergence(q, p), out.get(pq.name()), 1e-12);
        assertClose(Kl.divergence(q, prior), out.get(toPrior.name()), 1e-12);
        assertClose(Kl.divergence(q, onePrior), out.get(toOne.name()), 1e-12);
        assertEquals(N, out.get(toPrior.name()).length());
    }

    @Test
    void gradientsFlowThroughTheGraphKl() {
        // d/dμ Σ_i KL(q_i ‖ p) by autodiff against central finite differences of the eager KL
        Rng rng = Rng.seeded(4);
        Normal q = randomNormal(rng, N);
        Normal p = randomNormal(rng, 1);
        SameDiff sd = SameDiff.create();
        SDVariable mu = sd.var("mu", q.mean().dup());
        SDVariable ls = sd.var("ls", q.logSigma().dup());
        SDVariable total = Kl.divergence(GraphNormal.of(mu, ls), GraphNormal.constant(sd, p)).sum();
        sd.setLossVariables(total);
        GraphOps.createGradFunctionQuietly(sd);
        Map<String, INDArray> grads = sd.calculateGradients(Map.of(), "mu", "ls");
        double h = 1e-6;
        for (String name : new String[] {"mu", "ls"}) {
            INDArray numeric = Nd4j.create(DataType.DOUBLE, N, D);
            for (int i = 0; i < N; i++) {
                for (int j = 0; j < D; j++) {
                    numeric.putScalar(i, j, (klSum(q, p, name, i, j, h) - klSum(q, p, name, i, j, -h)) / (2 * h));
                }
            }
            assertClose(numeric, grads.get(name), 1e-6);
        }
    }

    private static double klSum(Normal q, Normal p, String param, int i, int j, double delta) {
        INDArray mu = q.mean().dup();
        INDArray ls = q.logSigma().dup();
        INDArray target = param.equals("mu") ? mu : ls;
        target.putScalar(i, j, target.getDouble(i, j) + delta);
        return Kl.divergence(Normal.ofLogSigma(mu, ls), p).sumNumber().doubleValue();
    }
}
