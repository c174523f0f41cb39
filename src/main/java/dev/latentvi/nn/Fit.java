package dev.latentvi.nn;

import dev.latentvi.math.Check;

/**
 * How to run one optimization, by name instead of by position: passes over the data, mini-batch
 * size, Adam step size and its schedule. Immutable; each setter returns a changed copy.
 *
 * <pre>{@code
 * Table history = vae.fit(train, Fit.epochs(30).batchSize(128), rng);
 * Fit.epochs(200).learningRate(1e-2).schedule(Schedule.dropAt(0.8, 0.1));
 * }</pre>
 *
 * @param epochs passes over the data (for full-batch fits such as per-point VI: steps), ≥ 1
 * @param batchSize rows per mini-batch, ≥ 1
 * @param learningRate base Adam step size, &gt; 0
 * @param schedule the factor on the step size over the run
 */
public record Fit(int epochs, int batchSize, double learningRate, Schedule schedule) {
    /** Default mini-batch size. */
    public static final int DEFAULT_BATCH = 128;
    /** Default Adam step size. */
    public static final double DEFAULT_LEARNING_RATE = 1e-3;

    public Fit {
        Check.positive("epochs", epochs);
        Check.positive("batchSize", batchSize);
        Check.positive("learningRate", learningRate);
        Check.notNull("schedule", schedule);
    }

    /** {@code epochs} passes, batches of 128, Adam 1e-3, constant schedule. */
    public static Fit epochs(int epochs) {
        return new Fit(epochs, DEFAULT_BATCH, DEFAULT_LEARNING_RATE, Schedule.constant());
    }

    /** The same fit with another mini-batch size. */
    public Fit batchSize(int rows) {
        return new Fit(epochs, rows, learningRate, schedule);
    }

    /** The same fit with another base step size. */
    public Fit learningRate(double rate) {
        return new Fit(epochs, batchSize, rate, schedule);
    }

    /** The same fit with another learning-rate schedule. */
    public Fit schedule(Schedule s) {
        return new Fit(epochs, batchSize, learningRate, s);
    }
}
