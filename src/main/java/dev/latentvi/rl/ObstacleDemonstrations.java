package dev.latentvi.rl;

import dev.latentvi.math.Check;
import dev.latentvi.math.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Multimodal demonstrations (Lecture 18's motivating example for conditional latent-variable
 * policies): an agent at lateral offset y ∈ [−1, 1] in front of an obstacle occupying |y| &lt; 0.5
 * steers by a to y + a. The expert passes to the right (target +1) with probability σ(6y), else to
 * the left (target −1), with a little noise: near y = 0 half the demonstrations go each way, and
 * their average, a ≈ −y, drives straight into the obstacle.
 */
public final class ObstacleDemonstrations {
    /** Half-width of the obstacle. */
    public static final double HALF_WIDTH = 0.5;

    private ObstacleDemonstrations() {
    }

    /**
     * Demonstration pairs.
     *
     * @param states FLOAT {@code [n, 1]}: offsets y
     * @param actions FLOAT {@code [n, 1]}: steering a
     */
    public record Demonstrations(INDArray states, INDArray actions) {
    }

    /** {@code n} expert demonstrations at offsets uniform in [−1, 1]. */
    public static Demonstrations sample(int n, Rng rng) {
        Check.positive("n", n);
        Check.notNull("rng", rng);
        double[] s = new double[n];
        for (int i = 0; i < n; i++) {
            s[i] = 2 * rng.uniform() - 1;
        }
        return new Demonstrations(column(s), expertActions(s, rng));
    }

    /** Expert actions at the given offsets, FLOAT {@code [n, 1]}. */
    public static INDArray expertActions(double[] offsets, Rng rng) {
        double[] a = new double[offsets.length];
        for (int i = 0; i < offsets.length; i++) {
            double right = 1 / (1 + Math.exp(-6 * offsets[i]));
            double target = rng.uniform() < right ? 1 : -1;
            a[i] = target + 0.1 * rng.normal() - offsets[i];
        }
        return column(a);
    }

    /** States {@code [n, 1]} FLOAT from offsets. */
    public static INDArray column(double[] v) {
        return Nd4j.createFromArray(v).reshape(v.length, 1).castTo(DataType.FLOAT);
    }

    /** Whether steering by {@code action} from {@code offset} ends inside the obstacle. */
    public static boolean collides(double offset, double action) {
        return Math.abs(offset + action) < HALF_WIDTH;
    }

    /** Fraction of rows of {@code states}, {@code actions} (each {@code [n, 1]}) that collide. */
    public static double collisionRate(INDArray states, INDArray actions) {
        Check.matrix("states", states, 1);
        Check.matrix("actions", actions, 1);
        double[] s = states.castTo(DataType.DOUBLE).data().asDouble();
        double[] a = actions.castTo(DataType.DOUBLE).data().asDouble();
        int hits = 0;
        for (int i = 0; i < s.length; i++) {
            hits += collides(s[i], a[i]) ? 1 : 0;
        }
        return hits / (double) s.length;
    }
}
