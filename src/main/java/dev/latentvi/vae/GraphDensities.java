package dev.latentvi.vae;

import dev.latentvi.dist.GraphBernoulli;
import dev.latentvi.dist.GraphNormal;
import dev.latentvi.dist.Bernoulli;
import dev.latentvi.dist.Kl;
import dev.latentvi.dist.Normal;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * The VAE's row-wise log densities, {@code [n, d] → [n]}: thin names over dev.latentvi.dist's
 * graph versions (one implementation of each formula; dist handles d = 1). The width {@code d} is
 * kept in the signatures for the callers' shape documentation.
 */
final class GraphDensities {
    private GraphDensities() {
    }

    /** Σ_d log Bernoulli(x; σ(logits)). */
    static SDVariable bernoulliLogits(SameDiff sd, SDVariable x, SDVariable logits, long d) {
        return GraphBernoulli.ofLogits(logits).logProb(x);
    }

    /** Σ_d log N(x; μ, σ²) given log σ (broadcastable to x). */
    static SDVariable normal(SameDiff sd, SDVariable x, SDVariable mean, SDVariable logSigma, long d) {
        return GraphNormal.of(mean, logSigma).logProb(x);
    }

    /** Σ_d log N(z; 0, 1). */
    static SDVariable standardNormal(SameDiff sd, SDVariable z, long d) {
        SDVariable zero = sd.zerosLike(z);
        return GraphNormal.of(zero, zero).logProb(z);
    }

    /** KL(N(μ, σ²) ‖ N(0, 1)) summed over d. */
    static SDVariable klToStandardNormal(SameDiff sd, SDVariable mean, SDVariable logSigma, long d) {
        return Kl.divergence(GraphNormal.of(mean, logSigma), GraphNormal.of(sd.zerosLike(mean), sd.zerosLike(mean)));
    }
}
