package dev.latentvi.math;

import dev.latentvi.internal.GraphOps;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.conditions.Conditions;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Numerically stable log-space helpers. Array methods never modify their inputs and return
 * arrays of the input's data type.
 */
public final class LogMath {
    /** log(2π). */
    public static final double LOG_2PI = Math.log(2 * Math.PI);
    /** ½ log(2π), the per-dimension constant of the Normal log density. */
    public static final double HALF_LOG_2PI = 0.5 * LOG_2PI;

    private LogMath() {
    }

    /**
     * log Σ exp(x) along {@code axis} (negative counts from the end), computed as
     * m + log Σ exp(x − m) with m the maximum; the axis is removed: {@code [.., k, ..] → [..]}.
     * Rows that are all −∞ give −∞; +∞ entries give +∞; NaN anywhere is rejected
     * ({@link IllegalArgumentException} naming x and the entry).
     */
    public static INDArray logSumExp(INDArray x, int axis) {
        return logSumExp(x, axis, false);
    }

    /** As {@link #logSumExp(INDArray, int)}; with {@code keepDims} the axis stays with size 1. */
    public static INDArray logSumExp(INDArray x, int axis, boolean keepDims) {
        Check.notNull("x", x);
        int ax = normalizeAxis("axis", axis, x.rank());
        Check.notNaN("x", x);
        if (x.size(ax) == 0) {
            throw new IllegalArgumentException("x: expected a non-empty axis " + axis + ", got shape "
                    + java.util.Arrays.toString(x.shape()));
        }
        INDArray max = x.max(true, ax);
        // an all −∞ (or +∞) slice would give ∞ − ∞ = NaN: shift by 0 there instead
        INDArray shift = max.dup();
        BooleanIndexing.replaceWhere(shift, 0.0, Conditions.isInfinite());
        INDArray centered = x.sub(shift);
        INDArray sum = Transforms.exp(centered, false).sum(true, ax);
        centered.close();   // x-sized scratch: freed now, not at the next garbage collection
        max.close();
        INDArray out = Transforms.log(sum, false).addi(shift);
        return keepDims ? out : out.reshape(dropAxis(out.shape(), ax));
    }

    /**
     * Graph version: log Σ exp(x) along a non-negative {@code axis}, which is removed
     * ({@code [n, K] → [n]} for axis 1), as m + log Σ exp(x − m) with m the (kept-dims) maximum.
     * Use this instead of {@code sd.math.logSumExp}, whose gradient fails in ND4J 1.0.0-M2.1;
     * differentiable also for K = 1 (the reductions go through {@link GraphOps}). A row of all −∞
     * gives −∞ (not NaN): the shift m is clipped to the finite range of the data type.
     */
    public static SDVariable logSumExp(SameDiff sd, SDVariable x, int axis) {
        Check.notNull("sd", sd);
        Check.notNull("x", x);
        Check.nonNegative("axis", axis);
        return GraphOps.logSumExp(sd, x, axis);
    }

    /** log Σ exp over all entries of {@code x} (non-empty). */
    public static double logSumExp(INDArray x) {
        Check.notNull("x", x);
        if (x.isEmpty() || x.length() == 0) {
            throw new IllegalArgumentException("x: expected a non-empty array, got length 0");
        }
        return logSumExp(x.reshape(x.length()), 0).getDouble(0);
    }

