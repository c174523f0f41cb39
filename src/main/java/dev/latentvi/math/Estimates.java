package dev.latentvi.math;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.conditions.Conditions;
import org.nd4j.linalg.ops.transforms.Transforms;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * A batch of n Monte Carlo estimates, one per row of a batched distribution or data set:
 * {@code values [n]} and {@code standardErrors [n]} (both DOUBLE).
 *
 * @param values         the estimates {@code [n]}
 * @param standardErrors their standard errors {@code [n]} (0 for exact values)
 */
public record Estimates(INDArray values, INDArray standardErrors) {

    public Estimates {
        Check.notNull("values", values);
        Check.sameShape("standardErrors", standardErrors, "values", values);
        if (values.rank() != 1) {
            throw new IllegalArgumentException("values: expected shape [n], got " + Arrays.toString(values.shape()));
        }
    }

    /** Exact values {@code [n]} with zero standard errors. */
    public static Estimates exact(INDArray values) {
        return new Estimates(values, Nd4j.zerosLike(values));
    }

    /** Single estimates gathered into a batch {@code [n]}, in order (e.g. to show them as one table). */
    public static Estimates of(Estimate... estimates) {
        if (estimates == null || estimates.length == 0) {
            throw new IllegalArgumentException("estimates: expected at least one estimate, got none");
        }
        double[] values = new double[estimates.length];
        double[] errors = new double[estimates.length];
        for (int i = 0; i < estimates.length; i++) {
            Check.notNull("estimates[" + i + "]", estimates[i]);
            values[i] = estimates[i].value();
            errors[i] = estimates[i].standardError();
        }
        return new Estimates(Nd4j.createFromArray(values), Nd4j.createFromArray(errors));
    }

    /**
     * Column means and standard errors of {@code samples [m, n]} (m draws of n quantities):
     * values = mean over m, se = sample sd / √m (+∞ for m = 1).
     */
    public static Estimates mean(INDArray samples) {
        Check.matrix("samples", samples, -1);
        Check.finite("samples", samples);
        long m = samples.size(0);
        INDArray mean = samples.mean(0);
        if (m == 1) {
            return new Estimates(mean, Nd4j.valueArrayOf(mean.shape(), Double.POSITIVE_INFINITY, mean.dataType()));
        }
        INDArray sd = samples.std(true, 0); // bias-corrected
        return new Estimates(mean, sd.divi(Math.sqrt(m)));
    }

    /**
     * Per-column log-mean-exp of {@code logWeights [m, n]} with delta-method standard errors
     * (see {@link Estimate#logMeanExp(INDArray)}): n log marginal-likelihood estimates from m
     * importance log-weights each. A log-weight may be −∞ (a zero weight; a column of only −∞ gives
     * the estimate −∞ with standard error +∞); NaN and +∞ are rejected, naming the entry.
     */
    public static Estimates logMeanExp(INDArray logWeights) {
        Check.matrix("logWeights", logWeights, -1);
        Check.notNaN("logWeights", logWeights);
        double top = logWeights.maxNumber().doubleValue();
        if (top == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("logWeights: expected values < +∞ (log importance weights), got +∞");
        }
        long m = logWeights.size(0);
        INDArray max = logWeights.max(true, 0);
        INDArray shift = max.dup();
        BooleanIndexing.replaceWhere(shift, 0.0, Conditions.isInfinite());   // an all −∞ column: −∞ − (−∞) would be NaN
        INDArray w = Transforms.exp(logWeights.sub(shift), false);        // [m, n] in [0, 1]
        INDArray mean = w.mean(0);                                          // [n]
        INDArray values = Transforms.log(mean, true).addi(shift.reshape(shift.length()));
        INDArray se;
        if (m == 1) {
            se = Nd4j.valueArrayOf(values.shape(), Double.POSITIVE_INFINITY, values.dataType());
        } else {
            se = w.std(true, 0).divi(Math.sqrt(m)).divi(mean);
            BooleanIndexing.replaceWhere(se, Double.POSITIVE_INFINITY, Conditions.isNan());   // 0 / 0 for an all −∞ column
        }
        return new Estimates(values, se);
    }

    /** Number of estimates n. */
    public long size() {
        return values.length();
    }

    /** The i-th estimate, 0 ≤ i &lt; n. */
    public Estimate get(long i) {
        if (i < 0 || i >= size()) {
            throw new IllegalArgumentException("i: expected an index in [0, " + size() + "), got " + i);
        }
        return new Estimate(values.getDouble(i), standardErrors.getDouble(i));
    }

    /** The mean of the n values (e.g. the average ELBO over a batch of points). */
    public double meanValue() {
        return values.meanNumber().doubleValue();
    }

    /** The average of the n estimates as one estimate: mean value, standard error √(Σ SE²)/n (independent estimates). */
    public Estimate average() {
        double n = values.length();
        return new Estimate(meanValue(), Math.sqrt(standardErrors.mul(standardErrors).sumNumber().doubleValue()) / n);
    }

    /** The mean of the n standard errors (the typical precision of one estimate, not the SE of {@link #meanValue()}). */
    public double meanStandardError() {
        return standardErrors.meanNumber().doubleValue();
    }

    /**
     * The estimates as a table: a text column {@code label} with one name per estimate, then
     * "value" and "standard error" (n rows, in order).
     */
    public Table table(String title, String label, String... names) {
        if (title == null || title.isBlank()) {
            throw new IllegalArgumentException("title: expected a non-blank text, got " + (title == null ? "null" : "\"" + title + "\""));
        }
        if (label == null || label.isBlank()) {
            throw new IllegalArgumentException("label: expected a non-blank column name, got " + (label == null ? "null" : "\"" + label + "\""));
        }
        if (names == null || names.length != size()) {
            throw new IllegalArgumentException("names: expected one name per estimate (" + size() + "), got "
                    + (names == null ? "null" : names.length));
        }
        return Table.create(title, StringColumn.create(label, names),
                DoubleColumn.create("value", values.toDoubleVector()),
                DoubleColumn.create("standard error", standardErrors.toDoubleVector()));
    }
}
