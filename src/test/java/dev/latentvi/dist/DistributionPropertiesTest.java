package dev.latentvi.dist;

import static org.junit.jupiter.api.Assertions.*;

import dev.latentvi.math.Rng;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Properties of the distributions on random instances (fixed jqwik seeds: reproducible in CI):
 * KL ≥ 0 with equality for equal arguments, the sample mean of −log p is the entropy, and the graph
 * twins compute what the eager distributions compute.
 */
class DistributionPropertiesTest {

    static Normal randomNormal(Rng rng, int n, int d) {
        return Normal.ofLogSigma(rng.normal(n, d).muli(2), rng.normal(n, d).muli(0.7));
    }

    /** N(μ_i, Σ) with Σ = A Aᵀ + 0.1 I. */
    static MultivariateNormal randomMvn(Rng rng, int n, int d) {
        INDArray a = rng.normal(d, d);
        INDArray cov = a.mmul(a.transpose()).addi(Nd4j.eye(d).castTo(DataType.DOUBLE).muli(0.1));
        return MultivariateNormal.of(rng.normal(n, d), cov);
    }

    @Property(seed = "1501", tries = 60)
    void klOfNormalsIsNonNegativeAndZeroForEqualArguments(@ForAll @LongRange(min = 0, max = 1_000_000) long seed,
            @ForAll @IntRange(min = 1, max = 5) int d) {
        Rng rng = Rng.seeded(seed);
        Normal p = randomNormal(rng, 3, d);
        Normal q = randomNormal(rng, 3, d);
        double[] kl = Kl.divergence(p, q).toDoubleVector();
        for (double v : kl) {
            assertTrue(v >= -1e-12, "KL(p||q) = " + v);
        }
        for (double v : Kl.divergence(p, p).toDoubleVector()) {
            assertEquals(0.0, v, 1e-12);
        }
        // the Normal and the full-covariance forms agree on a diagonal covariance
        Normal one = randomNormal(rng, 1, d);
        INDArray cov = Nd4j.diag(one.stddev().reshape(d).mul(one.stddev().reshape(d)));
        MultivariateNormal asMvn = MultivariateNormal.of(one.mean(), cov);
        Normal other = randomNormal(rng, 1, d);
        assertEquals(Kl.divergence(other, one).getDouble(0), Kl.divergence(other, asMvn).getDouble(0),
                1e-9 * Math.max(1, Math.abs(Kl.divergence(other, one).getDouble(0))));
    }

    @Property(seed = "1502", tries = 60)
    void klOfMultivariateNormalsIsNonNegativeAndZeroForEqualArguments(@ForAll @LongRange(min = 0, max = 1_000_000) long seed,
            @ForAll @IntRange(min = 1, max = 4) int d) {
        Rng rng = Rng.seeded(seed);
        MultivariateNormal p = randomMvn(rng, 2, d);
        MultivariateNormal q = randomMvn(rng, 2, d);
        for (double v : Kl.divergence(p, q).toDoubleVector()) {
            assertTrue(v >= -1e-9, "KL(p||q) = " + v);
        }
        for (double v : Kl.divergence(p, p).toDoubleVector()) {
            assertEquals(0.0, v, 1e-9);
        }
        Normal r = randomNormal(rng, 2, d);
        for (double v : Kl.divergence(r, q).toDoubleVector()) {
            assertTrue(v >= -1e-9, "KL(normal||mvn) = " + v);
        }
    }

    @Property(seed = "1503", tries = 30)
    void sampleMeanOfMinusLogProbIsTheEntropy(@ForAll @LongRange(min = 0, max = 1_000_000) long seed,
            @ForAll @IntRange(min = 1, max = 4) int d) {
        Rng rng = Rng.seeded(seed);
        int m = 4000;
        for (Distribution p : new Distribution[] {randomNormal(rng, 2, d), randomMvn(rng, 2, d),
                Bernoulli.ofLogits(rng.normal(2, d).muli(2))}) {
            INDArray nlp = p.logProb(p.sample(rng, m)).negi();             // [m, 2]
            INDArray mean = nlp.mean(0);
            INDArray se = nlp.std(0).divi(Math.sqrt(m));
            INDArray h = p.entropy();
            for (int i = 0; i < 2; i++) {
                assertEquals(h.getDouble(i), mean.getDouble(i), 5 * se.getDouble(i) + 1e-9, p + " row " + i);
            }
        }
    }

    @Property(seed = "1504", tries = 25)
    void graphTwinsAgreeWithTheEagerDensities(@ForAll @LongRange(min = 0, max = 1_000_000) long seed,
            @ForAll @IntRange(min = 1, max = 4) int d, @ForAll @IntRange(min = 1, max = 3) int n) {
        Rng rng = Rng.seeded(seed);
        Normal p = randomNormal(rng, n, d);
        Normal q = randomNormal(rng, n, d);
        Bernoulli b = Bernoulli.ofLogits(rng.normal(n, d).muli(3));
        INDArray x3 = rng.normal(4, n, d).muli(3);
        INDArray bits = b.sample(rng, 4);
        SameDiff sd = SameDiff.create();
        GraphNormal gp = GraphNormal.of(sd.var("mu", p.mean().dup()), sd.var("ls", p.logSigma().dup()));
        GraphNormal gq = GraphNormal.of(sd.var("mu2", q.mean().dup()), sd.var("ls2", q.logSigma().dup()));
        GraphBernoulli gb = GraphBernoulli.ofLogits(sd.constant(b.logits()));
        SDVariable lp = gp.logProb(sd.constant(x3));
        SDVariable h = gp.entropy();
        SDVariable z = gp.rsample(sd.constant(x3));
        SDVariable kl = Kl.divergence(gp, gq);
        SDVariable blp = gb.logProb(sd.constant(bits));
        SDVariable bh = gb.entropy();
        Map<String, INDArray> out = sd.output(Map.of(), lp.name(), h.name(), z.name(), kl.name(), blp.name(), bh.name());
        NormalTest.assertClose(p.logProb(x3), out.get(lp.name()), 1e-10);
        NormalTest.assertClose(p.entropy(), out.get(h.name()), 1e-10);
        NormalTest.assertClose(p.rsample(x3), out.get(z.name()), 1e-10);
        NormalTest.assertClose(Kl.divergence(p, q), out.get(kl.name()), 1e-10);
        NormalTest.assertClose(b.logProb(bits), out.get(blp.name()), 1e-10);
        NormalTest.assertClose(b.entropy(), out.get(bh.name()), 1e-10);
    }
}
