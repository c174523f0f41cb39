package dev.latentvi.homework;

import dev.latentvi.notebook.Displayable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A graded cell's result: the points earned as plain text (a single number, which nbgrader takes
 * as the cell's partial credit) and the {@link Feedback} as HTML above it, with the summary (and
 * the plain-text feedback) that {@code environment/homework-grade} reports.
 *
 * @param feedback the checked exercise
 */
public record Grade(Feedback feedback) implements Displayable {
    public Grade {
        if (feedback == null) {
            throw new IllegalArgumentException("feedback: expected a checked exercise, got null");
        }
    }

    /** The points earned (points × passed / total). */
    public double score() {
        return feedback.score();
    }

    @Override
    public Map<String, Object> mimeBundle() {
        Map<String, Object> bundle = new LinkedHashMap<>();
        bundle.put("text/plain", toString());
        bundle.put("text/html", feedback.html());
        Map<String, Object> summary = new LinkedHashMap<>(feedback.summary());
        summary.put("feedback", feedback.text());
        bundle.put(Feedback.MIME, summary);
        return bundle;
    }

    /** The score alone, e.g. {@code 1.5}. */
    @Override
    public String toString() {
        return Double.toString(score());
    }
}
