package dev.latentvi.vi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latentvi.dist.GridDensity;
import dev.latentvi.dist.Kl;
import dev.latentvi.dist.MultivariateNormal;
import dev.latentvi.dist.Normal;
import dev.latentvi.math.Rng;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class GridAndSurfaceTest {
    private static final LinearGaussian ONE_D = LinearGaussian.of(Nd4j.createFromArray(new double[][] {{1.2}, {-0.7}}),
            Nd4j.createFromArray(0.3, 0.1), 0.6);
    private static final INDArray X = Nd4j.createFromArray(new double[][] {{1.5, -0.4}});

    @Test
    void gridPosteriorMatchesTheExactLinearGaussianPosterior() {
        GridDensity grid = GridPosterior.of(ONE_D, X, -8, 8, 4001);
        MultivariateNormal exact = ONE_D.posterior(X).orElseThrow();
        assertEquals(ONE_D.logEvidence(X).orElseThrow().getDouble(0), grid.logNormalizer(), 1e-8);
        assertEquals(exact.mean().getDouble(0, 0), grid.mean().getDouble(0), 1e-8);
        assertEquals(exact.stddev().getDouble(0, 0), grid.stddev().getDouble(0), 1e-8);
        Normal q = Normal.of(0.2, 0.4);
        assertEquals(Kl.divergence(q, exact).getDouble(0), Kl.divergence(q, grid).getDouble(0), 1e-6);
        assertEquals(0.0, Kl.divergence(grid, grid.momentMatch()).getDouble(0), 1e-6);
    }

    @Test
    void surfaceIsExactForTheLinearGaussianAndMatchesMonteCarloOtherwise() {
        double[] mus = {-0.5, 0.0, 0.5, 1.0};
        double[] logSigmas = {-1.5, -0.5, 0.5};
        double[][] exact = ElboSurface.of(ONE_D, X).mu(mus).logSigma(logSigmas).grid();
        double logPx = ONE_D.logEvidence(X).orElseThrow().getDouble(0);
        MultivariateNormal post = ONE_D.posterior(X).orElseThrow();
        for (int j = 0; j < logSigmas.length; j++) {
            for (int i = 0; i < mus.length; i++) {
                double kl = Kl.divergence(Normal.of(mus[i], Math.exp(logSigmas[j])), post).getDouble(0);
                assertEquals(logPx - kl, exact[j][i], 1e-10);
                assertTrue(exact[j][i] <= logPx);
            }
        }
        // the same surface by Monte Carlo, through a model that hides its exact posterior
        LatentModel opaque = new LatentModel() {
            public int latentDim() {
                return 1;
            }

            public int dataDim() {
                return 2;
            }

            public INDArray logLikelihood(INDArray x, INDArray z) {
                return ONE_D.logLikelihood(x, z);
            }

            public org.nd4j.autodiff.samediff.SDVariable logLikelihood(org.nd4j.autodiff.samediff.SameDiff sd,
                    org.nd4j.autodiff.samediff.SDVariable x, org.nd4j.autodiff.samediff.SDVariable z) {
                return ONE_D.logLikelihood(sd, x, z);
            }
        };
        double[][] mc = ElboSurface.of(opaque, X).mu(mus).logSigma(logSigmas).monteCarlo(20000, Rng.seeded(1)).grid();
        for (int j = 0; j < logSigmas.length; j++) {
            for (int i = 0; i < mus.length; i++) {
                assertEquals(exact[j][i], mc[j][i], 0.05 * Math.max(1, Math.abs(exact[j][i])));
            }
        }
    }

    @Test
    void squaredModelHasABimodalPosteriorAndReverseKlIsModeSeeking() {
        SquaredLatentModel model = SquaredLatentModel.of(0.3);
        INDArray x = Nd4j.createFromArray(new double[][] {{2.0}});
        GridDensity post = GridPosterior.of(model, x, -4, 4, 2001);
        assertEquals(0.0, post.mean().getDouble(0), 1e-6);                    // symmetric: the modes ±√2 cancel
        assertTrue(post.stddev().getDouble(0) > 1.2, "mass at both modes: std " + post.stddev().getDouble(0));
        PointwiseVi.Result fit = PointwiseVi.of(model, x).init(Nd4j.createFromArray(new double[][] {{0.5}}), Nd4j.zeros(1, 1))
                .samples(64).steps(300).fit(Rng.seeded(2));
        Normal reverse = fit.q();
        Normal forward = post.momentMatch();
        assertEquals(Math.sqrt(2), Math.abs(reverse.mean().getDouble(0)), 0.15);   // locks onto one of the modes ±√2
        assertTrue(Kl.divergence(reverse, post).getDouble(0) < Kl.divergence(forward, post).getDouble(0),
                "reverse-KL fit has the smaller reverse KL");
        assertTrue(Kl.divergence(post, forward).getDouble(0) < Kl.divergence(post, reverse).getDouble(0),
                "moment matching has the smaller forward KL");
    }

    @Test
    void badInputIsRejected() {
        var e = assertThrows(IllegalArgumentException.class, () -> GridPosterior.of(ONE_D, X, 1, -1, 100));
        assertTrue(e.getMessage().startsWith("hi:"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> GridPosterior.of(LinearGaussian.random(2, 2, 1, 1, Rng.seeded(0)), X, -1, 1, 100));
        assertTrue(e.getMessage().startsWith("model:"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SquaredLatentModel.of(0));
        assertTrue(e.getMessage().startsWith("noise:"), e.getMessage());
    }
}