    /** log Σ exp(values) for a non-empty double array: all −∞ gives −∞, any +∞ gives +∞, NaN is rejected. */
    public static double logSumExp(double... values) {
        if (values == null || values.length == 0) {
            throw new IllegalArgumentException("values: expected at least one value, got none");
        }
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < values.length; i++) {
            if (Double.isNaN(values[i])) {
                throw new IllegalArgumentException("values: expected no NaN, got NaN at index " + i);
            }
            max = Math.max(max, values[i]);
        }
        if (Double.isInfinite(max)) {
            return max;
        }
        double s = 0;
        for (double v : values) {
            s += Math.exp(v - max);
        }
        return max + Math.log(s);
    }

    /** log(1/k Σ exp(x)) along {@code axis} of size k: {@code [.., k, ..] → [..]}. */
    public static INDArray logMeanExp(INDArray x, int axis) {
        int ax = normalizeAxis("axis", axis, x.rank());
        return logSumExp(x, ax).subi(Math.log(x.size(ax)));
    }

    /** softplus(x) = log(1 + eˣ), elementwise, as max(x, 0) + log1p(e^{−|x|}) (no overflow). */
    public static INDArray softplus(INDArray x) {
        Check.notNull("x", x);
        INDArray negAbs = Transforms.abs(x, true).negi();
        return Transforms.max(x, 0.0, true).addi(Transforms.log1p(Transforms.exp(negAbs, false), false));
    }

    /**
     * Graph version: softplus(x) = log(1 + eˣ) elementwise, as ½x + ½|x| + log1p(e^{−|x|}) — no
     * overflow, and the gradient is σ(x) everywhere, also at x = 0 (where relu(x) + log1p(e^{−|x|})
     * would give 0, the subgradient of relu and |x| there).
     */
    public static SDVariable softplus(SameDiff sd, SDVariable x) {
        Check.notNull("sd", sd);
        Check.notNull("x", x);
        SDVariable abs = sd.math.abs(x);
        return x.add(abs).mul(0.5).add(sd.math.log1p(sd.math.exp(abs.neg())));
    }

    /** softplus(x) = log(1 + eˣ) for one value. */
    public static double softplus(double x) {
        return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
    }

    /** log σ(x) = −softplus(−x), elementwise (log of the logistic sigmoid). */
    public static INDArray logSigmoid(INDArray x) {
        return softplus(x.neg()).negi();
    }

    /**
     * log(1 − eˣ) for x ≤ 0, elementwise (Mächler's split at −log 2: log(−expm1(x)) near 0,
     * log1p(−eˣ) below). x = 0 gives −∞; x > 0 is rejected.
     */
    public static INDArray log1mexp(INDArray x) {
        Check.notNull("x", x);
        double[] v = x.dup('c').data().asDouble();
        for (int i = 0; i < v.length; i++) {
            if (!(v[i] <= 0)) {
                throw new IllegalArgumentException("x: expected every entry <= 0, got " + v[i] + " at flat index " + i);
            }
            v[i] = log1mexp(v[i]);
        }
        return Nd4j.create(v, x.shape(), x.dataType());
    }

    /** log(1 − eˣ) for one value x ≤ 0. */
    public static double log1mexp(double x) {
        if (!(x <= 0)) {
            throw new IllegalArgumentException("x: expected a value <= 0, got " + x);
        }
        return x > -Math.log(2) ? Math.log(-Math.expm1(x)) : Math.log1p(-Math.exp(x));
    }

    /**
     * Elementwise log N(x; μ, σ²) with σ = exp(logSigma): −½ log 2π − log σ − ½ ((x − μ)/σ)².
     * All three arrays broadcast against each other (e.g. x {@code [m, n, d]}, μ and log σ
     * {@code [n, d]} or {@code [1, d]}); the result has the broadcast shape.
     */
    public static INDArray normalLogDensity(INDArray x, INDArray mu, INDArray logSigma) {
        INDArray zs = x.sub(mu).muli(Transforms.exp(logSigma.neg(), false));
        return zs.muli(zs).muli(-0.5).subi(logSigma).subi(HALF_LOG_2PI);
    }

    /** log N(x; μ, σ²) for one value, σ > 0. */
    public static double normalLogDensity(double x, double mu, double sigma) {
        Check.positive("sigma", sigma);
        double z = (x - mu) / sigma;
        return -HALF_LOG_2PI - Math.log(sigma) - 0.5 * z * z;
    }

    static int normalizeAxis(String name, int axis, int rank) {
        int ax = axis < 0 ? axis + rank : axis;
        if (ax < 0 || ax >= rank) {
            throw new IllegalArgumentException(name + ": expected an axis in [" + (-rank) + ", " + (rank - 1) + "], got " + axis);
        }
        return ax;
    }

    /** {@code shape} without entry {@code axis}. */
    static long[] dropAxis(long[] shape, int axis) {
        long[] out = new long[shape.length - 1];
        for (int i = 0, j = 0; i < shape.length; i++) {
            if (i != axis) {
                out[j++] = shape[i];
            }
        }
        return out;
    }
}
