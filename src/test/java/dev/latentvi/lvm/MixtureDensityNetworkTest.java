package dev.latentvi.lvm;

import static dev.latentvi.lvm.GaussianMixtureEmTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latentvi.data.ObstacleDemos;
import dev.latentvi.math.Rng;
import dev.latentvi.nn.Fit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class MixtureDensityNetworkTest {

    @Test
    void mixtureCapturesBothModesWhileASingleGaussianAveragesThem() {
        ObstacleDemos.Demos train = ObstacleDemos.sample(800, Rng.seeded(1));
        ObstacleDemos.Demos test = ObstacleDemos.sample(400, Rng.seeded(2));
        MixtureDensityNetwork mdn = MixtureDensityNetwork.builder().components(2).hidden(24).build(Rng.seeded(3));
        MixtureDensityNetwork single = MixtureDensityNetwork.builder().components(1).hidden(24).build(Rng.seeded(3));
        Fit fit = Fit.epochs(200).batchSize(800).learningRate(0.03);
        mdn.fit(train.states(), train.actions(), fit, Rng.seeded(4));
        single.fit(train.states(), train.actions(), fit, Rng.seeded(4));
        double llMdn = mdn.meanLogLikelihood(test.states(), test.actions());
        double llSingle = single.meanLogLikelihood(test.states(), test.actions());
        assertTrue(llMdn > llSingle + 0.5, "MDN " + llMdn + " vs single " + llSingle);
        // at the obstacle (s = 0) the single Gaussian steers straight ahead, the MDN has modes near ±1
        INDArray s0 = Nd4j.zeros(DataType.DOUBLE, 1, 1);
        assertEquals(0.0, single.predictMean(s0).getDouble(0), 0.25);
        MixtureDensityNetwork.Conditional c = mdn.conditional(s0);
        double m0 = c.means().getDouble(0, 0, 0);
        double m1 = c.means().getDouble(0, 1, 0);
        assertEquals(0.9, Math.max(m0, m1), 0.2);
        assertEquals(-0.9, Math.min(m0, m1), 0.2);
        assertEquals(1.0, c.weights().sumNumber().doubleValue(), 1e-12);
        // eager log density agrees with the density grid
        double[][] grid = mdn.densityGrid(s0, new double[] {0.9});
        assertEquals(Math.exp(mdn.logProb(s0, Nd4j.createFromArray(new double[][] {{0.9}})).getDouble(0)), grid[0][0], 1e-12);
        INDArray draws = mdn.sample(Nd4j.zeros(DataType.DOUBLE, 2000, 1), Rng.seeded(5));
        assertArrayEquals(new long[] {2000, 1}, draws.shape());
        double nearZero = draws.dup().data().asDouble().length;
        long middle = java.util.Arrays.stream(draws.dup().data().asDouble()).filter(v -> Math.abs(v) < 0.4).count();
        assertTrue(middle < 0.05 * nearZero, "MDN samples should avoid the tree: " + middle);
    }

    @Test
    void badInputNamesTheArgument() {
        assertMessage("components:", () -> MixtureDensityNetwork.builder().components(0));
        assertMessage("hidden:", () -> MixtureDensityNetwork.builder().hidden());
        assertMessage("hidden[0]:", () -> MixtureDensityNetwork.builder().hidden(0));
        MixtureDensityNetwork m = MixtureDensityNetwork.builder().components(2).hidden(4).build(Rng.seeded(0));
        Fit one = Fit.epochs(1).batchSize(2).learningRate(0.01);
        assertMessage("y:", () -> m.fit(Nd4j.zeros(DataType.DOUBLE, 3, 1), Nd4j.zeros(DataType.DOUBLE, 2, 1), one, Rng.seeded(0)));
        assertMessage("x:", () -> m.conditional(Nd4j.zeros(DataType.DOUBLE, 3, 2)));
        assertMessage("x:", () -> m.fit(Nd4j.zeros(DataType.DOUBLE, 1, 1), Nd4j.zeros(DataType.DOUBLE, 1, 1), one, Rng.seeded(0)));
        assertMessage("fit:", () -> m.fit(Nd4j.zeros(DataType.DOUBLE, 3, 1), Nd4j.zeros(DataType.DOUBLE, 3, 1), null, Rng.seeded(0)));
        // 7 rows in batches of 3: the trailing single row joins the previous batch instead of failing
        INDArray x7 = Rng.seeded(1).normal(7, 1);
        assertEquals(1, m.fit(x7, x7.mul(2), one.batchSize(3), Rng.seeded(2)).rowCount());
    }

    @Test
    void densityAtOneStateIsThatColumnOfTheDensityGridAndIntegratesToOne() {
        MixtureDensityNetwork mdn = MixtureDensityNetwork.builder().components(2).hidden(8).build(Rng.seeded(4));
        double[] ys = new double[801];
        for (int j = 0; j < ys.length; j++) {
            ys[j] = -8 + 16.0 * j / (ys.length - 1);
        }
        double[] at = mdn.density(0.3, ys);
        double[][] grid = mdn.densityGrid(Nd4j.createFromArray(new double[][] {{-0.2}, {0.3}}), ys);
        assertEquals(ys.length, at.length);
        double mass = 0;
        for (int j = 0; j < ys.length; j++) {
            assertEquals(grid[j][1], at[j], 1e-12);
            mass += at[j] * 16.0 / (ys.length - 1);
        }
        assertEquals(1.0, mass, 1e-3);
        assertMessage("state", () -> mdn.density(Double.NaN, ys));
        MixtureDensityNetwork twoInputs = MixtureDensityNetwork.builder().input(2).components(1).hidden(4).build(Rng.seeded(5));
        assertMessage("state: expected a model with one-dimensional input", () -> twoInputs.density(0, ys));
    }
}
