package dev.latentvi.dist;

import static dev.latentvi.dist.NormalTest.assertClose;
import static dev.latentvi.dist.NormalTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latentvi.math.Estimates;
import dev.latentvi.math.LogMath;
import dev.latentvi.math.Rng;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class GridDensityTest {
    static final double MU = 0.7;
    static final double SIGMA = 0.9;

    /** N(MU, SIGMA²) tabulated (unnormalized, times e^3) on [−8, 8]. */
    static GridDensity gaussian(int points) {
        double[] logValues = new double[points];
        for (int i = 0; i < points; i++) {
            double z = -8 + 16.0 * i / (points - 1);
            logValues[i] = LogMath.normalLogDensity(z, MU, SIGMA) + 3;
        }
        return GridDensity.of(-8, 8, logValues);
    }

    @Test
    void aTabulatedGaussianHasTheGaussiansNormalizerMomentsAndEntropy() {
        GridDensity p = gaussian(3201);
        Normal exact = Normal.of(MU, SIGMA);
        assertFalse(p.hasRsample());
        assertEquals(1, p.batchSize());
        assertEquals(3.0, p.logNormalizer(), 1e-10);
        assertEquals(MU, p.mean().getDouble(0, 0), 1e-10);
        assertEquals(SIGMA, p.stddev().getDouble(0, 0), 1e-10);
        assertEquals(exact.entropy().getDouble(0), p.entropy().getDouble(0), 1e-9);
        Normal fit = p.momentMatch();
        assertEquals(MU, fit.mean().getDouble(0), 1e-10);
        assertEquals(SIGMA, fit.stddev().getDouble(0), 1e-10);
        double[] grid = p.grid();
        assertEquals(3201, grid.length);
        assertEquals(-8.0, grid[0]);
        assertEquals(8.0, grid[3200]);
        assertEquals(exact.logProb(Nd4j.createFromArray(new double[][] {{grid[900]}})).getDouble(0), Math.log(p.density()[900]), 1e-10);
        assertArrayEquals(p.density(), p.densityOf(exact), 1e-10);
    }

    @Test
    void logProbInterpolatesTheDensityLinearlyAndKeepsBatchShapes() {
        GridDensity p = GridDensity.of(0, 2, new double[] {Math.log(1), Math.log(2), Math.log(3)});   // ∝ 1 + z, ∫ = 4
        assertEquals(Math.log(4), p.logNormalizer(), 1e-14);
        INDArray x = Nd4j.createFromArray(new double[][] {{0.0}, {0.5}, {1.0}, {1.75}, {2.0}, {-0.1}, {2.1}});
        INDArray lp = p.logProb(x);
        assertArrayEquals(new long[] {7}, lp.shape());
        double[] expected = {Math.log(0.25), Math.log(1.5 / 4), Math.log(0.5), Math.log(2.75 / 4), Math.log(0.75),
                Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], lp.getDouble(i), 1e-14, "x = " + x.getDouble(i, 0));
        }
        INDArray x3 = Nd4j.createFromArray(new double[][][] {{{0.5}, {1.0}}, {{1.75}, {0.0}}});
        INDArray lp3 = p.logProb(x3);
        assertArrayEquals(new long[] {2, 2}, lp3.shape());
        assertEquals(Math.log(2.75 / 4), lp3.getDouble(1, 0), 1e-14);
        // zero density (log value −∞) stays zero and interpolates towards its neighbour
        GridDensity half = GridDensity.of(0, 2, new double[] {Double.NEGATIVE_INFINITY, 0, Double.NEGATIVE_INFINITY});
        assertEquals(Math.log(0.5), half.logProb(Nd4j.createFromArray(new double[][] {{0.5}})).getDouble(0), 1e-14);
        assertEquals(Double.NEGATIVE_INFINITY, half.logProb(Nd4j.createFromArray(new double[][] {{0.0}})).getDouble(0));
        assertEquals(0.0, half.entropy().getDouble(0), 1e-14);   // trapezoid: −Σ w p log p with p = 1 at the middle point
    }

    @Test
    void samplesFollowTheInterpolatedDensity() {
        // density ∝ 1 + z on [0, 2]: CDF F(z) = (z + z²/2)/4, mean 7/6
        GridDensity p = GridDensity.of(0, 2, new double[] {Math.log(1), Math.log(2), Math.log(3)});
        int m = 50_000;
        INDArray z = p.sample(Rng.seeded(1), m);
        assertArrayEquals(new long[] {m, 1, 1}, z.shape());
        assertArrayEquals(new long[] {1, 1}, p.sample(Rng.seeded(1)).shape());
        double[] v = z.reshape(m).toDoubleVector();
        for (double t : new double[] {0.3, 1.0, 1.6}) {
            double f = (t + t * t / 2) / 4;
            double empirical = Arrays.stream(v).filter(s -> s <= t).count() / (double) m;
            assertEquals(f, empirical, 4 * Math.sqrt(f * (1 - f) / m), "F(" + t + ")");
        }
        assertTrue(Arrays.stream(v).allMatch(s -> s >= 0 && s <= 2));
        Estimates mean = Estimates.mean(z.reshape(m, 1));
        assertEquals(7.0 / 6, mean.values().getDouble(0), 4 * mean.standardErrors().getDouble(0));
        // a fine Gaussian grid: sample moments match the quadrature moments
        GridDensity g = gaussian(801);
        INDArray zg = g.sample(Rng.seeded(2), m).reshape(m, 1);
        assertEquals(MU, zg.meanNumber().doubleValue(), 4 * SIGMA / Math.sqrt(m));
        assertEquals(SIGMA, zg.stdNumber().doubleValue(), 4 * SIGMA / Math.sqrt(2.0 * m));
    }

    @Test
    void klToAndFromNormalsByQuadrature() {
        GridDensity p = gaussian(3201);
        Normal exact = Normal.of(MU, SIGMA);
        Normal q = Normal.of(Nd4j.createFromArray(new double[][] {{0.0}, {1.2}, {-0.5}}), Nd4j.createFromArray(new double[][] {{1.0}, {0.5}, {0.8}}));   // mass well inside the grid
        INDArray reverse = Kl.divergence(q, p);                     // KL(q ‖ p) per row of q
        assertArrayEquals(new long[] {3}, reverse.shape());
        assertClose(Kl.divergence(q, exact), reverse, 1e-8);
        for (int i = 0; i < 3; i++) {
            Normal qi = q.row(i);
            assertEquals(Kl.divergence(exact, qi).getDouble(0), Kl.divergence(p, qi).getDouble(0), 1e-8);
        }
        assertEquals(0.0, Kl.divergence(p, p.momentMatch()).getDouble(0), 1e-9);
        assertMessage("q:", () -> Kl.divergence(p, q));             // a grid density is one row
        assertMessage("q:", () -> Kl.divergence(Normal.standard(2), p));
    }

    @Test
    void badInputNamesTheArgument() {
        assertMessage("hi:", () -> GridDensity.of(1, -1, new double[] {0, 0, 0}));
        assertMessage("lo:", () -> GridDensity.of(Double.NaN, 1, new double[] {0, 0, 0}));
        assertMessage("logValues:", () -> GridDensity.of(0, 1, new double[] {0, 0}));
        assertMessage("logValues:", () -> GridDensity.of(0, 1, new double[] {0, Double.NaN, 0}));
        assertMessage("logValues:", () -> GridDensity.of(0, 1, new double[] {0, Double.POSITIVE_INFINITY, 0}));
        double[] none = {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY};
        assertMessage("logValues:", () -> GridDensity.of(0, 1, none));
        GridDensity p = gaussian(11);
        assertMessage("x:", () -> p.logProb(Nd4j.zeros(DataType.DOUBLE, 3, 2)));
        assertMessage("x:", () -> p.logProb(Nd4j.createFromArray(new double[][] {{Double.NaN}})));
        assertMessage("q:", () -> p.densityOf(Normal.standard(2)));
        assertMessage("m:", () -> p.sample(Rng.seeded(0), 0));
    }
}
