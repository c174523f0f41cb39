package dev.latentvi.homework;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latentvi.dist.GaussianMixture;
import dev.latentvi.dist.Normal;
import dev.latentvi.math.LogMath;
import dev.latentvi.math.Rng;
import dev.latentvi.vi.LatentModel;
import dev.latentvi.vi.LinearGaussian;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.inverse.InvertMatrix;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Exercises 1.4, 2.4, 3.4 and 4.3 (the conceptual ones): the answer key, as in the solution
 * notebooks, passes every case; typical mistakes fail the case written for them.
 */
class ConceptualExercisesTest {
    static INDArray mixtureElbo(GaussianMixture mixture, INDArray x, INDArray q) {
        INDArray logJoint = mixture.jointLogProbs(x);                                   // [n, K]
        INDArray logQ = Transforms.log(Transforms.max(q, Double.MIN_VALUE, true), false);   // 0 · log 0 = 0
        return q.mul(logJoint.sub(logQ)).sum(1);
    }

    static INDArray iwae(LatentModel model, Normal q, INDArray x, int k, Rng rng) {
        INDArray z = q.sample(rng, k);                                    // [K, n, d]
        INDArray logW = model.logJoint(x, z).subi(q.logProb(z));          // [K, n]
        return LogMath.logMeanExp(logW, 0);
    }

    static INDArray score(Normal q, int m, Rng rng) {
        INDArray eps = rng.normal(m, q.dim());
        INDArray sigma = q.stddev();                                      // [1, d]
        return Nd4j.hstack(eps.divRowVector(sigma), eps.mul(eps).subi(1));
    }

    static VaeHomework.LinearEncoder linearEncoder(LinearGaussian model) {
        INDArray w = model.weights();                                     // [D, d]
        double s2 = model.noise() * model.noise();
        int d = model.latentDim();
        INDArray precision = Nd4j.eye(d).castTo(DataType.DOUBLE).addi(w.transpose().mmul(w).divi(s2));   // Λ
        INDArray weights = w.mmul(InvertMatrix.invert(precision, false)).divi(s2);                     // WΛ⁻¹/σ²
        INDArray bias = model.bias().reshape(1, -1).mmul(weights).negi();
        INDArray stddev = Nd4j.create(DataType.DOUBLE, d);
        for (int j = 0; j < d; j++) {
            stddev.putScalar(j, 1 / Math.sqrt(precision.getDouble(j, j)));
        }
        return new VaeHomework.LinearEncoder(weights, bias, stddev);
    }

    static double cvaeElbo(dev.latentvi.vae.ConditionalVae cvae, INDArray x, INDArray c, Rng rng) {
        Normal q = cvae.encoder(x, c);                                    // q(z | x, c), [n, L]
        int latent = cvae.config().latent();
        INDArray z = q.mean().add(q.stddev().mul(rng.normal(x.size(0), latent)));
        INDArray reconstruction = cvae.decoder(z, c).logProb(x);          // log p(x | z, c), [n]
        INDArray kl = dev.latentvi.dist.Kl.divergence(q, Normal.standard(latent));
        return reconstruction.sub(kl).meanNumber().doubleValue();
    }

    @Test
    void conditionalElboAnswerKeyPassesAndAnUnconditionedDecoderFails() {
        Feedback f = VaeHomework.checkConditionalElbo(ConceptualExercisesTest::cvaeElbo);
        assertTrue(f.allPassed(), f.text());
        assertEquals(2.0, f.score(), 1e-12);
        Feedback noLabel = VaeHomework.checkConditionalElbo((cvae, x, c, rng) -> {
            Normal q = cvae.encoder(x, c);
            int latent = cvae.config().latent();
            INDArray z = q.mean().add(q.stddev().mul(rng.normal(x.size(0), latent)));
            INDArray zero = c.mul(0);                                    // the decoder never sees the label
            return cvae.decoder(z, zero).logProb(x).sub(dev.latentvi.dist.Kl.divergence(q, Normal.standard(latent))).meanNumber().doubleValue();
        });
        CaseResult matters = noLabel.cases().stream().filter(c -> c.name().startsWith("the condition matters")).findFirst().orElseThrow();
        assertFalse(matters.passed(), noLabel.text());
        assertTrue(matters.hint().startsWith("pass c to the decoder"), matters.hint());
    }

