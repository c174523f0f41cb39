package dev.latentvi.lvm;

import dev.latentvi.dist.MultivariateNormal;
import dev.latentvi.internal.SmallOps;
import dev.latentvi.math.Check;
import dev.latentvi.math.LogMath;
import dev.latentvi.math.Rng;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * A linear-Gaussian state-space model with actions — the latent state-space model of model-based
 * RL (Lecture 18, Part 1.4) in the one form where everything is exact:
 *
 * <pre>
 *   s_1 ~ N(μ₀, Σ₀),   s_{t+1} = A s_t + B a_t + w_t,  w_t ~ N(0, Q),   o_t = C s_t + v_t,  v_t ~ N(0, R),
 * </pre>
 *
 * with states s_t ∈ ℝ^d, actions a_t ∈ ℝ^k (given) and observations o_t ∈ ℝ^p. The Kalman
 * {@link #filter} gives p(s_t | o_{1:t}) and the exact log p(o_{1:T} | a_{1:T}) from the innovations;
 * the RTS smoother ({@link #posterior}) gives the exact posterior p(s_{1:T} | o_{1:T}, a_{1:T}) as a
 * {@link GaussianTrajectory}. Against it: the closed-form {@link #elbo} of any Gaussian q, its
 * {@link #kl} to the posterior, mean-field coordinate ascent ({@link #meanField}) and an amortized
 * encoder ({@link SsmEncoder}).
 *
 * <p>Shapes (T steps, one trajectory): states {@code [T, d]}, observations {@code [T, p]}, actions
 * {@code [T, k]} — a_t moves s_t to s_{t+1}, so the last action row does not enter p(o_{1:T}).
 */
public final class LinearGaussianSsm {
    /** The factors of a mean-field q(s_{1:T}). */
    public enum Factorization {
        /** q = ∏_t N(m_t, S_t), one full d×d covariance per step. */
        PER_STEP,
        /** q = ∏_{t,j} N(m_{tj}, σ²_{tj}), fully factorized (diagonal S_t). */
        PER_COORDINATE
    }

    private final INDArray a;       // A [d, d]
    private final INDArray b;       // B [d, k]
    private final INDArray c;       // C [p, d]
    private final INDArray q;       // Q [d, d]
    private final INDArray r;       // R [p, p]
    private final INDArray mu0;     // μ₀ [1, d]
    private final INDArray sigma0;  // Σ₀ [d, d]
    private final INDArray qInv, rInv, s0Inv, atQiA, qiA, ctRiC, riC, btQi, btQiA;
    private final double logDetQ, logDetR, logDetS0;

    private LinearGaussianSsm(INDArray a, INDArray b, INDArray c, INDArray q, INDArray r, INDArray mu0, INDArray sigma0) {
        this.a = a;
        this.b = b;
        this.c = c;
        this.q = q;
        this.r = r;
        this.mu0 = mu0;
        this.sigma0 = sigma0;
        MultivariateNormal fq = SmallMatrices.factor("processNoise", q);
        MultivariateNormal fr = SmallMatrices.factor("observationNoise", r);
        MultivariateNormal f0 = SmallMatrices.factor("initialCovariance", sigma0);
        this.qInv = fq.precision().dup();
        this.rInv = fr.precision().dup();
        this.s0Inv = f0.precision().dup();
        this.logDetQ = fq.logDetCovariance();
        this.logDetR = fr.logDetCovariance();
        this.logDetS0 = f0.logDetCovariance();
        this.qiA = qInv.mmul(a);
        this.atQiA = SmallMatrices.symmetric(a.transpose().mmul(qiA));
        this.ctRiC = SmallMatrices.symmetric(c.transpose().mmul(rInv).mmul(c));
        this.riC = rInv.mmul(c);
        this.btQi = b.transpose().mmul(qInv);
        this.btQiA = btQi.mmul(a);
    }

    /**
     * The model from its matrices: dynamics A {@code [d, d]}, control B {@code [d, k]}, emission C
     * {@code [p, d]}, process noise Q {@code [d, d]} and observation noise R {@code [p, p]} (both
     * symmetric positive definite), initial mean μ₀ {@code [d]} and initial covariance Σ₀ {@code [d, d]}
     * (symmetric positive definite).
     */
    public static LinearGaussianSsm of(INDArray dynamics, INDArray control, INDArray emission, INDArray processNoise,
                                       INDArray observationNoise, INDArray initialMean, INDArray initialCovariance) {
        Check.matrix("dynamics", dynamics, -1);
        long d = dynamics.size(0);
        SmallMatrices.square("dynamics", dynamics, d);
        Check.matrix("control", control, -1);
        if (control.size(0) != d) {
            throw new IllegalArgumentException("control: expected shape [" + d + ", k] (rows = state dimension of dynamics), got "
                    + Arrays.toString(control.shape()));
        }
        Check.finite("control", control);
        Check.matrix("emission", emission, d);
        Check.finite("emission", emission);
        long p = emission.size(0);
        SmallMatrices.square("processNoise", processNoise, d);
        SmallMatrices.square("observationNoise", observationNoise, p);
        SmallMatrices.square("initialCovariance", initialCovariance, d);
        Check.notNull("initialMean", initialMean);
        if (initialMean.length() != d || initialMean.rank() > 2 || (initialMean.rank() == 2 && initialMean.size(0) != 1)) {
            throw new IllegalArgumentException("initialMean: expected shape [" + d + "] (the state dimension), got "
                    + Arrays.toString(initialMean.shape()));
        }
        Check.finite("initialMean", initialMean);
        return new LinearGaussianSsm(dbl(dynamics), dbl(control), dbl(emission), dbl(processNoise), dbl(observationNoise),
                dbl(initialMean).reshape(1, d), dbl(initialCovariance));
    }

    /**
     * A point mass of unit mass pushed along a line, observed through its noisy position: state
     * s = (position, velocity), action a = force, time step dt, velocity damped by {@code friction}
     * (per unit time), independent per-step disturbances of position and velocity
     * (Q = diag(positionNoise², velocityNoise²)), o = position + N(0, observationNoise²), and s_1 ~ N(0, I):
     * A = [[1, dt], [0, 1 − friction·dt]], B = [[dt²/2], [dt]], C = [[1, 0]].
     */
    public static LinearGaussianSsm pointMass(double dt, double friction, double positionNoise, double velocityNoise,
                                              double observationNoise) {
        Check.positive("dt", dt);
        Check.inRange("friction", friction, 0, 1 / dt);
        Check.positive("positionNoise", positionNoise);
        Check.positive("velocityNoise", velocityNoise);
        Check.positive("observationNoise", observationNoise);
        return of(Nd4j.createFromArray(new double[][] {{1, dt}, {0, 1 - friction * dt}}),
                Nd4j.createFromArray(new double[][] {{dt * dt / 2}, {dt}}),
                Nd4j.createFromArray(new double[][] {{1, 0}}),
                Nd4j.createFromArray(new double[][] {{positionNoise * positionNoise, 0}, {0, velocityNoise * velocityNoise}}),
                Nd4j.createFromArray(new double[][] {{observationNoise * observationNoise}}),
                Nd4j.zeros(DataType.DOUBLE, 2), Nd4j.eye(2).castTo(DataType.DOUBLE));
    }

    /** State dimension d. */
    public int stateDim() {
        return (int) a.size(0);
    }

    /** Action dimension k. */
    public int actionDim() {
        return (int) b.size(1);
    }

    /** Observation dimension p. */
    public int observationDim() {
        return (int) c.size(0);
    }

    /** A {@code [d, d]} (a copy). */
    public INDArray dynamics() {
        return a.dup();
    }

    /** B {@code [d, k]} (a copy). */
    public INDArray control() {
        return b.dup();
    }

    /** C {@code [p, d]} (a copy). */
    public INDArray emission() {
        return c.dup();
    }

    /** Q {@code [d, d]} (a copy). */
    public INDArray processNoise() {
        return q.dup();
    }

    /** R {@code [p, p]} (a copy). */
    public INDArray observationNoise() {
        return r.dup();
    }

    /** μ₀ {@code [d]} (a copy). */
    public INDArray initialMean() {
        return mu0.reshape(mu0.length()).dup();
    }

    /** Σ₀ {@code [d, d]} (a copy). */
    public INDArray initialCovariance() {
        return sigma0.dup();
    }

    // ------------------------------------------------------------------------------------------------ sampling

    /**
     * One sampled trajectory.
     *
     * @param states       s_{1:T} {@code [T, d]}
     * @param observations o_{1:T} {@code [T, p]}
     * @param actions      a_{1:T} {@code [T, k]}
     */
    public record Trajectory(INDArray states, INDArray observations, INDArray actions) {
        /** Number of steps T. */
        public int length() {
            return (int) observations.size(0);
        }

        /** Time steps 1..T as plot coordinates {@code double[T]}. */
        public double[] times() {
            double[] t = new double[length()];
            for (int i = 0; i < t.length; i++) {
                t[i] = i + 1;
            }
            return t;
        }

        /** State coordinate j over time {@code double[T]}. */
        public double[] state(int j) {
            Check.inRange("j", j, 0, states.size(1) - 1);
            return states.getColumn(j).toDoubleVector();
        }

        /** Observation coordinate j over time {@code double[T]}. */
        public double[] observation(int j) {
            Check.inRange("j", j, 0, observations.size(1) - 1);
            return observations.getColumn(j).toDoubleVector();
        }
    }

    /** A trajectory for given actions {@code [T, k]}: s_{1:T} and o_{1:T} drawn from the model with {@code rng}. */
    public Trajectory sample(Rng rng, INDArray actions) {
        Check.notNull("rng", rng);
        Check.matrix("actions", actions, actionDim());
        Check.finite("actions", actions);
        INDArray act = dbl(actions);
        return simulate(rng, act.reshape(1, act.size(0), act.size(1))).get(0);
    }

    /**
     * {@code n} trajectories of {@code length} steps whose actions are drawn i.i.d. N(0, actionStddev² I)
     * from {@code rng} (a random exploration policy), states and observations from the model.
     */
    public List<Trajectory> sample(Rng rng, int n, int length, double actionStddev) {
        Check.notNull("rng", rng);
        Check.positive("n", n);
        Check.positive("length", length);
        Check.positive("actionStddev", actionStddev);
        return simulate(rng, rng.normal(n, length, actionDim()).muli(actionStddev));
    }

    /** Simulates n trajectories in parallel for actions {@code [n, T, k]}. */
    private List<Trajectory> simulate(Rng rng, INDArray actions) {
        return SmallOps.singleThreaded(() -> simulateOf(rng, actions));
    }

    private List<Trajectory> simulateOf(Rng rng, INDArray actions) {
        int n = (int) actions.size(0), len = (int) actions.size(1), d = stateDim(), p = observationDim();
        MultivariateNormal init = MultivariateNormal.of(mu0, sigma0);
        MultivariateNormal w = SmallMatrices.factor("processNoise", q);
        MultivariateNormal v = SmallMatrices.factor("observationNoise", r);
        INDArray states = Nd4j.create(DataType.DOUBLE, n, len, d);
        INDArray obs = Nd4j.create(DataType.DOUBLE, n, len, p);
        INDArray s = init.rsample(rng.normal(n, 1, d)).reshape(n, d);
        for (int t = 0; t < len; t++) {
            states.get(NDArrayIndex.all(), NDArrayIndex.point(t), NDArrayIndex.all()).assign(s);
            INDArray o = s.mmul(c.transpose()).addi(v.rsample(rng.normal(n, 1, p)).reshape(n, p));
            obs.get(NDArrayIndex.all(), NDArrayIndex.point(t), NDArrayIndex.all()).assign(o);
            if (t < len - 1) {
                INDArray at = actions.get(NDArrayIndex.all(), NDArrayIndex.point(t), NDArrayIndex.all()).reshape(n, actionDim());
                s = s.mmul(a.transpose()).addi(at.mmul(b.transpose())).addi(w.rsample(rng.normal(n, 1, d)).reshape(n, d));
            }
        }
        List<Trajectory> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new Trajectory(slice(states, i), slice(obs, i), slice(actions, i)));
        }
        return out;
    }

    private static INDArray slice(INDArray stack, int i) {
        return stack.get(NDArrayIndex.point(i), NDArrayIndex.all(), NDArrayIndex.all()).dup('c');
    }

    // ------------------------------------------------------------------------------------------------ exact inference

    /**
     * The Kalman filter's output.
     *
     * @param means                filtered means E[s_t | o_{1:t}] {@code [T, d]}
     * @param covariances          filtered covariances {@code [T, d, d]}
     * @param predictedMeans       one-step predictions E[s_t | o_{1:t−1}] {@code [T, d]} (row 0 is μ₀)
     * @param predictedCovariances their covariances {@code [T, d, d]} (row 0 is Σ₀)
     * @param logEvidence          log p(o_{1:T} | a_{1:T}) = Σ_t log N(o_t; C m_{t|t−1}, C P_{t|t−1} Cᵀ + R)
     */
    public record Filtered(INDArray means, INDArray covariances, INDArray predictedMeans, INDArray predictedCovariances,
                           double logEvidence) {
        /** The filtering marginals p(s_t | o_{1:t}) as a sequence (for plots; they are not one joint distribution). */
        public GaussianTrajectory marginals() {
            return GaussianTrajectory.trusted(means.dup('c'), covariances.dup('c'), null);
        }
    }

    /** The Kalman filter on observations {@code [T, p]} and actions {@code [T, k]}. */
    public Filtered filter(INDArray observations, INDArray actions) {
        return SmallOps.singleThreaded(() -> filterOf(observations, actions));
    }

    private Filtered filterOf(INDArray observations, INDArray actions) {
        INDArray obs = checkObservations(observations);
        INDArray act = checkActions(actions, obs);
        int len = (int) obs.size(0), d = stateDim();
        INDArray means = Nd4j.create(DataType.DOUBLE, len, d), covs = Nd4j.create(DataType.DOUBLE, len, d, d);
        INDArray predMeans = Nd4j.create(DataType.DOUBLE, len, d), predCovs = Nd4j.create(DataType.DOUBLE, len, d, d);
        INDArray eye = Nd4j.eye(d).castTo(DataType.DOUBLE);
        INDArray m = mu0.dup(), pc = sigma0.dup();
        double logEvidence = 0;
        for (int t = 0; t < len; t++) {
            predMeans.putRow(t, m);
            SmallMatrices.putBlock(predCovs, t, pc);
            INDArray innovationCov = SmallMatrices.symmetric(c.mmul(pc).mmul(c.transpose()).addi(r));
            MultivariateNormal predictive = MultivariateNormal.of(m.mmul(c.transpose()), innovationCov);
            INDArray o = obs.getRow(t, true);
            logEvidence += predictive.logProb(o).getDouble(0);
            INDArray gain = pc.mmul(c.transpose()).mmul(predictive.precision());          // K [d, p]
            m = m.add(o.sub(predictive.mean()).mmul(gain.transpose()));
            INDArray ikc = eye.sub(gain.mmul(c));
            pc = SmallMatrices.symmetric(ikc.mmul(pc).mmul(ikc.transpose()).addi(gain.mmul(r).mmul(gain.transpose())));   // Joseph form
            means.putRow(t, m);
            SmallMatrices.putBlock(covs, t, pc);
            if (t < len - 1) {
                m = m.mmul(a.transpose()).addi(act.getRow(t, true).mmul(b.transpose()));
                pc = SmallMatrices.symmetric(a.mmul(pc).mmul(a.transpose()).addi(q));
            }
        }
        return new Filtered(means, covs, predMeans, predCovs, logEvidence);
    }

    /** {@link #filter(INDArray, INDArray)} on a trajectory's observations and actions. */
    public Filtered filter(Trajectory trajectory) {
        Check.notNull("trajectory", trajectory);
        return filter(trajectory.observations(), trajectory.actions());
    }

    /**
     * The exact posterior p(s_{1:T} | o_{1:T}, a_{1:T}) by the Rauch–Tung–Striebel smoother on the Kalman
     * filter: G_t = P_{t|t} Aᵀ P_{t+1|t}⁻¹, m_{t|T} = m_{t|t} + G_t (m_{t+1|T} − m_{t+1|t}),
     * P_{t|T} = P_{t|t} + G_t (P_{t+1|T} − P_{t+1|t}) G_tᵀ, Cov(s_{t+1}, s_t | o_{1:T}) = P_{t+1|T} G_tᵀ.
     */
    public GaussianTrajectory posterior(INDArray observations, INDArray actions) {
        return smooth(filter(observations, actions));
    }

    /** {@link #posterior(INDArray, INDArray)} on a trajectory's observations and actions. */
    public GaussianTrajectory posterior(Trajectory trajectory) {
        Check.notNull("trajectory", trajectory);
        return posterior(trajectory.observations(), trajectory.actions());
    }

    /** The RTS backward pass over a filter's output. */
    public GaussianTrajectory smooth(Filtered f) {
        return SmallOps.singleThreaded(() -> smoothOf(f));
    }

    private GaussianTrajectory smoothOf(Filtered f) {
        Check.notNull("f", f);
        int len = (int) f.means().size(0), d = stateDim();
        INDArray means = f.means().dup(), covs = f.covariances().dup();
        INDArray cross = Nd4j.zeros(DataType.DOUBLE, Math.max(0, len - 1), d, d);
        for (int t = len - 2; t >= 0; t--) {
            INDArray pf = SmallMatrices.block(f.covariances(), t);
            INDArray pPred = SmallMatrices.block(f.predictedCovariances(), t + 1);
            INDArray gain = pf.mmul(a.transpose()).mmul(SmallMatrices.inverse("predicted covariance", pPred));   // G [d, d]
            INDArray next = means.getRow(t + 1, true).sub(f.predictedMeans().getRow(t + 1, true));
            means.putRow(t, f.means().getRow(t, true).add(next.mmul(gain.transpose())));
            INDArray pNext = SmallMatrices.block(covs, t + 1);
            SmallMatrices.putBlock(covs, t, SmallMatrices.symmetric(pf.add(gain.mmul(pNext.sub(pPred)).mmul(gain.transpose()))));
            SmallMatrices.putBlock(cross, t, pNext.mmul(gain.transpose()));
        }
        return GaussianTrajectory.trusted(means, covs, cross);
    }

    /** The exact log p(o_{1:T} | a_{1:T}) (the Kalman filter's innovations). */
    public double logEvidence(INDArray observations, INDArray actions) {
        return filter(observations, actions).logEvidence();
    }

    /** {@link #logEvidence(INDArray, INDArray)} of a trajectory. */
    public double logEvidence(Trajectory trajectory) {
        return filter(trajectory).logEvidence();
    }

    // ------------------------------------------------------------------------------------------------ bounds

    /**
     * The ELBO E_q[log p(s_{1:T}, o_{1:T} | a_{1:T})] + H(q) of any Markov Gaussian q (mean-field
     * included), in closed form: every term of log p is a Gaussian log density of a linear function of
     * (s_t, s_{t+1}), whose expectation needs only q's means, marginal and lag-one covariances — for any
     * Gaussian q, Markov or not; a {@link GaussianTrajectory} carries exactly these, and its entropy is the
     * largest of all Gaussians sharing them. ELBO = log p(o_{1:T} | a_{1:T}) − KL(q ‖ p(s_{1:T} | o_{1:T}, a_{1:T})).
     */
    public double elbo(GaussianTrajectory q, INDArray observations, INDArray actions) {
        Check.notNull("q", q);
        INDArray obs = checkObservations(observations);
        INDArray act = checkActions(actions, obs);
        checkQ(q, obs);
        return expectedLogJoint(q.rawMeans(), flat(q.rawCovariances()), flat(q.rawCross()), obs, act) + q.entropy();
    }

    /** {@link #elbo(GaussianTrajectory, INDArray, INDArray)} on a trajectory's observations and actions. */
    public double elbo(GaussianTrajectory q, Trajectory trajectory) {
        Check.notNull("trajectory", trajectory);
        return elbo(q, trajectory.observations(), trajectory.actions());
    }

    /**
     * KL(q ‖ p(s_{1:T} | o_{1:T}, a_{1:T})) by {@link GaussianTrajectory#kl}, against the smoother's
     * posterior — computed independently of {@link #elbo} (no log-evidence involved).
     */
    public double kl(GaussianTrajectory q, INDArray observations, INDArray actions) {
        Check.notNull("q", q);
        INDArray obs = checkObservations(observations);
        checkQ(q, obs);
        return q.kl(posterior(obs, actions));
    }

    /**
     * The bound of each q on one trajectory, one row per q: name, ELBO, log p(o_{1:T} | a_{1:T}), the gap
     * log p − ELBO and KL(q ‖ p(s_{1:T} | o, a)) — the last two computed independently, so equal columns
     * check log p = ELBO + KL.
     */
    public Table bounds(Trajectory trajectory, List<String> names, List<GaussianTrajectory> qs) {
        Check.notNull("trajectory", trajectory);
        Check.notNull("names", names);
        Check.notNull("qs", qs);
        if (names.size() != qs.size() || qs.isEmpty()) {
            throw new IllegalArgumentException("names: expected one name per q (" + qs.size() + ", at least one), got " + names.size());
        }
        Filtered f = filter(trajectory);
        GaussianTrajectory p = smooth(f);
        DoubleColumn elbo = DoubleColumn.create("ELBO"), logP = DoubleColumn.create("log p(o | a)");
        DoubleColumn gap = DoubleColumn.create("log p − ELBO"), kl = DoubleColumn.create("KL(q ‖ p(s | o, a))");
        for (int i = 0; i < qs.size(); i++) {
            GaussianTrajectory q = qs.get(i);
            Check.notNull("qs[" + i + "]", q);
            double e = elbo(q, trajectory);
            elbo.append(e);
            logP.append(f.logEvidence());
            gap.append(f.logEvidence() - e);
            kl.append(q.kl(p));
        }
        return Table.create("Bounds on log p(o | a)", StringColumn.create("q", names), elbo, logP, gap, kl);
    }

    /** {@link #kl(GaussianTrajectory, INDArray, INDArray)} on a trajectory's observations and actions. */
    public double kl(GaussianTrajectory q, Trajectory trajectory) {
        Check.notNull("trajectory", trajectory);
        return kl(q, trajectory.observations(), trajectory.actions());
    }

    /**
     * E_q[log p(s, o | a)] from q's means {@code [T, d]}, flattened covariances {@code [T, d²]} and
     * cross-covariances {@code [T−1, d²]}, vectorized over time.
     */
    double expectedLogJoint(INDArray m, INDArray pFlat, INDArray xFlat, INDArray obs, INDArray act) {
        int len = (int) m.size(0), d = stateDim(), p = observationDim();
        INDArray ro = obs.sub(m.mmul(c.transpose()));
        double eo = -0.5 * (len * (p * LogMath.LOG_2PI + logDetR) + ro.mmul(rInv).muli(ro).sumNumber().doubleValue()
                + pFlat.mulRowVector(flat(ctRiC)).sumNumber().doubleValue());
        INDArray r0 = m.getRow(0, true).sub(mu0);
        double e0 = -0.5 * (d * LogMath.LOG_2PI + logDetS0 + r0.mmul(s0Inv).mmul(r0.transpose()).getDouble(0)
                + pFlat.getRow(0, true).mul(flat(s0Inv)).sumNumber().doubleValue());
        double et = 0;
        if (len > 1) {
            INDArray next = m.get(NDArrayIndex.interval(1, len), NDArrayIndex.all());
            INDArray prev = m.get(NDArrayIndex.interval(0, len - 1), NDArrayIndex.all());
            INDArray aPrev = act.get(NDArrayIndex.interval(0, len - 1), NDArrayIndex.all());
            INDArray rt = next.sub(prev.mmul(a.transpose())).subi(aPrev.mmul(b.transpose()));
            double quad = rt.mmul(qInv).muli(rt).sumNumber().doubleValue();
            double trace = pFlat.get(NDArrayIndex.interval(1, len), NDArrayIndex.all()).mulRowVector(flat(qInv)).sumNumber().doubleValue()
                    + pFlat.get(NDArrayIndex.interval(0, len - 1), NDArrayIndex.all()).mulRowVector(flat(atQiA)).sumNumber().doubleValue()
                    - 2 * xFlat.mulRowVector(flat(qiA)).sumNumber().doubleValue();
            et = -0.5 * ((len - 1) * (d * LogMath.LOG_2PI + logDetQ) + quad + trace);
        }
        return eo + e0 + et;
    }

    // ------------------------------------------------------------------------------------------------ mean field

    /**
     * A mean-field fit.
     *
     * @param q      the fitted q(s_{1:T})
     * @param elbo   the ELBO at the start (means 0, covariances I) and after every sweep {@code double[sweeps + 1]}
     * @param sweeps the number of sweeps run
     */
    public record MeanField(GaussianTrajectory q, double[] elbo, int sweeps) {
        /** The last ELBO. */
        public double finalElbo() {
            return elbo[elbo.length - 1];
        }
    }

    /**
     * Mean-field variational inference by closed-form coordinate ascent on the ELBO. The optimal factor
     * q_t ∝ exp E_{q_{−t}}[log p(s, o | a)] is Gaussian with precision J_t — the t-th diagonal block of
     * the posterior precision (Σ₀⁻¹ or Q⁻¹, plus AᵀQ⁻¹A before the last step, plus CᵀR⁻¹C) — which does
     * not depend on the other factors, and mean J_t⁻¹ (h_t + Q⁻¹A m_{t−1} + AᵀQ⁻¹ m_{t+1}). A sweep
     * updates the covariances, then all even steps at once, then all odd ones (steps of one parity do
     * not interact, so this is exact coordinate ascent); with {@link Factorization#PER_COORDINATE} each
     * coordinate j in turn, with variance 1/(J_t)_jj. Stops after {@code maxSweeps} sweeps or when a sweep
     * gains less than 1e-12 (1 + |ELBO|) nats; the ELBO never decreases.
     */
    public MeanField meanField(INDArray observations, INDArray actions, Factorization factors, int maxSweeps) {
        return SmallOps.singleThreaded(() -> meanFieldOf(observations, actions, factors, maxSweeps));
    }

    private MeanField meanFieldOf(INDArray observations, INDArray actions, Factorization factors, int maxSweeps) {
        INDArray obs = checkObservations(observations);
        INDArray act = checkActions(actions, obs);
        Check.notNull("factors", factors);
        Check.positive("maxSweeps", maxSweeps);
        int len = (int) obs.size(0), d = stateDim();
        INDArray[] blocks = precisionBlocks(len);                              // J for t = 0, middle, T−1
        INDArray[] optimal = new INDArray[3];                                  // the factors' covariances
        for (int i = 0; i < 3; i++) {
            optimal[i] = factors == Factorization.PER_STEP ? SmallMatrices.inverse("posterior precision block", blocks[i])
                    : Nd4j.diag(reciprocalDiagonal(blocks[i]));
        }
        INDArray covs = Nd4j.create(DataType.DOUBLE, len, d, d);
        for (int t = 0; t < len; t++) {
            SmallMatrices.putBlock(covs, t, optimal[blockIndex(t, len)]);
        }
        INDArray covsFlat = flat(covs);
        double entropy = 0;
        for (int t = 0; t < len; t++) {
            entropy += 0.5 * d * (1 + LogMath.LOG_2PI) + 0.5 * SmallMatrices.factor("covariance", optimal[blockIndex(t, len)]).logDetCovariance();
        }
        INDArray zeroCross = Nd4j.zeros(DataType.DOUBLE, Math.max(0, len - 1), (long) d * d);
        INDArray info = information(obs, act);
        INDArray m = Nd4j.zeros(DataType.DOUBLE, len, d);
        INDArray identity = flat(Nd4j.tile(Nd4j.eye(d).castTo(DataType.DOUBLE).reshape(1, d, d), len, 1, 1));
        List<Double> trace = new ArrayList<>();
        trace.add(expectedLogJoint(m, identity, zeroCross, obs, act) + 0.5 * len * d * (1 + LogMath.LOG_2PI));
        INDArray[] parity = {parityMask(len, 0), parityMask(len, 1)};
        int sweeps = 0;
        while (sweeps < maxSweeps) {
            INDArray next = m.dup();
            for (INDArray mask : parity) {
                if (factors == Factorization.PER_STEP) {
                    INDArray target = timesBlocks(info.add(neighbours(next)), optimal);
                    next.addi(target.subi(next).muliColumnVector(mask));
                } else {
                    for (int j = 0; j < d; j++) {
                        INDArray residual = info.add(neighbours(next)).subi(timesBlocks(next, blocks));
                        INDArray step = residual.getColumn(j, true).muli(diagonalEntries(blocks, j, len)).muli(mask);
                        next.getColumn(j, true).addi(step);
                    }
                }
            }
            double value = expectedLogJoint(next, covsFlat, zeroCross, obs, act) + entropy;
            double last = trace.get(trace.size() - 1);
            if (value < last && sweeps > 0) {
                break;                                                         // rounding at convergence: keep the better q
            }
            m = next;
            trace.add(value);
            sweeps++;
            if (value - last < 1e-12 * (1 + Math.abs(value))) {
                break;
            }
        }
        return new MeanField(GaussianTrajectory.trusted(m, covs, null), trace.stream().mapToDouble(Double::doubleValue).toArray(), sweeps);
    }

    /** {@link #meanField(INDArray, INDArray, Factorization, int)} on a trajectory's observations and actions. */
    public MeanField meanField(Trajectory trajectory, Factorization factors, int maxSweeps) {
        Check.notNull("trajectory", trajectory);
        return meanField(trajectory.observations(), trajectory.actions(), factors, maxSweeps);
    }

    /** The diagonal blocks J_t of the posterior precision for t = 0, 0 &lt; t &lt; T−1 and t = T−1 (T = 1: all Σ₀⁻¹ + CᵀR⁻¹C). */
    INDArray[] precisionBlocks(int len) {
        if (len == 1) {
            INDArray only = s0Inv.add(ctRiC);
            return new INDArray[] {only, only, only};
        }
        return new INDArray[] {SmallMatrices.symmetric(s0Inv.add(atQiA).addi(ctRiC)), SmallMatrices.symmetric(qInv.add(atQiA).addi(ctRiC)),
            SmallMatrices.symmetric(qInv.add(ctRiC))};
    }

    /** The dense posterior precision J {@code [T d, T d]} (block tridiagonal; it does not depend on the data). */
    INDArray precision(int len) {
        int d = stateDim();
        INDArray[] blocks = precisionBlocks(len);
        INDArray j = Nd4j.zeros(DataType.DOUBLE, (long) len * d, (long) len * d);
        for (int t = 0; t < len; t++) {
            j.get(NDArrayIndex.interval(t * d, (t + 1) * d), NDArrayIndex.interval(t * d, (t + 1) * d)).assign(blocks[blockIndex(t, len)]);
            if (t < len - 1) {
                j.get(NDArrayIndex.interval((t + 1) * d, (t + 2) * d), NDArrayIndex.interval(t * d, (t + 1) * d)).assign(qiA.neg());
                j.get(NDArrayIndex.interval(t * d, (t + 1) * d), NDArrayIndex.interval((t + 1) * d, (t + 2) * d)).assign(qiA.transpose().neg());
            }
        }
        return j;
    }

    /**
     * The information vector h (rows h_tᵀ {@code [T, d]}): log p(s, o | a) = −½ sᵀ J s + hᵀ s + const, with
     * h_t = CᵀR⁻¹ o_t + [t = 1] Σ₀⁻¹ μ₀ + [t &gt; 1] Q⁻¹ B a_{t−1} − [t &lt; T] AᵀQ⁻¹ B a_t.
     */
    INDArray information(INDArray obs, INDArray act) {
        int len = (int) obs.size(0);
        INDArray h = obs.mmul(riC);
        h.getRow(0, true).addi(mu0.mmul(s0Inv));
        if (len > 1) {
            INDArray aPrev = act.get(NDArrayIndex.interval(0, len - 1), NDArrayIndex.all());
            h.get(NDArrayIndex.interval(1, len), NDArrayIndex.all()).addi(aPrev.mmul(btQi));
            h.get(NDArrayIndex.interval(0, len - 1), NDArrayIndex.all()).subi(aPrev.mmul(btQiA));
        }
        return h;
    }

    /** Rows m_{t−1}ᵀ AᵀQ⁻¹ + m_{t+1}ᵀ Q⁻¹A (the coupling to the neighbours; zero beyond the ends) {@code [T, d]}. */
    private INDArray neighbours(INDArray m) {
        int len = (int) m.size(0);
        INDArray out = Nd4j.zeros(DataType.DOUBLE, len, stateDim());
        if (len > 1) {
            out.get(NDArrayIndex.interval(1, len), NDArrayIndex.all()).addi(m.get(NDArrayIndex.interval(0, len - 1), NDArrayIndex.all()).mmul(qiA.transpose()));
            out.get(NDArrayIndex.interval(0, len - 1), NDArrayIndex.all()).addi(m.get(NDArrayIndex.interval(1, len), NDArrayIndex.all()).mmul(qiA));
        }
        return out;
    }

    /** Rows x_tᵀ M_t with M_t = blocks[0] at t = 0, blocks[2] at t = T−1, blocks[1] between (all symmetric) {@code [T, d]}. */
    private static INDArray timesBlocks(INDArray x, INDArray[] blocks) {
        int len = (int) x.size(0);
        INDArray out = x.mmul(blocks[1]);
        out.putRow(0, x.getRow(0, true).mmul(blocks[0]));
        if (len > 1) {
            out.putRow(len - 1, x.getRow(len - 1, true).mmul(blocks[2]));
        }
        return out;
    }

    /** 1/(J_t)_jj for every t {@code [T, 1]}. */
    private static INDArray diagonalEntries(INDArray[] blocks, int j, int len) {
        INDArray out = Nd4j.valueArrayOf(new long[] {len, 1}, 1 / blocks[1].getDouble(j, j), DataType.DOUBLE);
        out.putScalar(0, 0, 1 / blocks[0].getDouble(j, j));
        if (len > 1) {
            out.putScalar(len - 1, 0, 1 / blocks[2].getDouble(j, j));
        }
        return out;
    }

    private static int blockIndex(int t, int len) {
        return t == 0 ? 0 : t == len - 1 ? 2 : 1;
    }

    private static INDArray parityMask(int len, int parity) {
        INDArray mask = Nd4j.zeros(DataType.DOUBLE, len, 1);
        for (int t = parity; t < len; t += 2) {
            mask.putScalar(t, 0, 1.0);
        }
        return mask;
    }

    // ------------------------------------------------------------------------------------------------ checks

    INDArray checkObservations(INDArray observations) {
        Check.matrix("observations", observations, observationDim());
        Check.finite("observations", observations);
        return dbl(observations);
    }

    INDArray checkActions(INDArray actions, INDArray obs) {
        Check.matrix("actions", actions, actionDim());
        Check.finite("actions", actions);
        if (actions.size(0) != obs.size(0)) {
            throw new IllegalArgumentException("actions: expected shape [" + obs.size(0) + ", " + actionDim()
                    + "] (one row per observation), got " + Arrays.toString(actions.shape()));
        }
        return dbl(actions);
    }

    private void checkQ(GaussianTrajectory q, INDArray obs) {
        if (q.length() != obs.size(0) || q.dim() != stateDim()) {
            throw new IllegalArgumentException("q: expected a trajectory of " + obs.size(0) + " steps of dimension " + stateDim() + ", got " + q);
        }
    }

    /** {@code [T, d, d]} → {@code [T, d²]} (c order), or {@code [d, d]} → {@code [1, d²]}. */
    static INDArray flat(INDArray a) {
        INDArray c = a.dup('c');
        return a.rank() == 3 ? c.reshape(a.size(0), a.size(1) * a.size(2)) : c.reshape(1, a.length());
    }

    private static INDArray dbl(INDArray a) {
        return a.castTo(DataType.DOUBLE).dup('c');
    }

    @Override
    public String toString() {
        return "LinearGaussianSsm[state " + stateDim() + ", action " + actionDim() + ", observation " + observationDim() + "]";
    }

    /** 1/m_jj {@code [d]} of a square matrix {@code [d, d]}. */
    private static INDArray reciprocalDiagonal(INDArray m) {
        int d = (int) m.size(0);
        double[] v = new double[d];
        for (int j = 0; j < d; j++) {
            v[j] = 1 / m.getDouble(j, j);
        }
        return Nd4j.createFromArray(v);
    }
}
