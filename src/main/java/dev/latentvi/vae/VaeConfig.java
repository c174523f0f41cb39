package dev.latentvi.vae;

import dev.latentvi.math.Check;
import java.util.Arrays;

/**
 * A VAE architecture and its training settings.
 *
 * @param input data width D (e.g. 784)
 * @param latent latent width L (2 for pictures, 16–32 for quality)
 * @param hidden encoder hidden widths (the decoder mirrors them), at least one
 * @param likelihood the decoder's observation model
 * @param condition width of the conditioning vector (0 for an unconditional VAE)
 * @param beta weight on the KL term (1 is the ELBO; β-VAE otherwise)
 * @param learningRate Adam step size
 * @param minSigma lower bound of the Gaussian decoder's σ (unused for Bernoulli)
 */
public record VaeConfig(int input, int latent, int[] hidden, Likelihood likelihood, int condition, double beta,
        double learningRate, double minSigma) {

    /** The decoder's observation model p(x | z). */
    public enum Likelihood {
        /** Pixels in [0, 1] as Bernoulli probabilities (logits out of the decoder). */
        BERNOULLI,
        /** A diagonal Gaussian with a learned per-dimension σ ≥ minSigma. */
        GAUSSIAN
    }

    public VaeConfig {
        Check.positive("input", input);
        Check.positive("latent", latent);
        if (hidden == null || hidden.length == 0) {
            throw new IllegalArgumentException("hidden: expected at least one hidden width, got "
                    + (hidden == null ? "null" : "none"));
        }
        hidden = hidden.clone();
        for (int i = 0; i < hidden.length; i++) {
            Check.positive("hidden[" + i + "]", hidden[i]);
        }
        Check.notNull("likelihood", likelihood);
        Check.nonNegative("condition", condition);
        Check.finite("beta", beta);
        if (beta < 0) {
            throw new IllegalArgumentException("beta: expected a value >= 0, got " + beta);
        }
        Check.positive("learningRate", learningRate);
        Check.positive("minSigma", minSigma);
    }

    @Override
    public int[] hidden() {
        return hidden.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VaeConfig c && input == c.input && latent == c.latent && Arrays.equals(hidden, c.hidden)
                && likelihood == c.likelihood && condition == c.condition && Double.compare(beta, c.beta) == 0
                && Double.compare(learningRate, c.learningRate) == 0 && Double.compare(minSigma, c.minSigma) == 0;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(hidden) * 31 + java.util.Objects.hash(input, latent, likelihood, condition, beta, learningRate, minSigma);
    }

    @Override
    public String toString() {
        return "VaeConfig[input=" + input + ", latent=" + latent + ", hidden=" + Arrays.toString(hidden) + ", likelihood="
                + likelihood + ", condition=" + condition + ", beta=" + beta + ", learningRate=" + learningRate
                + ", minSigma=" + minSigma + "]";
    }
}
