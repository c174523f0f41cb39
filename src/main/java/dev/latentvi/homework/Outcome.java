package dev.latentvi.homework;

/**
 * The verdict of one check case: passed, or failed with what was expected, what the student's
 * code gave, and a hint. Property checks (e.g. "EM never lowers the log-likelihood") return one.
 */
public record Outcome(boolean passed, String expected, String got, String hint) {
    /** A passing case. */
    public static Outcome pass() {
        return new Outcome(true, null, null, null);
    }

    /** A passing case with a note shown next to it (e.g. the measured value). */
    public static Outcome pass(String note) {
        return new Outcome(true, null, note, null);
    }

    /** A failing case: expected and got as short human-readable strings, and a hint (may be null). */
    public static Outcome fail(String expected, String got, String hint) {
        return new Outcome(false, expected, got, hint);
    }
}
