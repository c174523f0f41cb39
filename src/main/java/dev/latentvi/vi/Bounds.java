package dev.latentvi.vi;

import dev.latentvi.dist.Normal;
import dev.latentvi.math.Check;
import dev.latentvi.math.Estimates;
import dev.latentvi.math.LogMath;
import dev.latentvi.math.Rng;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The importance-weighted bound (IWAE) L_K = E_{z_1..z_K ~ q}[log (1/K) Σ_k p(x, z_k)/q(z_k)]:
 * L_1 is the ELBO, L_K ≤ L_{K+1} ≤ log p(x), and L_K → log p(x) as K → ∞ (Burda et al., 2016).
 */
public final class Bounds {
    private Bounds() {
    }

    /**
     * L_K for each point, estimated from {@code replicas} independent K-sample draws: x {@code [n, D]},
     * q {@code [n, d]} → {@code [n]} estimates (value and standard error over the replicas).
     */
    public static Estimates iwae(LatentModel model, Normal q, INDArray x, int k, int replicas, Rng rng) {
        Check.positive("k", k);
        Check.positive("replicas", replicas);
        INDArray z = Elbo.draw(model, q, x, k * replicas, rng);              // [R·K, n, d]
        INDArray logW = Elbo.logJoint(model, x, z).subi(Dists.logProb(q, z));       // [R·K, n]
        long n = logW.size(1);
        INDArray perReplica = LogMath.logMeanExp(logW.reshape(replicas, k, n), 1); // [R, n]
        return Estimates.mean(perReplica);
    }
}