    @Test
    void answerKeysPassEveryCase() {
        Feedback[] all = {MixtureHomework.checkElbo(ConceptualExercisesTest::mixtureElbo).withHidden(3, 7301),
            ElboHomework.checkImportanceWeighted(ConceptualExercisesTest::iwae).withHidden(2, 7302),
            GradientHomework.checkScore(ConceptualExercisesTest::score).withHidden(2, 7303),
            VaeHomework.checkLinearEncoder(ConceptualExercisesTest::linearEncoder).withHidden(2, 7304)};
        double[] points = {2, 3, 2, 3};
        for (int i = 0; i < all.length; i++) {
            assertTrue(all[i].allPassed(), all[i].text());
            assertEquals(points[i], all[i].score(), 1e-12);
        }
    }

    @Test
    void mixtureElboWithoutTheZeroGuardIsNanOnHardAssignments() {
        Feedback f = MixtureHomework.checkElbo((g, x, q) -> q.mul(g.jointLogProbs(x).sub(Transforms.log(q, true))).sum(1));
        CaseResult hard = f.cases().stream().filter(c -> c.name().startsWith("hard assignments")).findFirst().orElseThrow();
        assertFalse(hard.passed(), f.text());
        assertTrue(hard.hint().contains("NaN"), hard.hint());
        assertEquals(f.cases().size() - 1, f.passed(), f.text());
    }

    @Test
    void mixtureElboWithoutTheEntropyIsBelowTheBoundButNotTight() {
        Feedback f = MixtureHomework.checkElbo((g, x, q) -> q.mul(g.jointLogProbs(x)).sum(1));
        assertFalse(f.cases().stream().filter(c -> c.name().startsWith("q = the exact posterior")).findFirst().orElseThrow().passed(), f.text());
    }

    @Test
    void averagingLogWeightsInsteadOfWeightsGivesTheElboAndFailsTheOrdering() {
        Feedback f = ElboHomework.checkImportanceWeighted((model, q, x, k, rng) -> {
            INDArray z = q.sample(rng, k);
            return model.logJoint(x, z).subi(q.logProb(z)).mean(0);
        });
        CaseResult ordered = f.cases().stream().filter(c -> c.name().startsWith("ordered")).findFirst().orElseThrow();
        assertFalse(ordered.passed(), f.text());
        assertTrue(ordered.hint().startsWith("average the K weights inside the log"), ordered.hint());
        assertTrue(f.cases().stream().filter(c -> c.name().startsWith("K = 1")).findFirst().orElseThrow().passed(), "K = 1 is the same\n" + f.text());
        assertTrue(f.cases().stream().filter(c -> c.name().startsWith("q = the exact posterior")).findFirst().orElseThrow().passed(),
                "tight at the posterior either way\n" + f.text());
    }

    @Test
    void iwaeInProbabilitySpaceUnderflowsFarFromThePosterior() {
        Feedback f = ElboHomework.checkImportanceWeighted((model, q, x, k, rng) -> {
            INDArray z = q.sample(rng, k);
            return Transforms.log(Transforms.exp(model.logJoint(x, z).subi(q.logProb(z)), false).mean(0), false);
        });
        CaseResult far = f.cases().stream().filter(c -> c.name().startsWith("q far from")).findFirst().orElseThrow();
        assertFalse(far.passed(), f.text());
        assertTrue(far.got().contains("∞"), far.got());
    }

