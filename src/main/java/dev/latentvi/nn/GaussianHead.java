package dev.latentvi.nn;

import dev.latentvi.math.Check;
import dev.latentvi.math.Rng;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * A diagonal-Gaussian output layer: two linear maps of a hidden layer {@code [n, in]} to the mean
 * {@code [n, out]} and the log standard deviation {@code [n, out]}.
 *
 * @param mean μ, {@code [n, out]}
 * @param logSigma log σ, {@code [n, out]} (unconstrained; σ = exp(log σ))
 */
public record GaussianHead(SDVariable mean, SDVariable logSigma) {

    /**
     * Adds the head to {@code net}: variables {@code name_mu_W/b} and {@code name_logsigma_W/b}.
     * The log-σ layer starts small so σ ≈ 1 at initialization.
     *
     * @param hidden the layer below, {@code [n, inWidth]}
     */
    public static GaussianHead build(Network net, String name, SDVariable hidden, long inWidth, long outWidth, Rng rng) {
        Check.notNull("net", net);
        Check.positive("inWidth", inWidth);
        Check.positive("outWidth", outWidth);
        Check.notNull("rng", rng);
        SDVariable mu = net.dense(name + "_mu", hidden, inWidth, outWidth, Activation.IDENTITY, 1.0, rng);
        SDVariable logSigma = net.dense(name + "_logsigma", hidden, inWidth, outWidth, Activation.IDENTITY, 0.1, rng);
        return new GaussianHead(mu, logSigma);
    }

    /** σ = exp(log σ), {@code [n, out]}. */
    public SDVariable stddev() {
        return logSigma.getSameDiff().math.exp(logSigma);
    }
}
