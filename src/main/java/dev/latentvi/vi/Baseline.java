package dev.latentvi.vi;

import dev.latentvi.math.Check;

/**
 * A control variate b for the score-function estimator (1/M) Σ_j (r(z_j) − b) ∇ log q(z_j): subtracting
 * a baseline leaves the estimator unbiased (E_q[∇ log q] = 0) when b does not depend on z_j, and
 * shrinks its variance when b is close to E_q[r].
 */
public abstract sealed class Baseline permits Baseline.None, Baseline.LeaveOneOut, Baseline.RunningMean {
    private Baseline() {
    }

    /** No baseline: plain REINFORCE. */
    public static Baseline none() {
        return new None();
    }

    /** b_j = mean of the other M − 1 rewards of the same estimate (needs M ≥ 2); no state. */
    public static Baseline leaveOneOut() {
        return new LeaveOneOut();
    }

    /**
     * b = exponential running mean of the rewards of earlier estimates, b ← decay·b + (1 − decay)·mean(r),
     * with decay in [0, 1); the first estimate uses b = 0. Stateful: reuse one instance across steps.
     */
    public static Baseline runningMean(double decay) {
        Check.inRange("decay", decay, 0, 1);
        if (decay == 1) {
            throw new IllegalArgumentException("decay: expected a value in [0, 1), got 1.0");
        }
        return new RunningMean(decay);
    }

    /** A short name for tables and legends. */
    public abstract String label();

    /** Plain REINFORCE. */
    public static final class None extends Baseline {
        @Override
        public String label() {
            return "none";
        }
    }

    /** Leave-one-out mean of the other samples. */
    public static final class LeaveOneOut extends Baseline {
        @Override
        public String label() {
            return "leave-one-out";
        }
    }

    /** Exponential running mean over earlier estimates. */
    public static final class RunningMean extends Baseline {
        private final double decay;
        private double value;
        private boolean started;

        private RunningMean(double decay) {
            this.decay = decay;
        }

        /** The current baseline value (0 before the first update). */
        public double value() {
            return value;
        }

        /** Folds in the mean reward of one estimate. */
        void update(double meanReward) {
            value = started ? decay * value + (1 - decay) * meanReward : meanReward;
            started = true;
        }

        @Override
        public String label() {
            return "running mean";
        }
    }
}
