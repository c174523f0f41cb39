package dev.latentvi.vi;

import dev.latentvi.math.Check;
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

    /** Standard error of each entry of the estimate {@code [p]}: √(variance / M). */
    public INDArray standardError() {
        return Transforms.sqrt(variance().divi(samples.size(0)), false);
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
