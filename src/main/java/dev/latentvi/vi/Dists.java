package dev.latentvi.vi;

import dev.latentvi.dist.Kl;
import dev.latentvi.dist.Normal;
import dev.latentvi.math.LogMath;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Shape-safe calls into dist for batches of one-dimensional Normals. With d = 1, ND4J's eager
 * reductions over the size-1 event axis keep that axis, so {@code Normal.logProb} fails for n > 1
 * ("Output array did not match expected shape") and entropy/KL come back {@code [n, 1]}. These
 * wrappers use the same formulas (dist and LogMath) and return the documented shapes.
 */
final class Dists {
    private Dists() {
    }

    /** log q(z): z {@code [r, d]} → {@code [r]} or {@code [m, n, d]} → {@code [m, n]}. */
    static INDArray logProb(Normal q, INDArray z) {
        long[] out = Arrays.copyOf(z.shape(), z.rank() - 1);
        if (q.dim() != 1) {
            return q.logProb(z).reshape(out);
        }
        INDArray mu = z.rank() == 3 ? q.mean() : q.mean().reshape(q.batchSize(), 1);
        INDArray logSigma = z.rank() == 3 ? q.logSigma() : q.logSigma().reshape(q.batchSize(), 1);
        return LogMath.normalLogDensity(z.castTo(mu.dataType()), mu, logSigma).reshape(out);   // the sum over d = 1 is the term itself
    }

    /** Σ over the columns of {@code [r, k]} → {@code [r]}, also for k = 1. */
    static INDArray rowSum(INDArray a) {
        return a.sum(1).reshape(a.size(0));
    }

    /** H(q) per row {@code [n]}. */
    static INDArray entropy(Normal q) {
        return q.entropy().reshape(q.batchSize());
    }

    /** KL(q ‖ p) per row of q {@code [n]}. */
    static INDArray kl(Normal q, Normal p) {
        return Kl.divergence(q, p).reshape(q.batchSize());
    }
}
