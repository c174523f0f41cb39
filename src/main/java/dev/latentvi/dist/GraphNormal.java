package dev.latentvi.dist;

import dev.latentvi.internal.GraphOps;
import dev.latentvi.math.Check;
import dev.latentvi.math.LogMath;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * The graph twin of {@link Normal}: diagonal Gaussians N(μ, diag exp(log σ)²) with μ and log σ
 * SameDiff variables ({@code [n, d]}, or anything that broadcasts: a {@code [1, d]} prior, a scalar
 * log σ). Reparameterizable: {@link #rsample} is z = μ + σ ⊙ ε for a noise variable ε.
 *
 * <pre>{@code
 * GraphNormal q = GraphNormal.of(head.mean(), head.logSigma());
 * SDVariable z = q.rsample(eps);                 // eps [m, n, d] → z [m, n, d]
 * SDVariable kl = Kl.divergence(q, GraphNormal.constant(sd, Normal.standard(d)));   // [n]
 * }</pre>
 */
public final class GraphNormal implements GraphDistribution {
    private final SDVariable mu;
    private final SDVariable logSigma;

    private GraphNormal(SDVariable mu, SDVariable logSigma) {
        this.mu = mu;
        this.logSigma = logSigma;
    }

    /** N(μ, diag exp(logSigma)²) from graph variables of one graph; shapes broadcast. */
    public static GraphNormal of(SDVariable mu, SDVariable logSigma) {
        Check.notNull("mu", mu);
        Check.notNull("logSigma", logSigma);
        if (mu.getSameDiff() != logSigma.getSameDiff()) {
            throw new IllegalArgumentException("logSigma: expected a variable of mu's graph, got one from another graph");
        }
        return new GraphNormal(mu, logSigma);
    }

    /** An eager {@link Normal} as graph constants in {@code sd} (e.g. the prior N(0, I) as {@code [1, d]}). */
    public static GraphNormal constant(SameDiff sd, Normal p) {
        Check.notNull("sd", sd);
        Check.notNull("p", p);
        return new GraphNormal(sd.constant(p.mean()), sd.constant(p.logSigma()));
    }

    /** The graph this distribution lives in. */
    public SameDiff sameDiff() {
        return mu.getSameDiff();
    }

    /** μ. */
    @Override
    public SDVariable mean() {
        return mu;
    }

    /** log σ. */
    public SDVariable logSigma() {
        return logSigma;
    }

    /** σ = exp(log σ). */
    public SDVariable stddev() {
        return sameDiff().math.exp(logSigma);
    }

    @Override
    public boolean hasRsample() {
        return true;
    }

    /** z = μ + σ ⊙ ε for standard-normal noise ε ({@code [n, d]} or {@code [m, n, d]}); z has ε's shape. */
    public SDVariable rsample(SDVariable eps) {
        Check.notNull("eps", eps);
        return mu.add(stddev().mul(eps));
    }

    /** Σ_d log N(x; μ, σ²) over the last axis: {@code [n, d] → [n]}, {@code [m, n, d] → [m, n]}; safe for d = 1. */
    @Override
    public SDVariable logProb(SDVariable x) {
        Check.notNull("x", x);
        SameDiff sd = sameDiff();
        SDVariable u = x.sub(mu).mul(sd.math.exp(logSigma.neg()));
        SDVariable elem = u.mul(u).mul(-0.5).sub(logSigma).sub(LogMath.HALF_LOG_2PI);
        return GraphOps.sumLast(sd, elem);
    }

    /** Σ_d log σ + ½ d (1 + log 2π) per row {@code [n]} (μ's rows when log σ broadcasts). */
    @Override
    public SDVariable entropy() {
        SameDiff sd = sameDiff();
        SDVariable full = logSigma.add(sd.zerosLike(mu));        // broadcast log σ to μ's shape
        return GraphOps.sumLast(sd, full.add(0.5 * (1 + LogMath.LOG_2PI)));
    }
}
