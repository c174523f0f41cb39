package dev.latentvi.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.latentvi.math.Rng;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class GraphOpsTest {

    /** Value and gradient of Σ sum(w², axis) (or mean) for a variable w of the given shape. */
    private static INDArray[] valueAndGradient(long[] shape, int axis, boolean mean) {
        INDArray w0 = Rng.seeded(shape.length * 10L + shape[shape.length - 1]).normal(shape);
        SameDiff sd = SameDiff.create();
        SDVariable w = sd.var("w", w0.dup());
        SDVariable sq = w.mul(w);
        SDVariable r = mean ? GraphOps.mean(sd, sq, axis) : GraphOps.sum(sd, sq, axis);
        sd.setLossVariables(r.sum());
        INDArray value = r.eval().dup();
        GraphOps.createGradFunctionQuietly(sd);
        INDArray grad = sd.calculateGradients(Map.<String, INDArray>of(), "w").get("w");
        return new INDArray[] {w0, value, grad};
    }

    @Test
    void sumAndMeanOverASizeOneAxisAreDifferentiable() {
        // the M2.1 failure cases: rank 2, reduced axis of size 1 (last axis for d = 1, first axis for m = 1)
        for (long[] shape : new long[][] {{5, 1}, {1, 4}, {1, 1}, {3, 4, 1}, {5, 3}}) {
            for (int axis : new int[] {0, -1}) {
                for (boolean mean : new boolean[] {false, true}) {
                    INDArray[] vg = valueAndGradient(shape, axis, mean);
                    int ax = axis < 0 ? shape.length + axis : axis;
                    double k = shape[ax];
                    INDArray sq = vg[0].mul(vg[0]);
                    INDArray expected = mean ? sq.mean(ax) : sq.sum(ax);
                    assertShapeAndClose(expected.reshape(dropAxis(shape, ax)), vg[1], 1e-12, java.util.Arrays.toString(shape) + " axis " + axis);
                    assertShapeAndClose(vg[0].mul(mean ? 2 / k : 2), vg[2], 1e-12, java.util.Arrays.toString(shape) + " axis " + axis);
                }
            }
        }
    }

    @Test
    void sumLastOfAPlaceholderBatchWithOneColumn() {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.DOUBLE, -1, 1);
        SDVariable s = GraphOps.sumLast(sd, x.mul(2.0));
        INDArray out = s.eval(Map.of("x", Nd4j.createFromArray(new double[][] {{1.0}, {-3.0}, {0.5}})));
        assertClose(Nd4j.createFromArray(2.0, -6.0, 1.0), out, 0);
    }

    @Test
    void quietGradientBuildPrintsNothingOnStandardOutput() {
        SameDiff sd = SameDiff.create();
        SDVariable w = sd.var("w", Nd4j.ones(DataType.DOUBLE, 2, 3));
        sd.setLossVariables(w.mul(w).sum());
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true));
        try {
            GraphOps.createGradFunctionQuietly(sd);
        } finally {
            System.setOut(out);
        }
        assertEquals("", captured.toString());
        assertEquals(true, sd.hasGradientFunction());
        assertClose(Nd4j.ones(DataType.DOUBLE, 2, 3).mul(2), sd.calculateGradients(Map.<String, INDArray>of(), "w").get("w"), 1e-12);
    }

    private static void assertShapeAndClose(INDArray expected, INDArray actual, double tol, String what) {
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        assertClose(expected, actual, tol);
    }

    private static void assertClose(INDArray expected, INDArray actual, double tol) {
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected.shape(), actual.shape(), "shape");
        double[] e = expected.dup('c').data().asDouble();
        double[] a = actual.dup('c').data().asDouble();
        for (int i = 0; i < e.length; i++) {
            assertEquals(e[i], a[i], tol * Math.max(1, Math.abs(e[i])), "index " + i);
        }
    }

    private static long[] dropAxis(long[] shape, int axis) {
        long[] out = new long[shape.length - 1];
        for (int i = 0, j = 0; i < shape.length; i++) {
            if (i != axis) {
                out[j++] = shape[i];
            }
        }
        return out;
    }
}
