package dev.latentvi.vi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latentvi.dist.MultivariateNormal;
import dev.latentvi.dist.Normal;
import dev.latentvi.math.Rng;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

class PointwiseViTest {
    /** Tolerance on posterior means and standard deviations after optimization. */
    private static final double TOL = 0.03;

    private static void assertClose(INDArray expected, INDArray actual, double tol, String what) {
        double[] e = expected.reshape(expected.length()).toDoubleVector();
        double[] a = actual.reshape(actual.length()).toDoubleVector();
        for (int i = 0; i < e.length; i++) {
            assertEquals(e[i], a[i], tol, what + " entry " + i);
        }
    }

    @Test
    void closedFormGradientsTrainLikeSameDiff() {
        LinearGaussian line = LinearGaussian.random(5, 2, 1.0, 0.6, Rng.seeded(3));
        INDArray x = line.sample(Rng.seeded(4), 6).x();
        SquaredLatentModel squared = SquaredLatentModel.of(0.3);
        INDArray xs = squared.points(new double[][] {{2.0}, {0.5}, {1.2}});
        for (Object[] c : new Object[][] {{line, x, 16}, {line, x.getRow(0, true), 4}, {squared, xs, 64}}) {
            LatentModel model = (LatentModel) c[0];
            INDArray data = (INDArray) c[1];
            PointwiseVi vi = PointwiseVi.of(model, data).samples((Integer) c[2]).steps(60).learningRate(0.1).init(0.5, -0.3);
            PointwiseVi.Result fast = vi.fit(Rng.seeded(5));
            PointwiseVi.Result graph = vi.sameDiffGradients(true).fit(Rng.seeded(5));
            assertClose(graph.mu(), fast.mu(), 1e-9, model + " mu");
            assertClose(graph.logSigma(), fast.logSigma(), 1e-9, model + " logSigma");
            double[] a = graph.elboTrace(), b = fast.elboTrace();
            for (int t = 0; t < a.length; t++) {
                assertEquals(a[t], b[t], 1e-9 * Math.max(1, Math.abs(a[t])), model + " ELBO at step " + t);
            }
            assertTrue(Math.abs(fast.mu().getDouble(0, 0) - 0.5) > 0.05, "the fit moved");
        }
    }

    @Test
    void scoresAreTheGradientsOfTheLogJoint() {
        LinearGaussian line = LinearGaussian.random(4, 3, 1.0, 0.7, Rng.seeded(6));
        INDArray x = line.sample(Rng.seeded(7), 2).x();
        INDArray z = Rng.seeded(8).normal(3, 2, 3);
        INDArray score = line.score(x, z).orElseThrow();
        double h = 1e-6;
        for (int s = 0; s < 3; s++) {
            for (int i = 0; i < 2; i++) {
                for (int j = 0; j < 3; j++) {
                    INDArray up = z.dup(), down = z.dup();
                    up.putScalar(new int[] {s, i, j}, z.getDouble(s, i, j) + h);
                    down.putScalar(new int[] {s, i, j}, z.getDouble(s, i, j) - h);
                    double numeric = (line.logJoint(x, up).getDouble(s, i) - line.logJoint(x, down).getDouble(s, i)) / (2 * h);
                    assertEquals(numeric, score.getDouble(s, i, j), 1e-6 * Math.max(1, Math.abs(numeric)), "∂/∂z[" + s + "," + i + "," + j + "]");
                }
            }
        }
        SquaredLatentModel squared = SquaredLatentModel.of(0.3);
        INDArray xs = squared.point(2.0);
        INDArray zs = Nd4j.createFromArray(0.7).reshape(1, 1, 1);
        double expected = 2 * 0.7 * (2.0 - 0.49) / 0.09 - 0.7;
        assertEquals(expected, squared.score(xs, zs).orElseThrow().getDouble(0, 0, 0), 1e-12);
    }

