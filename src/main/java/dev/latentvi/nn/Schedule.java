package dev.latentvi.nn;

import dev.latentvi.math.Check;

/**
 * A learning-rate schedule: the factor applied to the base step size at step t of T (t = 0 … T − 1).
 *
 * <pre>{@code
 * Schedule.constant();                 // 1 throughout
 * Schedule.exponential(0.1);           // geometric decay from 1 to 0.1 over the run
 * Schedule.dropAt(0.8, 0.1);           // 1 for the first 80 % of the steps, then 0.1
 * }</pre>
 */
@FunctionalInterface
public interface Schedule {

    /** The factor (&gt; 0) for step {@code t} of {@code total} steps. */
    double factor(long t, long total);

    /** The constant schedule (factor 1). */
    static Schedule constant() {
        return (t, total) -> 1.0;
    }

    /** Geometric decay from 1 at the first step to {@code finalFactor} at the last, in (0, 1]. */
    static Schedule exponential(double finalFactor) {
        Check.inRange("finalFactor", finalFactor, 1e-9, 1);
        return (t, total) -> total <= 1 ? 1.0 : Math.pow(finalFactor, (double) t / (total - 1));
    }

    /** 1 for the first {@code fraction} of the steps, then {@code factor}: fraction in (0, 1], factor in (0, 1]. */
    static Schedule dropAt(double fraction, double factor) {
        Check.inRange("fraction", fraction, 1e-9, 1);
        Check.inRange("factor", factor, 1e-9, 1);
        return (t, total) -> t < Math.round(fraction * total) ? 1.0 : factor;
    }
}
