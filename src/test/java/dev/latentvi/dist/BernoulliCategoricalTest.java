package dev.latentvi.dist;

import static dev.latentvi.dist.NormalTest.REF;
import static dev.latentvi.dist.NormalTest.assertClose;
import static dev.latentvi.dist.NormalTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.latentvi.math.Rng;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class BernoulliCategoricalTest {

    @Test
    void bernoulliMatchesScipy() {
        Bernoulli p = Bernoulli.ofLogits(REF.array("bernoulli", "logits_p"));
        assertClose(REF.array("bernoulli", "log_prob_p"), p.logProb(REF.array("bernoulli", "x")), 1e-12);
        assertClose(REF.array("bernoulli", "entropy_p"), p.entropy(), 1e-12);
        Bernoulli viaProbs = Bernoulli.ofProbs(p.probs());
        assertClose(p.logits(), viaProbs.logits(), 1e-9);
    }

    @Test
    void bernoulliSamplesAndShapes() {
        Bernoulli p = Bernoulli.ofProbs(Nd4j.createFromArray(new double[][] {{0.1, 0.8}}));
        INDArray s = p.sample(Rng.seeded(1), 100_000);
        assertArrayEquals(new long[] {100_000, 1, 2}, s.shape());
        INDArray freq = s.reshape(100_000, 2).mean(0);
        assertEquals(0.1, freq.getDouble(0), 0.005);
        assertEquals(0.8, freq.getDouble(1), 0.005);
        assertArrayEquals(new long[] {100_000, 1}, p.logProb(s).shape());
        assertEquals(Math.sqrt(0.1 * 0.9), p.stddev().getDouble(0, 0), 1e-12);
        // extreme logits stay finite
        Bernoulli sharp = Bernoulli.ofLogits(Nd4j.createFromArray(new double[][] {{800.0, -800.0}}));
        assertEquals(-800.0, sharp.logProb(Nd4j.createFromArray(new double[][] {{0.0, 0.0}})).getDouble(0), 1e-9);
    }

    @Test
    void bernoulliSameDiffEqualsEager() {
        Bernoulli p = Bernoulli.ofLogits(REF.array("bernoulli", "logits_p").mul(50)); // include large logits
        INDArray x = REF.array("bernoulli", "x");
        SameDiff sd = SameDiff.create();
        SDVariable xv = sd.placeHolder("x", DataType.DOUBLE, -1, 4);
        SDVariable lp = GraphBernoulli.ofLogits(sd.constant(p.logits())).logProb(xv);
        assertClose(p.logProb(x), lp.eval(Map.of("x", x)), 1e-12);
    }

    @Test
    void categoricalMatchesScipy() {
        Categorical p = Categorical.ofProbs(REF.array("categorical", "probs_p"));
        assertClose(REF.array("categorical", "log_prob_p"), p.logProb(REF.array("categorical", "x")), 1e-12);
        assertClose(REF.array("categorical", "entropy_p"), p.entropy(), 1e-12);
        Categorical viaLogits = Categorical.ofLogits(p.logProbs().add(3.0));
        assertClose(p.logProbs(), viaLogits.logProbs(), 1e-12);
    }

    @Test
    void categoricalSamplesFollowTheProbabilities() {
        Categorical p = Categorical.ofProbs(Nd4j.createFromArray(new double[][] {{0.2, 0.0, 0.5, 0.3}, {1, 1, 1, 1}}));
        int m = 100_000;
        INDArray s = p.sample(Rng.seeded(5), m);
        assertArrayEquals(new long[] {m, 2}, s.shape());
        double[] col = s.getColumn(0).dup().data().asDouble();
        double[] counts = new double[4];
        for (double c : col) {
            counts[(int) c]++;
        }
        assertEquals(0.2, counts[0] / m, 0.005);
        assertEquals(0.0, counts[1] / m, 0.0);
        assertEquals(0.5, counts[2] / m, 0.005);
        assertEquals(Math.log(0.25), p.logProb(Nd4j.createFromArray(3.0, 1.0)).getDouble(1), 1e-14);
        assertEquals(Double.NEGATIVE_INFINITY, p.logProb(Nd4j.createFromArray(1.0, 1.0)).getDouble(0));
        assertArrayEquals(new long[] {m, 2}, p.logProb(s).shape());
        assertEquals(Math.log(4), p.entropy().getDouble(1), 1e-14);
    }

    @Test
    void badInputNamesTheArgument() {
        assertMessage("logits:", () -> Bernoulli.ofLogits(Nd4j.createFromArray(new double[][] {{Double.NaN}})));
        assertMessage("probs:", () -> Bernoulli.ofProbs(Nd4j.createFromArray(new double[][] {{1.0}})));
        Bernoulli b = Bernoulli.ofLogits(Nd4j.zeros(DataType.DOUBLE, 2, 3));
        assertMessage("x:", () -> b.logProb(Nd4j.zeros(DataType.DOUBLE, 2, 2)));
        assertMessage("x:", () -> b.logProb(Nd4j.ones(DataType.DOUBLE, 2, 3).muli(2)));
        assertMessage("probs:", () -> Categorical.ofProbs(Nd4j.createFromArray(new double[][] {{0.5, -0.1}})));
        assertMessage("probs:", () -> Categorical.ofProbs(Nd4j.createFromArray(new double[][] {{0.0, 0.0}})));
        assertMessage("logits:", () -> Categorical.ofLogits(Nd4j.createFromArray(new double[][] {{Double.NaN, 0.0}})));
        Categorical c = Categorical.ofProbs(Nd4j.createFromArray(new double[][] {{0.5, 0.5}}));
        assertMessage("x:", () -> c.logProb(Nd4j.createFromArray(2.0)));
        assertMessage("x:", () -> c.logProb(Nd4j.createFromArray(0.5)));
    }

    @Test
    void oneDimensionalBernoulliAndOneClassCategoricalKeepBatchShapes() {
        INDArray logits = Nd4j.createFromArray(new double[][] {{-2.0}, {0.0}, {1.5}});
        Bernoulli p = Bernoulli.ofLogits(logits);
        Bernoulli q = Bernoulli.ofLogits(Nd4j.createFromArray(new double[][] {{0.5}}));
        INDArray x = Nd4j.createFromArray(new double[][] {{1.0}, {0.0}, {1.0}});
        INDArray lp = p.logProb(x);
        INDArray h = p.entropy();
        INDArray kl = Kl.divergence(p, q);
        assertArrayEquals(new long[] {3}, lp.shape());
        assertArrayEquals(new long[] {3}, h.shape());
        assertArrayEquals(new long[] {3}, kl.shape());
        double pq = 1 / (1 + Math.exp(-0.5));
        for (int i = 0; i < 3; i++) {
            double pi = 1 / (1 + Math.exp(-logits.getDouble(i, 0)));
            assertEquals(x.getDouble(i, 0) == 1 ? Math.log(pi) : Math.log(1 - pi), lp.getDouble(i), 1e-12);
            assertEquals(-pi * Math.log(pi) - (1 - pi) * Math.log(1 - pi), h.getDouble(i), 1e-12);
            assertEquals(pi * Math.log(pi / pq) + (1 - pi) * Math.log((1 - pi) / (1 - pq)), kl.getDouble(i), 1e-12);
        }
        assertArrayEquals(new long[] {5, 3}, p.logProb(p.sample(Rng.seeded(2), 5)).shape());
        // graph log-likelihood is differentiable for d = 1: ∂/∂ℓ = x − σ(ℓ)
        SameDiff sd = SameDiff.create();
        SDVariable l = sd.var("l", logits.dup());
        SDVariable glp = GraphBernoulli.ofLogits(l).logProb(sd.constant(x));
        sd.setLossVariables(glp.sum());
        assertClose(lp, glp.eval(), 1e-12);
        dev.latentvi.internal.GraphOps.createGradFunctionQuietly(sd);
        assertClose(x.sub(p.probs()), sd.calculateGradients(Map.of(), "l").get("l"), 1e-12);
        // K = 1: a certain outcome, entropy and KL 0 per row, log p = 0
        Categorical c = Categorical.ofLogits(Nd4j.createFromArray(new double[][] {{0.3}, {-4.0}}));
        assertClose(Nd4j.zeros(DataType.DOUBLE, 2), c.entropy(), 0);
        assertClose(Nd4j.zeros(DataType.DOUBLE, 2, 1), c.stddev(), 0);
        Categorical three = Categorical.ofProbs(Nd4j.createFromArray(new double[][] {{0.2, 0.3, 0.5}}));
        assertEquals(Math.sqrt(0.3 * 0.7), three.stddev().getDouble(0, 1), 1e-12);
        assertClose(Nd4j.zeros(DataType.DOUBLE, 2), Kl.divergence(c, Categorical.ofLogits(Nd4j.createFromArray(new double[][] {{7.0}}))), 0);
        INDArray draws = c.sample(Rng.seeded(3), 4);
        assertArrayEquals(new long[] {4, 2}, draws.shape());
        assertClose(Nd4j.zeros(DataType.DOUBLE, 4, 2), c.logProb(draws), 0);
    }
}
