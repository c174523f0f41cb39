package dev.latentvi.vi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latentvi.dist.MultivariateNormal;
import dev.latentvi.dist.Normal;
import dev.latentvi.math.Rng;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import tech.tablesaw.api.Table;

/** The small methods that let the notebooks read like a chapter: literal models and points, tables, histories. */
class ChapterHelpersTest {
    private static final LinearGaussian ONE_D = LinearGaussian.of(new double[][] {{1.5}, {-0.8}}, new double[] {0.5, 0.0}, 0.7);

    @Test
    void literalFactoryMatchesTheArrayFactory() {
        LinearGaussian fromArrays = LinearGaussian.of(Nd4j.createFromArray(new double[][] {{1.5}, {-0.8}}), Nd4j.createFromArray(0.5, 0.0), 0.7);
        assertArrayEquals(fromArrays.weights().toDoubleMatrix(), ONE_D.weights().toDoubleMatrix());
        assertArrayEquals(fromArrays.bias().toDoubleVector(), ONE_D.bias().toDoubleVector(), 0.0);
        assertEquals(0.7, ONE_D.noise(), 0.0);
        assertEquals(1, ONE_D.latentDim());
        assertEquals(2, ONE_D.dataDim());
        var e = assertThrows(IllegalArgumentException.class, () -> LinearGaussian.of(new double[][] {{1, 2}, {3}}, new double[] {0, 0}, 1));
        assertTrue(e.getMessage().startsWith("weights:"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LinearGaussian.of(new double[][] {{1}, {2}}, new double[] {0}, 1));
        assertTrue(e.getMessage().startsWith("bias:"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LinearGaussian.of(new double[][] {{1}, {2}}, new double[] {0, 0}, 0));
        assertTrue(e.getMessage().startsWith("noise:"), e.getMessage());
    }

    @Test
    void pointsAreRowsOfTheDataDimension() {
        INDArray x = ONE_D.point(2.3, -1.1);
        assertArrayEquals(new long[] {1, 2}, x.shape());
        assertArrayEquals(new double[] {2.3, -1.1}, x.toDoubleVector(), 0.0);
        INDArray four = ONE_D.points(new double[][] {{-1.5, 1.0}, {0.2, 0.3}, {1.6, -0.2}});
        assertArrayEquals(new long[] {3, 2}, four.shape());
        assertEquals(1.6, four.getDouble(2, 0), 0.0);
        var e = assertThrows(IllegalArgumentException.class, () -> ONE_D.point(1.0));
        assertTrue(e.getMessage().startsWith("coordinates:"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ONE_D.point(1.0, Double.NaN));
        assertTrue(e.getMessage().startsWith("coordinates[1]:"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ONE_D.points(new double[][] {{1, 2}, {3}}));
        assertTrue(e.getMessage().startsWith("rows:"), e.getMessage());
    }

    @Test
    void logEvidenceOfOnePointIsTheMarginalGaussianDensity() {
        // p(x) = N(b, w wᵀ + σ² I) with w = (1.5, -0.8), b = (0.5, 0), σ = 0.7
        double s2 = 0.49;
        double c11 = 2.25 + s2, c12 = -1.2, c22 = 0.64 + s2;
        double det = c11 * c22 - c12 * c12;
        double r1 = 2.3 - 0.5, r2 = -1.1;
        double quad = (c22 * r1 * r1 - 2 * c12 * r1 * r2 + c11 * r2 * r2) / det;
        double expected = -0.5 * (2 * Math.log(2 * Math.PI) + Math.log(det) + quad);
        assertEquals(expected, ONE_D.logEvidenceOf(ONE_D.point(2.3, -1.1)), 1e-12);
        INDArray two = ONE_D.points(new double[][] {{2.3, -1.1}, {0.0, 0.0}});
        INDArray each = ONE_D.logEvidence(two).orElseThrow();
        assertEquals((each.getDouble(0) + each.getDouble(1)) / 2, ONE_D.meanLogEvidence(two), 1e-12);
        var e = assertThrows(IllegalArgumentException.class, () -> ONE_D.logEvidenceOf(two));
        assertTrue(e.getMessage().startsWith("x:"), e.getMessage());
        SquaredLatentModel noEvidence = SquaredLatentModel.of(0.3);
        e = assertThrows(IllegalArgumentException.class, () -> noEvidence.logEvidenceOf(noEvidence.point(2.0)));
        assertTrue(e.getMessage().startsWith("model:"), e.getMessage());
    }

    @Test
    void surfaceTakesSigmaFloorsAndSplitsTheElboIntoItsTerms() {
        INDArray x = ONE_D.point(2.3, -1.1);
        MultivariateNormal post = ONE_D.posterior(x).orElseThrow();
        double muStar = post.mean().getDouble(0, 0), sigmaStar = post.stddev().getDouble(0, 0);
        double logPx = ONE_D.logEvidenceOf(x);
        double[] sigmas = {2.0, sigmaStar, 0.1};
        double[] viaSigma = ElboSurface.of(ONE_D, x).mu(muStar).sigma(sigmas).slice();
        double[] viaLog = ElboSurface.of(ONE_D, x).mu(muStar).logSigma(Math.log(2.0), Math.log(sigmaStar), Math.log(0.1)).slice();
        assertArrayEquals(viaLog, viaSigma, 0.0);
        assertEquals(logPx, viaSigma[1], 1e-10);   // the ELBO is tight at the exact posterior
        Table t = ElboSurface.of(ONE_D, x).mu(muStar).sigma(sigmas).terms();
        assertEquals(List.of("σ", "E_q[log p(x, z)] = ELBO − H(q)", "H(q)", "ELBO"), t.columnNames());
        for (int j = 0; j < sigmas.length; j++) {
            double h = 0.5 * Math.log(2 * Math.PI * Math.E * sigmas[j] * sigmas[j]);
            assertEquals(sigmas[j], t.doubleColumn("σ").get(j), 0.0);
            assertEquals(h, t.doubleColumn("H(q)").get(j), 1e-12);
            assertEquals(viaSigma[j], t.doubleColumn("ELBO").get(j), 0.0);
            assertEquals(viaSigma[j] - h, t.doubleColumn("E_q[log p(x, z)] = ELBO − H(q)").get(j), 1e-12);
        }
        Table alongMu = ElboSurface.of(ONE_D, x).mu(-1, 0, 1).logSigma(0.0).terms();
        assertEquals("μ", alongMu.columnNames().get(0));
        assertEquals(0.5 * Math.log(2 * Math.PI * Math.E), alongMu.doubleColumn("H(q)").get(2), 1e-12);

        double[] mus = {-2.5, muStar, 2.0};
        double[] logSigmas = {-3.0, Math.log(sigmaStar), 1.0};
        double[][] raw = ElboSurface.of(ONE_D, x).mu(mus).logSigma(logSigmas).grid();
        double[][] floored = ElboSurface.of(ONE_D, x).mu(mus).logSigma(logSigmas).floor(logPx - 15).grid();
        for (int j = 0; j < raw.length; j++) {
            for (int i = 0; i < raw[j].length; i++) {
                assertEquals(Math.max(raw[j][i], logPx - 15), floored[j][i], 0.0);
            }
        }
        assertTrue(raw[0][0] < logPx - 15, "the corner lies below the floor: " + raw[0][0]);
        var e = assertThrows(IllegalArgumentException.class, () -> ElboSurface.of(ONE_D, x).sigma(1.0, 0.0));
        assertTrue(e.getMessage().startsWith("sigma[1]:"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ElboSurface.of(ONE_D, x).floor(Double.NaN));
        assertTrue(e.getMessage().startsWith("min:"), e.getMessage());
    }

    @Test
    void pointwiseViStartsFromScalarsAndReportsHistoryAndFit() {
        INDArray four = ONE_D.points(new double[][] {{-1.5, 1.0}, {0.2, 0.3}, {1.6, -0.2}, {3.5, -2.0}});
        PointwiseVi.Result fit = PointwiseVi.of(ONE_D, four).init(-2.0, 0.75).samples(16).steps(200).recordPath(true).fit(Rng.seeded(3));
        assertEquals(-2.0, fit.pathMu(3, 0)[0], 0.0);
        assertEquals(0.75, fit.pathLogSigma(3, 0)[0], 0.0);
        Table h = fit.history();
        assertEquals(200, h.rowCount());
        assertEquals(0, h.intColumn("step").get(0));
        assertEquals(199, h.intColumn("step").get(199));
        assertArrayEquals(fit.elboTrace(), h.doubleColumn("ELBO").asDoubleArray(), 0.0);

        MultivariateNormal exact = ONE_D.posterior(four).orElseThrow();
        Table t = fit.against(exact);
        assertEquals(List.of("point", "exact mean", "VI mean", "exact σ", "VI σ"), t.columnNames());
        for (int i = 0; i < 4; i++) {
            assertEquals(exact.mean().getDouble(i, 0), t.doubleColumn("exact mean").get(i), 0.0);
            assertEquals(fit.mu().getDouble(i, 0), t.doubleColumn("VI mean").get(i), 0.0);
            assertEquals(Math.exp(fit.logSigma().getDouble(i, 0)), t.doubleColumn("VI σ").get(i), 1e-15);
            assertEquals(exact.mean().getDouble(i, 0), t.doubleColumn("VI mean").get(i), 0.05);
            assertEquals(exact.stddev().getDouble(i, 0), t.doubleColumn("VI σ").get(i), 0.05);
        }
        var e = assertThrows(IllegalArgumentException.class, () -> PointwiseVi.of(ONE_D, four).init(Double.NaN, 0));
        assertTrue(e.getMessage().startsWith("mu:"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> fit.against(ONE_D.posterior(four.getRow(0, true)).orElseThrow()));
        assertTrue(e.getMessage().startsWith("exact:"), e.getMessage());
    }

    @Test
    void amortizedHistoryCountsEpochsFromOne() {
        AmortizedVi.Encoder enc = AmortizedVi.of(ONE_D).hidden(4).epochs(3).batchSize(16).fit(ONE_D.sample(Rng.seeded(4), 32).x(), Rng.seeded(5));
        Table h = enc.elboHistory();
        assertEquals(List.of("epoch", "ELBO"), h.columnNames());
        assertEquals(3, h.rowCount());
        assertEquals(1, h.intColumn("epoch").get(0));
        assertArrayEquals(enc.elboTrace(), h.doubleColumn("ELBO").asDoubleArray(), 0.0);
    }

    @Test
    void gradientEstimateEntriesAndSummaries() {
        // per-sample terms for (μ, log σ) of a one-dimensional Normal: columns (1, 3) and (2, 6)
        GradientEstimate g = GradientEstimate.normal(Nd4j.createFromArray(new double[][] {{1, 2}, {3, 6}}));
        assertEquals(2.0, g.mu(0), 0.0);
        assertEquals(4.0, g.logSigma(0), 0.0);
        assertEquals(2.0, g.variance(0), 1e-12);
        assertEquals(8.0, g.variance(1), 1e-12);
        assertEquals(10.0, g.totalVariance(), 1e-12);
        // standard errors √(2/2) = 1 and √(8/2) = 2: |2 − 2| / 1 = 0, |4 − 0| / 2 = 2
        assertEquals(2.0, g.maxStandardizedBias(new double[] {2, 0}), 1e-12);
        var e = assertThrows(IllegalArgumentException.class, () -> g.mu(1));
        assertTrue(e.getMessage().startsWith("j:"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> g.maxStandardizedBias(new double[] {1}));
        assertTrue(e.getMessage().startsWith("exact:"), e.getMessage());

        GradientEstimate logits = GradientEstimate.logits(Nd4j.createFromArray(new double[][] {{0, 1}, {2, 1}}));
        Map<String, GradientEstimate> named = new LinkedHashMap<>();
        named.put("b", logits);
        named.put("a", g);
        Table t = DiscreteGradients.table("two estimators", named, new double[] {1, 0});
        assertEquals(List.of("estimator", "per-sample variance (sum over logits)", "|bias| / SE (max over logits)"), t.columnNames());
        assertEquals("b", t.stringColumn("estimator").get(0));
        assertEquals(2.0, t.doubleColumn("per-sample variance (sum over logits)").get(0), 1e-12);
        assertEquals(Double.POSITIVE_INFINITY, t.doubleColumn("|bias| / SE (max over logits)").get(0));   // zero spread, bias 1
        assertEquals(10.0, t.doubleColumn("per-sample variance (sum over logits)").get(1), 1e-12);
        e = assertThrows(IllegalArgumentException.class, () -> DiscreteGradients.table("t", Map.of(), new double[] {1}));
        assertTrue(e.getMessage().startsWith("estimates:"), e.getMessage());
    }

    @Test
    void klComparisonGivesBothDirections() {
        Table t = KlComparison.to(Normal.of(0, 1)).fit("wide", Normal.of(1, 2)).fit("exact", Normal.of(0, 1)).table("fits");
        assertEquals(List.of("fit", "mean", "σ", "KL(q || p)", "KL(p || q)"), t.columnNames());
        assertEquals(1.0, t.doubleColumn("mean").get(0), 0.0);
        assertEquals(2.0, t.doubleColumn("σ").get(0), 1e-15);
        assertEquals(Math.log(0.5) + 2.5 - 0.5, t.doubleColumn("KL(q || p)").get(0), 1e-12);   // log(σp/σq) + (σq² + Δ²)/(2σp²) − ½
        assertEquals(Math.log(2) + 2.0 / 8 - 0.5, t.doubleColumn("KL(p || q)").get(0), 1e-12);
        assertEquals(0.0, t.doubleColumn("KL(q || p)").get(1), 1e-12);
        var e = assertThrows(IllegalArgumentException.class, () -> KlComparison.to(Normal.standard(2)));
        assertTrue(e.getMessage().startsWith("target:"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> KlComparison.to(Normal.of(0, 1)).table("empty"));
        assertTrue(e.getMessage().startsWith("fits:"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> KlComparison.to(Normal.of(0, 1)).fit("a", Normal.of(0, 1)).fit("a", Normal.of(1, 1)));
        assertTrue(e.getMessage().startsWith("name:"), e.getMessage());
    }

    @Test
    void totalGapIsEvidenceMinusAmortizedElbo() {
        AmortizationGap gap = new AmortizationGap(Nd4j.createFromArray(-1.0, -2.0), Nd4j.createFromArray(-1.25, -2.5),
                Nd4j.createFromArray(-1.5, -3.0), Nd4j.createFromArray(-1.2, -2.4));
        assertArrayEquals(new double[] {0.5, 1.0}, gap.totalGap().toDoubleVector(), 1e-15);
        Table t = gap.table();
        assertEquals(1.0, t.doubleColumn("total gap").get(1), 1e-15);
        // against q* (the best diagonal, ELBO −2.4 at point 1): approximation 0.4, amortization 0.6, per-point VI 0.1 short
        assertEquals(0.4, t.doubleColumn("approximation gap").get(1), 1e-12);
        assertEquals(0.6, t.doubleColumn("amortization gap").get(1), 1e-12);
        assertEquals(0.1, t.doubleColumn("per-point VI short of q*").get(1), 1e-12);
        assertEquals(t.doubleColumn("total gap").get(0), t.doubleColumn("approximation gap").get(0) + t.doubleColumn("amortization gap").get(0), 1e-12);
    }
}
