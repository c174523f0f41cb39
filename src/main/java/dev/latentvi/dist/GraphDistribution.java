package dev.latentvi.dist;

import org.nd4j.autodiff.samediff.SDVariable;

/**
 * The graph twin of a {@link Distribution}: the same verbs on SameDiff variables, so a model
 * trained by autodiff uses the same names as the eager code. Shapes follow {@link Distribution}:
 * parameters {@code [n, d]}, events {@code [n, d]} or {@code [m, n, d]}, results with the event
 * axis summed away ({@code [n]} or {@code [m, n]}); arguments broadcast against each other.
 */
public interface GraphDistribution {

    /** log density / mass of x summed over the event (last) axis: {@code [.., n, d] → [.., n]}. */
    SDVariable logProb(SDVariable x);

    /** Entropy of each row {@code [n]}. */
    SDVariable entropy();

    /** Mean of each row {@code [n, d]}. */
    SDVariable mean();

    /** Whether {@link GraphNormal#rsample} style reparameterized draws exist (gradients flow through the draw). */
    default boolean hasRsample() {
        return false;
    }
}
