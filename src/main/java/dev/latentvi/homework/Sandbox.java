package dev.latentvi.homework;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Runs the student part of a check under three guards: a time limit (an endless loop ends the
 * check, not the grading), a cap on what the code prints (kept, cut, and shown on standard output —
 * never standard error, which nbgrader scores as a failure), and {@link ExitGuard} (System.exit
 * from notebook code throws instead of ending the kernel).
 */
final class Sandbox {
    /** Lines of the student's printed output kept per check. */
    static final int MAX_LINES = 40;
    /** Characters of the student's printed output kept per check. */
    static final int MAX_CHARS = 8_000;

    private Sandbox() {
    }

    /** What a guarded run gave: the body's value, or null with {@code timedOut} set; and the student's (cut) output. */
    record Run<T>(T value, boolean timedOut, String output) {
    }

    /**
     * Runs {@code body} on a fresh thread for at most {@code limit}; everything printed meanwhile is
     * captured. On time-out the thread is stopped where the JVM still allows it (Java 17), else
     * interrupted and abandoned. Errors thrown by {@code body} are rethrown here.
     */
    @SuppressWarnings({"deprecation", "removal"})
    static <T> Run<T> run(Duration limit, Supplier<T> body) {
        dev.latentvi.notebook.ExitGuard.install();
        AtomicReference<T> value = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Capture capture = new Capture();
        PrintStream out = System.out;
        PrintStream err = System.err;
        PrintStream sink = new PrintStream(capture, true, StandardCharsets.UTF_8);
        Thread worker = new Thread(() -> {
            try {
                value.set(body.get());
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "latentvi-check");
        worker.setDaemon(true);
        System.setOut(sink);
        System.setErr(sink);
        boolean timedOut;
        try {
            worker.start();
            worker.join(Math.max(1, limit.toMillis()));
            timedOut = worker.isAlive();
            if (timedOut) {
                stop(worker);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop(worker);
            timedOut = true;
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        if (!timedOut && failure.get() != null) {
            Throwable t = failure.get();
            if (t instanceof RuntimeException r) {
                throw r;
            }
            if (t instanceof Error e) {
                throw e;
            }
            throw new IllegalStateException(t);
        }
        return new Run<>(timedOut ? null : value.get(), timedOut, capture.text());
    }

    /** "timed out after 20 s". */
    static String timedOutMessage(Duration limit) {
        return "timed out after " + seconds(limit);
    }

    /** "20 s", or "2.5 s" for a limit that is not a whole number of seconds. */
    static String seconds(Duration limit) {
        double s = limit.toMillis() / 1000.0;
        return (s == Math.rint(s) ? Long.toString((long) s) : String.format(Locale.ROOT, "%.1f", s)) + " s";
    }

    @SuppressWarnings({"deprecation", "removal"})
    private static void stop(Thread worker) {
        worker.interrupt();
        try {
            worker.stop();              // Java 17: ends an endless loop; later JVMs refuse
        } catch (UnsupportedOperationException refused) {
            // the thread stays a daemon busy on its loop; the check has already returned
        }
        try {
            worker.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A byte sink that keeps the first {@link #MAX_CHARS} characters and counts the lines. */
    private static final class Capture extends OutputStream {
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private long lines;
        private long bytes;

        @Override
        public synchronized void write(int b) {
            bytes++;
            if (b == '\n') {
                lines++;
            }
            if (kept.size() < MAX_CHARS * 4L && lines < MAX_LINES + 1) {
                kept.write(b);
            }
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            for (int i = off; i < off + len; i++) {
                write(b[i]);
            }
        }

        synchronized String text() {
            if (bytes == 0) {
                return "";
            }
            String s = kept.toString(StandardCharsets.UTF_8);
            boolean cut = false;
            if (s.length() > MAX_CHARS) {
                s = s.substring(0, MAX_CHARS);
                cut = true;
            }
            String[] ls = s.split("\n", -1);
            if (ls.length > MAX_LINES) {
                s = String.join("\n", java.util.Arrays.copyOf(ls, MAX_LINES));
                cut = true;
            }
            if (cut || bytes > kept.size()) {
                s = s.stripTrailing() + "\n… output cut (" + lines + " lines, " + bytes + " bytes printed in all)";
            }
            return s.endsWith("\n") ? s : s + "\n";
        }
    }
}
