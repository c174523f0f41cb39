package dev.latentvi.nn;

import dev.latentvi.internal.Lanes;
import dev.latentvi.internal.NativeBuffers;
import dev.latentvi.math.Check;
import java.nio.DoubleBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Adam hyper-parameters (Kingma and Ba, 2015).
 *
 * @param learningRate step size, &gt; 0
 * @param beta1 decay of the first-moment average, in [0, 1)
 * @param beta2 decay of the second-moment average, in [0, 1)
 * @param epsilon denominator guard, &gt; 0
 */
public record Adam(double learningRate, double beta1, double beta2, double epsilon) implements Optimizer {
    public Adam {
        Check.positive("learningRate", learningRate);
        Check.inRange("beta1", beta1, 0, Math.nextDown(1.0));
        Check.inRange("beta2", beta2, 0, Math.nextDown(1.0));
        Check.positive("epsilon", epsilon);
    }

    /** Adam with the usual defaults (β1 = 0.9, β2 = 0.999, ε = 1e-8). */
    public static Adam of(double learningRate) {
        return new Adam(learningRate, 0.9, 0.999, 1e-8);
    }

    /**
     * One Adam step in plain Java, the arithmetic of libnd4j's {@code adam_updater} (bias correction folded
     * into the step size): m' = β1 m + (1 − β1) g, v' = β2 v + (1 − β2) g², p' = p − α_t m' / (√v' + ε) with
     * α_t = rate √(1 − β2^t) / (1 − β1^t), t = iteration + 1. Reads p, g, m, v and writes p', m', v' (other
     * arrays of the same shape); every array a fresh c-order FLOAT or DOUBLE array (see
     * {@link NativeBuffers#direct}). On this ND4J build several times faster than the native op (FLOAT: {@link Lanes#adam},
     * 8 lanes at a time). Returns whether every p' is finite.
     */
    boolean step(INDArray p, INDArray g, INDArray m, INDArray v, INDArray pOut, INDArray mOut, INDArray vOut, double rate, int iteration) {
        double b1t = Math.pow(beta1, iteration + 1);
        double b2t = Math.pow(beta2, iteration + 1);
        double at = rate * Math.sqrt(1 - b2t) / (1 - b1t);
        if (!Double.isFinite(at) || at == 0) {
            at = epsilon;
        }
        if (p.dataType() == DataType.FLOAT) {
            return Lanes.adam(NativeBuffers.bytes(p), NativeBuffers.bytes(g), NativeBuffers.bytes(m), NativeBuffers.bytes(v),
                    NativeBuffers.bytes(pOut), NativeBuffers.bytes(mOut), NativeBuffers.bytes(vOut),
                    (float) beta1, (float) beta2, (float) at, (float) epsilon);
        } else {
            DoubleBuffer pb = NativeBuffers.doubles(p), gb = NativeBuffers.doubles(g), mb = NativeBuffers.doubles(m), vb = NativeBuffers.doubles(v);
            DoubleBuffer po = NativeBuffers.doubles(pOut), mo = NativeBuffers.doubles(mOut), vo = NativeBuffers.doubles(vOut);
            boolean finite = true;
            for (int i = 0, n = pb.capacity(); i < n; i++) {
                double gi = gb.get(i);
                double mi = beta1 * mb.get(i) + gi * (1 - beta1);
                double vi = beta2 * vb.get(i) + gi * gi * (1 - beta2);
                mo.put(i, mi);
                vo.put(i, vi);
                double pi = pb.get(i) - mi * at / (Math.sqrt(vi) + epsilon);
                po.put(i, pi);
                finite &= Double.isFinite(pi);
            }
            return finite;
        }
    }

    /** Whether {@link #step} takes these arrays (all fresh c-order arrays of p's type, FLOAT or DOUBLE). */
    static boolean direct(INDArray... arrays) {
        DataType t = arrays[0].dataType();
        if (t != DataType.FLOAT && t != DataType.DOUBLE) {
            return false;
        }
        for (INDArray a : arrays) {
            if (!NativeBuffers.direct(a, t) || a.length() != arrays[0].length()) {
                return false;
            }
        }
        return true;
    }
}
