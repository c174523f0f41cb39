package dev.latentvi.dist;

import dev.latentvi.math.Check;
import dev.latentvi.math.LogMath;
import dev.latentvi.math.Rng;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.conditions.Conditions;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A batch of n categorical distributions over K classes {0, …, K−1}, stored as normalized
 * log-probabilities {@code [n, K]} (a zero probability is −∞). Events are class indices (scalars),
 * held as integral DOUBLE values: {@code sample(rng)} is {@code [n]}, {@code sample(rng, m)} is {@code [m, n]}.
 */
public final class Categorical implements Distribution {
    private final INDArray logProbs;

    private Categorical(INDArray logProbs) {
        this.logProbs = logProbs;
    }

    /** From unnormalized logits {@code [n, K]} (or {@code [K]}), finite or −∞, at least one finite per row. */
    public static Categorical ofLogits(INDArray logits) {
        INDArray l = Normal.rows("logits", logits);
        INDArray rowMax = l.max(1);
        double minRowMax = rowMax.minNumber().doubleValue();
        double maxEntry = l.maxNumber().doubleValue();
        if (BooleanIndexing.or(l, Conditions.isNan())) {
            throw new IllegalArgumentException("logits: expected numbers or -inf, found NaN");
        }
        if (!(minRowMax > Double.NEGATIVE_INFINITY) || !(maxEntry < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("logits: expected finite values (or -inf) with at least one finite value per row, got row max "
                    + minRowMax + ", overall max " + maxEntry);
        }
        return new Categorical(l.subColumnVector(LogMath.logSumExp(l, 1, true)));
    }

    /** From probabilities (or any non-negative weights) {@code [n, K]} (or {@code [K]}); each row is normalized and must have a positive sum. */
    public static Categorical ofProbs(INDArray probs) {
        INDArray p = Normal.rows("probs", probs);
        Check.finite("probs", p);
        double min = p.minNumber().doubleValue();
        if (min < 0) {
            throw new IllegalArgumentException("probs: expected every entry >= 0, got minimum " + min);
        }
        double minSum = p.sum(1).minNumber().doubleValue();
        if (!(minSum > 0)) {
            throw new IllegalArgumentException("probs: expected every row to have a positive sum, got minimum row sum " + minSum);
        }
        return new Categorical(Transforms.log(p.divColumnVector(p.sum(true, 1)), true));
    }

    /** Number of rows n. */
    @Override
    public long batchSize() {
        return logProbs.size(0);
    }

    /** Number of classes K. */
    public long numClasses() {
        return logProbs.size(1);
    }

    /** Normalized log-probabilities {@code [n, K]}. */
    public INDArray logProbs() {
        return logProbs;
    }

    /** Probabilities {@code [n, K]}. */
    public INDArray probs() {
        return Transforms.exp(logProbs, true);
    }

    /** The mean of the one-hot event: the probabilities {@code [n, K]}. */
    @Override
    public INDArray mean() {
        return probs();
    }

    /** √(p(1 − p)) {@code [n, K]}: the standard deviation of each one-hot coordinate. */
    @Override
    public INDArray stddev() {
        INDArray p = probs();
        return Transforms.sqrt(p.mul(p.rsub(1.0)), false);
    }

    /** One class index per row {@code [n]} (Gumbel-max). */
    @Override
    public INDArray sample(Rng rng) {
        return sample(rng, 1).reshape(batchSize());
    }

    /** m class indices per row {@code [m, n]} (Gumbel-max: argmax over K of log p + Gumbel noise). */
    @Override
    public INDArray sample(Rng rng, int m) {
        Check.notNull("rng", rng);
        Check.positive("m", m);
        long n = batchSize();
        long k = numClasses();
        INDArray u = rng.uniform(m, n, k);
        // Gumbel noise −log(−log u); u = 0 would be −∞ − fine for argmax, but keep it finite
        INDArray g = Transforms.log(Transforms.log(u.addi(Double.MIN_NORMAL), false).negi(), false).negi();
        INDArray scores = g.addi(logProbs);
        return Nd4j.argMax(scores, 2).castTo(DataType.DOUBLE);
    }

    /** log p(x) for class indices x {@code [n]} → {@code [n]} or {@code [m, n]} → {@code [m, n]} (n = 1 broadcasts). */
    @Override
    public INDArray logProb(INDArray x) {
        Check.notNull("x", x);
        long n = batchSize();
        int k = Math.toIntExact(numClasses());
        int r = x.rank();
        if (!((r == 1 || r == 2) && (x.size(r - 1) == n || n == 1))) {
            throw new IllegalArgumentException("x: expected class indices of shape [" + n + "] or [m, " + n + "], got "
                    + Arrays.toString(x.shape()));
        }
        double[] xs = x.dup('c').data().asDouble();
        double[] table = logProbs.dup('c').data().asDouble();
        long cols = x.size(r - 1);
        double[] out = new double[xs.length];
        for (int i = 0; i < xs.length; i++) {
            double c = xs[i];
            if (!(c >= 0 && c < k && c == Math.rint(c))) {
                throw new IllegalArgumentException("x: expected class indices in {0, ..., " + (k - 1) + "}, got " + c + " at flat index " + i);
            }
            long row = n == 1 ? 0 : i % cols;
            out[i] = table[(int) (row * k + (int) c)];
        }
        return Nd4j.create(out, x.shape(), DataType.DOUBLE);
    }

    /** −Σ_k p_k log p_k of each row {@code [n]} (0 log 0 = 0). */
    @Override
    public INDArray entropy() {
        return plogq(logProbs, logProbs).negi();
    }

    /** Σ_k p_k · logQ_k per row with p = exp(logP), treating p_k = 0 terms as 0: {@code [n, K] → [n]}. */
    static INDArray plogq(INDArray logP, INDArray logQ) {
        INDArray p = Transforms.exp(logP, true);
        INDArray prod = p.mul(logQ);
        // 0 · (−∞) = NaN → 0 where p = 0
        BooleanIndexing.replaceWhere(prod, 0.0, Conditions.isNan());
        return prod.sum(1);
    }

    @Override
    public String toString() {
        return "Categorical[n=" + batchSize() + ", K=" + numClasses() + "]";
    }
}
