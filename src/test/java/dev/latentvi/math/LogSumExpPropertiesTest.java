package dev.latentvi.math;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Size;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** logSumExp (double[], eager array, graph) on random inputs, fixed jqwik seeds: shift-invariant, ≥ max, ≤ max + log n. */
class LogSumExpPropertiesTest {

    @Property(seed = "1507", tries = 300)
    void shiftInvariantAndBetweenMaxAndMaxPlusLogN(@ForAll @Size(min = 1, max = 20) List<@DoubleRange(min = -700, max = 700) Double> xs,
            @ForAll @DoubleRange(min = -300, max = 300) double c) {
        double[] x = xs.stream().mapToDouble(Double::doubleValue).toArray();
        double max = java.util.Arrays.stream(x).max().orElseThrow();
        double lse = LogMath.logSumExp(x);
        assertTrue(lse >= max, lse + " < max " + max);
        assertTrue(lse <= max + Math.log(x.length) + 1e-9 * Math.abs(max) + 1e-12, lse + " > max + log n");
        double[] shifted = java.util.Arrays.stream(x).map(v -> v + c).toArray();
        assertEquals(lse + c, LogMath.logSumExp(shifted), 1e-9 * Math.max(1, Math.abs(lse + c)));
        assertEquals(lse, LogMath.logSumExp(Nd4j.createFromArray(x)), 1e-12 * Math.max(1, Math.abs(lse)));
    }

    @Property(seed = "1508", tries = 40)
    void graphFormAgreesWithTheEagerOne(@ForAll @Size(min = 1, max = 6) List<@DoubleRange(min = -50, max = 50) Double> xs) {
        double[] x = xs.stream().mapToDouble(Double::doubleValue).toArray();
        INDArray row = Nd4j.createFromArray(new double[][] {x});
        SameDiff sd = SameDiff.create();
        double graph = LogMath.logSumExp(sd, sd.constant(row), 1).eval().getDouble(0);
        assertEquals(LogMath.logSumExp(x), graph, 1e-12 * Math.max(1, Math.abs(graph)));
    }
}
