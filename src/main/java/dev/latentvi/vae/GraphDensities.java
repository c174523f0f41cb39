package dev.latentvi.vae;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Row-wise log densities on SameDiff graphs, each summed over the last dimension of {@code [n, d]}
 * to {@code [n]}. Temporary home until dev.latentvi.dist provides graph log densities.
 */
final class GraphDensities {
    private static final double LOG_2PI = Math.log(2 * Math.PI);

    private GraphDensities() {
    }

    /** Σ_d [x log σ(l) + (1 − x) log(1 − σ(l))] = Σ_d [x l − softplus(l)], stable in the logits l. */
    static SDVariable bernoulliLogits(SameDiff sd, SDVariable x, SDVariable logits, long d) {
        return rowSum(sd, x.mul(logits).sub(sd.nn.softplus(logits)), d);
    }

    /** Σ_d log N(x; μ, σ²) given log σ (broadcastable to x). */
    static SDVariable normal(SameDiff sd, SDVariable x, SDVariable mean, SDVariable logSigma, long d) {
        SDVariable u = x.sub(mean).div(sd.math.exp(logSigma));
        return rowSum(sd, u.mul(u).mul(-0.5).sub(logSigma), d).sub(0.5 * d * LOG_2PI);
    }

    /** Σ_d log N(z; 0, 1). */
    static SDVariable standardNormal(SameDiff sd, SDVariable z, long d) {
        return rowSum(sd, z.mul(z), d).mul(-0.5).sub(0.5 * d * LOG_2PI);
    }

    /** KL(N(μ, σ²) ‖ N(0, 1)) summed over d: ½ Σ (μ² + σ² − 1 − 2 log σ). */
    static SDVariable klToStandardNormal(SameDiff sd, SDVariable mean, SDVariable logSigma, long d) {
        SDVariable var = sd.math.exp(logSigma.mul(2));
        return rowSum(sd, mean.mul(mean).add(var).sub(1.0).sub(logSigma.mul(2)), d).mul(0.5);
    }

    /**
     * Σ over the last dimension of {@code [n, d]}. For d = 1 a reshape: SameDiff M2.1 cannot
     * differentiate a reduction over a dimension of size 1 (a NullPointerException in BaseReduceOp.noOp).
     */
    static SDVariable rowSum(SameDiff sd, SDVariable v, long d) {
        return d == 1 ? sd.reshape(v, -1) : sd.sum(v, 1);
    }
}
