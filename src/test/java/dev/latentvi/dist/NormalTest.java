package dev.latentvi.dist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latentvi.math.LogMath;
import dev.latentvi.math.Reference;
import dev.latentvi.math.Rng;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

class NormalTest {
    static final Reference REF = Reference.load("distributions");

    static void assertClose(INDArray expected, INDArray actual, double tol) {
        assertArrayEquals(expected.shape(), actual.shape(), "shape");
        double[] e = expected.dup('c').data().asDouble();
        double[] a = actual.dup('c').data().asDouble();
        for (int i = 0; i < e.length; i++) {
            assertEquals(e[i], a[i], tol * Math.max(1, Math.abs(e[i])), "index " + i);
        }
    }

    static Normal p() {
        return Normal.of(REF.array("normal", "mu_p"), REF.array("normal", "sigma_p"));
    }

    @Test
    void logProbAndEntropyMatchScipy() {
        Normal p = p();
        assertClose(REF.array("normal", "log_prob_p"), p.logProb(REF.array("normal", "x")), 1e-12);
        assertClose(REF.array("normal", "entropy_p"), p.entropy(), 1e-12);
        Normal viaLog = Normal.ofLogSigma(p.mean(), Transforms.log(p.stddev(), true));
        assertClose(REF.array("normal", "log_prob_p"), viaLog.logProb(REF.array("normal", "x")), 1e-12);
    }

    @Test
    void shapesOfSamplesAndLogProbs() {
        Normal p = p();
        Rng rng = Rng.seeded(1);
        assertArrayEquals(new long[] {3, 4}, p.sample(rng).shape());
        INDArray z = p.sample(rng, 5);
        assertArrayEquals(new long[] {5, 3, 4}, z.shape());
        assertArrayEquals(new long[] {5, 3}, p.logProb(z).shape());
        // logProb of [m, n, d] equals row-by-row logProb of each [n, d] slice
        assertClose(p.logProb(z.slice(2).dup()), p.logProb(z).getRow(2).dup(), 1e-12);
        Normal std = Normal.standard(4);
        assertArrayEquals(new long[] {7}, std.logProb(Nd4j.zeros(DataType.DOUBLE, 7, 4)).shape());
        assertArrayEquals(new long[] {5, 3}, std.logProb(z).shape());
        assertEquals(-2 * Math.log(2 * Math.PI), std.logProb(Nd4j.zeros(DataType.DOUBLE, 1, 4)).getDouble(0), 1e-14);
    }

    @Test
    void logProbEqualsTheSummedElementwiseDensityForChangingSizes() {
        Normal std = Normal.standard(3);
        Normal p = Normal.ofLogSigma(Rng.seeded(5).normal(1, 3), Rng.seeded(6).normal(1, 3));
        for (int k : new int[] {2, 5000, 7, 20000, 3}) {          // the scratch workspace is sized by the first call
            INDArray x = Rng.seeded(k).normal(k, 3);
            assertClose(dev.latentvi.math.LogMath.normalLogDensity(x, p.mean(), p.logSigma()).sum(1), p.logProb(x), 1e-12);
            assertClose(dev.latentvi.math.LogMath.normalLogDensity(x, std.mean(), std.logSigma()).sum(1), std.logProb(x), 1e-12);
        }
    }

    @Test
    void rsampleIsMuPlusSigmaTimesEps() {
        Normal p = p();
        Normal.Reparameterized r = p.rsample(Rng.seeded(2), 3);
        assertArrayEquals(new long[] {3, 3, 4}, r.eps().shape());
        INDArray expected = r.eps().mul(p.stddev()).addi(p.mean());
        assertClose(expected, r.z(), 1e-15);
        assertClose(p.rsample(r.eps()), r.z(), 1e-15);
        // same seed, same draws
        assertClose(p.sample(Rng.seeded(9), 4), p.sample(Rng.seeded(9), 4), 0);
    }

    @Test
    void samplesHaveTheRightMomentsAndAverageLogProbIsMinusEntropy() {
        Normal p = Normal.of(Nd4j.createFromArray(new double[][] {{1.0, -2.0}}), Nd4j.createFromArray(new double[][] {{0.5, 3.0}}));
        int m = 200_000;
        INDArray z = p.sample(Rng.seeded(3), m).reshape(m, 2);
        assertEquals(1.0, z.getColumn(0).meanNumber().doubleValue(), 4 * 0.5 / Math.sqrt(m));
        assertEquals(-2.0, z.getColumn(1).meanNumber().doubleValue(), 4 * 3.0 / Math.sqrt(m));
        assertEquals(3.0, z.getColumn(1).stdNumber().doubleValue(), 0.03);
        double avg = p.logProb(z).meanNumber().doubleValue();
        assertEquals(-p.entropy().getDouble(0), avg, 0.01);
    }

