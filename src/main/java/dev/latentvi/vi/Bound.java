package dev.latentvi.vi;

import dev.latentvi.dist.Distribution;
import dev.latentvi.dist.GraphNormal;
import dev.latentvi.dist.Kl;
import dev.latentvi.internal.GraphOps;
import dev.latentvi.math.Check;
import dev.latentvi.math.Estimate;
import dev.latentvi.math.Estimates;
import dev.latentvi.math.LogMath;
import dev.latentvi.math.Rng;
import dev.latentvi.nn.Network;
import dev.latentvi.nn.Optimizer;
import dev.latentvi.nn.Trainer;
import java.util.Arrays;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The bound family on log p(x): one object per estimator, the same verbs on each (after Pyro's
 * {@code Trace_ELBO} / {@code TraceMeanField_ELBO} / {@code RenyiELBO}). The variants differ only in
 * how one particle's term is formed from a draw z ~ q(z|x) and how the particles are combined:
 * <ul>
 *   <li>{@link #monteCarlo}: log p(x, z) + H(q) — the entropy in closed form; mean over m particles;</li>
 *   <li>{@link #analyticKl}: log p(x|z) − KL(q ‖ p(z)) — the KL from the registry; mean over m;</li>
 *   <li>{@link #allSampled}: log p(x, z) − log q(z) — nothing in closed form; mean over m;</li>
 *   <li>{@link #iwae}: the same log-weights log p(x, z) − log q(z), combined as log (1/K) Σ_k exp:
 *       L_K ≥ ELBO = L_1, L_K ↑ log p(x) as K → ∞ (Burda et al., 2016).</li>
 * </ul>
 * The first three are the ELBO E_q[log p(x, z)] + H(q) in expectation.
 *
 * <pre>{@code
 * Estimates e = Bound.iwae(64).replicas(20).estimate(model, q, x, rng);        // [n] ± SE
 * SDVariable perPoint = Bound.analyticKl(1).graph(model, graphQ, xVar, eps);   // differentiable [n]
 * Bound.Loss loss = Bound.monteCarlo(1).loss(model, graphQ, xVar);             // −mean, with its noise
 * Trainer trainer = loss.trainer(net, Adam.of(1e-2));
 * }</pre>
 *
 * Shapes: x {@code [n, D]}; q a batch of n distributions over the latent {@code [n, d]} (or one row,
 * broadcast with a fresh draw per point); noise eps {@code [s, n, d]} with s = {@link #noiseSamples()}.
 */
public abstract class Bound {
    private final String name;
    private final int samples;
    private final int replicas;

    private Bound(String name, int samples, int replicas) {
        this.name = name;
        this.samples = samples;
        this.replicas = replicas;
    }

    /** E_q[log p(x, z)] by m draws + H(q) exact; q needs a closed-form {@link Distribution#entropy()}. */
    public static Bound monteCarlo(int m) {
        Check.positive("m", m);
        return new MonteCarlo(m, 1);
    }

    /** E_q[log p(x|z)] by m draws − KL(q ‖ p(z)) exact; the pair (q, prior) needs a registered {@link Kl} closed form. */
    public static Bound analyticKl(int m) {
        Check.positive("m", m);
        return new AnalyticKl(m, 1);
    }

    /** E_q[log p(x, z) − log q(z)] by m draws; q needs only {@link Distribution#logProb}. */
    public static Bound allSampled(int m) {
        Check.positive("m", m);
        return new AllSampled(m, 1);
    }

    /**
     * The importance-weighted bound L_K = E[log (1/K) Σ_k p(x, z_k)/q(z_k)], z_k ~ q; q needs only
     * logProb. With one replica the standard error is the delta-method one of log p̂(x) (importance
     * sampling with proposal q); with {@link #replicas} r ≥ 2 it is the spread over r independent L_K draws.
     */
    public static Bound iwae(int k) {
        Check.positive("k", k);
        return new Iwae(k, 1);
    }

    /**
     * The same bound estimated from r independent replicas (r·s draws in all), for standard errors
     * of L_K itself; for the ELBO forms this just pools r·m particles. The graph form ignores it.
     */
    public Bound replicas(int r) {
        Check.positive("replicas", r);
        return with(samples, r);
    }

    /** s: particles per point of one bound evaluation (m, or K for IWAE), the leading size of the graph's noise. */
    public int noiseSamples() {
        return samples;
    }

    /** Whether this bound is the ELBO in expectation (every form but IWAE with K ≥ 2). */
    boolean isElbo() {
        return true;
    }

    /**
     * The bound per point with standard errors: x {@code [n, D]}, q a batch of n (or 1) distributions
     * over the latent {@code [.., d]} → {@code [n]} estimates.
     */
    public Estimates estimate(LatentModel model, Distribution q, INDArray x, Rng rng) {
        long n = check(model, q, x);
        Check.notNull("rng", rng);
        return estimate(model, q, x, draws(q, n, Math.multiplyExact(samples, replicas), model.latentDim(), rng));
    }

    /**
     * log p(x) − this bound per point, given the exact log p(x) {@code [n]} (e.g. {@link LatentModel#logEvidence}
     * or quadrature), with a control variate: for each replica's estimate p̂(x) — the mean of its K
     * importance weights for {@link #iwae}, one weight w = p(x, z)/q(z) per particle for {@link #allSampled} —
     * u = p̂(x)/p(x) has E[u] = 1, so log p(x) − L = E[u − 1 − log u], a mean of non-negative terms
     * (≈ (u − 1)²/2) whose spread shrinks with the gap itself. It resolves gaps far below the standard
     * error of the bound: {@code [n]} estimates, over the r·s particles (allSampled) or r replicas (iwae),
     * so iwae needs {@link #replicas} r ≥ 2 for a standard error. Only for the log-weight forms.
     */
    public Estimates gap(LatentModel model, Distribution q, INDArray x, INDArray logEvidence, Rng rng) {
        long n = check(model, q, x);
        Check.notNull("rng", rng);
        Check.notNull("logEvidence", logEvidence);
        if (logEvidence.length() != n) {
            throw new IllegalArgumentException("logEvidence: expected " + n + " values (one per row of x), got shape "
                    + Arrays.toString(logEvidence.shape()));
        }
        Check.finite("logEvidence", logEvidence);
        if (!(this instanceof AllSampled)) {
            throw new IllegalArgumentException("bound: expected Bound.iwae or Bound.allSampled (bounds made of importance weights), got " + this);
        }
        INDArray z = draws(q, n, Math.multiplyExact(samples, replicas), model.latentDim(), rng);
        INDArray xd = x.dataType() == DataType.DOUBLE ? x : x.castTo(DataType.DOUBLE);
        INDArray logW = particles(model, q, xd, z.dataType() == DataType.DOUBLE ? z : z.castTo(DataType.DOUBLE));   // [r·s, n]
        INDArray logPHat = this instanceof Iwae && samples > 1
                ? LogMath.logMeanExp(logW.reshape(replicas, samples, n), 1)                                        // [r, n]
                : logW;
        double[][] v = logPHat.subRowVector(logEvidence.castTo(DataType.DOUBLE).reshape(1, n)).toDoubleMatrix();
        double[][] terms = new double[v.length][(int) n];
        for (int i = 0; i < v.length; i++) {
            for (int j = 0; j < n; j++) {
                terms[i][j] = Math.expm1(v[i][j]) - v[i][j];      // u − 1 − log u with u = e^v, no cancellation
            }
        }
        return Estimates.mean(org.nd4j.linalg.factory.Nd4j.createFromArray(terms));
    }

    /** {@link #gap(LatentModel, Distribution, INDArray, INDArray, Rng)} for one data point x {@code [1, D]} with exact log p(x) = {@code logEvidence}. */
    public Estimate gap(LatentModel model, Distribution q, INDArray x, double logEvidence, Rng rng) {
        Check.notNull("x", x);
        if (x.rank() != 2 || x.size(0) != 1) {
            throw new IllegalArgumentException("x: expected one data point [1, D], got shape " + Arrays.toString(x.shape()));
        }
        Check.finite("logEvidence", logEvidence);
        return gap(model, q, x, org.nd4j.linalg.factory.Nd4j.createFromArray(logEvidence), rng).get(0);
    }

    /** m draws per point {@code [m, n, d]}; a single-row q draws fresh samples for every point. */
    private static INDArray draws(Distribution q, long n, int m, int d, Rng rng) {
        return q.batchSize() == n ? q.sample(rng, m) : q.sample(rng, Math.multiplyExact(m, Math.toIntExact(n))).reshape(m, n, d);
    }

    /**
     * The importance log-weights log w = log p(x, z) − log q(z) of m draws z ~ q per point: x {@code [n, D]},
     * q a batch of n (or 1) distributions → {@code [m, n]}. log-mean-exp of a column estimates log p(x),
     * its mean is the ELBO (Jensen: the second is below the first).
     */
    public static INDArray logWeights(LatentModel model, Distribution q, INDArray x, int m, Rng rng) {
        Check.positive("m", m);
        Bound all = allSampled(m);
        long n = all.check(model, q, x);
        Check.notNull("rng", rng);
        INDArray z = draws(q, n, m, model.latentDim(), rng);
        INDArray xd = x.dataType() == DataType.DOUBLE ? x : x.castTo(DataType.DOUBLE);
        return all.particles(model, q, xd, z.dataType() == DataType.DOUBLE ? z : z.castTo(DataType.DOUBLE));
    }

    /** The estimate from given draws z {@code [r·s, n, d]} of q (for tests against the graph form). */
    Estimates estimate(LatentModel model, Distribution q, INDArray x, INDArray z) {
        INDArray xd = x.dataType() == DataType.DOUBLE ? x : x.castTo(DataType.DOUBLE);
        INDArray terms = particles(model, q, xd, z.dataType() == DataType.DOUBLE ? z : z.castTo(DataType.DOUBLE));   // [r·s, n]
        return combine(terms);
    }

    /**
     * The differentiable bound per point {@code [n]}: x {@code [n, D]} (or {@code [1, D]}), q a graph
     * Normal over {@code [n, d]}, eps standard-normal noise {@code [s, n, d]} with s = {@link #noiseSamples()};
     * z = μ + σ ⊙ eps (reparameterized, so gradients reach q's parameters).
     */
    public SDVariable graph(LatentModel model, GraphNormal q, SDVariable x, SDVariable eps) {
        Check.notNull("model", model);
        Check.notNull("q", q);
        Check.notNull("x", x);
        Check.notNull("eps", eps);
        SameDiff sd = q.sameDiff();
        if (x.getSameDiff() != sd || eps.getSameDiff() != sd) {
            throw new IllegalArgumentException("x, eps: expected variables of q's graph, got ones from another graph");
        }
        long[] shape = eps.getShape();
        if (shape != null && (shape.length != 3 || (shape[0] > 0 && shape[0] != samples) || (shape[2] > 0 && shape[2] != model.latentDim()))) {
            throw new IllegalArgumentException("eps: expected shape [" + samples + ", n, " + model.latentDim() + "], got " + Arrays.toString(shape));
        }
        return combine(sd, particles(sd, model, q, x, q.rsample(eps)));
    }

    /**
     * The training loss −(1/n) Σ_i bound_i on q's graph, with a new noise placeholder
     * {@code [s, rows, d]} (rows fixed when q's mean has a static row count, otherwise the batch's).
     */
    public Loss loss(LatentModel model, GraphNormal q, SDVariable x) {
        Check.notNull("model", model);
        Check.notNull("q", q);
        SameDiff sd = q.sameDiff();
        long[] meanShape = q.mean().getShape();
        long rows = meanShape != null && meanShape.length == 2 && meanShape[0] > 0 ? meanShape[0] : -1;
        String name = "eps";
        for (int i = 1; sd.hasVariable(name); i++) {
            name = "eps_" + i;
        }
        SDVariable eps = sd.placeHolder(name, q.mean().dataType(), samples, rows, model.latentDim());
        SDVariable perPoint = graph(model, q, x, eps);
        SDVariable value = perPoint.mean().neg();
        return new Loss(value, perPoint, eps, samples, rows, model.latentDim());
    }

    /**
     * A training loss built by {@link #loss}: the scalar to minimize, the per-point bound {@code [n]}
     * and the noise placeholder that must be fed standard-normal noise every step.
     *
     * @param value    −mean of the per-point bound (a scalar)
     * @param perPoint the bound per point {@code [n]}
     * @param noise    the placeholder eps {@code [samples, rows, latentDim]}
     * @param samples  s, the leading size of eps
     * @param rows     the fixed number of rows, or −1 for the batch size
     * @param latentDim d
     */
    public record Loss(SDVariable value, SDVariable perPoint, SDVariable noise, int samples, long rows, int latentDim) {
        /** Fresh standard-normal eps {@code [s, rows, d]} for each step (rows: fixed, else the batch's). */
        public Trainer.BatchInputs feed() {
            String name = noise.name();
            return (batch, rng) -> {
                long r = rows > 0 ? rows : batch;
                if (r <= 0) {
                    throw new IllegalStateException("noise " + name + ": the batch size is unknown for a graph without fixed rows");
                }
                return Map.of(name, rng.normal(samples, r, latentDim));
            };
        }

        /** A trainer minimizing {@link #value} on {@code net} (whose graph holds it) that feeds the noise every step. */
        public Trainer trainer(Network net, Optimizer optimizer) {
            return Trainer.of(net, value, optimizer).extra(feed());
        }
    }

    @Override
    public String toString() {
        return "Bound." + name + "(" + samples + ")" + (replicas > 1 ? ".replicas(" + replicas + ")" : "");
    }

    // ---- the variants: one particle term (eager and graph) and, for IWAE, the combination ----

    /** Per-particle terms {@code [r·s, n]} for draws z {@code [r·s, n, d]}. */
    abstract INDArray particles(LatentModel model, Distribution q, INDArray x, INDArray z);

    /** Per-particle terms {@code [s, n]} for reparameterized draws z {@code [s, n, d]}. */
    abstract SDVariable particles(SameDiff sd, LatentModel model, GraphNormal q, SDVariable x, SDVariable z);

    abstract Bound with(int samples, int replicas);

    /** Mean over all particles, SE over them: {@code [r·s, n]} → {@code [n]}. */
    Estimates combine(INDArray terms) {
        return Estimates.mean(terms);
    }

    /** Mean over the s particles: {@code [s, n]} → {@code [n]}. */
    SDVariable combine(SameDiff sd, SDVariable terms) {
        return GraphOps.mean(sd, terms, 0);
    }

    int samples() {
        return samples;
    }

    int replicasCount() {
        return replicas;
    }

    private long check(LatentModel model, Distribution q, INDArray x) {
        Check.notNull("model", model);
        Check.notNull("q", q);
        Check.matrix("x", x, model.dataDim());
        Check.finite("x", x);
        long n = x.size(0);
        INDArray mean = q.mean();
        if (mean.rank() != 2 || mean.size(1) != model.latentDim()) {
            throw new IllegalArgumentException("q: expected latent dimension " + model.latentDim() + ", got mean of shape "
                    + Arrays.toString(mean.shape()));
        }
        if (q.batchSize() != n && q.batchSize() != 1) {
            throw new IllegalArgumentException("q: expected one row per data point (" + n + ") or a single row, got " + q.batchSize());
        }
        return n;
    }

    /**
     * The gradient of {@link #loss} without a graph, for n diagonal-Gaussian q_i = N(μ_i, diag σ_i²)
     * held as parameters {@code mu} and {@code logSigma} {@code [n, d]} and data x {@code [n, D]}: null
     * unless this bound is the plain Monte Carlo ELBO and the model gives its {@link LatentModel#score}.
     * With z = μ + σ ε, ∂L_i/∂μ_i = mean_s ∇_z log p(x_i, z_s) and ∂L_i/∂log σ_i = mean_s ∇_z log p(x_i, z_s) ⊙ σ_i ε_s + 1.
     */
    Trainer.Gradients reparameterizedGradients(LatentModel model, INDArray x, String noise) {
        if (!(this instanceof MonteCarlo) || replicas != 1 || model.score(x, Nd4j.zeros(DataType.DOUBLE, 1, x.size(0), model.latentDim())).isEmpty()) {
            return null;
        }
        long n = x.size(0);
        int d = model.latentDim();
        double entropyConstant = d * (LogMath.HALF_LOG_2PI + 0.5);
        return (batch, rows, params, grads) -> {
            INDArray eps = batch.get(noise);                                        // [s, n, d]
            INDArray mu = params.get("mu");
            INDArray logSigma = params.get("logSigma");
            INDArray sigma = Transforms.exp(logSigma, true);
            INDArray noiseScaled = eps.mul(sigma.reshape(1, n, d).broadcast(eps.shape()));   // σ ε
            INDArray z = noiseScaled.add(mu.reshape(1, n, d).broadcast(eps.shape()));
            double joint = model.logJoint(x, z).meanNumber().doubleValue();        // mean over s and i
            double entropy = logSigma.sumNumber().doubleValue() / n + entropyConstant;
            INDArray score = model.score(x, z).orElseThrow();
            double scale = -1.0 / (samples * (double) n);
            grads.get("mu").assign(score.sum(0).muli(scale));
            grads.get("logSigma").assign(score.muli(noiseScaled).sum(0).muli(scale).subi(1.0 / n));
            return new double[] {-(joint + entropy)};
        };
    }

    /** A per-point array {@code [n]} from one that may have a single broadcast row {@code [1]}. */
    private static INDArray perPoint(INDArray v, long n) {
        INDArray flat = v.reshape(v.length());
        return flat.length() == n ? flat : flat.broadcast(n).dup();
    }

    private static final class MonteCarlo extends Bound {
        MonteCarlo(int samples, int replicas) {
            super("monteCarlo", samples, replicas);
        }

        @Override
        INDArray particles(LatentModel model, Distribution q, INDArray x, INDArray z) {
            INDArray entropy;
            try {
                entropy = q.entropy();
            } catch (UnsupportedOperationException e) {
                throw new IllegalArgumentException("q: expected a distribution with a closed-form entropy for Bound.monteCarlo, got "
                        + q.getClass().getSimpleName() + " (use Bound.allSampled)", e);
            }
            return model.logJoint(x, z).addiRowVector(perPoint(entropy, x.size(0)));
        }

        @Override
        SDVariable particles(SameDiff sd, LatentModel model, GraphNormal q, SDVariable x, SDVariable z) {
            return model.logJoint(sd, x, z).add(q.entropy());
        }

        @Override
        Bound with(int samples, int replicas) {
            return new MonteCarlo(samples, replicas);
        }
    }

    private static final class AnalyticKl extends Bound {
        AnalyticKl(int samples, int replicas) {
            super("analyticKl", samples, replicas);
        }

        @Override
        INDArray particles(LatentModel model, Distribution q, INDArray x, INDArray z) {
            if (!Kl.hasAnalytic(q, model.prior())) {
                throw new IllegalArgumentException("q: expected a distribution with a registered closed-form KL to the prior "
                        + model.prior().getClass().getSimpleName() + " for Bound.analyticKl, got " + q.getClass().getSimpleName());
            }
            INDArray kl = perPoint(Kl.divergence(q, model.prior()), x.size(0));
            return model.logLikelihood(x, z).subiRowVector(kl);
        }

        @Override
        SDVariable particles(SameDiff sd, LatentModel model, GraphNormal q, SDVariable x, SDVariable z) {
            DataType type = q.mean().dataType();           // the prior's constants in q's type (a FLOAT graph cannot mix in DOUBLE)
            GraphNormal prior = GraphNormal.of(sd.constant(model.prior().mean().castTo(type)), sd.constant(model.prior().logSigma().castTo(type)));
            return model.logLikelihood(sd, x, z).sub(Kl.divergence(q, prior));
        }

        @Override
        Bound with(int samples, int replicas) {
            return new AnalyticKl(samples, replicas);
        }
    }

    private static class AllSampled extends Bound {
        AllSampled(int samples, int replicas) {
            this("allSampled", samples, replicas);
        }

        AllSampled(String name, int samples, int replicas) {
            super(name, samples, replicas);
        }

        /** The log importance weights log p(x, z) − log q(z). */
        @Override
        INDArray particles(LatentModel model, Distribution q, INDArray x, INDArray z) {
            return model.logJoint(x, z).subi(q.logProb(z));
        }

        @Override
        SDVariable particles(SameDiff sd, LatentModel model, GraphNormal q, SDVariable x, SDVariable z) {
            return model.logJoint(sd, x, z).sub(q.logProb(z));
        }

        @Override
        Bound with(int samples, int replicas) {
            return new AllSampled(samples, replicas);
        }
    }

    private static final class Iwae extends AllSampled {
        Iwae(int samples, int replicas) {
            super("iwae", samples, replicas);
        }

        @Override
        boolean isElbo() {
            return samples() == 1;
        }

        /** log (1/K) Σ_k w_k per replica; one replica: its delta-method SE, else mean and SE over the replicas. */
        @Override
        Estimates combine(INDArray logW) {
            int r = replicasCount();
            if (r == 1) {
                return Estimates.logMeanExp(logW);
            }
            long n = logW.size(1);
            return Estimates.mean(LogMath.logMeanExp(logW.reshape(r, samples(), n), 1));   // [r, n]
        }

        @Override
        SDVariable combine(SameDiff sd, SDVariable logW) {
            return LogMath.logSumExp(sd, logW, 0).sub(Math.log(samples()));
        }

        @Override
        Bound with(int samples, int replicas) {
            return new Iwae(samples, replicas);
        }
    }
}
