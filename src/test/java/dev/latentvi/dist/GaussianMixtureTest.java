package dev.latentvi.dist;

import static dev.latentvi.dist.NormalTest.REF;
import static dev.latentvi.dist.NormalTest.assertClose;
import static dev.latentvi.dist.NormalTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.latentvi.math.Rng;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class GaussianMixtureTest {
    static GaussianMixture reference() {
        return GaussianMixture.full(REF.array("mixture", "weights"), REF.array("mixture", "means"),
                REF.array("mixture", "covariances"));
    }

    @Test
    void fullAndDiagonalDensitiesMatchScipy() {
        INDArray x = REF.array("mixture", "x");
        GaussianMixture full = reference();
        assertClose(REF.array("mixture", "log_prob_full"), full.logProb(x), 1e-12);
        assertClose(REF.array("mixture", "responsibilities_full"), full.responsibilities(x), 1e-12);
        assertClose(REF.array("mixture", "responsibilities_full"), full.posterior(x).probs(), 1e-12);
        GaussianMixture diag = GaussianMixture.diagonal(REF.array("mixture", "weights"), REF.array("mixture", "means"),
                REF.array("mixture", "variances_diag"));
        assertClose(REF.array("mixture", "log_prob_diag"), diag.logProb(x), 1e-12);
    }

    @Test
    void oneComponentIsANormal() {
        INDArray mu = Nd4j.createFromArray(new double[][] {{1.0, -1.0}});
        INDArray var = Nd4j.createFromArray(new double[][] {{4.0, 0.25}});
        GaussianMixture g = GaussianMixture.diagonal(Nd4j.createFromArray(1.0), mu, var);
        Normal n = Normal.of(mu, org.nd4j.linalg.ops.transforms.Transforms.sqrt(var, true));
        INDArray x = Rng.seeded(1).normal(10, 2);
        assertClose(n.logProb(x), g.logProb(x), 1e-12);
    }

    @Test
    void samplesHaveTheMixtureMomentsAndLabelFrequencies() {
        GaussianMixture g = reference();
        int m = 100_000;
        GaussianMixture.Labeled s = g.sampleLabeled(Rng.seeded(2), m);
        assertArrayEquals(new long[] {m, 2}, s.x().shape());
        assertArrayEquals(new long[] {m}, s.z().shape());
        assertEquals(0.3, s.z().eq(1.0).castTo(DataType.DOUBLE).meanNumber().doubleValue(), 0.005);
        INDArray mean = s.x().mean(0);
        INDArray expected = g.mean();
        assertEquals(expected.getDouble(0, 0), mean.getDouble(0), 0.03);
        assertEquals(expected.getDouble(0, 1), mean.getDouble(1), 0.03);
        // sample covariance of component 1 matches its covariance
        INDArray idx = s.z().eq(1.0);
        INDArray x1 = s.x().get(org.nd4j.linalg.indexing.NDArrayIndex.indices(where(idx)));
        INDArray c = x1.subRowVector(x1.mean(0));
        INDArray cov = c.transpose().mmul(c).divi(x1.size(0));
        assertClose(g.covariances().slice(1).dup(), cov, 0.03);
        assertEquals(g.stddev().getDouble(0, 0), s.x().getColumn(0).stdNumber().doubleValue(), 0.03);
    }

    @Test
    void klBetweenAMixtureAndAGaussianFallsBackToMonteCarlo() {
        GaussianMixture g = reference();
        // the moment-matched Gaussian N(mean, covariance): KL(g ‖ N) > 0
        INDArray cov = g.covariance();
        GaussianMixture matched = GaussianMixture.full(Nd4j.createFromArray(1.0), g.mean(), cov.reshape(1, 2, 2));
        dev.latentvi.math.Estimates kl = Kl.divergence(g, matched, Rng.seeded(3), 20_000);
        assertEquals(1, kl.size());
        org.junit.jupiter.api.Assertions.assertTrue(kl.get(0).value() > 10 * kl.get(0).standardError(), kl.get(0).toString());
        // moment matching minimizes KL(g ‖ q) over Gaussians q: a shifted Gaussian is worse
        GaussianMixture shifted = GaussianMixture.full(Nd4j.createFromArray(1.0), g.mean().add(0.5), cov.reshape(1, 2, 2));
        dev.latentvi.math.Estimates worse = Kl.divergence(g, shifted, Rng.seeded(3), 20_000);
        org.junit.jupiter.api.Assertions.assertTrue(worse.get(0).value() > kl.get(0).value());
        // KL(g ‖ g) is exactly zero draw by draw
        dev.latentvi.math.Estimates self = Kl.divergence(g, g, Rng.seeded(4), 100);
        assertEquals(0.0, self.get(0).value(), 1e-12);
        // a one-component mixture and the equivalent Normal agree in the Monte Carlo estimate against another Normal
        Normal n = Normal.of(Nd4j.createFromArray(new double[][] {{1.0, -1.0}}), Nd4j.createFromArray(new double[][] {{2.0, 0.5}}));
        GaussianMixture one = GaussianMixture.diagonal(Nd4j.createFromArray(1.0), n.mean(), n.variance());
        double exact = Kl.divergence(n, Normal.standard(2)).getDouble(0);
        dev.latentvi.math.Estimate mc = Kl.divergence(one, Normal.standard(2), Rng.seeded(5), 50_000).get(0);
        assertEquals(exact, mc.value(), 4 * mc.standardError());
    }

    @Test
    void badParametersAreRejected() {
        INDArray w = Nd4j.createFromArray(0.5, 0.5);
        INDArray mu = Nd4j.zeros(DataType.DOUBLE, 2, 2);
        INDArray singular = Nd4j.createFromArray(new double[][][] {{{1, 1}, {1, 1}}, {{1, 0}, {0, 1}}});
        assertMessage("covariances[0]:", () -> GaussianMixture.full(w, mu, singular));
        INDArray asym = Nd4j.createFromArray(new double[][][] {{{1, 0.5}, {0, 1}}, {{1, 0}, {0, 1}}});
        assertMessage("covariances[0]:", () -> GaussianMixture.full(w, mu, asym));
        assertMessage("covariances:", () -> GaussianMixture.full(w, mu, Nd4j.zeros(DataType.DOUBLE, 2, 3, 3)));
        assertMessage("weights:", () -> GaussianMixture.diagonal(Nd4j.createFromArray(0.7, 0.7), mu, Nd4j.ones(DataType.DOUBLE, 2, 2)));
        assertMessage("means:", () -> GaussianMixture.diagonal(w, Nd4j.zeros(DataType.DOUBLE, 3, 2), Nd4j.ones(DataType.DOUBLE, 3, 2)));
        assertMessage("variances:", () -> GaussianMixture.diagonal(w, mu, Nd4j.zeros(DataType.DOUBLE, 2, 2)));
        GaussianMixture g = reference();
        assertMessage("x:", () -> g.logProb(Nd4j.zeros(DataType.DOUBLE, 4, 3)));
        assertThrows(UnsupportedOperationException.class, g::entropy);
    }

    static long[] where(INDArray mask) {
        double[] v = mask.castTo(DataType.DOUBLE).data().asDouble();
        return java.util.stream.IntStream.range(0, v.length).filter(i -> v[i] != 0).mapToLong(i -> i).toArray();
    }

    @Test
    void oneDimensionalMixtureKeepsBatchShapesAndMatchesTheClosedForm() {
        GaussianMixture g = GaussianMixture.diagonal(Nd4j.createFromArray(0.3, 0.7),
                Nd4j.createFromArray(new double[][] {{-1.0}, {2.0}}), Nd4j.createFromArray(new double[][] {{0.25}, {4.0}}));
        INDArray x = Nd4j.createFromArray(new double[][] {{-1.2}, {0.0}, {3.0}, {10.0}});
        INDArray lp = g.logProb(x);
        assertArrayEquals(new long[] {4}, lp.shape());
        assertArrayEquals(new long[] {4, 2}, g.componentLogProbs(x).shape());
        for (int i = 0; i < 4; i++) {
            double xi = x.getDouble(i, 0);
            double mix = 0.3 * Math.exp(dev.latentvi.math.LogMath.normalLogDensity(xi, -1.0, 0.5))
                    + 0.7 * Math.exp(dev.latentvi.math.LogMath.normalLogDensity(xi, 2.0, 2.0));
            assertEquals(Math.log(mix), lp.getDouble(i), 1e-12);
        }
        assertArrayEquals(new long[] {3, 4}, g.logProb(Rng.seeded(1).normal(3, 4, 1)).shape());
        GaussianMixture one = GaussianMixture.diagonal(Nd4j.createFromArray(1.0), Nd4j.createFromArray(new double[][] {{0.5}}),
                Nd4j.createFromArray(new double[][] {{2.0}}));
        assertClose(Normal.of(0.5, Math.sqrt(2.0)).logProb(x), one.logProb(x), 1e-12);
    }

    @Test
    void fullFromPlainArraysMatchesTheINDArrayFactoryAndAKnownDensity() {
        GaussianMixture fromArrays = GaussianMixture.full(new double[] {0.25, 0.75}, new double[][] {{0, 0}, {3, 0}},
                new double[][][] {{{1, 0}, {0, 1}}, {{2, 0.5}, {0.5, 1}}});
        GaussianMixture fromNd4j = GaussianMixture.full(Nd4j.createFromArray(0.25, 0.75), Nd4j.createFromArray(new double[][] {{0, 0}, {3, 0}}),
                Nd4j.createFromArray(new double[][][] {{{1, 0}, {0, 1}}, {{2, 0.5}, {0.5, 1}}}));
        INDArray x = Nd4j.createFromArray(new double[][] {{0, 0}, {3, 0}, {1, -1}});
        assertArrayEquals(fromNd4j.logProb(x).toDoubleVector(), fromArrays.logProb(x).toDoubleVector(), 0);
        // one standard 2-D Gaussian: log p(0) = -log(2π)
        GaussianMixture standard = GaussianMixture.full(new double[] {1}, new double[][] {{0, 0}}, new double[][][] {{{1, 0}, {0, 1}}});
        assertEquals(-Math.log(2 * Math.PI), standard.logProb(Nd4j.zeros(DataType.DOUBLE, 1, 2)).getDouble(0), 1e-12);
    }

    @Test
    void fullFromPlainArraysNamesTheBadArgument() {
        double[][][] cov = {{{1, 0}, {0, 1}}};
        assertMessage("means: expected 1 rows (one per weight), got 2", () -> GaussianMixture.full(new double[] {1}, new double[][] {{0, 0}, {1, 1}}, cov));
        assertMessage("means[1]: expected 2 coordinates like means[0], got 1",
                () -> GaussianMixture.full(new double[] {0.5, 0.5}, new double[][] {{0, 0}, {1}}, new double[][][] {cov[0], cov[0]}));
        assertMessage("covariances: expected 1 matrices (one per weight), got 2",
                () -> GaussianMixture.full(new double[] {1}, new double[][] {{0, 0}}, new double[][][] {cov[0], cov[0]}));
        assertMessage("covariances[0]: expected a 2 x 2 matrix, got a row of 1",
                () -> GaussianMixture.full(new double[] {1}, new double[][] {{0, 0}}, new double[][][] {{{1, 0}, {1}}}));
        assertMessage("weights: expected at least one component", () -> GaussianMixture.full(new double[0], new double[0][], new double[0][][]));
        assertMessage("weights", () -> GaussianMixture.full(null, new double[][] {{0, 0}}, cov));
    }

    @Test
    void mostLikelyComponentIsTheArgmaxOfTheResponsibilities() {
        GaussianMixture m = GaussianMixture.full(new double[] {0.5, 0.5}, new double[][] {{-5, 0}, {5, 0}},
                new double[][][] {{{1, 0}, {0, 1}}, {{1, 0}, {0, 1}}});
        INDArray x = Nd4j.createFromArray(new double[][] {{-4, 0}, {6, 1}, {0.5, 0}, {-0.5, 3}});
        INDArray best = m.mostLikelyComponent(x);
        assertEquals(DataType.DOUBLE, best.dataType());
        assertArrayEquals(new double[] {0, 1, 1, 0}, best.toDoubleVector(), 0);
        assertMessage("x", () -> m.mostLikelyComponent(Nd4j.zeros(DataType.DOUBLE, 2, 3)));
    }
}
