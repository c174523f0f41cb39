package dev.latentvi.homework;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latentvi.math.Rng;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

class ExerciseTest {
    /** Reference: row-wise log Σ exp, computed stably here only to have something to check against. */
    private static INDArray rowLogSumExp(INDArray x) {
        INDArray max = x.max(1);
        return Transforms.log(Transforms.exp(x.subColumnVector(max.reshape(x.size(0), 1)), true).sum(1), false).addi(max);
    }

    private static Exercise<Function<INDArray, INDArray>, INDArray, INDArray> exercise() {
        return Exercise.<Function<INDArray, INDArray>, INDArray, INDArray>of("log-sum-exp", ExerciseTest::rowLogSumExp,
                        Function::apply)
                .points(2)
                .random(3, 10, rng -> rng.normal(4, 3))
                .edge("large logits", () -> Nd4j.createFromArray(new double[][] {{1000, 999}, {-1000, -1001}}),
                        "subtract the row maximum before exponentiating")
                .describe(x -> "x " + java.util.Arrays.toString(x.shape()));
    }

    @Test
    void correctAnswerPassesEveryCaseAndGetsFullScore() {
        Feedback f = exercise().check(ExerciseTest::rowLogSumExp);
        assertTrue(f.allPassed(), f.text());
        assertEquals(4, f.passed());
        assertEquals(2.0, f.score());
        assertTrue(f.text().contains("4/4 cases passed, score 2/2"), f.text());
        assertTrue(f.html().contains("✓"));
        assertEquals(2.0, f.summary().get("score"));
    }

    @Test
    void naiveAnswerFailsOnlyTheOverflowCaseWithItsHint() {
        Feedback f = exercise().check(x -> Transforms.log(Transforms.exp(x, true).sum(1), false));
        assertEquals(3, f.passed(), f.text());
        assertEquals(1.5, f.score(), 1e-12);
        CaseResult bad = f.firstFailure().orElseThrow();
        assertTrue(bad.name().startsWith("large logits: x [2, 2]"), bad.name());
        assertEquals("1000.313262 at [0]", bad.expected());
        assertEquals("+∞", bad.got());
        assertTrue(bad.hint().contains("work in log space") && bad.hint().contains("subtract the row maximum"), bad.hint());
        assertTrue(f.text().contains("expected: 1000.313262 at [0]"), f.text());
    }

    @Test
    void stubExceptionIsReportedAsNotAttemptedAndScoresZero() {
        Feedback f = exercise().check(x -> {
            throw new UnsupportedOperationException("your code here");
        });
        assertEquals(0, f.passed());
        assertEquals(0.0, f.score());
        CaseResult c = f.cases().get(0);
        assertEquals("threw UnsupportedOperationException: your code here", c.got());
        assertTrue(c.hint().startsWith("not attempted yet"), c.hint());
        assertFalse(f.text().contains("at dev.latentvi"), "no stack trace in feedback");
        assertTrue(f.notAttempted());
        assertTrue(f.text().contains("✗ not attempted yet (4 cases)"), f.text());
        assertTrue(f.html().contains("not attempted yet"), f.html());
    }

    @Test
    void otherExceptionsAndNullAreFeedbackToo() {
        Feedback thrown = exercise().check(x -> x.getRow(7));
        assertFalse(thrown.cases().get(0).passed());
        assertTrue(thrown.cases().get(0).got().startsWith("threw "), thrown.text());
        Feedback nul = exercise().check(x -> null);
        assertEquals("null", nul.cases().get(0).got());
        assertEquals("your function returned null", nul.cases().get(0).hint().split(";")[0]);
        Feedback none = exercise().check(null);
        assertEquals(0, none.passed());
    }

    @Test
    void wrongShapeNamesBothShapes() {
        Feedback f = exercise().check(x -> rowLogSumExp(x).reshape(x.size(0), 1));
        CaseResult c = f.cases().get(0);
        assertEquals("shape [4]", c.expected());
        assertEquals("shape [4, 1]", c.got());
        assertTrue(c.hint().contains("same number of entries"), c.hint());
    }

    @Test
    void signErrorsAndNaNsGetSpecificReasons() {
        Feedback sign = exercise().check(x -> rowLogSumExp(x).neg());
        assertTrue(sign.cases().get(0).hint().startsWith("off by the sign"), sign.text());
        Feedback nan = exercise().check(x -> rowLogSumExp(x).assign(Double.NaN));
        assertEquals("NaN", nan.cases().get(0).got());
        assertTrue(nan.cases().get(0).hint().startsWith("got NaN"), nan.text());
    }

    @Test
    void randomCasesAreSeededAndInputsAreFreshForTheStudent() {
        double[] seen = new double[1];
        Exercise.<Function<INDArray, INDArray>, INDArray, INDArray>of("mutation", x -> x.sum(1), Function::apply)
                .random(1, 5, rng -> rng.normal(2, 2))
                .check(x -> {
                    seen[0] = x.getDouble(0, 0);
                    return x.muli(0).sum(1);     // mutates its own copy only
                });
        assertEquals(Rng.seeded(5).normal(2, 2).getDouble(0, 0), seen[0]);
    }

    @Test
    void propertiesRecordsAndListsAreJudged() {
        record Pair(double a, double[] b) {
        }
        Feedback f = Exercise.<Function<Double, Pair>, Double, Pair>of("records", v -> new Pair(v, new double[] {v, 2 * v}),
                        Function::apply)
                .edge("v = 1", () -> 1.0, null)
                .property("positive", s -> s.apply(3.0).a() > 0 ? Outcome.pass("a = 3") : Outcome.fail("a > 0", "a ≤ 0", "sign"))
                .check(v -> new Pair(v, new double[] {v, 3 * v}));
        assertEquals(1, f.passed());
        assertEquals("2 at b[1]", f.cases().get(0).expected());
        assertEquals("3", f.cases().get(0).got());
        assertTrue(f.text().contains("✓ positive (a = 3)"), f.text());
    }

    @Test
    void aFailingReferenceIsABugInTheExerciseNotTheStudent() {
        Exercise<Function<Double, Double>, Double, Double> broken = Exercise.<Function<Double, Double>, Double, Double>of("broken",
                v -> {
                    throw new IllegalArgumentException("bad");
                }, Function::apply).edge("one", () -> 1.0, null);
        assertThrows(IllegalStateException.class, () -> broken.check(v -> v));
        assertThrows(IllegalArgumentException.class, () -> exercise().points(0));
    }
}
