package dev.latentvi.math;

import java.util.Locale;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A Monte Carlo estimate: its value and its standard error (the estimated standard deviation of
 * the estimator itself, i.e. sample standard deviation / √m). An exact value has standard error 0.
 * Used for KL estimates, marginal-likelihood estimates, ELBOs and gradient estimates.
 *
 * @param value         the estimate
 * @param standardError its standard error (≥ 0; +∞ when it cannot be estimated, e.g. one sample)
 */
public record Estimate(double value, double standardError) {

    public Estimate {
        if (Double.isNaN(value)) {
            throw new IllegalArgumentException("value: expected a number, got NaN");
        }
        if (!(standardError >= 0)) {
            throw new IllegalArgumentException("standardError: expected a value >= 0, got " + standardError);
        }
    }

    /** An exact value (standard error 0). */
    public static Estimate exact(double value) {
        return new Estimate(value, 0);
    }

    /** Sample mean and its standard error s/√m of the m ≥ 1 draws (standard error +∞ for m = 1). */
    public static Estimate mean(double... samples) {
        if (samples == null || samples.length == 0) {
            throw new IllegalArgumentException("samples: expected at least one sample, got none");
        }
        int m = samples.length;
        double mean = 0;
        for (int i = 0; i < m; i++) {
            Check.finite("samples[" + i + "]", samples[i]);
            mean += samples[i];
        }
        mean /= m;
        if (m == 1) {
            return new Estimate(mean, Double.POSITIVE_INFINITY);
        }
        double ss = 0;
        for (double s : samples) {
            ss += (s - mean) * (s - mean);
        }
        return new Estimate(mean, Math.sqrt(ss / (m - 1) / m));
    }

    /** Sample mean and standard error of the values of a table column (e.g. the last steps of a training history). */
    public static Estimate mean(tech.tablesaw.api.NumericColumn<?> samples) {
        Check.notNull("samples", samples);
        return mean(samples.asDoubleArray());
    }

    /** Sample mean and standard error of the entries of {@code samples} (any shape, flattened). */
    public static Estimate mean(INDArray samples) {
        Check.notNull("samples", samples);
        return mean(samples.dup('c').data().asDouble());
    }

    /**
     * log of the mean of exp(logWeights) — e.g. a log marginal likelihood log p̂(x) from m
     * importance log-weights — with its delta-method standard error
     * se(p̂)/p̂ = sd(w)/(√m · mean(w)), computed with weights scaled by their maximum (no overflow).
     * {@code logWeights}: any shape, flattened, m ≥ 1 entries, no NaN or +∞.
     */
    public static Estimate logMeanExp(INDArray logWeights) {
        Check.notNull("logWeights", logWeights);
        return logMeanExp(logWeights.dup('c').data().asDouble());
    }

    /** As {@link #logMeanExp(INDArray)} for a double array. */
    public static Estimate logMeanExp(double... logWeights) {
        if (logWeights == null || logWeights.length == 0) {
            throw new IllegalArgumentException("logWeights: expected at least one log-weight, got none");
        }
        int m = logWeights.length;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < m; i++) {
            double v = logWeights[i];
            if (Double.isNaN(v) || v == Double.POSITIVE_INFINITY) {
                throw new IllegalArgumentException("logWeights[" + i + "]: expected a number < +inf, got " + v);
            }
            max = Math.max(max, v);
        }
        if (max == Double.NEGATIVE_INFINITY) {
            return new Estimate(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
        }
        double sum = 0;
        double sumSq = 0;
        for (double v : logWeights) {
            double w = Math.exp(v - max);
            sum += w;
            sumSq += w * w;
        }
        double mean = sum / m;
        double value = max + Math.log(mean);
        if (m == 1) {
            return new Estimate(value, Double.POSITIVE_INFINITY);
        }
        double var = Math.max(0, (sumSq - m * mean * mean) / (m - 1));
        return new Estimate(value, Math.sqrt(var / m) / mean);
    }

    /** value − z·se, e.g. z = 1.96 for a 95% normal interval. */
    public double lower(double z) {
        return value - z * standardError;
    }

    /** value + z·se. */
    public double upper(double z) {
        return value + z * standardError;
    }

    /** The estimate shifted by a constant (same standard error). */
    public Estimate plus(double c) {
        return new Estimate(value + c, standardError);
    }

    /**
     * This estimate minus an independent one: value − other.value, standard error
     * √(se² + other.se²) — e.g. {@code Estimate.exact(logPx).minus(elbo)}, the gap of a bound to an exact value.
     */
    public Estimate minus(Estimate other) {
        Check.notNull("other", other);
        return new Estimate(value - other.value, Math.hypot(standardError, other.standardError));
    }

    /** "value ± se". */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%.6g ± %.2g", value, standardError);
    }
}
