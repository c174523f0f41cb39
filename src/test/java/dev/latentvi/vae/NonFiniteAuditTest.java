package dev.latentvi.vae;

import static org.junit.jupiter.api.Assertions.*;

import dev.latentvi.dist.Bernoulli;
import dev.latentvi.dist.Categorical;
import dev.latentvi.dist.GaussianMixture;
import dev.latentvi.dist.GridDensity;
import dev.latentvi.dist.Kl;
import dev.latentvi.dist.MultivariateNormal;
import dev.latentvi.dist.Normal;
import dev.latentvi.lvm.GaussianMixtureEm;
import dev.latentvi.lvm.MixtureDensityNetwork;
import dev.latentvi.lvm.NonlinearGaussianModel;
import dev.latentvi.math.Estimates;
import dev.latentvi.math.Grid;
import dev.latentvi.math.LogMath;
import dev.latentvi.math.Rng;
import dev.latentvi.nn.Fit;
import dev.latentvi.nn.MlpRegressor;
import dev.latentvi.vi.Bound;
import dev.latentvi.vi.LinearGaussian;
import dev.latentvi.vi.PointwiseVi;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The NaN/∞ audit of the public entry points: each one is called with a NaN and with a +∞ in the
 * named argument and must reject it with {@link IllegalArgumentException} naming that argument
 * (the few documented exceptions, where ±∞ is a meaningful input, are listed with their result).
 * The table printed is the audit list of issue 15.
 */
class NonFiniteAuditTest {
    interface Call {
        Object run(double bad) throws Exception;
    }

    private static INDArray with(INDArray a, double bad) {
        INDArray c = a.dup();
        c.putScalar(0, bad);
        return c;
    }

    private static double[] with(double[] a, double bad) {
        double[] c = a.clone();
        c[0] = bad;
        return c;
    }

