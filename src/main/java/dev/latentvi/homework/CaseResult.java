package dev.latentvi.homework;

/**
 * One case of an exercise check after running it: its name, whether it passed, and for a failure
 * what was expected, what the student's code gave (or the exception it threw), and a hint.
 */
public record CaseResult(String name, boolean passed, String expected, String got, String hint) {
    static CaseResult of(String name, Outcome o) {
        return new CaseResult(name, o.passed(), o.expected(), o.got(), o.hint());
    }
}
