package dev.latentvi.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Direct access to the native memory of a dense array, for element-wise loops in plain Java: on this
 * ND4J build a loop over a few hundred thousand floats (bias + activation, their derivatives, Adam) is
 * several times faster in JIT-compiled Java than as libnd4j ops, which run scalar lambdas per element.
 * Only for arrays that own their whole buffer in c order (fresh arrays, not views).
 */
public final class NativeBuffers {
    private NativeBuffers() {
    }

    /** Whether {@code a} is a fresh dense c-order array of {@code type} (its buffer holds exactly its elements, from 0). */
    public static boolean direct(INDArray a, DataType type) {
        return a != null && a.dataType() == type && !a.isView() && a.offset() == 0 && a.ordering() == 'c'
                && a.data().length() == a.length();
    }

    /** The bytes of FLOAT {@code a}'s elements in c order, native byte order, read and written in place (for {@link Lanes}). */
    public static ByteBuffer bytes(INDArray a) {
        check(a, DataType.FLOAT);
        return a.data().asNio().order(ByteOrder.nativeOrder());
    }

    /** The elements of FLOAT {@code a} in c order, read and written in place. */
    public static FloatBuffer floats(INDArray a) {
        check(a, DataType.FLOAT);
        return a.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    /** The elements of DOUBLE {@code a} in c order, read and written in place. */
    public static DoubleBuffer doubles(INDArray a) {
        check(a, DataType.DOUBLE);
        return a.data().asNio().order(ByteOrder.nativeOrder()).asDoubleBuffer();
    }

    private static void check(INDArray a, DataType type) {
        if (!direct(a, type)) {
            throw new IllegalArgumentException("a: expected a fresh c-order " + type + " array, got "
                    + (a == null ? "null" : a.dataType() + (a.isView() ? " view" : "") + " order " + a.ordering() + " offset " + a.offset()));
        }
    }
}