    static Map<String, Object[]> entries() {
        Rng rng = Rng.seeded(0);
        INDArray x2 = rng.normal(4, 2);
        INDArray pix = rng.uniform(4, 2);
        Normal q = Normal.of(Nd4j.zeros(DataType.DOUBLE, 4, 2), Nd4j.ones(DataType.DOUBLE, 4, 2));
        LinearGaussian lg = LinearGaussian.random(2, 2, 1, 0.5, rng);
        GaussianMixture gmm = GaussianMixture.diagonal(Nd4j.createFromArray(0.5, 0.5), Nd4j.createFromArray(new double[][] {{0, 0}, {1, 1}}),
                Nd4j.ones(DataType.DOUBLE, 2, 2));
        Vae vae = Vae.builder().input(2).latent(2).hidden(3).build(Rng.seeded(1));
        Vae gvae = Vae.builder().input(2).latent(2).hidden(3).gaussianDecoder(0.1).build(Rng.seeded(1));
        MixtureDensityNetwork mdn = MixtureDensityNetwork.builder().input(2).output(1).components(2).hidden(4).build(Rng.seeded(2));
        MlpRegressor mlp = MlpRegressor.builder().input(2).output(1).hidden(4).build(Rng.seeded(3));
        INDArray y1 = rng.normal(4, 1);
        Map<String, Object[]> m = new LinkedHashMap<>();
        m.put("LogMath.logSumExp(x, axis)", new Object[] {"x", (Call) b -> LogMath.logSumExp(with(x2, b), 1)});
        m.put("LogMath.logSumExp(double...)", new Object[] {"values", (Call) b -> LogMath.logSumExp(b, 0.0)});
        m.put("LogMath.log1mexp(x)", new Object[] {"x", (Call) b -> LogMath.log1mexp(with(x2.neg().subi(1), b))});
        m.put("Estimates.mean(samples)", new Object[] {"samples", (Call) b -> Estimates.mean(with(x2, b))});
        m.put("Estimates.logMeanExp(logWeights)", new Object[] {"logWeights", (Call) b -> Estimates.logMeanExp(with(x2, b))});
        m.put("Grid.linspace(lo, hi, n)", new Object[] {"lo", (Call) b -> Grid.linspace(b, 1, 5)});
        m.put("Normal.of(mu, sigma)", new Object[] {"mu", (Call) b -> Normal.of(with(x2, b), Nd4j.ones(DataType.DOUBLE, 4, 2))});
        m.put("Normal.of(mu, sigma) sigma", new Object[] {"sigma", (Call) b -> Normal.of(x2, with(Nd4j.ones(DataType.DOUBLE, 4, 2), b))});
        m.put("Normal.logProb(x)", new Object[] {"x", (Call) b -> q.logProb(with(x2, b))});
        m.put("Normal.rsample(eps)", new Object[] {"eps", (Call) b -> q.rsample(with(x2, b))});
        m.put("MultivariateNormal.of(mean, cov)", new Object[] {"mean", (Call) b -> MultivariateNormal.of(with(x2, b), Nd4j.eye(2).castTo(DataType.DOUBLE))});
        m.put("MultivariateNormal.of(mean, cov) cov", new Object[] {"covariance", (Call) b -> MultivariateNormal.of(x2, with(Nd4j.eye(2).castTo(DataType.DOUBLE), b))});
        m.put("MultivariateNormal.logProb(x)", new Object[] {"x", (Call) b -> MultivariateNormal.of(x2, Nd4j.eye(2).castTo(DataType.DOUBLE)).logProb(with(x2, b))});
        m.put("Bernoulli.ofLogits(logits)", new Object[] {"logits", (Call) b -> Bernoulli.ofLogits(with(x2, b))});
        m.put("Bernoulli.ofProbs(probs)", new Object[] {"probs", (Call) b -> Bernoulli.ofProbs(with(pix, b))});
        m.put("Bernoulli.logProb(x)", new Object[] {"x", (Call) b -> Bernoulli.ofLogits(x2).logProb(with(pix, b))});
        m.put("Categorical.ofLogits(logits)", new Object[] {"logits", (Call) b -> Categorical.ofLogits(with(x2, b))});
        m.put("Categorical.ofProbs(probs)", new Object[] {"probs", (Call) b -> Categorical.ofProbs(with(pix, b))});
        m.put("GridDensity.of(lo, hi, logValues)", new Object[] {"logValues", (Call) b -> GridDensity.of(0, 1, with(new double[] {0, 1, 2}, b))});
        m.put("GaussianMixture.diagonal(weights, ..)", new Object[] {"weights", (Call) b -> GaussianMixture.diagonal(with(Nd4j.createFromArray(0.5, 0.5), b),
                Nd4j.zeros(DataType.DOUBLE, 2, 2), Nd4j.ones(DataType.DOUBLE, 2, 2))});
        m.put("GaussianMixture.logProb(x)", new Object[] {"x", (Call) b -> gmm.logProb(with(x2, b))});
        m.put("GaussianMixture.responsibilities(x)", new Object[] {"x", (Call) b -> gmm.responsibilities(with(x2, b))});
        m.put("GaussianMixtureEm.fit(x, rng)", new Object[] {"x", (Call) b -> GaussianMixtureEm.withComponents(2).progress(false).fit(with(x2, b), Rng.seeded(1))});
        m.put("Kl.divergence(q, p)", new Object[] {"mu", (Call) b -> Kl.divergence(Normal.of(with(x2, b), Nd4j.ones(DataType.DOUBLE, 4, 2)), q)});
        m.put("LinearGaussian.of(W, b, noise)", new Object[] {"weights", (Call) b -> LinearGaussian.of(with(Nd4j.eye(2).castTo(DataType.DOUBLE), b), Nd4j.zeros(DataType.DOUBLE, 2), 0.5)});
        m.put("LinearGaussian.of noise", new Object[] {"noise", (Call) b -> LinearGaussian.of(Nd4j.eye(2).castTo(DataType.DOUBLE), Nd4j.zeros(DataType.DOUBLE, 2), b)});
        m.put("LinearGaussian.logLikelihood(x, z)", new Object[] {"x", (Call) b -> lg.logLikelihood(with(x2, b), x2)});
        m.put("LinearGaussian.logLikelihood(x, z) z", new Object[] {"z", (Call) b -> lg.logLikelihood(x2, with(x2, b))});
        m.put("LinearGaussian.logEvidence(x)", new Object[] {"x", (Call) b -> lg.logEvidence(with(x2, b))});
        m.put("LinearGaussian.posterior(x)", new Object[] {"x", (Call) b -> lg.posterior(with(x2, b))});
        m.put("Bound.estimate(model, q, x, rng)", new Object[] {"x", (Call) b -> Bound.monteCarlo(4).estimate(lg, q, with(x2, b), Rng.seeded(1))});
        m.put("PointwiseVi.of(model, x)", new Object[] {"x", (Call) b -> PointwiseVi.of(lg, with(x2, b))});
        m.put("NonlinearGaussianModel.spiral(sigma)", new Object[] {"sigma", (Call) b -> NonlinearGaussianModel.spiral(b)});
        m.put("MixtureDensityNetwork.fit(x, y, ..)", new Object[] {"x", (Call) b -> mdn.fit(with(x2, b), y1, Fit.epochs(1).batchSize(4), Rng.seeded(1))});
        m.put("MixtureDensityNetwork.fit y", new Object[] {"y", (Call) b -> mdn.fit(x2, with(y1, b), Fit.epochs(1).batchSize(4), Rng.seeded(1))});
        m.put("MixtureDensityNetwork.logProb(x, y)", new Object[] {"x", (Call) b -> mdn.logProb(with(x2, b), y1)});
        m.put("MixtureDensityNetwork.predictMean(x)", new Object[] {"x", (Call) b -> mdn.predictMean(with(x2, b))});
        m.put("MlpRegressor.fit(x, y, ..)", new Object[] {"x", (Call) b -> mlp.fit(with(x2, b), y1, Fit.epochs(1).batchSize(4), Rng.seeded(1))});
        m.put("MlpRegressor.predict(x)", new Object[] {"x", (Call) b -> mlp.predict(with(x2, b))});
        m.put("Vae.fit(x, ..) Bernoulli", new Object[] {"x", (Call) b -> vae.fit(with(pix, b), 1, 4, Rng.seeded(1))});
        m.put("Vae.fit(x, ..) Gaussian", new Object[] {"x", (Call) b -> gvae.fit(with(x2, b), 1, 4, Rng.seeded(1))});
        m.put("Vae.elbo(x, rng)", new Object[] {"x", (Call) b -> vae.elbo(with(pix, b), Rng.seeded(1))});
        m.put("Vae.encoder(x)", new Object[] {"x", (Call) b -> vae.encoder(with(pix, b))});
        m.put("Vae.decoder(z)", new Object[] {"z", (Call) b -> vae.decoder(with(x2, b))});
        m.put("Vae.logEvidence(x, k, rng)", new Object[] {"x", (Call) b -> vae.logEvidence(with(pix, b), 4, Rng.seeded(1))});
        return m;
    }

