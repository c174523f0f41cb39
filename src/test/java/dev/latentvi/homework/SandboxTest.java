package dev.latentvi.homework;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class SandboxTest {
    private static Exercise<Function<Integer, Integer>, Integer, Integer> doubling(Duration limit) {
        return Exercise.<Function<Integer, Integer>, Integer, Integer>of("doubling", i -> 2 * i, Function::apply)
                .points(3)
                .random(2, 5, rng -> rng.nextInt(100))
                .edge("zero", () -> 0, null)
                .timeLimit(limit);
    }

    @Test
    void anEndlessLoopScoresZeroWithTheTimeLimitNamedAndTheNextCheckStillRuns() {
        long t0 = System.nanoTime();
        Feedback f = doubling(Duration.ofMillis(500)).check(i -> {
            while (true) {
                Thread.onSpinWait();
            }
        });
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(0.0, f.score());
        assertEquals("timed out after 0.5 s", f.cases().get(0).got());
        assertTrue(f.cases().get(1).got().startsWith("not scored: the check timed out"), f.cases().get(1).got());
        assertTrue(seconds < 10, "the check returned after " + seconds + " s");
        assertEquals(3.0, doubling(Duration.ofSeconds(5)).check(i -> 2 * i).score());
    }

    @Test
    void printedOutputIsCutAndNeverReachesStandardError() {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
        Feedback f;
        try {
            f = doubling(Duration.ofSeconds(10)).check(i -> {
                for (int k = 0; k < 10_000; k++) {
                    System.err.println("flood " + k);
                }
                return 2 * i;
            });
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        String shown = o.toString(StandardCharsets.UTF_8);
        assertEquals(3.0, f.score(), f.text());
        assertEquals("", e.toString(StandardCharsets.UTF_8));
        assertTrue(shown.contains("flood 0\n") && shown.contains("… output cut (30000 lines"), shown.substring(0, 200));
        assertTrue(shown.lines().count() <= Sandbox.MAX_LINES + 2, "lines shown: " + shown.lines().count());
    }

    @Test
    void hiddenCasesAddRandomCasesFromOtherSeedsAndCountInTheScore() {
        Feedback open = doubling(Duration.ofSeconds(5)).check(i -> i < 50 ? 2 * i : 0);
        Feedback all = open.withHidden(4, 1000);
        assertEquals(3, open.cases().size());
        assertEquals(3 + 4, all.cases().size());
        assertTrue(all.cases().get(3).name().startsWith("hidden case 1 (seed 1000)"), all.cases().get(3).name());
        assertEquals(3.0 * all.passed() / 7, all.score(), 1e-12);
    }

    @Test
    void aGradeIsTheScoreAsASingleNumberWithTheFeedbackAsHtml() {
        Grade g = doubling(Duration.ofSeconds(5)).check(i -> i == 0 ? 0 : 1).grade();
        assertEquals(1.0, g.score(), 1e-12);
        assertEquals("1.0", g.mimeBundle().get("text/plain"));
        assertTrue(((String) g.mimeBundle().get("text/html")).contains("1/3 cases passed"));
        assertEquals(1.0, ((java.util.Map<?, ?>) g.mimeBundle().get(Feedback.MIME)).get("score"));
        assertFalse(dev.latentvi.notebook.ExitGuard.fromNotebookCode());
    }
}
