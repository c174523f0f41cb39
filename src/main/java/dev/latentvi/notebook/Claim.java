package dev.latentvi.notebook;

import dev.latentvi.math.Estimate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A quantitative statement of a notebook's prose checked against the number the notebook just
 * computed: an inequality or a tolerance, never a hard-coded result. It shows as ✓ or ✗ with the
 * number, and {@code environment/execute_notebook.py} fails naming the notebook, the cell and the
 * statement when one does not hold.
 *
 * <pre>{@code
 * Claim.that("score-function variance / reparameterized variance", ratio).atLeast(5)
 * Claim.that("IWAE with K = 64 stays below log p(x)", lk).atMost(logPx)   // an Estimate: within 3 SE
 * Claim.nonDecreasing("L_K rises with K", bounds)                         // a List<Estimate>
 * }</pre>
 *
 * @param statement what the prose says, in words
 * @param holds     whether the computed number satisfies it
 * @param evidence  the number(s) and the relation checked, e.g. {@code 12.4 ≥ 5}
 */
public record Claim(String statement, boolean holds, String evidence) implements Displayable {
    /** MIME type of the machine-readable form that the notebook runner checks. */
    public static final String MIME = "application/vnd.latentvi.claims+json";
    /** Standard errors of slack an {@link Estimate} gets in an inequality (one-sided, ≈ 0.1 % by chance). */
    public static final double Z = 3.0;

    public Claim {
        if (statement == null || statement.isBlank()) {
            throw new IllegalArgumentException("statement: expected the claim in words, got " + (statement == null ? "null" : "a blank string"));
        }
        if (evidence == null) {
            throw new IllegalArgumentException("evidence: expected the checked relation, got null");
        }
    }

    /** The claim about one computed number; finish it with a relation, e.g. {@code .atLeast(5)}. */
    public static Subject that(String statement, double value) {
        return new Subject(statement, new double[] {value}, 0);
    }

    /** The claim about every one of several numbers (e.g. a ratio at every M): checked on the extreme one. */
    public static Subject every(String statement, double... values) {
        if (values == null || values.length == 0) {
            throw new IllegalArgumentException("values: expected at least one number, got " + (values == null ? "null" : "none"));
        }
        return new Subject(statement, values.clone(), 0);
    }

    /** The claim about an estimate: inequalities allow {@link #Z} standard errors of noise. */
    public static Subject that(String statement, Estimate value) {
        if (value == null) {
            throw new IllegalArgumentException("value: expected an estimate, got null");
        }
        return new Subject(statement, new double[] {value.value()}, value.standardError());
    }

    /** As {@link #every(String, double...)} for a table column (e.g. a per-point gap). */
    public static Subject every(String statement, tech.tablesaw.api.NumericColumn<?> values) {
        if (values == null) {
            throw new IllegalArgumentException("values: expected a numeric column, got null");
        }
        return every(statement, values.asDoubleArray());
    }

    /** As {@link #every(String, double...)} for the entries of an array (any shape). */
    public static Subject every(String statement, INDArray values) {
        if (values == null) {
            throw new IllegalArgumentException("values: expected an array, got null");
        }
        return every(statement, values.dup('c').data().asDouble());
    }

    /** A boolean fact the notebook computed (e.g. "every sample is finite"), with what it looked at. */
    public static Claim that(String statement, boolean holds, String evidence) {
        return new Claim(statement, holds, evidence);
    }

    /** Each value ≥ the one before (strictly no tolerance): e.g. a log-likelihood over EM iterations. */
    public static Claim nonDecreasing(String statement, double... values) {
        if (values == null || values.length < 2) {
            throw new IllegalArgumentException("values: expected at least two numbers, got " + (values == null ? "null" : values.length));
        }
        int worst = 1;
        for (int i = 1; i < values.length; i++) {
            if (values[i] - values[i - 1] < values[worst] - values[worst - 1]) {
                worst = i;
            }
        }
        double step = values[worst] - values[worst - 1];
        return new Claim(statement, step >= 0, String.format(Locale.ROOT, "%d values, smallest step %s (from %s to %s)",
                values.length, num(step), num(values[worst - 1]), num(values[worst])));
    }

    /** As {@link #nonDecreasing(String, double...)} for a table column, in row order. */
    public static Claim nonDecreasing(String statement, tech.tablesaw.api.NumericColumn<?> values) {
        if (values == null) {
            throw new IllegalArgumentException("values: expected a numeric column, got null");
        }
        return nonDecreasing(statement, values.asDoubleArray());
    }

