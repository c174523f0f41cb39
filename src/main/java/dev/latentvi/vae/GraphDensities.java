package dev.latentvi.vae;

import dev.latentvi.dist.Bernoulli;
import dev.latentvi.dist.Kl;
import dev.latentvi.dist.Normal;
import java.util.function.Function;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * The VAE's row-wise log densities, {@code [n, d] → [n]}, from dev.latentvi.dist's graph versions
 * (one implementation of each formula). Adapter for d = 1: SameDiff M2.1 cannot differentiate a
 * reduction over an axis of size 1 (NullPointerException in BaseReduceOp.noOp), so one-dimensional
 * arguments are passed as two identical columns and the row sum halved — exact, same formula.
 */
final class GraphDensities {
    private GraphDensities() {
    }

    /** Σ_d log Bernoulli(x; σ(logits)). */
    static SDVariable bernoulliLogits(SameDiff sd, SDVariable x, SDVariable logits, long d) {
        return safe(sd, d, a -> Bernoulli.logProb(sd, a[0], a[1]), x, logits);
    }

    /** Σ_d log N(x; μ, σ²) given log σ (broadcastable to x). */
    static SDVariable normal(SameDiff sd, SDVariable x, SDVariable mean, SDVariable logSigma, long d) {
        return safe(sd, d, a -> Normal.logProb(sd, a[0], a[1], a[2]), x, mean, logSigma);
    }

    /** Σ_d log N(z; 0, 1). */
    static SDVariable standardNormal(SameDiff sd, SDVariable z, long d) {
        SDVariable zero = sd.zerosLike(z);
        return safe(sd, d, a -> Normal.logProb(sd, a[0], a[1], a[1]), z, zero);
    }

    /** KL(N(μ, σ²) ‖ N(0, 1)) summed over d. */
    static SDVariable klToStandardNormal(SameDiff sd, SDVariable mean, SDVariable logSigma, long d) {
        return safe(sd, d, a -> Kl.normalToStandard(sd, a[0], a[1]), mean, logSigma);
    }

    private static SDVariable safe(SameDiff sd, long d, Function<SDVariable[], SDVariable> f, SDVariable... args) {
        if (d != 1) {
            return f.apply(args);
        }
        SDVariable[] twice = new SDVariable[args.length];
        for (int i = 0; i < args.length; i++) {
            twice[i] = sd.concat(1, args[i], args[i]);
        }
        return f.apply(twice).mul(0.5);
    }
}
