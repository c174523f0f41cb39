package dev.latentvi.math;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** NaN and ±∞ at the numerical core: rejected with the argument and entry named, or a defined ±∞. */
class NonFiniteInputsTest {
    static final double NINF = Double.NEGATIVE_INFINITY;

    static void assertArgument(String prefix, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().startsWith(prefix), e.getMessage());
    }

    @Test
    void logSumExpRejectsNaNAndKeepsInfinities() {
        INDArray x = Nd4j.createFromArray(new double[][] {{1, 2}, {3, Double.NaN}});
        assertArgument("x: expected no NaN, got NaN at index [1, 1]", () -> LogMath.logSumExp(x, 1));
        assertArgument("x: expected no NaN", () -> LogMath.logSumExp(x));
        assertArgument("values: expected no NaN, got NaN at index 2", () -> LogMath.logSumExp(0.0, 1.0, Double.NaN));
        assertEquals(NINF, LogMath.logSumExp(NINF, NINF));
        assertEquals(Double.POSITIVE_INFINITY, LogMath.logSumExp(1.0, Double.POSITIVE_INFINITY));
        INDArray mixed = Nd4j.createFromArray(new double[][] {{NINF, NINF}, {Double.POSITIVE_INFINITY, 0}});
        INDArray r = LogMath.logSumExp(mixed, 1);
        assertEquals(NINF, r.getDouble(0));
        assertEquals(Double.POSITIVE_INFINITY, r.getDouble(1));
    }

    @Test
    void graphLogSumExpOfAllMinusInfinityIsMinusInfinityInBothTypes() {
        for (DataType type : List.of(DataType.DOUBLE, DataType.FLOAT)) {
            INDArray x = Nd4j.createFromArray(new double[][] {{NINF, NINF, NINF}, {0, Math.log(3), NINF}, {Double.POSITIVE_INFINITY, 1, 2}})
                    .castTo(type);
            SameDiff sd = SameDiff.create();
            SDVariable w = sd.var("w", x);
            INDArray out = LogMath.logSumExp(sd, w, 1).eval();
            assertEquals(NINF, out.getDouble(0), type.toString());
            assertEquals(Math.log(4), out.getDouble(1), 1e-6, type.toString());
            assertEquals(Double.POSITIVE_INFINITY, out.getDouble(2), type.toString());
        }
        // the gradient of a finite row is still the softmax with the clipped shift
        INDArray logits = Nd4j.createFromArray(new double[][] {{1, 2, 3}, {-1000, 0, NINF}});
        SameDiff sd = SameDiff.create();
        SDVariable w = sd.var("w", logits.dup());
        sd.setLossVariables(LogMath.logSumExp(sd, w, 1).sum());
        dev.latentvi.internal.GraphOps.createGradFunctionQuietly(sd);
        INDArray g = sd.calculateGradients(Map.of(), List.of("w")).get("w");
        double z = Math.exp(1) + Math.exp(2) + Math.exp(3);
        assertEquals(Math.exp(3) / z, g.getDouble(0, 2), 1e-12);
        assertEquals(1.0, g.getDouble(1, 1), 1e-12);
        assertEquals(0.0, g.getDouble(1, 2), 0.0);
    }

    @Test
    void checkFiniteNamesTheEntry() {
        INDArray a = Nd4j.zeros(DataType.FLOAT, 3, 4);
        a.putScalar(new long[] {2, 1}, Float.POSITIVE_INFINITY);
        assertArgument("mu: expected finite values, got Infinity at index [2, 1]", () -> Check.finite("mu", a));
        INDArray b = Nd4j.zeros(DataType.DOUBLE, 5);
        b.putScalar(3, Double.NaN);
        assertArgument("x: expected finite values, got NaN at index [3]", () -> Check.finite("x", b));
        // finite values whose sum overflows are fine
        Check.finite("big", Nd4j.valueArrayOf(new long[] {4}, Double.MAX_VALUE, DataType.DOUBLE));
        assertArgument("x: expected values in [0, 1], got range [0.0, 255.0]; first outside: 255.0 at index [0, 1] (pixels in 0..255?",
                () -> Check.unitInterval("x", Nd4j.createFromArray(new double[][] {{0, 255}, {0.5, 1}})));
    }
}