    @Test
    void recoversTheExactPosteriorWhenItIsDiagonal() {
        LinearGaussian model = LinearGaussian.of(Nd4j.createFromArray(new double[][] {{1.5, 0}, {0, -0.8}, {0, 0}}),
                Nd4j.createFromArray(0.5, -0.5, 0.0), 0.5);
        INDArray x = model.sample(Rng.seeded(1), 8).x();
        PointwiseVi.Result fit = PointwiseVi.of(model, x).samples(128).steps(300).learningRate(0.1).decayTo(0.02).fit(Rng.seeded(2));
        MultivariateNormal post = model.posterior(x).orElseThrow();
        assertClose(post.mean(), fit.mu(), TOL, "posterior mean");
        assertClose(post.stddev(), Transforms.exp(fit.logSigma()), TOL, "posterior sigma");
        assertEquals(2, fit.history().columnCount(), "no exact column without a recorded path");
        double[] trace = fit.elboTrace();
        assertTrue(trace[trace.length - 1] > trace[0] + 1, "the ELBO rose: " + trace[0] + " -> " + trace[trace.length - 1]);
    }

    @Test
    void findsTheMeanFieldOptimumForACorrelatedPosterior() {
        LinearGaussian model = LinearGaussian.random(4, 2, 1.0, 0.7, Rng.seeded(3));
        INDArray x = model.sample(Rng.seeded(4), 5).x();
        PointwiseVi.Result fit = PointwiseVi.of(model, x).samples(128).steps(300).learningRate(0.1).decayTo(0.02).recordPath(true).fit(Rng.seeded(5));
        Normal meanField = model.posterior(x).orElseThrow().meanField();
        assertClose(meanField.mean(), fit.mu(), TOL, "mean");
        assertClose(meanField.stddev(), Transforms.exp(fit.logSigma()), TOL, "sigma");
        assertEquals(301, fit.pathMu(0, 1).length);
        assertEquals(0.0, fit.pathLogSigma(0, 0)[0], 0.0);
        assertEquals(fit.mu().getDouble(2, 1), fit.pathMu(2, 1)[300], 0.0);
        assertEquals(fit.mu(), fit.qAfter(300).mean());
        assertEquals(fit.pathMu(1, 0)[7], fit.qAfter(7).mean().getDouble(1, 0), 0.0);
        assertEquals(Math.exp(fit.pathLogSigma(1, 0)[7]), fit.qAfter(7).stddev().getDouble(1, 0), 1e-12);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> fit.qAfter(301));
        // the exact ELBO of each step's q: below the mean log-evidence always, and log p(x) − KL of the recorded q
        tech.tablesaw.api.Table history = fit.history();
        double meanLogPx = model.logEvidence(x).orElseThrow().meanNumber().doubleValue();
        double[] exact = history.doubleColumn("exact ELBO").asDoubleArray();
        assertEquals(300, exact.length);
        for (double e : exact) {
            assertTrue(e <= meanLogPx, "exact ELBO " + e + " <= log p(x) " + meanLogPx);
        }
        double kl = dev.latentvi.dist.Kl.divergence(model.posterior(x).orElseThrow().meanField(), model.posterior(x).orElseThrow())
                .meanNumber().doubleValue();
        assertEquals(meanLogPx - kl, exact[299], 0.01, "ends at the mean-field optimum's ELBO");
        assertTrue(exact[0] < exact[299] - 1, "rose from the start: " + exact[0] + " -> " + exact[299]);
    }

    @Test
    void sgdAlsoConverges() {
        LinearGaussian model = LinearGaussian.of(Nd4j.createFromArray(new double[][] {{1.0}, {2.0}}), Nd4j.zeros(2), 1.0);
        INDArray x = Nd4j.createFromArray(new double[][] {{1.0, 1.0}});
        PointwiseVi.Result fit = PointwiseVi.of(model, x).optimizer(PointwiseVi.Optimizer.SGD).samples(16).steps(400)
                .learningRate(0.02).fit(Rng.seeded(6));
        // precision 1 + 1 + 4 = 6, mean (1 + 2)/6
        assertEquals(0.5, fit.mu().getDouble(0, 0), TOL);
        assertEquals(Math.sqrt(1 / 6.0), Math.exp(fit.logSigma().getDouble(0, 0)), TOL);
    }

    @Test
    void anyBoundTrainsAndTheSameSeedGivesTheSameFit() {
        LinearGaussian model = LinearGaussian.of(Nd4j.createFromArray(new double[][] {{1.0}, {2.0}}), Nd4j.zeros(2), 1.0);
        INDArray x = Nd4j.createFromArray(new double[][] {{1.0, 1.0}, {0.5, -1.0}});
        for (Bound bound : new Bound[] {Bound.analyticKl(16), Bound.allSampled(16)}) {
            PointwiseVi vi = PointwiseVi.of(model, x).bound(bound).steps(200).learningRate(0.1).decayTo(0.02);
            PointwiseVi.Result fit = vi.fit(Rng.seeded(7));
            // precision 1 + 1 + 4 = 6, means (x1 + 2 x2)/6
            assertEquals(0.5, fit.mu().getDouble(0, 0), TOL, bound.toString());
            assertEquals(-0.25, fit.mu().getDouble(1, 0), TOL, bound.toString());
            assertEquals(Math.sqrt(1 / 6.0), Math.exp(fit.logSigma().getDouble(0, 0)), TOL, bound.toString());
        }
        PointwiseVi brief = PointwiseVi.of(model, x).bound(Bound.iwae(4)).steps(20);
        assertEquals(brief.fit(Rng.seeded(8)).mu(), brief.fit(Rng.seeded(8)).mu(), "deterministic for a seed");
    }

    @Test
    void graphsWorkForEveryShapeIncludingOneDimensionalLatentAndData() {
        // SameDiff M2.1 trips over size-1 reductions and 1×1 matmuls: sweep the small shapes
        for (int d : new int[] {1, 2}) {
            for (int dataDim : new int[] {1, 3}) {
                LinearGaussian model = LinearGaussian.random(dataDim, d, 1.0, 0.7, Rng.seeded(3));
                for (int n : new int[] {1, 2}) {
                    INDArray x = model.sample(Rng.seeded(4), n).x();
                    for (int m : new int[] {1, 3}) {
                        PointwiseVi.of(model, x).samples(m).steps(2).fit(Rng.seeded(5));
                        INDArray z = Rng.seeded(6).normal(m, d);
                        MultivariateNormal post = model.posterior(x.getRow(0, true)).orElseThrow();
                        INDArray precision = org.nd4j.linalg.inverse.InvertMatrix.invert(post.covariance(), false);
                        INDArray expected = z.subRowVector(post.mean()).mmul(precision).negi();
                        INDArray actual = Objective.logJoint(model, x.getRow(0)).gradient(z);
                        assertClose(expected, actual, 1e-8, "gradient d=" + d + " D=" + dataDim + " n=" + n + " m=" + m);
                    }
                }
            }
        }
    }

    @Test
    void badInputIsRejected() {
        LinearGaussian model = LinearGaussian.random(3, 2, 1.0, 0.5, Rng.seeded(0));
        var e = assertThrows(IllegalArgumentException.class, () -> PointwiseVi.of(model, Nd4j.ones(2, 4)));
        assertTrue(e.getMessage().startsWith("x:"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PointwiseVi.of(model, Nd4j.ones(2, 3)).learningRate(-1));
        assertTrue(e.getMessage().startsWith("learningRate:"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PointwiseVi.of(model, Nd4j.ones(2, 3)).init(Nd4j.zeros(3, 2), Nd4j.zeros(3, 2)));
        assertTrue(e.getMessage().contains("expected 2 rows"), e.getMessage());
        PointwiseVi.Result fit = PointwiseVi.of(model, Nd4j.ones(1, 3)).steps(2).fit(Rng.seeded(1));
        assertThrows(IllegalStateException.class, () -> fit.pathMu(0, 0));
    }
}
