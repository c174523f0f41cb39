package dev.latentvi.data;

import dev.latentvi.math.Check;
import dev.latentvi.math.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Lecture 18's motivating example for multimodal policies, "steer around the tree": a car at
 * lateral offset s ∈ [−1, 1] drives towards an obstacle covering |s| &lt; {@value #HALF_WIDTH}
 * and steers by a, ending at s + a. The expert passes on the left (side +1, ending near +1) with
 * probability σ(6s) and on the right (side −1, ending near −1) otherwise:
 * a = side − s + N(0, {@value #NOISE}²). Near s = 0 half the experts go each way, so p(a | s) is
 * bimodal and its mean, a ≈ −s (what a single-Gaussian or squared-error policy learns), drives
 * straight into the obstacle. Notebook 01 fits mixture density networks to these demonstrations,
 * notebook 04 a conditional-VAE policy. All arrays are DOUBLE.
 */
public final class ObstacleDemos {
    /** Half-width of the obstacle around s = 0. */
    public static final double HALF_WIDTH = 0.5;
    /** Standard deviation of the experts' steering noise. */
    public static final double NOISE = 0.1;
    /** Slope of the logit of passing on the left: p(left | s) = σ(6s). */
    private static final double SHARPNESS = 6;

    private ObstacleDemos() {
    }

    /**
     * Demonstrations.
     *
     * @param states  offsets s {@code [n, 1]}
     * @param actions steering a {@code [n, 1]}
     * @param sides   {@code [n]}: +1 passed left, −1 passed right
     */
    public record Demos(INDArray states, INDArray actions, INDArray sides) {
        /** Number of demonstrations n. */
        public int size() {
            return (int) states.size(0);
        }

        /** "passed left" / "passed right" per demonstration, for plot legends. */
        public String[] sideNames() {
            double[] s = sides.toDoubleVector();
            String[] names = new String[s.length];
            for (int i = 0; i < s.length; i++) {
                names[i] = s[i] > 0 ? "passed left" : "passed right";
            }
            return names;
        }
    }

    /** {@code n} demonstrations at offsets drawn uniformly from [−1, 1]. */
    public static Demos sample(int n, Rng rng) {
        Check.positive("n", n);
        Check.notNull("rng", rng);
        return at(rng.uniform(n, 1).muli(2).subi(1), rng);
    }

    /** One expert demonstration at each of the given offsets ({@code [n]}, e.g. an evenly spaced grid). */
    public static Demos at(double[] offsets, Rng rng) {
        Check.notNull("offsets", offsets);
        if (offsets.length == 0) {
            throw new IllegalArgumentException("offsets: expected at least one offset, got none");
        }
        return at(Nd4j.createFromArray(offsets.clone()).reshape(offsets.length, 1), rng);
    }

    /**
     * One expert demonstration at each of n evenly spaced offsets, the midpoints
     * −1 + 2(i + ½)/n (i = 0..n−1) of n equal cells of [−1, 1]: states {@code [n, 1]} in increasing
     * order, for plotting a policy across the whole state range.
     */
    public static Demos evenlySpaced(int n, Rng rng) {
        Check.positive("n", n);
        double[] offsets = new double[n];
        for (int i = 0; i < n; i++) {
            offsets[i] = -1 + 2 * (i + 0.5) / n;
        }
        return at(offsets, rng);
    }

    private static Demos at(INDArray s, Rng rng) {
        Check.notNull("rng", rng);
        Check.finite("offsets", s);
        long n = s.size(0);
        INDArray pLeft = Transforms.sigmoid(s.mul(SHARPNESS), false);
        INDArray side = rng.uniform(n, 1).lt(pLeft).castTo(DataType.DOUBLE).muli(2).subi(1);        // ±1
        INDArray a = steering(s, side).addi(rng.normal(n, 1).muli(NOISE));
        return new Demos(s, a, side.reshape(n));
    }

    /** The experts' noise-free steering side − s for states {@code [n, 1]} and sides {@code [n, 1]} (±1). */
    public static INDArray steering(INDArray states, INDArray sides) {
        Check.matrix("states", states, 1);
        Check.matrix("sides", sides, 1);
        return sides.castTo(DataType.DOUBLE).sub(states.castTo(DataType.DOUBLE));
    }

    /** Whether steering by {@code action} from {@code offset} ends inside the obstacle. */
    public static boolean collides(double offset, double action) {
        return Math.abs(offset + action) < HALF_WIDTH;
    }

    /** Fraction of rows of {@code states}, {@code actions} (each {@code [n, 1]}) that end inside the obstacle. */
    public static double collisionRate(INDArray states, INDArray actions) {
        Check.matrix("states", states, 1);
        Check.matrix("actions", actions, 1);
        if (actions.size(0) != states.size(0)) {
            throw new IllegalArgumentException("actions: expected " + states.size(0) + " rows like states, got " + actions.size(0));
        }
        double[] s = states.castTo(DataType.DOUBLE).reshape(-1).toDoubleVector();
        double[] a = actions.castTo(DataType.DOUBLE).reshape(-1).toDoubleVector();
        int hits = 0;
        for (int i = 0; i < s.length; i++) {
            hits += collides(s[i], a[i]) ? 1 : 0;
        }
        return hits / (double) s.length;
    }
}
