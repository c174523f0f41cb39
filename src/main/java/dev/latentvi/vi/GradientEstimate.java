package dev.latentvi.vi;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One Monte Carlo gradient estimate for the parameters (μ, log σ) of a d-dimensional Gaussian q.
 *
 * @param samples  per-sample terms {@code [M, 2d]}: columns 0..d−1 for μ, d..2d−1 for log σ; their
 *                 row mean is the estimate
 * @param gradient the estimate {@code [2d]}
 */
public record GradientEstimate(INDArray samples, INDArray gradient) {
    /** The μ part of the estimate, {@code [d]}. */
    public double[] mu() {
        int d = (int) gradient.length() / 2;
        double[] all = gradient.toDoubleVector();
        return java.util.Arrays.copyOfRange(all, 0, d);
    }

    /** The log σ part of the estimate, {@code [d]}. */
    public double[] logSigma() {
        int d = (int) gradient.length() / 2;
        double[] all = gradient.toDoubleVector();
        return java.util.Arrays.copyOfRange(all, d, 2 * d);
    }

    /** Per-sample terms of one parameter column (0..2d−1), {@code [M]}, e.g. for a histogram. */
    public double[] sampleColumn(int column) {
        return samples.getColumn(column).toDoubleVector();
    }
}
