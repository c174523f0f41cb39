package dev.latentvi.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class BatchRowsTest {

    @Test
    void gathersThePermutedRowsOfEveryInputIntoReusedArrays() {
        INDArray x = Nd4j.arange(0, 30).castTo(DataType.FLOAT).reshape(10, 3);
        INDArray wide = Nd4j.arange(0, 40).castTo(DataType.DOUBLE).reshape(10, 4);
        INDArray view = wide.get(NDArrayIndex.all(), NDArrayIndex.interval(1, 3));   // a view: copied once
        Map<String, INDArray> data = new LinkedHashMap<>();
        data.put("x", x);
        data.put("y", view);
        BatchRows rows = new BatchRows(data);
        int[] perm = {7, 2, 9, 0, 4, 1, 3, 5, 6, 8};
        Map<String, INDArray> first = rows.gather(perm, 0, 4);
        assertEquals(x.getRows(7, 2, 9, 0), first.get("x"));
        assertEquals(view.getRows(7, 2, 9, 0), first.get("y"));
        Map<String, INDArray> second = rows.gather(perm, 4, 8);
        assertSame(first.get("x"), second.get("x"));                          // the same array, overwritten
        assertEquals(x.getRows(4, 1, 3, 5), second.get("x"));
        Map<String, INDArray> last = rows.gather(perm, 8, 10);
        assertEquals(x.getRows(6, 8), last.get("x"));
        assertEquals(DataType.DOUBLE, last.get("y").dataType());
        assertEquals(view.getRows(6, 8), last.get("y"));
    }
}