    /** Each estimate ≥ the one before up to {@link #Z} combined standard errors. */
    public static Claim nonDecreasing(String statement, List<Estimate> values) {
        if (values == null || values.size() < 2) {
            throw new IllegalArgumentException("values: expected at least two estimates, got " + (values == null ? "null" : values.size()));
        }
        int worst = 1;
        double worstZ = Double.POSITIVE_INFINITY;
        for (int i = 1; i < values.size(); i++) {
            Estimate a = values.get(i - 1), b = values.get(i);
            double se = Math.hypot(a.standardError(), b.standardError());
            double z = se > 0 ? (b.value() - a.value()) / se : (b.value() >= a.value() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY);
            if (z < worstZ) {
                worstZ = z;
                worst = i;
            }
        }
        Estimate a = values.get(worst - 1), b = values.get(worst);
        return new Claim(statement, worstZ >= -Z, String.format(Locale.ROOT,
                "%d estimates, smallest step %s (from %s to %s, %s combined SE)", values.size(),
                num(b.value() - a.value()), est(a), est(b), num(worstZ)));
    }

    @Override
    public Map<String, Object> mimeBundle() {
        return Claims.of(this).mimeBundle();
    }

    /** {@code ✓ statement: evidence} (✗ when it does not hold). */
    @Override
    public String toString() {
        return (holds ? "✓ " : "✗ ") + statement + ": " + evidence;
    }

    Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("statement", statement);
        m.put("holds", holds);
        m.put("evidence", evidence);
        return m;
    }

    static String num(double v) {
        if (Double.isInfinite(v) || Double.isNaN(v)) {
            return Double.toString(v);
        }
        double a = Math.abs(v);
        if (a != 0 && (a < 1e-3 || a >= 1e6)) {
            return String.format(Locale.ROOT, "%.3e", v);
        }
        return new java.math.BigDecimal(v).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
    }

    static String est(Estimate e) {
        return e.standardError() == 0 ? num(e.value()) : num(e.value()) + " ± " + num(e.standardError());
    }

    /** Computed numbers (one, or several for {@link #every}) with a standard error (0 if exact), waiting for a relation. */
    public static final class Subject {
        private final String statement;
        private final double[] values;
        private final double lo;
        private final double hi;
        private final double se;

        private Subject(String statement, double[] values, double se) {
            if (statement == null || statement.isBlank()) {
                throw new IllegalArgumentException("statement: expected the claim in words, got " + (statement == null ? "null" : "a blank string"));
            }
            this.statement = statement;
            this.values = values;
            double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
            boolean nan = false;
            for (double v : values) {
                nan |= Double.isNaN(v);
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            this.lo = nan ? Double.NaN : min;
            this.hi = nan ? Double.NaN : max;
            this.se = se;
        }

        /** value ≥ bound (an estimate: value + Z·SE ≥ bound; several values: the smallest). */
        public Claim atLeast(double bound) {
            return make(lo + Z * se >= bound, lo, "≥", num(bound), se > 0);
        }

        /** value ≤ bound (an estimate: value − Z·SE ≤ bound; several values: the largest). */
        public Claim atMost(double bound) {
            return make(hi - Z * se <= bound, hi, "≤", num(bound), se > 0);
        }

        /** value ≥ the other estimate, up to Z combined standard errors. */
        public Claim atLeast(Estimate other) {
            double s = Math.hypot(se, other.standardError());
            return make(lo + Z * s >= other.value(), lo, "≥", est(other), s > 0);
        }

        /** value ≤ the other estimate, up to Z combined standard errors. */
        public Claim atMost(Estimate other) {
            double s = Math.hypot(se, other.standardError());
            return make(hi - Z * s <= other.value(), hi, "≤", est(other), s > 0);
        }

        /** lo ≤ value ≤ hi (for an estimate each side gets Z·SE; several values: all of them). */
        public Claim between(double low, double high) {
            if (!(low <= high)) {
                throw new IllegalArgumentException("low, high: expected low ≤ high, got " + low + " and " + high);
            }
            boolean ok = lo + Z * se >= low && hi - Z * se <= high;
            return new Claim(statement, ok, range() + " in [" + num(low) + ", " + num(high) + "]" + slack(se > 0));
        }

        /** |value − target| ≤ tolerance (an estimate: ≤ tolerance + Z·SE; several values: the farthest). */
        public Claim within(double tolerance, double target) {
            if (!(tolerance >= 0)) {
                throw new IllegalArgumentException("tolerance: expected a value ≥ 0, got " + tolerance);
            }
            double gap = Math.max(Math.abs(lo - target), Math.abs(hi - target));
            return new Claim(statement, gap <= tolerance + Z * se,
                    range() + " = " + num(target) + " ± " + num(tolerance) + " (off by " + num(gap) + ")" + slack(se > 0));
        }

        private Claim make(boolean ok, double extreme, String relation, String bound, boolean noisy) {
            String what = values.length == 1 ? (se > 0 ? num(extreme) + " ± " + num(se) : num(extreme))
                    : (relation.equals("≥") ? "min " : "max ") + num(extreme) + " of " + values.length;
            return new Claim(statement, !Double.isNaN(extreme) && ok, what + " " + relation + " " + bound + slack(noisy));
        }

        private String range() {
            if (values.length == 1) {
                return se > 0 ? num(values[0]) + " ± " + num(se) : num(values[0]);
            }
            return values.length + " values from " + num(lo) + " to " + num(hi);
        }

        private String slack(boolean noisy) {
            return noisy ? " (within " + num(Z) + " SE)" : "";
        }
    }
}