    @Test
    void sameDiffLogProbEntropyAndRsampleEqualEager() {
        Normal p = p();
        INDArray x = REF.array("normal", "x");
        SameDiff sd = SameDiff.create();
        SDVariable xv = sd.placeHolder("x", DataType.DOUBLE, -1, 4);
        SDVariable mu = sd.var("mu", p.mean().dup());
        SDVariable ls = sd.var("ls", p.logSigma().dup());
        SDVariable lp = GraphNormal.of(mu, ls).logProb(xv);
        SDVariable h = GraphNormal.of(mu, ls).entropy();
        SDVariable z = GraphNormal.of(mu, ls).rsample(xv);
        Map<String, INDArray> out = sd.output(Map.of("x", x), lp.name(), h.name(), z.name());
        assertClose(p.logProb(x), out.get(lp.name()), 1e-12);
        assertClose(p.entropy(), out.get(h.name()), 1e-12);
        assertClose(p.rsample(x), out.get(z.name()), 1e-12);
        // rank-3 input broadcasts against [n, d] parameters
        INDArray x3 = Rng.seeded(4).normal(2, 3, 4);
        SameDiff sd3 = SameDiff.create();
        SDVariable x3v = sd3.placeHolder("x", DataType.DOUBLE, -1, 3, 4);
        SDVariable lp3 = GraphNormal.constant(sd3, p).logProb(x3v);
        assertClose(p.logProb(x3), lp3.eval(Map.of("x", x3)), 1e-12);
    }

    @Test
    void badInputNamesTheArgument() {
        INDArray mu = Nd4j.zeros(DataType.DOUBLE, 2, 3);
        assertMessage("sigma:", () -> Normal.of(mu, Nd4j.zeros(DataType.DOUBLE, 2, 3)));
        assertMessage("sigma:", () -> Normal.of(mu, Nd4j.ones(DataType.DOUBLE, 2, 2)));
        assertMessage("sigma:", () -> Normal.of(0.0, -1.0));
        assertMessage("mu:", () -> Normal.of(Nd4j.createFromArray(new double[][] {{Double.NaN}}), Nd4j.ones(DataType.DOUBLE, 1, 1)));
        assertMessage("logSigma:", () -> Normal.ofLogSigma(mu, Nd4j.valueArrayOf(new long[] {2, 3}, Double.NaN, DataType.DOUBLE)));
        Normal p = Normal.of(mu, Nd4j.ones(DataType.DOUBLE, 2, 3));
        assertMessage("x:", () -> p.logProb(Nd4j.zeros(DataType.DOUBLE, 2, 4)));
        assertMessage("x:", () -> p.logProb(Nd4j.zeros(DataType.DOUBLE, 5, 3)));
        assertMessage("x:", () -> p.logProb(Nd4j.valueArrayOf(new long[] {2, 3}, Double.NaN, DataType.DOUBLE)));
        assertMessage("eps:", () -> p.rsample(Nd4j.zeros(DataType.DOUBLE, 3)));
        assertMessage("m:", () -> p.sample(Rng.seeded(0), 0));
        assertMessage("d:", () -> Normal.standard(0));
    }

