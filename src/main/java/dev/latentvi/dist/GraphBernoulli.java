package dev.latentvi.dist;

import dev.latentvi.internal.GraphOps;
import dev.latentvi.math.Check;
import dev.latentvi.math.LogMath;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * The graph twin of {@link Bernoulli}: independent coordinates with probabilities σ(logits), the
 * logits a SameDiff variable {@code [n, d]}. Densities are computed from the logits with an
 * overflow-free softplus. Not reparameterizable.
 */
public final class GraphBernoulli implements GraphDistribution {
    private final SDVariable logits;

    private GraphBernoulli(SDVariable logits) {
        this.logits = logits;
    }

    /** Bernoulli(σ(logits)) from a logits variable {@code [n, d]}. */
    public static GraphBernoulli ofLogits(SDVariable logits) {
        Check.notNull("logits", logits);
        return new GraphBernoulli(logits);
    }

    /** The logits. */
    public SDVariable logits() {
        return logits;
    }

    /** Probabilities σ(logits) {@code [n, d]}. */
    @Override
    public SDVariable mean() {
        return logits.getSameDiff().nn.sigmoid(logits);
    }

    /** Σ_d [x ℓ − softplus(ℓ)] over the last axis, x and logits broadcast: {@code [.., n, d] → [.., n]}; safe for d = 1. */
    @Override
    public SDVariable logProb(SDVariable x) {
        Check.notNull("x", x);
        SameDiff sd = logits.getSameDiff();
        return GraphOps.sumLast(sd, x.mul(logits).sub(LogMath.softplus(sd, logits)));
    }

    /** Σ_d [softplus(ℓ) − σ(ℓ) ℓ] per row {@code [n]}. */
    @Override
    public SDVariable entropy() {
        SameDiff sd = logits.getSameDiff();
        return GraphOps.sumLast(sd, LogMath.softplus(sd, logits).sub(mean().mul(logits)));
    }
}
