package dev.latentvi.math;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class LogMathTest {
    private static final Reference REF = Reference.load("distributions");

    static void assertClose(INDArray expected, INDArray actual, double tol) {
        assertArrayEquals(expected.shape(), actual.shape(), "shape");
        double[] e = expected.dup('c').data().asDouble();
        double[] a = actual.dup('c').data().asDouble();
        for (int i = 0; i < e.length; i++) {
            assertEquals(e[i], a[i], tol * Math.max(1, Math.abs(e[i])), "index " + i);
        }
    }

    @Test
    void logSumExpMatchesScipyOnBothAxes() {
        INDArray x = REF.array("logsumexp", "x");
        assertClose(REF.array("logsumexp", "axis0"), LogMath.logSumExp(x, 0), 1e-12);
        assertClose(REF.array("logsumexp", "axis1"), LogMath.logSumExp(x, 1), 1e-12);
        assertClose(REF.array("logsumexp", "axis1"), LogMath.logSumExp(x, -1), 1e-12);
    }

    @Test
    void logSumExpKeepsDimsAndHandlesMinusInfinity() {
        INDArray x = Nd4j.createFromArray(new double[][] {{Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY}, {0.0, Math.log(3)}});
        INDArray r = LogMath.logSumExp(x, 1, true);
        assertArrayEquals(new long[] {2, 1}, r.shape());
        assertEquals(Double.NEGATIVE_INFINITY, r.getDouble(0, 0));
        assertEquals(Math.log(4), r.getDouble(1, 0), 1e-14);
        assertEquals(Math.log(4), LogMath.logSumExp(0.0, Math.log(3)), 1e-14);
        assertEquals(Math.log(2), LogMath.logMeanExp(Nd4j.createFromArray(1.0, 3.0).reshape(2, 1).muli(0).addi(Math.log(2)), 0).getDouble(0), 1e-14);
    }

    @Test
    void logSumExpIsShiftInvariant() {
        INDArray x = Rng.seeded(3).normal(4, 7);
        INDArray shifted = LogMath.logSumExp(x.add(1000.0), 1).subi(1000.0);
        assertClose(LogMath.logSumExp(x, 1), shifted, 1e-12);
    }

    @Test
    void softplusMatchesNumpyWithoutOverflow() {
        assertClose(REF.array("softplus", "y"), LogMath.softplus(REF.array("softplus", "x")), 1e-14);
        assertEquals(800.0, LogMath.softplus(800.0), 0);
        assertEquals(Math.log(2), LogMath.softplus(0.0), 1e-15);
        // logσ(x) + logσ(−x) = log σ(x)(1 − σ(x)) and σ(x) = 1/(1+e^{-x})
        INDArray x = Nd4j.createFromArray(-3.0, 0.5, 40.0);
        INDArray ls = LogMath.logSigmoid(x);
        assertEquals(-Math.log1p(Math.exp(3.0)), ls.getDouble(0), 1e-14);
    }

    @Test
    void log1mexpMatchesNumpyOnBothBranches() {
        assertClose(REF.array("log1mexp", "y"), LogMath.log1mexp(REF.array("log1mexp", "x")), 1e-13);
        assertEquals(Math.log(-Math.expm1(-1e-12)), LogMath.log1mexp(-1e-12), 1e-12);
        assertEquals(Double.NEGATIVE_INFINITY, LogMath.log1mexp(0.0));
    }

    @Test
    void normalLogDensityAgreesWithScalarFormula() {
        INDArray x = Nd4j.createFromArray(new double[][] {{0.3, -1.0}});
        INDArray mu = Nd4j.createFromArray(new double[][] {{0.0, 2.0}});
        INDArray ls = Nd4j.createFromArray(new double[][] {{Math.log(0.5), Math.log(3.0)}});
        INDArray r = LogMath.normalLogDensity(x, mu, ls);
        assertEquals(LogMath.normalLogDensity(0.3, 0.0, 0.5), r.getDouble(0, 0), 1e-14);
        assertEquals(LogMath.normalLogDensity(-1.0, 2.0, 3.0), r.getDouble(0, 1), 1e-14);
        assertEquals(-0.5 * Math.log(2 * Math.PI), LogMath.normalLogDensity(0, 0, 1), 1e-15);
    }

    @Test
    void badInputNamesTheArgument() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LogMath.log1mexp(0.5));
        assertTrue(e.getMessage().startsWith("x:"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LogMath.log1mexp(Nd4j.createFromArray(-1.0, 2.0)));
        assertTrue(e.getMessage().startsWith("x:"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LogMath.logSumExp(Nd4j.zeros(DataType.DOUBLE, 2, 3), 2));
        assertTrue(e.getMessage().startsWith("axis:"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LogMath.normalLogDensity(0, 0, -1));
        assertTrue(e.getMessage().startsWith("sigma:"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LogMath.logSumExp(new double[0]));
    }
}
