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
        return new Subject(statement, new double[] {value}, new double[] {0});
    }

    /** The claim about every one of several numbers (e.g. a ratio at every M): checked on the extreme one. */
    public static Subject every(String statement, double... values) {
        if (values == null || values.length == 0) {
            throw new IllegalArgumentException("values: expected at least one number, got " + (values == null ? "null" : "none"));
        }
        return new Subject(statement, values.clone(), new double[values.length]);
    }

    /** The claim about every one of several estimates (e.g. a bound at every K): each gets {@link #Z} of its own SEs. */
    public static Subject every(String statement, List<Estimate> values) {
        if (values == null || values.isEmpty()) {
            throw new IllegalArgumentException("values: expected at least one estimate, got " + (values == null ? "null" : "none"));
        }
        double[] v = new double[values.size()], se = new double[values.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = values.get(i).value();
            se[i] = values.get(i).standardError();
        }
        return new Subject(statement, v, se);
    }

    /** The claim about an estimate: inequalities allow {@link #Z} standard errors of noise. */
    public static Subject that(String statement, Estimate value) {
        if (value == null) {
            throw new IllegalArgumentException("value: expected an estimate, got null");
        }
        return new Subject(statement, new double[] {value.value()}, new double[] {value.standardError()});
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
        return monotone(statement, values, 1, "smallest step");
    }

    /** Each value ≤ the one before (strictly no tolerance): e.g. a rate as β grows. */
    public static Claim nonIncreasing(String statement, double... values) {
        return monotone(statement, values, -1, "smallest fall");
    }

    /** Holds when every step values[i] − values[i−1], times {@code sign}, is ≥ 0; reports the worst one. */
    private static Claim monotone(String statement, double[] values, int sign, String what) {
        if (values == null || values.length < 2) {
            throw new IllegalArgumentException("values: expected at least two numbers, got " + (values == null ? "null" : values.length));
        }
        int worst = 1;
        for (int i = 1; i < values.length; i++) {
            if (sign * (values[i] - values[i - 1]) < sign * (values[worst] - values[worst - 1])) {
                worst = i;
            }
        }
        double step = sign * (values[worst] - values[worst - 1]);
        return new Claim(statement, step >= 0, String.format(Locale.ROOT, "%d values, %s %s (from %s to %s)",
                values.length, what, num(step), num(values[worst - 1]), num(values[worst])));
    }

    /** As {@link #nonIncreasing(String, double...)} for a table column, in row order. */
    public static Claim nonIncreasing(String statement, tech.tablesaw.api.NumericColumn<?> values) {
        if (values == null) {
            throw new IllegalArgumentException("values: expected a numeric column, got null");
        }
        return nonIncreasing(statement, values.asDoubleArray());
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

    /** Computed numbers (one, or several for {@link #every}), each with a standard error (0 if exact), waiting for a relation. */
    public static final class Subject {
        private final String statement;
        private final double[] values;
        private final double[] ses;

        private Subject(String statement, double[] values, double[] ses) {
            if (statement == null || statement.isBlank()) {
                throw new IllegalArgumentException("statement: expected the claim in words, got " + (statement == null ? "null" : "a blank string"));
            }
            this.statement = statement;
            this.values = values;
            this.ses = ses;
        }

        /** value ≥ bound (an estimate: value + Z·SE ≥ bound; several: every one). */
        public Claim atLeast(double bound) {
            return check(i -> values[i] + Z * ses[i] >= bound, i -> bound - values[i] - Z * ses[i], "≥", num(bound), 0);
        }

        /** value ≤ bound (an estimate: value − Z·SE ≤ bound; several: every one). */
        public Claim atMost(double bound) {
            return check(i -> values[i] - Z * ses[i] <= bound, i -> values[i] - Z * ses[i] - bound, "≤", num(bound), 0);
        }

        /** value ≥ the other estimate, up to Z combined standard errors. */
        public Claim atLeast(Estimate other) {
            double o = other.standardError();
            return check(i -> values[i] + Z * Math.hypot(ses[i], o) >= other.value(),
                    i -> other.value() - values[i] - Z * Math.hypot(ses[i], o), "≥", est(other), o);
        }

        /** value ≤ the other estimate, up to Z combined standard errors. */
        public Claim atMost(Estimate other) {
            double o = other.standardError();
            return check(i -> values[i] - Z * Math.hypot(ses[i], o) <= other.value(),
                    i -> values[i] - Z * Math.hypot(ses[i], o) - other.value(), "≤", est(other), o);
        }

        /** low ≤ value ≤ high (an estimate: each side gets Z·SE; several: every one). */
        public Claim between(double low, double high) {
            if (!(low <= high)) {
                throw new IllegalArgumentException("low, high: expected low ≤ high, got " + low + " and " + high);
            }
            return check(i -> values[i] + Z * ses[i] >= low && values[i] - Z * ses[i] <= high,
                    i -> Math.max(low - values[i] - Z * ses[i], values[i] - Z * ses[i] - high),
                    "in", "[" + num(low) + ", " + num(high) + "]", 0);
        }

        /** |value − target| ≤ tolerance (an estimate: ≤ tolerance + Z·SE; several: every one). */
        public Claim within(double tolerance, double target) {
            if (!(tolerance >= 0)) {
                throw new IllegalArgumentException("tolerance: expected a value ≥ 0, got " + tolerance);
            }
            return check(i -> Math.abs(values[i] - target) <= tolerance + Z * ses[i],
                    i -> Math.abs(values[i] - target) - tolerance - Z * ses[i],
                    "=", tolerance == 0 ? num(target) : num(target) + " ± " + num(tolerance), 0);
        }

        /**
         * Holds when every value passes; the evidence shows the value that comes closest to failing
         * (largest {@code excess}, positive = failing), and for several values how many there were.
         */
        private Claim check(java.util.function.IntPredicate passes, java.util.function.IntToDoubleFunction excess,
                            String relation, String bound, double otherSe) {
            boolean ok = true;
            int worst = 0;
            double worstExcess = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < values.length; i++) {
                ok &= !Double.isNaN(values[i]) && passes.test(i);
                double e = Double.isNaN(values[i]) ? Double.POSITIVE_INFINITY : excess.applyAsDouble(i);
                if (e > worstExcess) {
                    worstExcess = e;
                    worst = i;
                }
            }
            String value = ses[worst] > 0 ? num(values[worst]) + " ± " + num(ses[worst]) : num(values[worst]);
            String which = values.length == 1 ? value : "worst of " + values.length + ": " + value;
            boolean noisy = ses[worst] > 0 || otherSe > 0;
            return new Claim(statement, ok, which + " " + relation + " " + bound + (noisy ? " (within " + num(Z) + " SE)" : ""));
        }
    }
}
