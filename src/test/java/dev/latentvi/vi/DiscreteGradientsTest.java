package dev.latentvi.vi;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latentvi.dist.Bernoulli;
import dev.latentvi.dist.Categorical;
import dev.latentvi.math.Rng;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class DiscreteGradientsTest {
    private static final Categorical CAT = Categorical.ofLogits(Nd4j.createFromArray(0.5, -1.0, 0.2, 1.0));
    /** r(z) = −Σ_k c_k (z_k − a_k)²/2 on one-hot vectors (smooth, so the relaxation has a gradient). */
    private static final Objective R_CAT = Objective.quadratic(new double[] {1, 0, 0.5, -1}, new double[] {1, 2, 1, 0.5});
    private static final Bernoulli BER = Bernoulli.ofLogits(Nd4j.createFromArray(0.3, -0.8, 1.2));
    private static final Objective R_BER = Objective.quadratic(new double[] {1, 0.2, -0.5}, new double[] {2, 1, 1});

    private static double[] zScores(GradientEstimate g, double[] exact) {
        INDArray var = g.samples().var(true, 0);
        long m = g.samples().size(0);
        double[] mean = g.gradient().toDoubleVector();
        double[] z = new double[exact.length];
        for (int j = 0; j < exact.length; j++) {
            z[j] = (mean[j] - exact[j]) / Math.sqrt(var.getDouble(j) / m);
        }
        return z;
    }

    @Test
    void scoreFunctionIsUnbiasedForCategoricalAndBernoulli() {
        double[] exactCat = DiscreteGradients.exactGradient(R_CAT, CAT);
        double[] exactBer = DiscreteGradients.exactGradient(R_BER, BER);
        for (long seed = 1; seed <= 3; seed++) {
            for (double z : zScores(DiscreteGradients.scoreFunction(R_CAT, CAT, 20000, Baseline.none(), Rng.seeded(seed)), exactCat)) {
                assertTrue(Math.abs(z) < 4, "categorical z " + z);
            }
            for (double z : zScores(DiscreteGradients.scoreFunction(R_BER, BER, 20000, Baseline.none(), Rng.seeded(seed)), exactBer)) {
                assertTrue(Math.abs(z) < 4, "bernoulli z " + z);
            }
        }
    }

    @Test
    void gumbelSoftmaxIsBiasedButLowVariance() {
        double[] exact = DiscreteGradients.exactGradient(R_CAT, CAT);
        GradientEstimate relaxed = DiscreteGradients.gumbelSoftmax(R_CAT, CAT, 1.0, 40000, Rng.seeded(4));
        GradientEstimate sf = DiscreteGradients.scoreFunction(R_CAT, CAT, 40000, Baseline.none(), Rng.seeded(5));
        double maxZ = 0;
        for (double z : zScores(relaxed, exact)) {
            maxZ = Math.max(maxZ, Math.abs(z));
        }
        assertTrue(maxZ > 10, "the relaxed estimator is biased at tau = 1: max |z| = " + maxZ);
        double varRelaxed = relaxed.samples().var(true, 0).sumNumber().doubleValue();
        double varSf = sf.samples().var(true, 0).sumNumber().doubleValue();
        assertTrue(varRelaxed < varSf, "relaxed variance " + varRelaxed + " < score-function variance " + varSf);
        // the bias shrinks as tau → 0
        double bias1 = bias(DiscreteGradients.gumbelSoftmax(R_CAT, CAT, 1.0, 40000, Rng.seeded(6)), exact);
        double bias01 = bias(DiscreteGradients.gumbelSoftmax(R_CAT, CAT, 0.1, 40000, Rng.seeded(7)), exact);
        assertTrue(bias01 < bias1, "bias at tau 0.1 (" + bias01 + ") < bias at tau 1 (" + bias1 + ")");
        GradientEstimate ber = DiscreteGradients.gumbelSoftmax(R_BER, BER, 0.5, 1000, Rng.seeded(8));
        assertTrue(ber.gradient().length() == 3);
    }

    @Test
    void leaveOneOutBaselineReducesVariance() {
        GradientEstimate plain = DiscreteGradients.scoreFunction(R_CAT, CAT, 20000, Baseline.none(), Rng.seeded(9));
        GradientEstimate loo = DiscreteGradients.scoreFunction(R_CAT, CAT, 20000, Baseline.leaveOneOut(), Rng.seeded(9));
        assertTrue(loo.samples().var(true, 0).sumNumber().doubleValue() < plain.samples().var(true, 0).sumNumber().doubleValue());
    }

    @Test
    void badInputIsRejected() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> DiscreteGradients.scoreFunction(R_BER, CAT, 10, Baseline.none(), Rng.seeded(0)));
        assertTrue(e.getMessage().startsWith("r:"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DiscreteGradients.gumbelSoftmax(R_CAT, CAT, 0.0, 10, Rng.seeded(0)));
        assertTrue(e.getMessage().startsWith("temperature:"), e.getMessage());
    }

    private static double bias(GradientEstimate g, double[] exact) {
        double[] mean = g.gradient().toDoubleVector();
        double s = 0;
        for (int j = 0; j < exact.length; j++) {
            s += (mean[j] - exact[j]) * (mean[j] - exact[j]);
        }
        return Math.sqrt(s);
    }
}
