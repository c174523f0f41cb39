package dev.latentvi.nn;

/**
 * The update rule a {@link Trainer} applies to each parameter after a gradient: {@link Adam} or
 * plain gradient descent {@link Sgd}. The step size is the base {@link #learningRate()}, scaled by a
 * {@link Schedule} when the trainer runs a {@link Fit}.
 */
public sealed interface Optimizer permits Adam, Sgd {
    /** Base step size, &gt; 0. */
    double learningRate();
}
