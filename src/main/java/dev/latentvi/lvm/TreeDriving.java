package dev.latentvi.lvm;

import dev.latentvi.math.Check;
import dev.latentvi.math.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The "drive around the tree" demonstrations of Lecture 18: a car approaches a tree at lateral
 * offset s ∈ [−1, 1] (s &gt; 0: left of the tree). An expert passes on the left with probability
 * σ(4s) and on the right otherwise, steering a = ±(0.9 − 0.7 s·side) (side = +1 left, −1 right)
 * plus N(0, 0.08²) noise: the action distribution p(a | s) is bimodal, and its mean (what a
 * single-Gaussian policy learns) steers straight into the tree at s ≈ 0.
 */
public final class TreeDriving {
    /** Standard deviation of the experts' steering noise. */
    public static final double NOISE = 0.08;

    private TreeDriving() {
    }

    /**
     * n demonstrations: states s {@code [n, 1]} uniform on [−1, 1], actions a {@code [n, 1]},
     * and the side {@code [n]} (+1 left, −1 right) each expert chose.
     */
    public static Data sample(int n, Rng rng) {
        Check.positive("n", n);
        Check.notNull("rng", rng);
        INDArray s = rng.uniform(n, 1).muli(2).subi(1);
        INDArray pLeft = Transforms.sigmoid(s.mul(4.0), false);
        INDArray side = rng.uniform(n, 1).lt(pLeft).castTo(DataType.DOUBLE).muli(2).subi(1);   // ±1
        INDArray a = steering(s, side).addi(rng.normal(n, 1).muli(NOISE));
        return new Data(s, a, side.reshape(n));
    }

    /** Noise-free expert steering for states s {@code [n, 1]} and sides {@code [n, 1]} (±1): side·(0.9 − 0.7 s·side). */
    public static INDArray steering(INDArray s, INDArray side) {
        return side.mul(s.mul(side).muli(-0.7).addi(0.9));
    }

    /**
     * Demonstrations.
     *
     * @param states  s {@code [n, 1]}
     * @param actions a {@code [n, 1]}
     * @param sides   {@code [n]}: +1 passed left, −1 passed right
     */
    public record Data(INDArray states, INDArray actions, INDArray sides) {
    }
}
