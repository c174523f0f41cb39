package dev.latentvi.vi;

import dev.latentvi.dist.GraphNormal;
import dev.latentvi.dist.MultivariateNormal;
import dev.latentvi.dist.Normal;
import dev.latentvi.math.Check;
import java.util.Optional;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A latent-variable model p(x, z) = p(x|z) p(z) as variational inference sees it: the log joint,
 * eagerly and as a differentiable SameDiff graph, and — when the model is tractable — the exact
 * log-evidence log p(x) and posterior p(z|x).
 *
 * <p>Row convention: x {@code [n, D]} and z {@code [n, d]} are paired row by row. Several latent
 * samples per point are stacked sample-major, z {@code [m·n, d]} with x tiled {@code m} times. In the
 * graph form x may also have a single row, broadcast against every row of z.
 */
public interface LatentModel {
    /** Latent dimension d. */
    int latentDim();

    /** Data dimension D. */
    int dataDim();

    /** log p(x|z): x {@code [n, D]}, z {@code [n, d]} → {@code [n]}. */
    INDArray logLikelihood(INDArray x, INDArray z);

    /** log p(x|z) as a graph: x {@code [n, D]} (or {@code [1, D]}), z {@code [n, d]} → {@code [n]}. */
    SDVariable logLikelihood(SameDiff sd, SDVariable x, SDVariable z);

    /** The prior p(z), a diagonal Normal with one row {@code [1, d]}; N(0, I) unless overridden. */
    default Normal prior() {
        return Normal.standard(latentDim());
    }

    /** log p(z): z {@code [n, d]} → {@code [n]}. */
    default INDArray logPrior(INDArray z) {
        Check.matrix("z", z, latentDim());
        Check.finite("z", z);
        return prior().logProb(z.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE));
    }

    /** log p(z) as a graph: z {@code [n, d]} → {@code [n]}. */
    default SDVariable logPrior(SameDiff sd, SDVariable z) {
        return GraphNormal.constant(sd, prior()).logProb(z);
    }

    /** log p(x, z) = log p(x|z) + log p(z): x {@code [n, D]}, z {@code [n, d]} → {@code [n]}. */
    default INDArray logJoint(INDArray x, INDArray z) {
        return logLikelihood(x, z).addi(logPrior(z));
    }

    /** log p(x, z) as a graph: x {@code [n, D]} (or {@code [1, D]}), z {@code [n, d]} → {@code [n]}. */
    default SDVariable logJoint(SameDiff sd, SDVariable x, SDVariable z) {
        return logLikelihood(sd, x, z).add(logPrior(sd, z));
    }

    /**
     * log p(x_i | z_si) for m samples per point: x {@code [n, D]}, z {@code [m, n, d]} → {@code [m, n]}. The
     * default tiles x m times and calls {@link #logLikelihood(INDArray, INDArray)}; models may broadcast instead.
     */
    default INDArray logLikelihoodSamples(INDArray x, INDArray z) {
        long m = z.size(0);
        long n = z.size(1);
        return logLikelihood(org.nd4j.linalg.factory.Nd4j.tile(x, (int) m, 1), z.reshape(m * n, z.size(2))).reshape(m, n);
    }

    /** log p(x_i, z_si) for m samples per point: x {@code [n, D]}, z {@code [m, n, d]} → {@code [m, n]}. */
    default INDArray logJointSamples(INDArray x, INDArray z) {
        Check.finite("z", z);
        return logLikelihoodSamples(x, z).addi(prior().logProb(z.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE)));
    }

    /** Exact log p(x) when tractable: x {@code [n, D]} → {@code [n]}; empty otherwise. */
    default Optional<INDArray> logEvidence(INDArray x) {
        return Optional.empty();
    }

    /** Exact Gaussian posterior p(z|x) when tractable: x {@code [n, D]} → n posteriors; empty otherwise. */
    default Optional<MultivariateNormal> posterior(INDArray x) {
        return Optional.empty();
    }
}