    /** Entry points where a −∞ or +∞ is meaningful and has a defined result (NaN is still rejected). */
    static final Map<String, String> INFINITY_ALLOWED = Map.of(
            "LogMath.logSumExp(x, axis)", "+∞ in a row gives +∞, a row of all −∞ gives −∞",
            "LogMath.logSumExp(double...)", "+∞ gives +∞, all −∞ gives −∞",
            "GridDensity.of(lo, hi, logValues)", "log density −∞ where the density is 0",
            "Categorical.ofLogits(logits)", "a −∞ logit is an impossible class");

    @Test
    void everyEntryPointRejectsNaNAndInfinityNamingTheArgument() {
        List<String> table = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (Map.Entry<String, Object[]> e : entries().entrySet()) {
            String arg = (String) e.getValue()[0];
            Call call = (Call) e.getValue()[1];
            for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY}) {
                String outcome;
                boolean ok;
                try {
                    Object r = call.run(bad);
                    outcome = "returns " + describe(r);
                    ok = !Double.isNaN(bad) && INFINITY_ALLOWED.containsKey(e.getKey());
                } catch (IllegalArgumentException ex) {
                    outcome = "IllegalArgumentException: " + ex.getMessage();
                    ok = ex.getMessage().startsWith(arg + ":") || ex.getMessage().startsWith(arg + "[");
                } catch (Exception ex) {
                    outcome = ex.getClass().getSimpleName() + ": " + ex.getMessage();
                    ok = false;
                }
                String line = String.format("%-42s %-4s %s", e.getKey(), Double.isNaN(bad) ? "NaN" : "+inf",
                        outcome.length() > 150 ? outcome.substring(0, 150) + "..." : outcome);
                table.add(line);
                if (!ok) {
                    failures.add(line);
                }
            }
        }
        System.out.println("NaN/inf audit (" + table.size() + " calls):\n" + String.join("\n", table));
        assertTrue(failures.isEmpty(), "entry points that do not reject a bad value naming the argument:\n" + String.join("\n", failures));
    }

    @Test
    void minusInfinityWhereItIsMeaningful() {
        INDArray lw = Nd4j.createFromArray(new double[][] {{0, Double.NEGATIVE_INFINITY}, {Math.log(3), Double.NEGATIVE_INFINITY}});
        Estimates e = Estimates.logMeanExp(lw);                              // zero weights: fine; a column of them: −∞ ± ∞
        assertEquals(Math.log(2), e.values().getDouble(0), 1e-12);
        assertEquals(Double.NEGATIVE_INFINITY, e.values().getDouble(1));
        assertEquals(Double.POSITIVE_INFINITY, e.standardErrors().getDouble(1));
        assertEquals(Double.NEGATIVE_INFINITY, LogMath.logSumExp(Nd4j.createFromArray(Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY), 0).getDouble(0));
        Categorical c = Categorical.ofLogits(Nd4j.createFromArray(new double[][] {{0, Double.NEGATIVE_INFINITY}}));
        assertEquals(1.0, c.probs().getDouble(0, 0), 1e-12);
    }

    private static String describe(Object r) {
        if (r instanceof INDArray a) {
            return a.toString().replace('\n', ' ');
        }
        if (r instanceof double[] d) {
            return java.util.Arrays.toString(d);
        }
        if (r instanceof Double d) {
            return d.toString();
        }
        return String.valueOf(r);
    }
}
