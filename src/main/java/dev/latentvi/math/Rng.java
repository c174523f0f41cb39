package dev.latentvi.math;

import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
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
        long count = count(shape);                      // validates the shape first
        INDArray out = Nd4j.createUninitialized(DataType.DOUBLE, shape);
        DoubleBuffer buffer = direct(out, count);
        for (int i = 0, n = buffer.capacity(); i < n; i++) {
            buffer.put(i, random.nextGaussian());      // straight into the native buffer: no heap copy
        }
        return out;
    }

    /** Uniform [0, 1) draws, a DOUBLE array of the given shape. */
    public INDArray uniform(long... shape) {
        long count = count(shape);                      // validates the shape first
        INDArray out = Nd4j.createUninitialized(DataType.DOUBLE, shape);
        DoubleBuffer buffer = direct(out, count);
        for (int i = 0, n = buffer.capacity(); i < n; i++) {
            buffer.put(i, random.nextDouble());
        }
        return out;
    }

    /** The native buffer of a fresh c-order array of {@code count} doubles as a DoubleBuffer. */
    private static DoubleBuffer direct(INDArray out, long count) {
        if (count == 0) {
            return DoubleBuffer.allocate(0);
        }
        if (count > Integer.MAX_VALUE / Double.BYTES) {
            throw new IllegalArgumentException("shape: expected fewer than " + Integer.MAX_VALUE / Double.BYTES + " entries, got " + count);
        }
        return out.data().asNio().order(ByteOrder.nativeOrder()).asDoubleBuffer();
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