    @Test
    void scoreMultipliedBySigmaFailsTheFisherCheckButKeepsMeanZero() {
        Feedback f = GradientHomework.checkScore((q, m, rng) -> {
            INDArray eps = rng.normal(m, q.dim());
            return Nd4j.hstack(eps.mulRowVector(q.stddev()), eps.mul(eps).subi(1));
        });
        assertTrue(f.cases().stream().filter(c -> c.name().startsWith("mean zero")).findFirst().orElseThrow().passed(), f.text());
        assertFalse(f.cases().stream().filter(c -> c.name().startsWith("Fisher")).findFirst().orElseThrow().passed(), f.text());
    }

    @Test
    void scoreAtDrawsFromAnotherDistributionHasANonzeroMean() {
        Feedback f = GradientHomework.checkScore((q, m, rng) -> {
            INDArray eps = rng.normal(m, q.dim()).addi(0.3);            // z from a shifted q
            return Nd4j.hstack(eps.divRowVector(q.stddev()), eps.mul(eps).subi(1));
        });
        assertFalse(f.cases().stream().filter(c -> c.name().startsWith("mean zero")).findFirst().orElseThrow().passed(), f.text());
    }

    @Test
    void marginalStandardDeviationsInsteadOfMeanFieldFailOnlyWhereThePosteriorIsCorrelated() {
        Feedback f = VaeHomework.checkLinearEncoder(model -> {
            VaeHomework.LinearEncoder right = linearEncoder(model);
            INDArray cov = model.posterior(Nd4j.zeros(DataType.DOUBLE, 1, model.dataDim())).orElseThrow().covariance();
            INDArray marginal = Nd4j.create(DataType.DOUBLE, model.latentDim());
            for (int j = 0; j < model.latentDim(); j++) {
                marginal.putScalar(j, Math.sqrt(cov.reshape(model.latentDim(), model.latentDim()).getDouble(j, j)));
            }
            return new VaeHomework.LinearEncoder(right.weights(), right.bias(), marginal);
        });
        assertTrue(f.cases().stream().filter(c -> c.name().startsWith("one latent dimension")).findFirst().orElseThrow().passed(), f.text());
        CaseResult correlated = f.cases().stream().filter(c -> c.name().startsWith("a correlated posterior")).findFirst().orElseThrow();
        assertFalse(correlated.passed(), f.text());
        assertTrue(correlated.expected().contains("stddev"), correlated.expected());
        assertFalse(f.cases().stream().filter(c -> c.name().startsWith("no amortization gap")).findFirst().orElseThrow().passed(), f.text());
    }

    @Test
    void trainingPassMarkIsAReferenceTrainedTheSameWayMinusTheMargin() {
        double reference = VaeHomework.referenceElbo();
        assertEquals(reference - VaeHomework.ELBO_MARGIN, VaeHomework.elboTarget(), 1e-12);
        assertEquals(reference, VaeHomework.referenceElbo(), 0.0, "computed once");
        // the answer key's recipe, trained by the student's function on the check's images and seed, lands on the reference
        double answerKey = VaeHomework.heldOutElbo(VaeHomework.trainReference(
                dev.latentvi.data.Mnist.load().train().first(VaeHomework.TRAIN_IMAGES).images(), Rng.seeded(VaeHomework.TRAIN_SEED)));
        assertEquals(reference, answerKey, 0.5);
        double untrained = VaeHomework.heldOutElbo(dev.latentvi.vae.Vae.builder().input(784).latent(VaeHomework.REFERENCE_LATENT)
                .hidden(VaeHomework.REFERENCE_HIDDEN).build(Rng.seeded(VaeHomework.TRAIN_SEED)));
        assertTrue(untrained < VaeHomework.elboTarget() - 100, "an untrained VAE is far below the pass mark: " + untrained);
    }

    @Test
    void stubsAreNotAttempted() {
        assertTrue(MixtureHomework.checkElbo((g, x, q) -> {
            throw new UnsupportedOperationException("your code here");
        }).notAttempted());
        assertTrue(VaeHomework.checkLinearEncoder(m -> {
            throw new UnsupportedOperationException("your code here");
        }).notAttempted());
    }
}
