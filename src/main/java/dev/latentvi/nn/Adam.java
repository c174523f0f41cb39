package dev.latentvi.nn;

import dev.latentvi.math.Check;

/**
 * Adam hyper-parameters (Kingma and Ba, 2015).
 *
 * @param learningRate step size, &gt; 0
 * @param beta1 decay of the first-moment average, in [0, 1)
 * @param beta2 decay of the second-moment average, in [0, 1)
 * @param epsilon denominator guard, &gt; 0
 */
public record Adam(double learningRate, double beta1, double beta2, double epsilon) implements Optimizer {
    public Adam {
        Check.positive("learningRate", learningRate);
        Check.inRange("beta1", beta1, 0, Math.nextDown(1.0));
        Check.inRange("beta2", beta2, 0, Math.nextDown(1.0));
        Check.positive("epsilon", epsilon);
    }

    /** Adam with the usual defaults (β1 = 0.9, β2 = 0.999, ε = 1e-8). */
    public static Adam of(double learningRate) {
        return new Adam(learningRate, 0.9, 0.999, 1e-8);
    }
}
