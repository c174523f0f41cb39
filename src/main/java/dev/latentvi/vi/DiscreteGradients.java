package dev.latentvi.vi;

import dev.latentvi.dist.Bernoulli;
import dev.latentvi.dist.Categorical;
import dev.latentvi.dist.Distribution;
import dev.latentvi.math.Check;
import dev.latentvi.math.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import java.util.Map;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Gradient estimators of ∇_ℓ E_{q_ℓ}[r(z)] for discrete latents with logits ℓ, where the
 * reparameterization trick does not apply (z is not a differentiable function of ℓ).
 *
 * <ul>
 *   <li>Score function (REINFORCE), unbiased: (1/M) Σ_j (r(z_j) − b) ∇_ℓ log q(z_j), with
 *       ∇_ℓ log q(k) = onehot(k) − softmax(ℓ) for a Categorical and b − σ(ℓ) for a Bernoulli.</li>
 *   <li>Gumbel-softmax / Concrete relaxation — <b>BIASED</b>: replaces z by a relaxed sample
 *       y = softmax((ℓ + g)/τ) (binary: σ((ℓ + L)/τ)), evaluates r and ∇r at y and differentiates through y.
 *       Low variance, but its expectation is not the true gradient; the bias shrinks as the
 *       temperature τ → 0 while the variance grows (Jang et al., 2017; Maddison et al., 2017).</li>
 * </ul>
 * The objective r is an {@link Objective} on event vectors: one-hot rows {@code [m, K]} for a
 * Categorical, 0/1 rows {@code [m, d]} for a Bernoulli; the relaxed estimators need its gradient.
 * Every estimate returns per-sample terms {@code [M, K or d]} and their mean
 * ({@link GradientEstimate.Parameters#LOGITS}); the argument order (r, q, ...) is that of {@link GradientEstimators}.
 */
public final class DiscreteGradients {
    private DiscreteGradients() {
    }

    /**
     * The estimates of one exact gradient {@code exact [K]} side by side, one row per entry of
     * {@code estimates} in its iteration order (use a LinkedHashMap): "estimator", "per-sample variance
     * (sum over logits)" ({@link GradientEstimate#totalVariance()}) and "|bias| / SE (max over logits)"
     * ({@link GradientEstimate#maxStandardizedBias}).
     */
    public static Table table(String title, Map<String, GradientEstimate> estimates, double[] exact) {
        if (title == null || title.isBlank()) {
            throw new IllegalArgumentException("title: expected a non-blank text, got " + (title == null ? "null" : "\"" + title + "\""));
        }
        if (estimates == null || estimates.isEmpty()) {
            throw new IllegalArgumentException("estimates: expected at least one named estimate, got " + (estimates == null ? "null" : "none"));
        }
        StringColumn name = StringColumn.create("estimator");
        DoubleColumn variance = DoubleColumn.create("per-sample variance (sum over logits)");
        DoubleColumn bias = DoubleColumn.create("|bias| / SE (max over logits)");
        for (Map.Entry<String, GradientEstimate> e : estimates.entrySet()) {
            Check.notNull("estimates[" + e.getKey() + "]", e.getValue());
            name.append(e.getKey());
            variance.append(e.getValue().totalVariance());
            bias.append(e.getValue().maxStandardizedBias(exact));
        }
        return Table.create(title, name, variance, bias);
    }

    /** Score-function estimate for a Categorical with logits {@code [K]}. */
    public static GradientEstimate scoreFunction(Objective r, Categorical q, int m, Baseline baseline, Rng rng) {
        INDArray p = checkCategorical(q, r, m, rng);
        int k = (int) q.numClasses();
        INDArray onehot = oneHot(q.sample(rng, m).reshape(m), k);          // [m, K]
        INDArray weight = centered(r.value(onehot), baseline, m);           // [m]
        INDArray terms = onehot.subRowVector(p).muliColumnVector(weight.reshape(m, 1));
        return GradientEstimate.logits(terms);
    }

    /** Score-function estimate for a Bernoulli with logits {@code [d]}. */
    public static GradientEstimate scoreFunction(Objective r, Bernoulli q, int m, Baseline baseline, Rng rng) {
        INDArray p = checkBernoulli(q, r, m, rng);
        INDArray b = q.sample(rng, m).reshape(m, q.dim());                  // [m, d]
        INDArray weight = centered(r.value(b), baseline, m);
        INDArray terms = b.subRowVector(p).muliColumnVector(weight.reshape(m, 1));
        return GradientEstimate.logits(terms);
    }

    /** BIASED Gumbel-softmax estimate for a Categorical at temperature τ > 0 (needs ∇r). */
    public static GradientEstimate gumbelSoftmax(Objective r, Categorical q, double temperature, int m, Rng rng) {
        checkCategorical(q, r, m, rng);
        Check.positive("temperature", temperature);
        requireGradient(r);
        int k = (int) q.numClasses();
        INDArray u = rng.uniform(m, k);
        INDArray gumbel = Transforms.log(Transforms.log(clampOpen(u), false).negi(), false).negi();   // −log(−log U)
        INDArray y = Transforms.softmax(gumbel.addiRowVector(q.logProbs().reshape(1, k)).divi(temperature), false);
        INDArray g = r.gradient(y);                                          // [m, K]
        INDArray yg = y.mul(g).sum(1).reshape(m, 1);
        INDArray terms = y.mul(g.subColumnVector(yg)).divi(temperature);     // Jᵀ∇r, J = (diag y − y yᵀ)/τ
        return GradientEstimate.logits(terms);
    }

    /** BIASED binary-Concrete (Gumbel-sigmoid) estimate for a Bernoulli at temperature τ > 0 (needs ∇r). */
    public static GradientEstimate gumbelSoftmax(Objective r, Bernoulli q, double temperature, int m, Rng rng) {
        checkBernoulli(q, r, m, rng);
        Check.positive("temperature", temperature);
        requireGradient(r);
        int d = (int) q.dim();
        INDArray u = clampOpen(rng.uniform(m, d));
        INDArray logistic = Transforms.log(u, true).subi(Transforms.log(u.rsub(1.0), false));      // log U − log(1 − U)
        INDArray y = Transforms.sigmoid(logistic.addiRowVector(q.logits().reshape(1, d)).divi(temperature), false);
        INDArray terms = r.gradient(y).muli(y).muli(y.rsub(1.0)).divi(temperature);
        return GradientEstimate.logits(terms);
    }

    /** Exact ∇_ℓ E_q[r] for a Categorical {@code [K]}: p ⊙ (f − p·f) with f_k = r(onehot(k)). */
    public static double[] exactGradient(Objective r, Categorical q) {
        INDArray p = checkCategorical(q, r, 1, Rng.seeded(0));
        int k = (int) q.numClasses();
        INDArray f = r.value(Nd4j.eye(k).castTo(DataType.DOUBLE)).reshape(1, k);
        double pf = p.mul(f).sumNumber().doubleValue();
        return p.mul(f.sub(pf)).reshape(k).toDoubleVector();
    }

    /** Exact ∇_ℓ E_q[r] for a Bernoulli {@code [d]} (d ≤ 16) by enumerating all 2^d events. */
    public static double[] exactGradient(Objective r, Bernoulli q) {
        INDArray p = checkBernoulli(q, r, 1, Rng.seeded(0));
        int d = (int) q.dim();
        if (d > 16) {
            throw new IllegalArgumentException("q: expected at most 16 dimensions to enumerate, got " + d);
        }
        int count = 1 << d;
        double[][] events = new double[count][d];
        for (int e = 0; e < count; e++) {
            for (int j = 0; j < d; j++) {
                events[e][j] = (e >> j) & 1;
            }
        }
        INDArray b = Nd4j.createFromArray(events);                            // [2^d, d]
        INDArray logQ = q.logProb(b);                                         // [2^d]
        INDArray w = Transforms.exp(logQ, false).muli(r.value(b)).reshape(count, 1);
        return b.subRowVector(p).muliColumnVector(w).sum(0).toDoubleVector();
    }

    private static INDArray centered(INDArray reward, Baseline baseline, int m) {
        Check.notNull("baseline", baseline);
        if (baseline instanceof Baseline.LeaveOneOut) {
            if (m < 2) {
                throw new IllegalArgumentException("m: expected at least 2 samples for the leave-one-out baseline, got " + m);
            }
            double total = reward.sumNumber().doubleValue();
            return reward.mul(m / (m - 1.0)).subi(total / (m - 1));         // r_j − (Σr − r_j)/(m − 1)
        }
        if (baseline instanceof Baseline.RunningMean running) {
            double b = running.value();
            running.update(reward.meanNumber().doubleValue());
            return reward.sub(b);
        }
        return reward;
    }

    private static INDArray oneHot(INDArray indices, int k) {
        long m = indices.length();
        INDArray classes = Nd4j.arange(k).castTo(DataType.DOUBLE).reshape(1, k).broadcast(m, k);
        return indices.castTo(DataType.DOUBLE).reshape(m, 1).broadcast(m, k).eq(classes).castTo(DataType.DOUBLE);
    }

    private static INDArray clampOpen(INDArray u) {
        return Transforms.max(Transforms.min(u, 1 - 1e-12, false), 1e-300, false);
    }

    private static void requireGradient(Objective r) {
        if (!r.differentiable()) {
            throw new IllegalArgumentException("r: expected a differentiable objective for the relaxed estimator, got a black box");
        }
    }

    private static INDArray checkCategorical(Categorical q, Objective r, int m, Rng rng) {
        Check.notNull("q", q);
        checkSingle(q, q.numClasses(), "one-hot vectors", r, m, rng);
        return q.probs().reshape(1, q.numClasses());
    }

    private static INDArray checkBernoulli(Bernoulli q, Objective r, int m, Rng rng) {
        Check.notNull("q", q);
        checkSingle(q, q.dim(), "vectors", r, m, rng);
        return q.probs().reshape(1, q.dim());
    }

    /** q is a single distribution over {@code events} of length {@code dim}, and r is an objective on them. */
    private static void checkSingle(Distribution q, long dim, String events, Objective r, int m, Rng rng) {
        Check.notNull("r", r);
        Check.positive("m", m);
        Check.notNull("rng", rng);
        if (q.batchSize() != 1) {
            throw new IllegalArgumentException("q: expected a single distribution (batch size 1), got " + q.batchSize());
        }
        if (r.dim() != dim) {
            throw new IllegalArgumentException("r: expected an objective on " + events + " of length " + dim + ", got dimension " + r.dim());
        }
    }
}
