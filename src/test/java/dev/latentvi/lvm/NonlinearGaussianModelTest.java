package dev.latentvi.lvm;

import static dev.latentvi.lvm.GaussianMixtureEmTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latentvi.dist.GaussianMixture;
import dev.latentvi.dist.Normal;
import dev.latentvi.math.Estimate;
import dev.latentvi.math.Estimates;
import dev.latentvi.math.Rng;
import dev.latentvi.vi.Bound;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class NonlinearGaussianModelTest {
    // linear decoder f(z) = a z + b: p(x) = N(b, a aᵀ + σ² I), p(z|x) Gaussian in closed form
    static final double[] A = {1.5, -0.5};
    static final double[] B = {0.3, 1.0};
    static final double SIGMA = 0.4;

    static NonlinearGaussianModel linear() {
        INDArray a = Nd4j.createFromArray(new double[][] {A});
        INDArray b = Nd4j.createFromArray(new double[][] {B});
        return NonlinearGaussianModel.of(z -> z.mmul(a).addiRowVector(b), (sd, z) -> z.mul(sd.constant(a)).add(sd.constant(b)), 1, 2, SIGMA);
    }

    static GaussianMixture exactMarginal() {
        double s2 = SIGMA * SIGMA;
        double[][][] cov = {{{A[0] * A[0] + s2, A[0] * A[1]}, {A[0] * A[1], A[1] * A[1] + s2}}};
        return GaussianMixture.full(Nd4j.createFromArray(1.0), Nd4j.createFromArray(new double[][] {B}), Nd4j.createFromArray(cov));
    }

    /** Exact posterior of the linear model: precision 1 + |a|²/σ², mean aᵀ(x − b)/σ² / precision. */
    static Normal exactPosterior(INDArray x) {
        double prec = 1 + (A[0] * A[0] + A[1] * A[1]) / (SIGMA * SIGMA);
        INDArray r = x.subRowVector(Nd4j.createFromArray(B));
        INDArray mean = r.mmul(Nd4j.createFromArray(A).reshape(2, 1)).divi(SIGMA * SIGMA * prec);
        return Normal.of(mean, Nd4j.valueArrayOf(mean.shape(), 1 / Math.sqrt(prec), DataType.DOUBLE));
    }

    @Test
    void quadratureAndPosteriorMatchTheLinearGaussianClosedForm() {
        NonlinearGaussianModel m = linear();
        INDArray x = Rng.seeded(1).normal(5, 2).muli(2);
        assertArrayEquals(exactMarginal().logProb(x).toDoubleVector(), m.logEvidence(x, 4001).toDoubleVector(), 1e-8);
        Normal post = m.posteriorGaussian(x, 4001);
        Normal exact = exactPosterior(x);
        assertArrayEquals(exact.mean().toDoubleVector(), post.mean().reshape(5).toDoubleVector(), 1e-8);
        assertArrayEquals(exact.stddev().reshape(5).toDoubleVector(), post.stddev().reshape(5).toDoubleVector(), 1e-6);
    }

    @Test
    void estimatorsAgreeWithQuadratureWithinTheirStandardErrors() {
        NonlinearGaussianModel m = NonlinearGaussianModel.spiral(0.2);
        INDArray x = m.sample(Rng.seeded(2), 6).x();
        INDArray truth = m.logEvidence(x, 8001);
        Estimates naive = m.naiveMonteCarlo(x, 20_000, Rng.seeded(3));
        Estimates is = m.importanceSampling(x, m.posteriorGaussian(x, 8001), 2_000, Rng.seeded(4));
        for (int i = 0; i < 6; i++) {
            double t = truth.getDouble(i);
            assertEquals(t, naive.get(i).value(), 4 * naive.get(i).standardError() + 1e-3, "naive " + i);
            assertEquals(t, is.get(i).value(), 4 * is.get(i).standardError() + 1e-3, "IS " + i);
        }
        // importance sampling with the exact posterior of the linear model has zero variance
        NonlinearGaussianModel lin = linear();
        INDArray xl = Rng.seeded(5).normal(3, 2);
        Estimates exactIs = lin.importanceSampling(xl, exactPosterior(xl), 50, Rng.seeded(6));
        assertArrayEquals(exactMarginal().logProb(xl).toDoubleVector(), exactIs.values().toDoubleVector(), 1e-10);
        assertTrue(exactIs.standardErrors().amaxNumber().doubleValue() < 1e-10);
    }

    @Test
    void naiveMonteCarloErrorGrowsAsThePosteriorNarrows() {
        double[] x = {0.9, 0.35};
        double wide = relativeError(NonlinearGaussianModel.spiral(0.5), x);
        double narrow = relativeError(NonlinearGaussianModel.spiral(0.02), x);
        assertTrue(narrow > 5 * wide, "narrow " + narrow + " vs wide " + wide);
        // importance sampling with the posterior-matched proposal does not degrade
        NonlinearGaussianModel sharp = NonlinearGaussianModel.spiral(0.02);
        INDArray xp = Nd4j.createFromArray(new double[][] {x});
        Estimate is = sharp.importanceSampling(xp, sharp.posteriorGaussian(xp, 20001), 1000, Rng.seeded(7)).get(0);
        assertTrue(is.standardError() < 0.05, is.toString());
    }

    static double relativeError(NonlinearGaussianModel m, double[] x) {
        return m.naiveMonteCarlo(Nd4j.createFromArray(new double[][] {x}), 1000, Rng.seeded(8)).get(0).standardError();
    }

    @Test
    void samplesAndShapes() {
        NonlinearGaussianModel m = NonlinearGaussianModel.spiral(0.1);
        NonlinearGaussianModel.Samples s = m.sample(Rng.seeded(9), 50);
        assertArrayEquals(new long[] {50, 1}, s.z().shape());
        assertArrayEquals(new long[] {50, 2}, s.x().shape());
        INDArray ll = m.logLikelihoodAllPairs(s.x(), s.z());
        assertArrayEquals(new long[] {50, 50}, ll.shape());
        INDArray paired = m.logLikelihood(s.x(), s.z().reshape(1, 50, 1));
        for (int i = 0; i < 50; i++) {
            assertEquals(ll.getDouble(i, i), paired.getDouble(0, i), 1e-9);
        }
    }

    @Test
    void theBoundsOfTheLatentModelSitBelowTheQuadratureEvidenceAndIwaeClosesTheGap() {
        NonlinearGaussianModel m = NonlinearGaussianModel.spiral(0.2);
        INDArray x = m.sample(Rng.seeded(10), 4).x();
        INDArray truth = m.logEvidence(x).orElseThrow();
        assertArrayEquals(m.logEvidence(x, 20_001).toDoubleVector(), truth.toDoubleVector(), 0.0);
        Normal fitted = m.posteriorGaussian(x, 8001);
        Normal q = Normal.of(fitted.mean(), fitted.stddev().mul(1.5));   // wider than the posterior: the ELBO has a clear gap
        Estimates elbo = Bound.monteCarlo(20_000).estimate(m, q, x, Rng.seeded(11));
        Estimates l1 = Bound.iwae(1).replicas(20_000).estimate(m, q, x, Rng.seeded(12));
        Estimates l256 = Bound.iwae(256).replicas(40).estimate(m, q, x, Rng.seeded(13));
        for (int i = 0; i < 4; i++) {
            double t = truth.getDouble(i);
            assertTrue(elbo.values().getDouble(i) + 4 * elbo.standardErrors().getDouble(i) < t, "ELBO < log p(x), point " + i);
            assertEquals(elbo.values().getDouble(i), l1.values().getDouble(i),
                    4 * Math.hypot(elbo.standardErrors().getDouble(i), l1.standardErrors().getDouble(i)), "L_1 = ELBO, point " + i);
            assertTrue(l256.values().getDouble(i) > elbo.values().getDouble(i), "L_256 > ELBO, point " + i);
            assertTrue(l256.values().getDouble(i) - 4 * l256.standardErrors().getDouble(i) <= t, "L_256 <= log p(x), point " + i);
            assertTrue(t - l256.values().getDouble(i) < (t - elbo.values().getDouble(i)) / 4, "L_256 closes most of the ELBO's gap, point " + i);
            assertEquals(t, l256.values().getDouble(i), 0.05, "L_256 → log p(x), point " + i);
        }
    }

    @Test
    void graphLikelihoodEqualsEagerForBothSampleLayouts() {
        for (NonlinearGaussianModel m : new NonlinearGaussianModel[] {NonlinearGaussianModel.spiral(0.3), linear()}) {
            INDArray x = m.sample(Rng.seeded(14), 3).x();
            for (INDArray z : new INDArray[] {Rng.seeded(15).normal(3, 1), Rng.seeded(16).normal(4, 3, 1)}) {
                SameDiff sd = SameDiff.create();
                INDArray graph = m.logLikelihood(sd, sd.constant(x), sd.constant(z)).eval();
                INDArray eager = m.logLikelihood(x, z);
                assertArrayEquals(eager.shape(), graph.shape());
                assertArrayEquals(eager.reshape(eager.length()).toDoubleVector(), graph.reshape(graph.length()).toDoubleVector(), 1e-10);
            }
        }
    }

    @Test
    void badInputNamesTheArgument() {
        NonlinearGaussianModel m = NonlinearGaussianModel.spiral(0.1);
        assertMessage("sigma:", () -> NonlinearGaussianModel.spiral(0));
        assertMessage("x:", () -> m.naiveMonteCarlo(Nd4j.zeros(DataType.DOUBLE, 3, 3), 10, Rng.seeded(0)));
        assertMessage("x:", () -> m.naiveMonteCarlo(Nd4j.ones(DataType.DOUBLE, 1, 1), 10, Rng.seeded(0)));
        assertMessage("m:", () -> m.naiveMonteCarlo(Nd4j.ones(DataType.DOUBLE, 1, 2), 0, Rng.seeded(0)));
        assertMessage("proposal:", () -> m.importanceSampling(Nd4j.zeros(DataType.DOUBLE, 3, 2), Normal.standard(2), 10, Rng.seeded(0)));
        assertMessage("gridSize:", () -> m.logEvidence(Nd4j.zeros(DataType.DOUBLE, 1, 2), 1));
    }

    @Test
    void pointAndLogEvidenceAtAgreeWithAnIndependentQuadrature() {
        NonlinearGaussianModel spiral = NonlinearGaussianModel.spiral(0.1);
        INDArray point = spiral.point(0.54, 1.06);
        assertArrayEquals(new long[] {1, 2}, point.shape());
        assertEquals(DataType.DOUBLE, point.dataType());
        assertArrayEquals(new double[] {0.54, 1.06}, point.toDoubleVector(), 0);
        // log ∫ N(x; f(z), σ² I) N(z; 0, 1) dz by a plain Riemann sum over [-8, 8]
        int g = 8001;
        double[] z = new double[g];
        for (int k = 0; k < g; k++) {
            z[k] = -8 + 16.0 * k / (g - 1);
        }
        double[][] f = spiral.decode(Nd4j.createFromArray(z).reshape(g, 1)).toDoubleMatrix();
        double s2 = 0.1 * 0.1;
        double sum = 0;
        for (int k = 0; k < g; k++) {
            double d2 = Math.pow(0.54 - f[k][0], 2) + Math.pow(1.06 - f[k][1], 2);
            sum += Math.exp(-d2 / (2 * s2)) / (2 * Math.PI * s2) * Math.exp(-z[k] * z[k] / 2) / Math.sqrt(2 * Math.PI);
        }
        double reference = Math.log(sum * 16.0 / (g - 1));
        double exact = spiral.logEvidenceAt(point, 20001);
        assertEquals(reference, exact, 1e-6);
        assertEquals(spiral.logEvidence(point, 20001).getDouble(0), exact, 0);
    }

    @Test
    void pointAndLogEvidenceAtNameTheBadArgument() {
        NonlinearGaussianModel spiral = NonlinearGaussianModel.spiral(0.1);
        assertMessage("coordinates: expected 2 values (dataDim), got 1", () -> spiral.point(0.5));
        assertMessage("coordinates[1]", () -> spiral.point(0.5, Double.NaN));
        assertMessage("point: expected one observation [1, 2], got shape [2, 2]",
                () -> spiral.logEvidenceAt(Nd4j.zeros(DataType.DOUBLE, 2, 2), 101));
        assertMessage("point", () -> spiral.logEvidenceAt(Nd4j.zeros(DataType.DOUBLE, 1, 3), 101));
    }
}
