package dev.latentvi.vi;

import dev.latentvi.dist.Normal;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Row-wise wrappers around the dist graph formulas. SameDiff 1.0.0-M2.1 fails while
 * differentiating a reduction of a rank-2 array over an axis of size 1 ("this.x is null", e.g.
 * {@code [n, 1].sum(-1)} for a one-dimensional latent); the same reduction of a rank-3 array works.
 * These wrappers lift rows {@code [r, k]} to {@code [r, 1, k]}, call the dist formula, and flatten.
 */
final class Graphs {
    private Graphs() {
    }

    /** Σ_k log N(x; μ, exp(logσ)²) per row: x, mu, logSigma {@code [r, k]} (broadcastable) → {@code [r]}. */
    static SDVariable normalLogProb(SameDiff sd, SDVariable x, SDVariable mu, SDVariable logSigma, long k) {
        return Normal.logProb(sd, lift(x, k), lift(mu, k), lift(logSigma, k)).reshape(-1);
    }

    /** Entropy of N(μ, exp(logσ)²) per row: logSigma {@code [r, k]} → {@code [r]}. */
    static SDVariable normalEntropy(SameDiff sd, SDVariable logSigma, long k) {
        return Normal.entropy(sd, lift(logSigma, k)).reshape(-1);
    }

    /** KL(N(μ, exp(logσ)²) ‖ N(0, I)) per row: mu, logSigma {@code [r, k]} → {@code [r]}. */
    static SDVariable klToStandard(SameDiff sd, SDVariable mu, SDVariable logSigma, long k) {
        return dev.latentvi.dist.Kl.normalToStandard(sd, lift(mu, k), lift(logSigma, k)).reshape(-1);
    }

    /** Mean over the first axis of {@code [m, n]} → {@code [n]} (safe for m = 1). */
    static SDVariable meanOverSamples(SDVariable values, long m, long n) {
        return values.reshape(m, n, 1).mean(0).reshape(n);
    }

    /**
     * Builds the gradient function of {@code sd} without SameDiff's "Added differentiated op ..."
     * lines on standard output (one per op, printed when the gradient graph is first built).
     */
    static void createGradFunctionQuietly(SameDiff sd, String... placeholdersRequiringGradients) {
        java.io.PrintStream out = System.out;
        synchronized (Graphs.class) {
            System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
            try {
                sd.createGradFunction(placeholdersRequiringGradients);
            } finally {
                System.setOut(out);
            }
        }
    }

    private static SDVariable lift(SDVariable v, long k) {
        boolean scalar = v.getVariableType() == org.nd4j.autodiff.samediff.VariableType.CONSTANT && v.getArr().length() == 1;
        return scalar ? v : v.reshape(-1, 1, k);
    }
}
