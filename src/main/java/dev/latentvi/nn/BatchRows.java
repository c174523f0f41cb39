package dev.latentvi.nn;

import dev.latentvi.internal.NativeBuffers;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The mini-batches of a shuffled epoch: the rows {@code perm[from..to)} of every input {@code [N, ...]}
 * copied into arrays reused from step to step (one per input and batch size), instead of a shuffled
 * copy of the whole data set per epoch. The arrays are overwritten by the next {@link #gather}.
 */
final class BatchRows {
    private final Map<String, INDArray> sources = new LinkedHashMap<>();
    private final Map<String, Map<Integer, INDArray>> buffers = new HashMap<>();

    /** For inputs of equal row counts; any that is a view or not c-order is copied once here. */
    BatchRows(Map<String, INDArray> data) {
        for (Map.Entry<String, INDArray> e : data.entrySet()) {
            INDArray a = e.getValue();
            sources.put(e.getKey(), NativeBuffers.direct(a, a.dataType()) ? a : a.dup('c'));
        }
    }

    /** The rows {@code perm[from], …, perm[to − 1]} of every input, by name, in that order. */
    Map<String, INDArray> gather(int[] perm, int from, int to) {
        int rows = to - from;
        Map<String, INDArray> batch = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> e : sources.entrySet()) {
            INDArray src = e.getValue();
            long[] shape = src.shape().clone();
            shape[0] = rows;
            INDArray dst = buffers.computeIfAbsent(e.getKey(), k -> new HashMap<>())
                    .computeIfAbsent(rows, r -> Nd4j.createUninitialized(src.dataType(), shape));
            int rowBytes = Math.toIntExact(src.length() / src.size(0) * src.data().getElementSize());
            ByteBuffer in = src.data().asNio();
            ByteBuffer out = dst.data().asNio();
            for (int i = 0; i < rows; i++) {
                out.put(i * rowBytes, in, perm[from + i] * rowBytes, rowBytes);
            }
            batch.put(e.getKey(), dst);
        }
        return batch;
    }
}
