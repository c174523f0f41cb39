package dev.latentvi.rl;

import static org.junit.jupiter.api.Assertions.*;

import dev.latentvi.math.Rng;
import org.junit.jupiter.api.Test;

class FittedQIterationTest {
    final GridWorld env = GridWorld.of(4, 2, 0.0);
    final ReplayBuffer buffer = ReplayBuffer.randomPolicy(env, 600, 20, Rng.seeded(1));

    FittedQIteration fqi() {
        return FittedQIteration.of(env, buffer, Features.pixels(env.pixels())).iterations(12).ridge(0.1).maxSteps(20);
    }

    @Test
    void evaluateEveryKeepsTheWeightsAndEvaluatesEveryKthAndTheLast() {
        FittedQIteration.Result every = fqi().run(Rng.seeded(3));
        FittedQIteration.Result sparse = fqi().evaluateEvery(5).run(Rng.seeded(3));
        assertEquals(12, every.curve().rowCount());
        assertArrayEquals(new int[] {5, 10, 12}, sparse.curve().intColumn("iteration").asIntArray());
        assertEquals(0.0, every.weights().sub(sparse.weights()).norm2Number().doubleValue(), 0.0);
        // noise-free renderings: the last evaluation does not depend on the random stream
        assertEquals(every.finalReturn(), sparse.finalReturn(), 0.0);
        assertEquals(FittedQIteration.optimalReturn(env, 0.9), sparse.finalReturn(), 1e-9);
    }

    @Test
    void heldOutTdErrorPrefersAFittingRidgeOverAHugeOne() {
        double[] grid = {0.01, 1.0, 1e5};
        double[] err = fqi().heldOutTdError(grid, 0.25, Rng.seeded(2));
        assertEquals(3, err.length);
        // a huge ridge shrinks Q to ≈ 0, so its TD error is ≈ the mean squared reward (a few goal hits)
        assertTrue(err[0] < err[2] && err[1] < err[2], java.util.Arrays.toString(err));
        assertArrayEquals(err, fqi().heldOutTdError(grid, 0.25, Rng.seeded(2)), 0.0); // deterministic for a seed
        double chosen = fqi().selectRidge(grid, 0.25, Rng.seeded(2));
        assertEquals(err[0] <= err[1] ? 0.01 : 1.0, chosen, 0.0);
    }

    @Test
    void ridgeBySetsTheSelectedRidgeAndFinalsTabulatesRuns() {
        double[] grid = {0.01, 1.0, 1e5};
        double chosen = fqi().selectRidge(grid, 0.25, Rng.seeded(2));
        FittedQIteration.Result a = fqi().ridgeBy(grid, 0.25, Rng.seeded(2)).run(Rng.seeded(3));
        assertEquals(chosen, a.ridge(), 0.0);
        FittedQIteration.Result direct = fqi().ridge(chosen).run(Rng.seeded(3));
        assertEquals(0.0, a.weights().sub(direct.weights()).norm2Number().doubleValue(), 0.0);
        FittedQIteration.Result b = fqi().ridge(1e5).run(Rng.seeded(3));
        assertEquals("raw pixels (64)", a.representation());
        assertArrayEquals(new double[] {a.finalReturn(), b.finalReturn()}, FittedQIteration.finalReturns(java.util.List.of(a, b)), 0.0);
        tech.tablesaw.api.Table t = FittedQIteration.finals("runs", java.util.List.of(a), java.util.List.of(b));
        assertEquals(2, t.rowCount());
        assertArrayEquals(new int[] {1, 2}, t.intColumn("run").asIntArray()); // same representation: counted on
        assertArrayEquals(new double[] {chosen, 1e5}, t.doubleColumn("ridge").asDoubleArray(), 0.0);
        assertArrayEquals(new double[] {a.finalSuccess(), b.finalSuccess()}, t.doubleColumn("success").asDoubleArray(), 0.0);
        assertArrayEquals(new double[] {a.finalReturn(), b.finalReturn()}, t.doubleColumn("return").asDoubleArray(), 0.0);
        assertTrue(b.finalReturn() < a.finalReturn(), "a huge ridge shrinks Q to ≈ 0 and loses the goal");
    }

    @Test
    void ridgeOperatorIsTheClosedFormInBothForms() {
        Rng rng = Rng.seeded(7);
        for (int[] shape : new int[][] {{30, 8}, {8, 30}}) {
            org.nd4j.linalg.api.ndarray.INDArray f = rng.normal(shape[0], shape[1]).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE);
            double lambda = 0.3;
            var gram = f.transpose().mmul(f).addi(org.nd4j.linalg.factory.Nd4j.eye(shape[1]).muli(lambda));
            var expected = org.nd4j.linalg.inverse.InvertMatrix.invert(gram, false).mmul(f.transpose());
            var got = FittedQIteration.ridgeOperator(f, lambda);
            assertArrayEquals(new long[] {shape[1], shape[0]}, got.shape());
            assertEquals(0.0, got.sub(expected).norm2Number().doubleValue() / expected.norm2Number().doubleValue(), 1e-8,
                    "n=" + shape[0] + " k=" + shape[1]);
        }
    }

    @Test
    void badArgumentsAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> fqi().evaluateEvery(0));
        assertTrue(e.getMessage().startsWith("evaluateEvery"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> fqi().heldOutTdError(new double[0], 0.2, Rng.seeded(0)));
        assertTrue(e.getMessage().startsWith("grid"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> fqi().heldOutTdError(new double[] {-1}, 0.2, Rng.seeded(0)));
        assertTrue(e.getMessage().startsWith("grid"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> fqi().selectRidge(new double[] {1}, 0.9, Rng.seeded(0)));
        assertTrue(e.getMessage().startsWith("holdout"), e.getMessage());
    }
}
