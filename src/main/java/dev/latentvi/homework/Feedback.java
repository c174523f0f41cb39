package dev.latentvi.homework;

import dev.latentvi.notebook.Displayable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The result of checking one exercise: every case with pass/fail, expected vs got and a hint, and
 * the score (points × passed cases / all cases). In a notebook it renders as a coloured HTML list
 * (plus a machine-readable summary the grader reads); elsewhere {@link #toString()} is plain text.
 */
public final class Feedback implements Displayable {
    /** The MIME type of the machine-readable summary in a notebook output. */
    public static final String MIME = "application/vnd.latentvi.homework+json";

    private static final String NOT_ATTEMPTED = "the solution cell still throws \"your code here\": write your code between"
            + " the lines of that cell, run it, then run this check again";

    private final String title;
    private final double points;
    private final List<CaseResult> cases;
    private final Hidden hidden;

    /** Draws and runs hidden cases on the same student function. */
    @FunctionalInterface
    interface Hidden {
        List<CaseResult> run(int count, long seed);
    }

    Feedback(String title, double points, List<CaseResult> cases, Hidden hidden) {
        this.title = title;
        this.points = points;
        this.cases = List.copyOf(cases);
        this.hidden = hidden;
    }

    /**
     * This feedback plus {@code count} hidden random cases (per random generator of the exercise)
     * from seeds starting at {@code seed}: what a graded cell's "BEGIN HIDDEN TESTS" region adds.
     */
    public Feedback withHidden(int count, long seed) {
        if (hidden == null) {
            throw new IllegalStateException("exercise " + title + ": hidden cases are drawn from an exercise's random cases");
        }
        java.util.List<CaseResult> all = new java.util.ArrayList<>(cases);
        all.addAll(hidden.run(count, seed));
        return new Feedback(title, points, all, hidden);
    }

    /**
     * The points earned, as a graded cell's result: nbgrader reads a result that is a single
     * number as the cell's score (partial credit), so a graded cell ends with {@code .grade()}.
     * In a notebook the result shows this feedback (HTML) above the number.
     */
    public Grade grade() {
        return new Grade(this);
    }

    /** The exercise title. */
    public String title() {
        return title;
    }

    /** The points the exercise is worth. */
    public double points() {
        return points;
    }

    /** Every case, in order. */
    public List<CaseResult> cases() {
        return cases;
    }

    /** Number of passed cases. */
    public int passed() {
        return (int) cases.stream().filter(CaseResult::passed).count();
    }

    /** Whether every case passed. */
    public boolean allPassed() {
        return passed() == cases.size();
    }

    /** points × passed / total. */
    public double score() {
        return points * passed() / cases.size();
    }

    /** The first failed case, if any (handy in tests). */
    public java.util.Optional<CaseResult> firstFailure() {
        return cases.stream().filter(c -> !c.passed()).findFirst();
    }

    /** exercise, score, points, passed, total: what the grader reads. */
    public Map<String, Object> summary() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("exercise", title);
        m.put("score", score());
        m.put("points", points);
        m.put("passed", passed());
        m.put("total", cases.size());
        return m;
    }

    /** Whether no case could run because the stub still throws "your code here". */
    public boolean notAttempted() {
        return cases.stream().allMatch(c -> !c.passed() && c.got() != null && c.got().contains(StudentCode.STUB_MESSAGE)
                && c.got().startsWith("threw UnsupportedOperationException"));
    }

    /** HTML for people, plain text, and the grader's machine-readable summary. */
    @Override
    public Map<String, Object> mimeBundle() {
        Map<String, Object> bundle = new java.util.LinkedHashMap<>();
        bundle.put("text/html", html());
        bundle.put("text/plain", text());
        bundle.put(MIME, summary());
        return bundle;
    }

    /** Plain-text feedback, one line per case plus expected/got/hint lines under a failure. */
    public String text() {
        StringBuilder s = new StringBuilder();
        s.append(title).append(": ").append(headline()).append('\n');
        if (notAttempted()) {
            return s.append("  ✗ not attempted yet (").append(cases.size()).append(" cases): ").append(NOT_ATTEMPTED).append('\n').toString();
        }
        for (CaseResult c : cases) {
            s.append(c.passed() ? "  ✓ " : "  ✗ ").append(c.name());
            if (c.passed() && c.got() != null) {
                s.append(" (").append(c.got()).append(')');
            }
            s.append('\n');
            if (!c.passed()) {
                if (c.expected() != null) {
                    s.append("      expected: ").append(c.expected()).append('\n');
                }
                if (c.got() != null) {
                    s.append("      got:      ").append(c.got()).append('\n');
                }
                if (c.hint() != null) {
                    s.append("      hint:     ").append(c.hint()).append('\n');
                }
            }
        }
        return s.toString();
    }

    /** The same feedback as an HTML block with green/red marks. */
    public String html() {
        boolean ok = allPassed();
        StringBuilder h = new StringBuilder();
        h.append("<div class=\"latentvi-feedback\" style=\"border-left:4px solid ").append(ok ? "#2e7d32" : "#c62828")
                .append(";padding:4px 10px;font-family:sans-serif;font-size:13px\">");
        h.append("<div style=\"font-weight:bold\">").append(esc(title)).append(" — <span style=\"color:")
                .append(ok ? "#2e7d32" : passed() == 0 ? "#c62828" : "#e65100").append("\">").append(esc(headline()))
                .append("</span></div>");
        if (notAttempted()) {
            return h.append("<div><span style=\"color:#c62828\">✗</span> not attempted yet (").append(cases.size())
                    .append(" cases): ").append(esc(NOT_ATTEMPTED)).append("</div></div>").toString();
        }
        h.append("<ul style=\"list-style:none;margin:4px 0;padding-left:4px\">");
        for (CaseResult c : cases) {
            h.append("<li>").append(c.passed() ? "<span style=\"color:#2e7d32\">✓</span> " : "<span style=\"color:#c62828\">✗</span> ")
                    .append(esc(c.name()));
            if (c.passed() && c.got() != null) {
                h.append(" <span style=\"color:#555\">(").append(esc(c.got())).append(")</span>");
            }
            if (!c.passed()) {
                h.append("<div style=\"margin-left:1.5em;font-family:monospace\">");
                if (c.expected() != null) {
                    h.append("expected: ").append(esc(c.expected())).append("<br>");
                }
                if (c.got() != null) {
                    h.append("got: <span style=\"color:#c62828\">").append(esc(c.got())).append("</span><br>");
                }
                h.append("</div>");
                if (c.hint() != null) {
                    h.append("<div style=\"margin-left:1.5em;color:#1565c0\">hint: ").append(esc(c.hint())).append("</div>");
                }
            }
            h.append("</li>");
        }
        return h.append("</ul></div>").toString();
    }

    private String headline() {
        return String.format(Locale.ROOT, "%d/%d cases passed, score %s/%s", passed(), cases.size(), num(score()), num(points));
    }

    private static String num(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    @Override
    public String toString() {
        return text();
    }
}
