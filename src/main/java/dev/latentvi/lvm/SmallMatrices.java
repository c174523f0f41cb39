package dev.latentvi.lvm;

import dev.latentvi.dist.MultivariateNormal;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Small dense d×d helpers of the state-space model: inverse and log-determinant of a symmetric
 * positive-definite matrix through {@link MultivariateNormal}'s factorization (which also checks
 * it and names the argument), symmetrization, and blocks of {@code [T, d, d]} stacks.
 */
final class SmallMatrices {
    private SmallMatrices() {
    }

    /** The factored Gaussian N(0, m) of a symmetric positive-definite {@code m [d, d]}; errors name {@code name}. */
    static MultivariateNormal factor(String name, INDArray m) {
        try {
            return MultivariateNormal.of(Nd4j.zeros(DataType.DOUBLE, 1, m.size(0)), m.castTo(DataType.DOUBLE));
        } catch (IllegalArgumentException e) {
            String msg = e.getMessage();
            throw new IllegalArgumentException(name + msg.substring(msg.indexOf(':')), e);
        }
    }

    /** m⁻¹ of a symmetric positive-definite {@code [d, d]}. */
    static INDArray inverse(String name, INDArray m) {
        return factor(name, m).precision().dup();
    }

    /** (m + mᵀ)/2, a fresh c-order DOUBLE array. */
    static INDArray symmetric(INDArray m) {
        INDArray a = m.castTo(DataType.DOUBLE);
        return a.add(a.transpose()).muli(0.5).dup('c');
    }

    /** Block t {@code [d, d]} of a stack {@code [T, d, d]} (a copy). */
    static INDArray block(INDArray stack, long t) {
        return stack.get(NDArrayIndex.point(t), NDArrayIndex.all(), NDArrayIndex.all()).dup('c');
    }

    /** Writes {@code m [d, d]} into block t of a stack {@code [T, d, d]}. */
    static void putBlock(INDArray stack, long t, INDArray m) {
        stack.get(NDArrayIndex.point(t), NDArrayIndex.all(), NDArrayIndex.all()).assign(m);
    }

    /** A square matrix's shape check: {@code [d, d]}, finite. */
    static void square(String name, INDArray a, long d) {
        if (a == null) {
            throw new IllegalArgumentException(name + ": expected a value, got null");
        }
        if (a.rank() != 2 || a.size(0) != d || a.size(1) != d) {
            throw new IllegalArgumentException(name + ": expected shape [" + d + ", " + d + "], got " + Arrays.toString(a.shape()));
        }
        dev.latentvi.math.Check.finite(name, a);
    }
}
