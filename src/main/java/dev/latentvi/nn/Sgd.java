package dev.latentvi.nn;

import dev.latentvi.math.Check;

/**
 * Plain gradient descent θ ← θ − η ∇θ, no moments.
 *
 * @param learningRate step size η, &gt; 0
 */
public record Sgd(double learningRate) implements Optimizer {
    public Sgd {
        Check.positive("learningRate", learningRate);
    }

    /** Gradient descent with step size {@code learningRate}. */
    public static Sgd of(double learningRate) {
        return new Sgd(learningRate);
    }
}
