package dev.latentvi.internal;

import java.io.OutputStream;
import java.io.PrintStream;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.factory.Nd4j;

/**
 * SameDiff graph helpers that work around ND4J 1.0.0-M2.1 defects, in one place.
 *
 * <ul>
 *   <li>Differentiating a reduction of a rank-2 array over an axis of size 1 fails ("this.x is
 *       null"), with or without kept dimensions: e.g. {@code [n, 1].sum(-1)} for a one-dimensional
 *       latent, or {@code [1, n].mean(0)} for one sample. The same reduction of a rank-3 array works,
 *       so {@link #sum}, {@link #mean} and {@link #max} add a leading axis of size 1, reduce, and drop it again.
 *       They work for any rank and any axis size and need no static shape.</li>
 *   <li>The graph log-sum-exp of a row of all −∞ is NaN unless its shift is kept finite
 *       ({@link #logSumExp}).</li>
 *   <li>Building the gradient function prints one "Added differentiated op ..." line per op on
 *       standard output; {@link #createGradFunctionQuietly} discards it.</li>
 * </ul>
 */
public final class GraphOps {
    private static final Object STDOUT_LOCK = new Object();

    private GraphOps() {
    }

    /** Σ over {@code axis} (negative counts from the end), which is removed: {@code [.., k, ..] → [..]}; safe for k = 1. */
    public static SDVariable sum(SameDiff sd, SDVariable x, int axis) {
        return sum(sd, x, axis, false);
    }

    /** As {@link #sum(SameDiff, SDVariable, int)}; with {@code keepDims} the axis stays with size 1. */
    public static SDVariable sum(SameDiff sd, SDVariable x, int axis, boolean keepDims) {
        Args.notNull("sd", sd);
        Args.notNull("x", x);
        return sd.squeeze(lift(sd, x).sum(keepDims, shifted(axis)), 0);
    }

    /** Mean over {@code axis} (negative counts from the end), which is removed: {@code [.., k, ..] → [..]}; safe for k = 1. */
    public static SDVariable mean(SameDiff sd, SDVariable x, int axis) {
        Args.notNull("sd", sd);
        Args.notNull("x", x);
        return sd.squeeze(lift(sd, x).mean(shifted(axis)), 0);
    }

    /** Maximum over {@code axis} (negative counts from the end); with {@code keepDims} the axis stays with size 1; safe for k = 1. */
    public static SDVariable max(SameDiff sd, SDVariable x, int axis, boolean keepDims) {
        Args.notNull("sd", sd);
        Args.notNull("x", x);
        return sd.squeeze(lift(sd, x).max(keepDims, shifted(axis)), 0);
    }

    /**
     * log Σ exp(x) over a non-negative {@code axis}, which is removed ({@code [n, K] → [n]} for axis 1),
     * as m + log Σ exp(x − m) with m the maximum clipped to the data type's finite range: a row of all
     * −∞ gives −∞ (an unclipped m = −∞ would give −∞ − (−∞) = NaN), a +∞ entry gives +∞. The gradient
     * is the softmax; safe for K = 1.
     */
    public static SDVariable logSumExp(SameDiff sd, SDVariable x, int axis) {
        Args.notNull("sd", sd);
        Args.notNull("x", x);
        double big = x.dataType() == org.nd4j.linalg.api.buffer.DataType.DOUBLE ? Double.MAX_VALUE : Float.MAX_VALUE;
        SDVariable shiftKept = sd.math.clipByValue(max(sd, x, axis, true), -big, big);
        SDVariable shift = sd.math.clipByValue(max(sd, x, axis, false), -big, big);
        return sd.math.log(sum(sd, sd.math.exp(x.sub(shiftKept)), axis)).add(shift);
    }

    /** Σ over the last axis: {@code [n, d] → [n]}, {@code [m, n, d] → [m, n]}; safe for d = 1. */
    public static SDVariable sumLast(SameDiff sd, SDVariable x) {
        return sum(sd, x, -1);
    }

    /**
     * Builds the gradient function of {@code sd} (see {@link SameDiff#createGradFunction(String...)})
     * with standard output discarded; standard error (where progress lines go) is untouched. Call it
     * once per graph, before the first gradient computation.
     */
    public static void createGradFunctionQuietly(SameDiff sd, String... placeholdersRequiringGradients) {
        Args.notNull("sd", sd);
        synchronized (STDOUT_LOCK) {        // System.out is global: one swap at a time
            PrintStream out = System.out;
            System.setOut(new PrintStream(OutputStream.nullOutputStream()));
            try {
                sd.createGradFunction(placeholdersRequiringGradients);
            } finally {
                System.setOut(out);
            }
        }
    }

    /**
     * x with a leading axis of size 1, {@code [..] → [1, ..]}, as a reshape to the runtime shape:
     * M2.1's expandDims leaves an all-ones rank-2 shape such as {@code [1, 1]} unchanged.
     */
    private static SDVariable lift(SameDiff sd, SDVariable x) {
        SDVariable shape = sd.shape(x);
        SDVariable one = sd.constant(Nd4j.createFromArray(1L).castTo(shape.dataType()));
        return sd.reshape(x, sd.concat(0, one, shape));
    }

    /** The axis index after a leading size-1 axis is inserted (negative axes are unchanged). */
    private static int shifted(int axis) {
        return axis < 0 ? axis : axis + 1;
    }
}
