package dev.latentvi.dist;

import dev.latentvi.math.Check;
import dev.latentvi.math.Estimates;
import dev.latentvi.internal.GraphOps;
import dev.latentvi.math.LogMath;
import dev.latentvi.math.Rng;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * KL divergence D_KL(p‖q) = E_{x~p}[log p(x) − log q(x)] between two batches of distributions,
 * row by row. Closed forms live in a registry keyed by the pair of concrete types; built in are
 * Normal–Normal, Normal–MultivariateNormal, MultivariateNormal–MultivariateNormal,
 * MultivariateNormal–Normal, Bernoulli–Bernoulli, Categorical–Categorical, and (by quadrature on
 * the grid) Normal–GridDensity and GridDensity–Normal; {@link #register} adds more.
 * {@link #divergence(Distribution, Distribution, Rng, int)} falls back to Monte Carlo with
 * standard errors when no closed form is registered. Batches: p has n rows, q has n rows or one
 * row (broadcast); results are {@code [n]}. The same registry serves the graph twins
 * ({@link GraphDistribution}): {@link #divergence(GraphDistribution, GraphDistribution)} gives a
 * differentiable {@code [n]} variable.
 */
public final class Kl {
    private static final Map<Class<?>, Map<Class<?>, BiFunction<Distribution, Distribution, INDArray>>> REGISTRY =
            new ConcurrentHashMap<>();

    private static final Map<Class<?>, Map<Class<?>, BiFunction<GraphDistribution, GraphDistribution, SDVariable>>> GRAPH_REGISTRY =
            new ConcurrentHashMap<>();

    static {
        registerGraph(GraphNormal.class, GraphNormal.class, Kl::graphNormalNormal);
        register(Normal.class, Normal.class, Kl::normalNormal);
        register(Normal.class, MultivariateNormal.class, Kl::normalMultivariate);
        register(MultivariateNormal.class, MultivariateNormal.class, Kl::multivariateMultivariate);
        register(MultivariateNormal.class, Normal.class, Kl::multivariateNormal);
        register(Normal.class, GridDensity.class, Kl::normalGrid);
        register(GridDensity.class, Normal.class, Kl::gridNormal);
        register(Bernoulli.class, Bernoulli.class, Kl::bernoulliBernoulli);
        register(Categorical.class, Categorical.class, Kl::categoricalCategorical);
    }

    private Kl() {
    }

    /** Registers a closed form for the pair (P, Q); it must return {@code [n]}. Replaces an earlier one. */
    @SuppressWarnings("unchecked")
    public static <P extends Distribution, Q extends Distribution> void register(Class<P> p, Class<Q> q,
            BiFunction<P, Q, INDArray> kl) {
        REGISTRY.computeIfAbsent(p, k -> new ConcurrentHashMap<>())
                .put(q, (a, b) -> kl.apply((P) a, (Q) b));
    }

    /** Whether a closed form is registered for the types of p and q. */
    public static boolean hasAnalytic(Distribution p, Distribution q) {
        Check.notNull("p", p);
        Check.notNull("q", q);
        return lookup(p, q) != null;
    }

    /**
     * Exact D_KL(p‖q) per row {@code [n]} from the registry; IllegalArgumentException when no
     * closed form is registered for the pair (use the Monte Carlo overload then).
     */
    public static INDArray divergence(Distribution p, Distribution q) {
        Check.notNull("p", p);
        Check.notNull("q", q);
        BiFunction<Distribution, Distribution, INDArray> f = lookup(p, q);
        if (f == null) {
            throw new IllegalArgumentException("(p, q): expected a pair with a closed-form KL, got (" + p.getClass().getSimpleName()
                    + ", " + q.getClass().getSimpleName() + "); use Kl.divergence(p, q, rng, samples) for a Monte Carlo estimate");
        }
        checkBatch(p, q);
        return f.apply(p, q);
    }

    /**
     * D_KL(p‖q) per row as {@link Estimates} {@code [n]}: the closed form (standard error 0) when
     * one is registered, otherwise a Monte Carlo estimate from {@code samples} draws of p.
     */
    public static Estimates divergence(Distribution p, Distribution q, Rng rng, int samples) {
        if (hasAnalytic(p, q)) {
            return Estimates.exact(divergence(p, q));
        }
        return monteCarlo(p, q, rng, samples);
    }

    /**
     * Always Monte Carlo: mean over m draws x ~ p of log p(x) − log q(x), with its standard error,
     * per row {@code [n]} (m ≥ 2).
     */
    public static Estimates monteCarlo(Distribution p, Distribution q, Rng rng, int samples) {
        Check.notNull("p", p);
        Check.notNull("q", q);
        Check.notNull("rng", rng);
        if (samples < 2) {
            throw new IllegalArgumentException("samples: expected at least 2 draws for a standard error, got " + samples);
        }
        checkBatch(p, q);
        INDArray x = p.sample(rng, samples);                 // [m, n, ...]
        INDArray diff = p.logProb(x).subi(q.logProb(x));     // [m, n]
        return Estimates.mean(diff);
    }

    // ---- closed forms ----

    /** Σ_d [log σq − log σp + (σp² + (μp − μq)²) / (2σq²) − ½] per row. */
    static INDArray normalNormal(Normal p, Normal q) {
        checkDim(p.dim(), q.dim());
        INDArray varRatio = p.stddev().div(q.stddev().broadcast(p.stddev().shape()));
        varRatio.muli(varRatio);
        INDArray t = p.mean().sub(q.mean()).divi(q.stddev());
        return varRatio.addi(t.muli(t)).subi(1.0).muli(0.5).subi(p.logSigma().sub(q.logSigma())).sum(1);
    }

    /**
     * ½[tr(Λ S) + (μ − m)ᵀ Λ (μ − m) − d + log |Σ| − log |S|] for q = N(m, S = diag σ²) and p = N(μ, Σ = Λ⁻¹).
     */
    static INDArray normalMultivariate(Normal q, MultivariateNormal p) {
        checkDim(q.dim(), p.dim());
        GaussianFactor f = p.factor();
        INDArray trace = q.variance().mulRowVector(GaussianFactor.diagonal(f.precision()).reshape(1, p.dim())).sum(1);
        INDArray quad = f.mahalanobis(q.mean().sub(p.mean()));
        INDArray logDetS = q.logSigma().sum(1).muli(2);
        return trace.addi(quad).subi(q.dim()).addi(f.logDet()).subi(logDetS).muli(0.5);
    }

    /** ½[tr(Λ_q Σ_p) + (μ_q − μ_p)ᵀ Λ_q (μ_q − μ_p) − d + log |Σ_q| − log |Σ_p|]. */
    static INDArray multivariateMultivariate(MultivariateNormal p, MultivariateNormal q) {
        checkDim(p.dim(), q.dim());
        double trace = q.precision().mul(p.covariance()).sumNumber().doubleValue();     // both symmetric
        INDArray quad = q.factor().mahalanobis(p.mean().sub(q.mean()));
        return quad.addi(trace - p.dim() + q.logDetCovariance() - p.logDetCovariance()).muli(0.5);
    }

    /** ½[Σ_j (Σ_jj + (μ_j − m_j)²)/σ_j² − d + Σ_j log σ_j² − log |Σ|] for p = N(μ, Σ) and q = N(m, diag σ²). */
    static INDArray multivariateNormal(MultivariateNormal p, Normal q) {
        checkDim(p.dim(), q.dim());
        INDArray invVar = q.variance().rdiv(1.0);                                    // [n or 1, d]
        INDArray diff = p.mean().sub(q.mean());
        INDArray spread = diff.muli(diff).addiRowVector(GaussianFactor.diagonal(p.covariance()).reshape(1, p.dim()));
        INDArray terms = spread.muli(invVar).addi(q.logSigma().mul(2.0)).sum(1);   // [n]
        return terms.subi(p.dim() + p.logDetCovariance()).muli(0.5);
    }

    /** Σ_i w_i q(z_i)(log q(z_i) − log p(z_i)) over p's grid, for each row of a one-dimensional q. */
    static INDArray normalGrid(Normal q, GridDensity p) {
        checkDim(q.dim(), 1);
        double[] w = p.weights();
        double[] lp = p.logDensity();
        int points = w.length;
        int n = (int) q.batchSize();
        INDArray z = p.gridColumn().reshape(points, 1, 1).broadcast(points, n, 1);
        double[][] lq = q.logProb(z).toDoubleMatrix();                               // [P, n]
        double[] kl = new double[n];
        for (int i = 0; i < points; i++) {
            for (int j = 0; j < n; j++) {
                double qi = Math.exp(lq[i][j]);
                if (qi > 0) {
                    kl[j] += w[i] * qi * (lq[i][j] - lp[i]);
                }
            }
        }
        return Nd4j.createFromArray(kl);
    }

    /** Σ_i w_i p(z_i)(log p(z_i) − log q(z_i)) over p's grid, for a one-row, one-dimensional q. */
    static INDArray gridNormal(GridDensity p, Normal q) {
        checkDim(1, q.dim());
        double[] w = p.weights();
        double[] lp = p.logDensity();
        double[] lq = p.logProbOnGrid(q).toDoubleVector();
        double kl = 0;
        for (int i = 0; i < w.length; i++) {
            double pi = Math.exp(lp[i]);
            if (pi > 0) {
                kl += w[i] * pi * (lp[i] - lq[i]);
            }
        }
        return Nd4j.createFromArray(kl);
    }

    /** Σ_d [p (log p − log q) + (1 − p)(log(1 − p) − log(1 − q))], all from logits. */
    static INDArray bernoulliBernoulli(Bernoulli p, Bernoulli q) {
        checkDim(p.dim(), q.dim());
        INDArray lp = p.logits();
        INDArray lq = q.logits().broadcast(lp.shape());
        INDArray prob = p.probs();
        INDArray logP = LogMath.softplus(lp.neg()).negi();
        INDArray log1mP = LogMath.softplus(lp).negi();
        INDArray logQ = LogMath.softplus(lq.neg()).negi();
        INDArray log1mQ = LogMath.softplus(lq).negi();
        return prob.mul(logP.subi(logQ)).addi(prob.rsub(1.0).muli(log1mP.subi(log1mQ))).sum(1);
    }

    /** Σ_k p_k (log p_k − log q_k); +∞ where q_k = 0 < p_k. */
    static INDArray categoricalCategorical(Categorical p, Categorical q) {
        if (p.numClasses() != q.numClasses()) {
            throw new IllegalArgumentException("q: expected " + p.numClasses() + " classes like p, got " + q.numClasses());
        }
        INDArray lq = q.logProbs().broadcast(p.logProbs().shape());
        return Categorical.plogq(p.logProbs(), p.logProbs()).subi(Categorical.plogq(p.logProbs(), lq));
    }

    // ---- the same registry for graph distributions ----

    /** Registers a graph closed form for the pair (P, Q); it must return {@code [n]}. Replaces an earlier one. */
    @SuppressWarnings("unchecked")
    public static <P extends GraphDistribution, Q extends GraphDistribution> void registerGraph(Class<P> p, Class<Q> q,
            BiFunction<P, Q, SDVariable> kl) {
        GRAPH_REGISTRY.computeIfAbsent(p, k -> new ConcurrentHashMap<>())
                .put(q, (a, b) -> kl.apply((P) a, (Q) b));
    }

    /**
     * D_KL(p‖q) per row as a differentiable graph variable {@code [n]} (the event axis summed), for a
     * pair with a registered closed form (GraphNormal–GraphNormal is built in); parameters broadcast.
     */
    public static SDVariable divergence(GraphDistribution p, GraphDistribution q) {
        Check.notNull("p", p);
        Check.notNull("q", q);
        Map<Class<?>, BiFunction<GraphDistribution, GraphDistribution, SDVariable>> inner = GRAPH_REGISTRY.get(p.getClass());
        BiFunction<GraphDistribution, GraphDistribution, SDVariable> f = inner == null ? null : inner.get(q.getClass());
        if (f == null) {
            throw new IllegalArgumentException("(p, q): expected a pair of graph distributions with a closed-form KL, got ("
                    + p.getClass().getSimpleName() + ", " + q.getClass().getSimpleName() + ")");
        }
        return f.apply(p, q);
    }

    /** Σ_d [½((σp² + (μp − μq)²)/σq² − 1) + log σq − log σp] over the last axis. */
    static SDVariable graphNormalNormal(GraphNormal p, GraphNormal q) {
        SameDiff sd = p.sameDiff();
        SDVariable invVarQ = sd.math.exp(q.logSigma().mul(-2.0));
        SDVariable diff = p.mean().sub(q.mean());
        SDVariable varP = sd.math.exp(p.logSigma().mul(2.0));
        return GraphOps.sumLast(sd, varP.add(diff.mul(diff)).mul(invVarQ).sub(1.0).mul(0.5).add(q.logSigma()).sub(p.logSigma()));
    }

    private static BiFunction<Distribution, Distribution, INDArray> lookup(Distribution p, Distribution q) {
        Map<Class<?>, BiFunction<Distribution, Distribution, INDArray>> inner = REGISTRY.get(p.getClass());
        return inner == null ? null : inner.get(q.getClass());
    }

    private static void checkBatch(Distribution p, Distribution q) {
        if (q.batchSize() != p.batchSize() && q.batchSize() != 1) {
            throw new IllegalArgumentException("q: expected batch size " + p.batchSize() + " (like p) or 1, got " + q.batchSize());
        }
    }

    private static void checkDim(long dp, long dq) {
        if (dp != dq) {
            throw new IllegalArgumentException("q: expected event dimension " + dp + " like p, got " + dq);
        }
    }

}
