package dev.latentvi.lvm;

import static dev.latentvi.lvm.GaussianMixtureEmTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latentvi.math.Rng;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class MixtureDensityNetworkTest {

    @Test
    void mixtureCapturesBothModesWhileASingleGaussianAveragesThem() {
        TreeDriving.Data train = TreeDriving.sample(800, Rng.seeded(1));
        TreeDriving.Data test = TreeDriving.sample(400, Rng.seeded(2));
        MixtureDensityNetwork mdn = MixtureDensityNetwork.create(1, 1, 2, new int[] {24}, Rng.seeded(3));
        MixtureDensityNetwork single = MixtureDensityNetwork.create(1, 1, 1, new int[] {24}, Rng.seeded(3));
        mdn.fit(train.states(), train.actions(), 200, 800, 0.03, Rng.seeded(4));
        single.fit(train.states(), train.actions(), 200, 800, 0.03, Rng.seeded(4));
        double llMdn = mdn.meanLogLikelihood(test.states(), test.actions());
        double llSingle = single.meanLogLikelihood(test.states(), test.actions());
        assertTrue(llMdn > llSingle + 0.5, "MDN " + llMdn + " vs single " + llSingle);
        // at the tree (s = 0) the single Gaussian steers straight ahead, the MDN has modes near ±0.9
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
    void treeDataIsBimodal() {
        TreeDriving.Data d = TreeDriving.sample(1000, Rng.seeded(6));
        INDArray resid = d.actions().sub(TreeDriving.steering(d.states(), d.sides().reshape(1000, 1)));
        assertEquals(TreeDriving.NOISE, resid.stdNumber().doubleValue(), 0.01);
        assertEquals(0.0, d.actions().meanNumber().doubleValue(), 0.1);
    }

    @Test
    void badInputNamesTheArgument() {
        assertMessage("components:", () -> MixtureDensityNetwork.create(1, 1, 0, new int[] {4}, Rng.seeded(0)));
        assertMessage("hidden:", () -> MixtureDensityNetwork.create(1, 1, 2, new int[0], Rng.seeded(0)));
        MixtureDensityNetwork m = MixtureDensityNetwork.create(1, 1, 2, new int[] {4}, Rng.seeded(0));
        assertMessage("y:", () -> m.fit(Nd4j.zeros(DataType.DOUBLE, 3, 1), Nd4j.zeros(DataType.DOUBLE, 2, 1), 1, 2, 0.01, Rng.seeded(0)));
        assertMessage("x:", () -> m.conditional(Nd4j.zeros(DataType.DOUBLE, 3, 2)));
        assertMessage("x:", () -> m.fit(Nd4j.zeros(DataType.DOUBLE, 1, 1), Nd4j.zeros(DataType.DOUBLE, 1, 1), 1, 2, 0.01, Rng.seeded(0)));
        // 7 rows in batches of 3: the trailing single row joins the previous batch instead of failing
        INDArray x7 = Rng.seeded(1).normal(7, 1);
        assertEquals(1, m.fit(x7, x7.mul(2), 1, 3, 0.01, Rng.seeded(2)).rowCount());
    }
}
