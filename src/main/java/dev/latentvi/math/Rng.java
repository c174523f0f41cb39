package dev.latentvi.math;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A seeded, reproducible random stream. Every random function in latentvi takes one, so the same
 * seed always gives the same numbers. {@link #child()} splits off an independent stream, so a
 * consumer can draw without disturbing the parent's later draws.
 */
public final class Rng {
    private final SplittableRandom random;

    private Rng(SplittableRandom random) {
        this.random = random;
    }

    /** A stream fully determined by {@code seed}. */
    public static Rng seeded(long seed) {
        return new Rng(new SplittableRandom(seed));
    }

    /** An independent child stream; the parent advances by one draw. */
    public Rng child() {
        return new Rng(random.split());
    }

    /** A uniform double in [0, 1). */
    public double uniform() {
        return random.nextDouble();
    }

    /** A standard normal double. */
    public double normal() {
        return random.nextGaussian();
    }

    /** A uniform integer in [0, bound). */
    public int nextInt(int bound) {
        Check.positive("bound", bound);
        return random.nextInt(bound);
    }

    /** A fresh seed drawn from this stream (for libraries that want a long seed). */
    public long nextSeed() {
        return random.nextLong();
    }

    /** Standard normal draws, a DOUBLE array of the given shape. */
    public INDArray normal(long... shape) {
        double[] values = new double[Math.toIntExact(count(shape))];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextGaussian();
        }
        return Nd4j.create(values, shape, DataType.DOUBLE);
    }

    /** Uniform [0, 1) draws, a DOUBLE array of the given shape. */
    public INDArray uniform(long... shape) {
        double[] values = new double[Math.toIntExact(count(shape))];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextDouble();
        }
        return Nd4j.create(values, shape, DataType.DOUBLE);
    }

    /** A uniformly random permutation of 0..n-1 (Fisher–Yates). */
    public int[] permutation(int n) {
        Check.nonNegative("n", n);
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    private static long count(long[] shape) {
        if (shape.length == 0) {
            throw new IllegalArgumentException("shape: expected at least one dimension, got none");
        }
        long n = 1;
        for (long s : shape) {
            if (s < 0) {
                throw new IllegalArgumentException("shape: expected non-negative sizes, got " + java.util.Arrays.toString(shape));
            }
            n *= s;
        }
        return n;
    }
}
