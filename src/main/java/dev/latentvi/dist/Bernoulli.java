package dev.latentvi.dist;

import dev.latentvi.math.Check;
import dev.latentvi.math.LogMath;
import dev.latentvi.math.Rng;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A batch of n products of d independent Bernoullis, parameterized by logits ℓ {@code [n, d]}
 * (p = σ(ℓ)); all log-probabilities are computed from the logits (softplus), never from p.
 * Events are {@code [d]} vectors of 0/1 (logProb also accepts values in [0, 1], the usual
 * cross-entropy on grey-level images).
 */
public final class Bernoulli implements Distribution {
    private final INDArray logits;

    private Bernoulli(INDArray logits) {
        this.logits = logits;
    }

    /** From logits ℓ {@code [n, d]} (or {@code [d]}), finite. */
    public static Bernoulli ofLogits(INDArray logits) {
        INDArray l = Normal.rows("logits", logits);
        Check.finite("logits", l);
        return new Bernoulli(l);
    }

    /** From probabilities p {@code [n, d]} (or {@code [d]}) strictly inside (0, 1). */
    public static Bernoulli ofProbs(INDArray probs) {
        INDArray p = Normal.rows("probs", probs);
        Check.finite("probs", p);
        double min = p.minNumber().doubleValue();
        double max = p.maxNumber().doubleValue();
        if (!(min > 0 && max < 1)) {
            throw new IllegalArgumentException("probs: expected every entry in (0, 1), got range [" + min + ", " + max + "]");
        }
        return new Bernoulli(Transforms.log(p, true).subi(Transforms.log1p(p.neg(), false)));
    }

    /** Number of rows n. */
    @Override
    public long batchSize() {
        return logits.size(0);
    }

    /** Event dimension d. */
    public long dim() {
        return logits.size(1);
    }

    /** Logits ℓ {@code [n, d]}. */
    public INDArray logits() {
        return logits;
    }

    /** Probabilities p = σ(ℓ) {@code [n, d]}. */
    public INDArray probs() {
        return Transforms.sigmoid(logits, true);
    }

    /** p {@code [n, d]}. */
    @Override
    public INDArray mean() {
        return probs();
    }

    /** √(p(1 − p)) {@code [n, d]}. */
    @Override
    public INDArray stddev() {
        return stddev(probs());
    }

    /** √(p(1 − p)) elementwise: the standard deviation of a 0/1 variable with P(1) = p (any shape). */
    static INDArray stddev(INDArray p) {
        return Transforms.sqrt(p.mul(p.rsub(1.0)), false);
    }

    /** One 0/1 draw per row {@code [n, d]}. */
    @Override
    public INDArray sample(Rng rng) {
        Check.notNull("rng", rng);
        return rng.uniform(logits.shape()).lt(probs()).castTo(logits.dataType());
    }

    /** m 0/1 draws per row {@code [m, n, d]}. */
    @Override
    public INDArray sample(Rng rng, int m) {
        Check.notNull("rng", rng);
        Check.positive("m", m);
        INDArray u = rng.uniform(m, logits.size(0), logits.size(1));
        // as [1, n, d]: ND4J's broadcast of an [n, 1] matrix straight to rank 3 fails
        INDArray p = probs().reshape(1, logits.size(0), logits.size(1));
        return u.lt(p.broadcast(u.shape())).castTo(logits.dataType());
    }

    /**
     * Σ_d [x ℓ − softplus(ℓ)] = Σ_d log p(x): {@code [n, d] → [n]}, {@code [m, n, d] → [m, n]}
     * (n = 1 broadcasts); x in [0, 1].
     */
    @Override
    public INDArray logProb(INDArray x) {
        Check.notNull("x", x);
        long n = logits.size(0);
        long d = logits.size(1);
        int r = x.rank();
        if (!((r == 2 || r == 3) && x.size(r - 1) == d && (x.size(r - 2) == n || n == 1))) {
            throw new IllegalArgumentException("x: expected shape [" + n + ", " + d + "] or [m, " + n + ", " + d + "], got "
                    + Arrays.toString(x.shape()));
        }
        INDArray xd = Normal.asDouble(x);
        Check.unitInterval("x", xd);
        return xd.mul(logits).subi(LogMath.softplus(logits)).sum(r - 1);
    }

    /** Σ_d [p softplus(−ℓ) + (1 − p) softplus(ℓ)] of each row {@code [n]}. */
    @Override
    public INDArray entropy() {
        INDArray p = probs();
        INDArray spNeg = LogMath.softplus(logits.neg());
        INDArray spPos = LogMath.softplus(logits);
        return p.mul(spNeg).addi(p.rsub(1.0).muli(spPos)).sum(1);
    }

    @Override
    public String toString() {
        return "Bernoulli[n=" + batchSize() + ", d=" + dim() + "]";
    }
}
