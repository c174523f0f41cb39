package dev.latentvi.vi;

import dev.latentvi.math.Check;
import dev.latentvi.math.Estimate;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * One Monte Carlo estimate of ∇ E_q[r(z)] with respect to the p parameters of q: the per-sample
 * terms {@code [M, p]} and their mean {@code [p]}. The parameters are those of a {@link Parameters}
 * layout: (μ, log σ) of a diagonal Normal, p = 2d, or the logits of a Categorical or Bernoulli.
 */
public final class GradientEstimate {
    /** What the p parameters are. */
    public enum Parameters {
        /** μ then log σ of a d-dimensional diagonal Normal: p = 2d. */
        NORMAL,
        /** The logits of a Categorical ({@code [K]}) or Bernoulli ({@code [d]}). */
        LOGITS
    }

    private final INDArray samples;
    private final INDArray gradient;
    private final Parameters parameters;

    private GradientEstimate(INDArray samples, Parameters parameters) {
        this.samples = samples;
        this.gradient = samples.mean(0);
        this.parameters = parameters;
    }

    /** The estimate whose per-sample terms {@code [M, 2d]} are for a Normal's (μ, log σ). */
    static GradientEstimate normal(INDArray terms) {
        return new GradientEstimate(terms, Parameters.NORMAL);
    }

    /** The estimate whose per-sample terms {@code [M, K]} are for logits. */
    static GradientEstimate logits(INDArray terms) {
        return new GradientEstimate(terms, Parameters.LOGITS);
    }

    /** Per-sample terms {@code [M, p]}; their row mean is the estimate. */
    public INDArray samples() {
        return samples;
    }

    /** The estimate {@code [p]}. */
    public INDArray gradient() {
        return gradient;
    }

    /** What the parameters are. */
    public Parameters parameters() {
        return parameters;
    }

    /** The μ part of a Normal's estimate, {@code [d]}. */
    public INDArray mu() {
        requireNormal("mu");
        return gradient.get(NDArrayIndex.interval(0, gradient.length() / 2));
    }

    /** The log σ part of a Normal's estimate, {@code [d]}. */
    public INDArray logSigma() {
        requireNormal("logSigma");
        return gradient.get(NDArrayIndex.interval(gradient.length() / 2, gradient.length()));
    }

    /** Entry j of the μ part of a Normal's estimate, ∂/∂μ_j (0 ≤ j &lt; d). */
    public double mu(int j) {
        requireNormal("mu");
        Check.inRange("j", j, 0, gradient.length() / 2 - 1);
        return gradient.getDouble(j);
    }

    /** Entry j of the log σ part of a Normal's estimate, ∂/∂log σ_j (0 ≤ j &lt; d). */
    public double logSigma(int j) {
        requireNormal("logSigma");
        Check.inRange("j", j, 0, gradient.length() / 2 - 1);
        return gradient.getDouble(gradient.length() / 2 + j);
    }

    /** The estimate of a Categorical's or Bernoulli's logits, {@code [K]} or {@code [d]}. */
    public INDArray logits() {
        if (parameters != Parameters.LOGITS) {
            throw new IllegalStateException("logits: this estimate is for " + parameters + " parameters, not logits");
        }
        return gradient;
    }

    /** Sample variance of each parameter's per-sample terms {@code [p]} (the spread of a one-sample estimate). */
    public INDArray variance() {
        return samples.var(true, 0);
    }

    /** Sample variance of the per-sample terms of parameter column j (0..p−1; for a Normal, μ_j at j, log σ_j at d + j). */
    public double variance(int j) {
        Check.inRange("j", j, 0, samples.size(1) - 1);
        return variance().getDouble(j);
    }

    /** Sum of the per-parameter variances {@link #variance()} (the trace of the one-sample covariance). */
    public double totalVariance() {
        return variance().sumNumber().doubleValue();
    }

    /**
     * The largest |estimate − exact| / standard error over the p parameters, given the exact gradient
     * {@code exact [p]}: of order 1–3 for an unbiased estimator, growing with M for a biased one.
     */
    public double maxStandardizedBias(double[] exact) {
        Check.notNull("exact", exact);
        if (exact.length != gradient.length()) {
            throw new IllegalArgumentException("exact: expected " + gradient.length() + " entries (one per parameter), got " + exact.length);
        }
        double[] mean = gradient.toDoubleVector();
        INDArray se = standardError();
        double worst = 0;
        for (int k = 0; k < exact.length; k++) {
            worst = Math.max(worst, Math.abs(mean[k] - exact[k]) / se.getDouble(k));
        }
        return worst;
    }

    /** Standard error of each entry of the estimate {@code [p]}: √(variance / M). */
    public INDArray standardError() {
        return Transforms.sqrt(variance().divi(samples.size(0)), false);
    }

    /** The estimate of parameter column j (0..p−1; for a Normal, μ_j at j, log σ_j at d + j) with its standard error. */
    public Estimate estimate(int j) {
        Check.inRange("j", j, 0, samples.size(1) - 1);
        return new Estimate(gradient.getDouble(j), standardError().getDouble(j));
    }

    /** Per-sample terms of one parameter column (0..p−1), {@code [M]}, e.g. for a histogram. */
    public double[] sampleColumn(int column) {
        Check.inRange("column", column, 0, samples.size(1) - 1);
        return samples.getColumn(column).toDoubleVector();
    }

    private void requireNormal(String part) {
        if (parameters != Parameters.NORMAL) {
            throw new IllegalStateException(part + ": this estimate is for " + parameters + ", not a Normal's (μ, log σ)");
        }
    }

    @Override
    public String toString() {
        return "GradientEstimate[" + parameters + ", M=" + samples.size(0) + ", gradient=" + Arrays.toString(gradient.toDoubleVector()) + "]";
    }
}
