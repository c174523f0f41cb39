package dev.latentvi.notebook;

import java.time.Duration;
import java.util.Locale;

/**
 * One progress line for a long loop (EM, VI optimization, VAE training) that updates in place:
 * in a notebook through a display id, elsewhere on standard error. Ends with a one-line summary.
 *
 * <pre>{@code
 * try (Progress p = Progress.start("EM", maxIterations)) {
 *     for (...) { ...; p.step("log-lik %.4f", ll); }
 *     p.finish("converged after %d iterations", it);
 * }
 * }</pre>
 */
public final class Progress implements AutoCloseable {
    private static final long MIN_INTERVAL_NANOS = 100_000_000L; // redraw at most 10 times a second
    private static final int BAR_WIDTH = 30;

    private final String label;
    private final long total;
    private final long startNanos = System.nanoTime();
    private final ProgressSink sink;
    private long done;
    private long lastDrawNanos;
    private String status = "";
    private boolean finished;

    private Progress(String label, long total, ProgressSink sink) {
        this.label = label;
        this.total = total;
        this.sink = sink;
        sink.open(render());
        lastDrawNanos = System.nanoTime();
    }

    /** Starts a progress line for {@code total} steps (total >= 1). */
    public static Progress start(String label, long total) {
        if (label == null || label.isBlank()) {
            throw new IllegalArgumentException("label: expected a non-blank name, got \"" + label + "\"");
        }
        if (total < 1) {
            throw new IllegalArgumentException("total: expected a number of steps >= 1, got " + total);
        }
        return start(label, total, ProgressSink.current());
    }

    static Progress start(String label, long total, ProgressSink sink) {
        return new Progress(label, total, sink);
    }

    /** One step done; {@code format} (may be null) describes the current state, e.g. a loss. */
    public void step(String format, Object... args) {
        advance(1, format, args);
    }

    /** {@code n} steps done at once. */
    public void advance(long n, String format, Object... args) {
        done = Math.min(total, done + n);
        if (format != null) {
            status = String.format(Locale.ROOT, format, args);
        }
        long now = System.nanoTime();
        if (now - lastDrawNanos >= MIN_INTERVAL_NANOS || done == total) {
            lastDrawNanos = now;
            sink.update(render());
        }
    }

    /** Steps completed so far. */
    public long done() {
        return done;
    }

    /** Replaces the line with a final summary (idempotent). */
    public void finish(String format, Object... args) {
        if (finished) {
            return;
        }
        finished = true;
        String summary = format == null ? status : String.format(Locale.ROOT, format, args);
        sink.finish(new Line(label, done, total, summary, elapsed(), true));
    }

    /** Finishes with the last status if {@link #finish} was not called (e.g. on an exception). */
    @Override
    public void close() {
        if (!finished) {
            finished = true;
            String why = done < total ? "stopped at " + done + "/" + total + (status.isEmpty() ? "" : ", " + status) : status;
            // a cell stopped from JupyterLab interrupts this thread, and the kernel's socket refuses to send
            // from an interrupted thread: clear the flag for the last update, then restore it
            boolean interrupted = Thread.interrupted();
            try {
                sink.finish(new Line(label, done, total, why, elapsed(), true));
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private Line render() {
        return new Line(label, done, total, status, elapsed(), false);
    }

    private Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /** One rendering of the progress state, as plain text and as HTML. */
    record Line(String label, long done, long total, String status, Duration elapsed, boolean finished) {
        String text() {
            String secs = String.format(Locale.ROOT, "%.1fs", elapsed.toMillis() / 1000.0);
            if (finished) {
                return label + ": " + (status.isEmpty() ? "done" : status) + " (" + done + "/" + total + " in " + secs + ")";
            }
            int filled = (int) (BAR_WIDTH * done / total);
            return label + " [" + "#".repeat(filled) + "-".repeat(BAR_WIDTH - filled) + "] " + done + "/" + total
                    + " " + secs + (status.isEmpty() ? "" : "  " + status);
        }

        String html() {
            String text = escape(text());
            if (finished) {
                return "<div class=\"latentvi-progress\" style=\"font-family:monospace\">&#10003; " + text + "</div>";
            }
            return "<div class=\"latentvi-progress\" style=\"font-family:monospace\"><progress value=\"" + done + "\" max=\""
                    + total + "\" style=\"width:16em;vertical-align:middle\"></progress> " + text + "</div>";
        }

        private static String escape(String s) {
            return TableHtml.escape(s);
        }
    }
}