    static void assertMessage(String prefix, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().startsWith(prefix), "message '" + e.getMessage() + "' should start with " + prefix);
    }

    // ---- d = 1: one-dimensional Normals keep the documented batch shapes ----

    static Normal oneDim() {
        return Normal.of(Nd4j.createFromArray(new double[][] {{0.5}, {-1.0}, {2.0}, {0.0}}),
                Nd4j.createFromArray(new double[][] {{1.5}, {0.3}, {2.0}, {1.0}}));
    }

    @Test
    void oneDimensionalLogProbAndEntropyHaveBatchShapesAndClosedFormValues() {
        Normal p = oneDim();
        double[] mu = {0.5, -1.0, 2.0, 0.0};
        double[] sigma = {1.5, 0.3, 2.0, 1.0};
        INDArray x = Nd4j.createFromArray(new double[][] {{0.1}, {-0.7}, {5.0}, {-2.0}});
        INDArray lp = p.logProb(x);
        assertArrayEquals(new long[] {4}, lp.shape());
        INDArray h = p.entropy();
        assertArrayEquals(new long[] {4}, h.shape());
        for (int i = 0; i < 4; i++) {
            assertEquals(LogMath.normalLogDensity(x.getDouble(i, 0), mu[i], sigma[i]), lp.getDouble(i), 1e-12);
            assertEquals(0.5 * Math.log(2 * Math.PI * Math.E * sigma[i] * sigma[i]), h.getDouble(i), 1e-12);
        }
        INDArray x3 = Rng.seeded(5).normal(3, 4, 1);
        INDArray lp3 = p.logProb(x3);
        assertArrayEquals(new long[] {3, 4}, lp3.shape());
        for (int s = 0; s < 3; s++) {
            for (int i = 0; i < 4; i++) {
                assertEquals(LogMath.normalLogDensity(x3.getDouble(s, i, 0), mu[i], sigma[i]), lp3.getDouble(s, i), 1e-12);
            }
        }
        // a one-row Normal broadcasts over any number of rows: [k, 1] → [k], [m, k, 1] → [m, k]
        Normal std = Normal.standard(1);
        INDArray grid = Nd4j.createFromArray(new double[][] {{-1.0}, {0.0}, {2.5}});
        INDArray lpStd = std.logProb(grid);
        assertArrayEquals(new long[] {3}, lpStd.shape());
        assertEquals(LogMath.normalLogDensity(2.5, 0, 1), lpStd.getDouble(2), 1e-14);
        assertArrayEquals(new long[] {3, 4}, std.logProb(x3).shape());
        assertArrayEquals(new long[] {3, 4, 1}, p.sample(Rng.seeded(6), 3).shape());
        assertArrayEquals(new long[] {3, 4}, p.logProb(p.rsample(Rng.seeded(7), 3).z()).shape());
        assertArrayEquals(new long[] {1}, Normal.of(0.0, 2.0).entropy().shape());
    }

    @Test
    void oneDimensionalGraphDensitiesAreDifferentiable() {
        Normal p = oneDim();
        INDArray x = Nd4j.createFromArray(new double[][] {{0.1}, {-0.7}, {5.0}, {-2.0}});
        SameDiff sd = SameDiff.create();
        SDVariable xv = sd.placeHolder("x", DataType.DOUBLE, -1, 1);
        SDVariable mu = sd.var("mu", p.mean().dup());
        SDVariable ls = sd.var("ls", p.logSigma().dup());
        SDVariable lp = GraphNormal.of(mu, ls).logProb(xv);                // [4]
        SDVariable h = GraphNormal.of(mu, ls).entropy();                         // [4]
        SDVariable kl = Kl.divergence(GraphNormal.of(mu, ls), GraphNormal.of(sd.zerosLike(mu), sd.zerosLike(mu)));               // [4]
        SDVariable total = lp.sum().add(h.sum()).add(kl.sum());
        sd.setLossVariables(total);
        Map<String, INDArray> out = sd.output(Map.of("x", x), lp.name(), h.name(), kl.name());
        assertClose(p.logProb(x), out.get(lp.name()), 1e-12);
        assertClose(p.entropy(), out.get(h.name()), 1e-12);
        assertClose(Kl.divergence(p, Normal.standard(1)), out.get(kl.name()), 1e-12);
        dev.latentvi.internal.GraphOps.createGradFunctionQuietly(sd);
        Map<String, INDArray> g = sd.calculateGradients(Map.of("x", x), "mu", "ls");
        // ∂/∂μ: (x − μ)/σ² + μ;  ∂/∂logσ: ((x − μ)/σ)² − 1  + 1  + σ² − 1
        INDArray var = p.variance();
        INDArray diff = x.sub(p.mean());
        assertClose(diff.div(var).add(p.mean()), g.get("mu"), 1e-12);
        assertClose(diff.mul(diff).div(var).sub(1.0).add(var), g.get("ls"), 1e-12);
    }

    @Test
    void scalarStddevOfAOneDimensionalOneRowNormal() {
        assertEquals(2.5, Normal.of(1, 2.5).scalarStddev(), 0);
        assertEquals(0.3, Normal.of(Nd4j.createFromArray(new double[][] {{4}}), Nd4j.createFromArray(new double[][] {{0.3}})).scalarStddev(), 0);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Normal.standard(2).scalarStddev());
        assertEquals("scalarStddev: expected a Normal with [1, 1] parameters, this one has [1, 2]; use stddev()", e.getMessage());
    }

    @Test
    void aggregateIsTheEqualWeightMixtureOfTheRows() {
        Normal batch = Normal.of(org.nd4j.linalg.factory.Nd4j.createFromArray(new double[][] {{-1, 0}, {2, 1}}),
                org.nd4j.linalg.factory.Nd4j.createFromArray(new double[][] {{0.5, 1}, {1, 2}}));
        GaussianMixture q = batch.aggregate();
        assertEquals(2, q.numComponents());
        INDArray z = org.nd4j.linalg.factory.Nd4j.createFromArray(new double[][] {{0.3, -0.4}});
        double expected = Math.log(0.5 * Math.exp(batch.row(0).logProb(z).getDouble(0)) + 0.5 * Math.exp(batch.row(1).logProb(z).getDouble(0)));
        assertEquals(expected, q.logProb(z).getDouble(0), 1e-12);
    }

    @Test
    void activeUnitsCountTheCoordinatesWhoseMeanVaries() {
        INDArray mu = org.nd4j.linalg.factory.Nd4j.createFromArray(new double[][] {{-1, 0.001, 0.5}, {1, -0.001, 0.5}, {0.5, 0, 0.5}});
        Normal batch = Normal.of(mu, org.nd4j.linalg.factory.Nd4j.ones(3, 3));
        assertEquals(1, batch.activeUnits(0.01));     // only the first coordinate varies
        assertEquals(0, batch.activeUnits(10));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Normal.of(0, 1).activeUnits(0.01)).getMessage().startsWith("this:"));
    }
}
