package dev.latentvi.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProgressTest {
    @Test
    void lineShowsBarCountAndStatus() {
        Progress.Line line = new Progress.Line("EM", 15, 30, "log-lik -1.2345", Duration.ofMillis(1500), false);
        assertEquals("EM [###############---------------] 15/30 1.5s  log-lik -1.2345", line.text());
        assertTrue(line.html().contains("<progress value=\"15\" max=\"30\""));
    }

    @Test
    void finishedLineIsASummary() {
        Progress.Line line = new Progress.Line("VI", 30, 30, "ELBO -3.21", Duration.ofMillis(2000), true);
        assertEquals("VI: ELBO -3.21 (30/30 in 2.0s)", line.text());
    }

    @Test
    void countsStepsAndClosesWithWhereItStopped() {
        try (Progress p = Progress.start("loop", 10)) {
            p.step("x=%d", 1);
            p.advance(3, null);
            assertEquals(4, p.done());
        }
    }

    @Test
    void badArgumentsAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Progress.start("x", 0));
        assertEquals("total: expected a number of steps >= 1, got 0", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Progress.start(" ", 3));
    }

    @Test
    void theLastLineIsSentEvenFromAnInterruptedThreadAndTheFlagSurvives() {
        boolean[] interruptedAtFinish = {true};
        String[] last = {null};
        ProgressSink sink = new ProgressSink() {
            @Override
            public void open(Progress.Line line) {
            }

            @Override
            public void update(Progress.Line line) {
            }

            @Override
            public void finish(Progress.Line line) {
                interruptedAtFinish[0] = Thread.currentThread().isInterrupted();   // the kernel's socket would refuse
                last[0] = line.text();
            }
        };
        Progress p = Progress.start("fit", 10, sink);
        p.advance(4, null);
        Thread.currentThread().interrupt();              // a cell stopped from JupyterLab
        p.close();
        assertTrue(Thread.interrupted(), "the interrupt is still pending after close (and is cleared here)");
        assertEquals(false, interruptedAtFinish[0]);
        assertTrue(last[0].contains("stopped at 4/10"), last[0]);
    }
}
