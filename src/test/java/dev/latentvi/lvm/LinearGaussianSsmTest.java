package dev.latentvi.lvm;

import static org.junit.jupiter.api.Assertions.*;

import dev.latentvi.dist.Kl;
import dev.latentvi.dist.MultivariateNormal;
import dev.latentvi.math.Rng;
import dev.latentvi.nn.Fit;
import dev.latentvi.nn.Schedule;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The state-space model against brute force: the joint Gaussian of (s_{1:T}, o_{1:T}) built as one
 * big covariance and conditioned on the observations with explicit matrices.
 */
class LinearGaussianSsmTest {

    /** A random model with state d, action k, observation p; A scaled to spectral norm ≤ 0.95 (stable). */
    static LinearGaussianSsm randomModel(Rng rng, int d, int k, int p) {
        INDArray a = rng.normal(d, d);
        double norm = Math.sqrt(a.mmul(a.transpose()).getDouble(0, 0) + a.mmul(a.transpose()).sumNumber().doubleValue());
        a.muli(0.95 / Math.max(norm, 1e-3));
        return LinearGaussianSsm.of(a, rng.normal(d, k), rng.normal(p, d), spd(rng, d, 0.3), spd(rng, p, 0.5), rng.normal(d), spd(rng, d, 1.0));
    }

    /** A random symmetric positive-definite matrix G Gᵀ/d + scale·I. */
    static INDArray spd(Rng rng, int d, double scale) {
        INDArray g = rng.normal(d, d).muli(Math.sqrt(scale));
        return g.mmul(g.transpose()).divi(d).addi(Nd4j.eye(d).castTo(DataType.DOUBLE).muli(scale));
    }

    /** The joint Gaussian of the stacked states s_{1:T} {@code [T d]}: mean and covariance by propagation. */
    record Joint(INDArray stateMean, INDArray stateCov, INDArray obsMean, INDArray obsCov, INDArray crossSo) {
    }

    static Joint joint(LinearGaussianSsm m, INDArray actions) {
        int len = (int) actions.size(0), d = m.stateDim(), p = m.observationDim();
        INDArray a = m.dynamics(), b = m.control(), c = m.emission();
        INDArray mean = Nd4j.zeros(DataType.DOUBLE, len * d, 1);
        INDArray cov = Nd4j.zeros(DataType.DOUBLE, len * d, len * d);
        INDArray mt = m.initialMean().reshape(d, 1), vt = m.initialCovariance();
        for (int t = 0; t < len; t++) {
            block(mean, t * d, 0, d, 1).assign(mt);
            block(cov, t * d, t * d, d, d).assign(vt);
            INDArray cross = vt;                                      // Cov(s_u, s_t) = A^{u−t} V_t
            for (int u = t + 1; u < len; u++) {
                cross = a.mmul(cross);
                block(cov, u * d, t * d, d, d).assign(cross);
                block(cov, t * d, u * d, d, d).assign(cross.transpose());
            }
            mt = a.mmul(mt).add(b.mmul(actions.getRow(t, true).transpose()));
            vt = a.mmul(vt).mmul(a.transpose()).add(m.processNoise());
        }
        INDArray h = Nd4j.zeros(DataType.DOUBLE, len * p, len * d);
        INDArray rr = Nd4j.zeros(DataType.DOUBLE, len * p, len * p);
        for (int t = 0; t < len; t++) {
            block(h, t * p, t * d, p, d).assign(c);
            block(rr, t * p, t * p, p, p).assign(m.observationNoise());
        }
        INDArray obsCov = h.mmul(cov).mmul(h.transpose()).add(rr);
        return new Joint(mean, cov, h.mmul(mean), obsCov.add(obsCov.transpose()).muli(0.5), cov.mmul(h.transpose()));
    }

    static INDArray block(INDArray x, int r, int c, int rows, int cols) {
        return x.get(NDArrayIndex.interval(r, r + rows), NDArrayIndex.interval(c, c + cols));
    }

    /** The brute-force posterior N(mean [T d], cov [T d, T d]) and log p(o). */
    record Brute(INDArray mean, INDArray cov, double logEvidence) {
    }

    static Brute brute(LinearGaussianSsm m, LinearGaussianSsm.Trajectory traj) {
        Joint j = joint(m, traj.actions());
        INDArray o = traj.observations().reshape(traj.observations().length(), 1);
        Dense marginal = new Dense(j.obsCov());
        INDArray gain = j.crossSo().mmul(marginal.inverse());
        INDArray mean = j.stateMean().add(gain.mmul(o.sub(j.obsMean())));
        INDArray cov = j.stateCov().sub(gain.mmul(j.crossSo().transpose()));
        return new Brute(mean.reshape(mean.length()), cov, marginal.logDensity(o.sub(j.obsMean())));
    }

    /**
     * Plain-Java Cholesky of a symmetric positive-definite matrix, for brute force on ill-conditioned joints
     * (ND4J's cholesky rejects matrices whose determinant is below about 1e-6).
     */
    static final class Dense {
        final double[][] l;
        final int n;

        Dense(INDArray a) {
            double[][] m = a.toDoubleMatrix();
            n = m.length;
            l = new double[n][n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j <= i; j++) {
                    double s = (m[i][j] + m[j][i]) / 2;
                    for (int k = 0; k < j; k++) {
                        s -= l[i][k] * l[j][k];
                    }
                    if (i == j) {
                        assertTrue(s > 0, "brute force: not positive definite");
                        l[i][i] = Math.sqrt(s);
                    } else {
                        l[i][j] = s / l[j][j];
                    }
                }
            }
        }

        double logDet() {
            double s = 0;
            for (int i = 0; i < n; i++) {
                s += 2 * Math.log(l[i][i]);
            }
            return s;
        }

        /** x = A⁻¹ b for a column b. */
        double[] solve(double[] b) {
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                double s = b[i];
                for (int k = 0; k < i; k++) {
                    s -= l[i][k] * y[k];
                }
                y[i] = s / l[i][i];
            }
            double[] x = new double[n];
            for (int i = n - 1; i >= 0; i--) {
                double s = y[i];
                for (int k = i + 1; k < n; k++) {
                    s -= l[k][i] * x[k];
                }
                x[i] = s / l[i][i];
            }
            return x;
        }

        INDArray inverse() {
            double[][] inv = new double[n][];
            for (int j = 0; j < n; j++) {
                double[] e = new double[n];
                e[j] = 1;
                inv[j] = solve(e);                  // column j (symmetric, so also row j)
            }
            return Nd4j.createFromArray(inv);
        }

        /** log N(r; 0, A) of a residual column {@code [n, 1]}. */
        double logDensity(INDArray r) {
            double[] v = r.reshape(n).toDoubleVector();
            double[] x = solve(v);
            double quad = 0;
            for (int i = 0; i < n; i++) {
                quad += v[i] * x[i];
            }
            return -0.5 * (n * Math.log(2 * Math.PI) + logDet() + quad);
        }
    }

    static void assertClose(INDArray expected, INDArray actual, double tol, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + " shape");
        double diff = expected.sub(actual).amaxNumber().doubleValue();
        assertTrue(diff <= tol, what + ": max difference " + diff + " > " + tol);
    }

    static void assertMatchesBruteForce(LinearGaussianSsm m, LinearGaussianSsm.Trajectory traj, double tol) {
        Brute bf = brute(m, traj);
        GaussianTrajectory post = m.posterior(traj);
        int len = traj.length(), d = m.stateDim();
        assertClose(bf.mean(), post.means().reshape(len * d), tol, "smoothed means");
        for (int t = 0; t < len; t++) {
            assertClose(block(bf.cov(), t * d, t * d, d, d), post.covariance(t), tol, "smoothed covariance " + t);
            if (t < len - 1) {
                assertClose(block(bf.cov(), (t + 1) * d, t * d, d, d), SmallMatrices.block(post.crossCovariances(), t), tol, "cross-covariance " + t);
            }
        }
        assertClose(bf.cov(), post.jointCovariance(), tol, "the posterior's joint covariance (Markov reconstruction)");
        assertEquals(bf.logEvidence(), m.logEvidence(traj), tol, "log p(o | a)");
    }

    LinearGaussianSsm pointMass = LinearGaussianSsm.pointMass(0.25, 0.5, 0.1, 0.2, 0.3);

    @Test
    void smootherAndLogEvidenceMatchTheConditionedJointGaussian() {
        Rng rng = Rng.seeded(1);
        assertMatchesBruteForce(pointMass, pointMass.sample(rng, 6, 8, 1.0).get(3), 1e-8);
        LinearGaussianSsm m = randomModel(rng, 3, 2, 2);
        assertMatchesBruteForce(m, m.sample(rng, 1, 7, 1.0).get(0), 1e-8);
        assertMatchesBruteForce(m, m.sample(rng, 1, 1, 1.0).get(0), 1e-8);   // T = 1: the filter alone
    }

    @Property(seed = "285", tries = 15)
    void smootherMatchesBruteForceForRandomStableModels(@ForAll @LongRange(min = 0, max = 1_000_000) long seed,
            @ForAll @IntRange(min = 1, max = 3) int d, @ForAll @IntRange(min = 1, max = 2) int p, @ForAll @IntRange(min = 2, max = 6) int len) {
        Rng rng = Rng.seeded(seed);
        LinearGaussianSsm m = randomModel(rng, d, 1, p);
        LinearGaussianSsm.Trajectory traj = m.sample(rng, 1, len, 1.0).get(0);
        assertMatchesBruteForce(m, traj, 1e-8);
        GaussianTrajectory mf = m.meanField(traj, LinearGaussianSsm.Factorization.PER_STEP, 200).q();
        assertTrue(m.elbo(mf, traj) <= m.logEvidence(traj) + 1e-9, "mean-field ELBO ≤ log p(o)");
    }

    @Test
    void filterMatchesConditioningOnThePast() {
        Rng rng = Rng.seeded(2);
        LinearGaussianSsm.Trajectory traj = pointMass.sample(rng, 1, 6, 1.0).get(0);
        LinearGaussianSsm.Filtered f = pointMass.filter(traj);
        for (int t = 1; t <= 6; t++) {                      // p(s_t | o_{1:t}) = the smoother's last marginal on the prefix
            LinearGaussianSsm.Trajectory prefix = new LinearGaussianSsm.Trajectory(traj.states().get(NDArrayIndex.interval(0, t), NDArrayIndex.all()),
                    traj.observations().get(NDArrayIndex.interval(0, t), NDArrayIndex.all()), traj.actions().get(NDArrayIndex.interval(0, t), NDArrayIndex.all()));
            Brute bf = brute(pointMass, prefix);
            assertClose(bf.mean().get(NDArrayIndex.interval(2 * (t - 1), 2 * t)), f.means().getRow(t - 1), 1e-8, "filtered mean " + t);
            assertClose(block(bf.cov(), 2 * (t - 1), 2 * (t - 1), 2, 2), SmallMatrices.block(f.covariances(), t - 1), 1e-8, "filtered covariance " + t);
        }
        GaussianTrajectory post = pointMass.posterior(traj);
        assertTrue(post.meanVariance() <= f.marginals().meanVariance(), "smoothing uses more data than filtering");
    }

    @Test
    void elboIsTheLogEvidenceAtThePosteriorAndBelowItElsewhere() {
        Rng rng = Rng.seeded(3);
        LinearGaussianSsm m = randomModel(rng, 2, 1, 2);
        LinearGaussianSsm.Trajectory traj = m.sample(rng, 1, 5, 1.0).get(0);
        double logP = m.logEvidence(traj);
        GaussianTrajectory post = m.posterior(traj);
        assertEquals(logP, m.elbo(post, traj), 1e-8, "ELBO at the exact posterior (structured q)");
        assertEquals(0, m.kl(post, traj), 1e-8, "KL(p ‖ p)");
        for (int i = 0; i < 5; i++) {
            GaussianTrajectory q = i % 2 == 0 ? randomMeanField(rng, 5, 2) : randomMarkov(rng, 5, 2);
            double elbo = m.elbo(q, traj), kl = m.kl(q, traj);
            assertTrue(elbo < logP, "ELBO " + elbo + " < log p " + logP);
            assertEquals(logP, elbo + kl, 1e-8, "log p = ELBO + KL");
            double registry = Kl.divergence(q.joint(), post.joint()).getDouble(0);
            assertEquals(registry, kl, 1e-8 * Math.max(1, registry), "KL against the dense Gaussians' KL");
            assertEquals(bruteExpectedLogJoint(m, traj, q) + q.joint().entropy().getDouble(0), elbo, 1e-8, "ELBO from the dense joint");
        }
    }

    /** E_q[log p(s, o)] from the dense joint Gaussian of (s, o): quadratic form plus trace on the state block. */
    static double bruteExpectedLogJoint(LinearGaussianSsm m, LinearGaussianSsm.Trajectory traj, GaussianTrajectory q) {
        Joint j = joint(m, traj.actions());
        int ns = (int) j.stateMean().length(), no = (int) j.obsMean().length();
        INDArray cov = Nd4j.zeros(DataType.DOUBLE, ns + no, ns + no);
        block(cov, 0, 0, ns, ns).assign(j.stateCov());
        block(cov, 0, ns, ns, no).assign(j.crossSo());
        block(cov, ns, 0, no, ns).assign(j.crossSo().transpose());
        block(cov, ns, ns, no, no).assign(j.obsCov());
        INDArray mean = Nd4j.concat(0, j.stateMean(), j.obsMean());
        Dense full = new Dense(cov);
        MultivariateNormal qj = q.joint();
        INDArray z = Nd4j.concat(1, qj.mean(), traj.observations().reshape(1, no)).reshape(ns + no, 1);
        double atMean = full.logDensity(z.sub(mean));
        double trace = block(full.inverse(), 0, 0, ns, ns).mul(qj.covariance()).sumNumber().doubleValue();
        return atMean - 0.5 * trace;
    }

    static GaussianTrajectory randomMeanField(Rng rng, int len, int d) {
        INDArray covs = Nd4j.create(DataType.DOUBLE, len, d, d);
        for (int t = 0; t < len; t++) {
            SmallMatrices.putBlock(covs, t, spd(rng, d, 0.2));
        }
        return GaussianTrajectory.independent(rng.normal(len, d), covs);
    }

    /** The moments of a random Gaussian Markov chain s_{t+1} = F s_t + g + noise. */
    static GaussianTrajectory randomMarkov(Rng rng, int len, int d) {
        INDArray means = Nd4j.create(DataType.DOUBLE, len, d), covs = Nd4j.create(DataType.DOUBLE, len, d, d);
        INDArray cross = Nd4j.create(DataType.DOUBLE, len - 1, d, d);
        INDArray m = rng.normal(1, d), p = spd(rng, d, 0.5);
        for (int t = 0; t < len; t++) {
            means.putRow(t, m);
            SmallMatrices.putBlock(covs, t, p);
            if (t < len - 1) {
                INDArray f = rng.normal(d, d).muli(0.5);
                SmallMatrices.putBlock(cross, t, f.mmul(p));
                m = m.mmul(f.transpose()).addi(rng.normal(1, d));
                INDArray next = f.mmul(p).mmul(f.transpose()).addi(spd(rng, d, 0.3));
                p = next.add(next.transpose()).muli(0.5);
            }
        }
        return GaussianTrajectory.of(means, covs, cross);
    }

    @Test
    void meanFieldCoordinateAscentNeverLowersTheElboAndFindsThePosteriorMeans() {
        Rng rng = Rng.seeded(4);
        LinearGaussianSsm.Trajectory traj = pointMass.sample(rng, 1, 30, 1.0).get(0);
        double logP = pointMass.logEvidence(traj);
        GaussianTrajectory post = pointMass.posterior(traj);
        double[] best = new double[2];
        for (LinearGaussianSsm.Factorization f : LinearGaussianSsm.Factorization.values()) {
            LinearGaussianSsm.MeanField fit = pointMass.meanField(traj, f, 20_000);
            double[] trace = fit.elbo();
            for (int i = 1; i < trace.length; i++) {
                assertTrue(trace[i] >= trace[i - 1], f + " sweep " + i + ": " + trace[i - 1] + " -> " + trace[i]);
            }
            assertEquals(pointMass.elbo(fit.q(), traj), fit.finalElbo(), 1e-8, f + ": the trace is the ELBO of q");
            assertTrue(fit.finalElbo() < logP, f + ": a mean-field q is not the posterior");
            assertEquals(logP - fit.finalElbo(), pointMass.kl(fit.q(), traj), 1e-8, f + ": the gap is KL(q ‖ p)");
            assertTrue(fit.q().isMeanField());
            best[f.ordinal()] = fit.finalElbo();
            if (f == LinearGaussianSsm.Factorization.PER_STEP) {
                assertClose(post.means(), fit.q().means(), 1e-4, "mean-field means = posterior means");
                assertTrue(fit.q().meanVariance() < post.meanVariance(), "mean field under-estimates the variance");
            }
        }
        assertTrue(best[0] >= best[1] - 1e-9, "full per-step factors beat the fully factorized q");
    }

    @Test
    void theEncoderLearnsAndBoundsTheEvidence() {
        Rng rng = Rng.seeded(5);
        List<LinearGaussianSsm.Trajectory> train = pointMass.sample(rng, 50, 20, 1.0);
        SsmEncoder start = SsmEncoder.fit(pointMass, train, Fit.epochs(1).learningRate(1e-300), rng);
        double closedForm = 0;
        for (LinearGaussianSsm.Trajectory t : train) {
            closedForm += pointMass.elbo(start.encode(t), t) / train.size();
        }
        assertEquals(closedForm, start.history().doubleColumn("mean ELBO").get(0), 1e-9 * Math.abs(closedForm),
                "the graph's ELBO is the closed-form ELBO (at W = 0, b = 0, σ = 1)");
        Fit few = Fit.epochs(5).learningRate(0.1);
        SsmEncoder byHand = SsmEncoder.fit(pointMass, train, few, Rng.seeded(6), true), bySameDiff = SsmEncoder.fit(pointMass, train, few, Rng.seeded(6), false);
        assertClose(bySameDiff.weights(), byHand.weights(), 1e-9, "closed-form gradient = SameDiff's (W after 5 Adam steps)");
        assertClose(bySameDiff.stddev(), byHand.stddev(), 1e-9, "closed-form gradient = SameDiff's (σ after 5 Adam steps)");
        assertArrayEquals(bySameDiff.history().doubleColumn("mean ELBO").asDoubleArray(), byHand.history().doubleColumn("mean ELBO").asDoubleArray(),
                1e-9 * Math.abs(closedForm), "the same ELBO at every step");
        SsmEncoder encoder = SsmEncoder.fit(pointMass, train, Fit.epochs(400).learningRate(0.1).schedule(Schedule.exponential(0.05)), rng);
        double[] elbo = encoder.history().doubleColumn("mean ELBO").asDoubleArray();
        assertTrue(elbo[elbo.length - 1] > elbo[0] + 10, "training raises the ELBO: " + elbo[0] + " -> " + elbo[elbo.length - 1]);
        LinearGaussianSsm.Trajectory held = pointMass.sample(rng, 1, 20, 1.0).get(0);
        GaussianTrajectory q = encoder.encode(held);
        assertTrue(pointMass.elbo(q, held) < pointMass.logEvidence(held));
        assertEquals(pointMass.logEvidence(held) - pointMass.elbo(q, held), pointMass.kl(q, held), 1e-8);
        assertEquals(SsmEncoder.featureCount(pointMass), encoder.weights().size(0));
    }

    @Test
    void samplingIsSeededAndFollowsTheModel() {
        INDArray actions = Nd4j.ones(DataType.DOUBLE, 4, 1);
        LinearGaussianSsm.Trajectory a = pointMass.sample(Rng.seeded(7), actions), b = pointMass.sample(Rng.seeded(7), actions);
        assertEquals(a.observations(), b.observations());
        assertArrayEquals(new long[] {4, 2}, a.states().shape());
        assertArrayEquals(new long[] {4, 1}, a.observations().shape());
        // the mean of s_2 over many runs: A μ₀ + B a_1 = (dt²/2, dt)
        List<LinearGaussianSsm.Trajectory> many = pointMass.sample(Rng.seeded(8), 4000, 2, 1e-9);
        double v = 0;
        for (LinearGaussianSsm.Trajectory t : many) {
            v += t.states().getDouble(1, 1) / many.size();
        }
        assertEquals(0, v, 4 * Math.sqrt((0.875 * 0.875 + 0.04) / 4000), "E[velocity at t = 2] with no force: (1 − friction dt)² + velocityNoise²");
    }

    @Test
    void badInputNamesTheArgumentAndTheExpectedValue() {
        INDArray eye = Nd4j.eye(2).castTo(DataType.DOUBLE);
        INDArray b = Nd4j.ones(DataType.DOUBLE, 2, 1), c = Nd4j.ones(DataType.DOUBLE, 1, 2), r = Nd4j.ones(DataType.DOUBLE, 1, 1);
        INDArray mu = Nd4j.zeros(DataType.DOUBLE, 2);
        assertMessage(() -> LinearGaussianSsm.of(eye, b, c, Nd4j.createFromArray(new double[][] {{1, 2}, {2, 1}}), r, mu, eye),
                "processNoise", "positive-definite");
        assertMessage(() -> LinearGaussianSsm.of(eye, b, c, eye, r.neg(), mu, eye), "observationNoise", "positive-definite");
        assertMessage(() -> LinearGaussianSsm.of(eye, b, c, eye, r, mu, Nd4j.zeros(DataType.DOUBLE, 2, 2)), "initialCovariance", "positive-definite");
        assertMessage(() -> LinearGaussianSsm.of(eye, b, Nd4j.ones(DataType.DOUBLE, 1, 3), eye, r, mu, eye), "emission", "[n, 2]");
        assertMessage(() -> LinearGaussianSsm.of(eye, Nd4j.ones(DataType.DOUBLE, 3, 1), c, eye, r, mu, eye), "control", "[2, k]");
        assertMessage(() -> LinearGaussianSsm.of(eye, b, c, eye, r, Nd4j.zeros(DataType.DOUBLE, 3), eye), "initialMean", "[2]");
        assertMessage(() -> LinearGaussianSsm.of(eye, b, c, Nd4j.eye(3).castTo(DataType.DOUBLE), r, mu, eye), "processNoise", "[2, 2]");
        INDArray obs = Nd4j.zeros(DataType.DOUBLE, 5, 1);
        assertMessage(() -> pointMass.filter(obs, Nd4j.zeros(DataType.DOUBLE, 4, 1)), "actions", "[5, 1]");
        assertMessage(() -> pointMass.filter(Nd4j.zeros(DataType.DOUBLE, 5, 2), Nd4j.zeros(DataType.DOUBLE, 5, 1)), "observations", "[n, 1]");
        GaussianTrajectory q = randomMeanField(Rng.seeded(9), 4, 2);
        assertMessage(() -> pointMass.elbo(q, obs, Nd4j.zeros(DataType.DOUBLE, 5, 1)), "q", "5 steps");
        assertMessage(() -> GaussianTrajectory.independent(Nd4j.zeros(DataType.DOUBLE, 3, 2), Nd4j.zeros(DataType.DOUBLE, 3, 2, 2)),
                "covariances[0]", "positive-definite");
        assertMessage(() -> GaussianTrajectory.independent(Nd4j.zeros(DataType.DOUBLE, 3, 2), Nd4j.zeros(DataType.DOUBLE, 2, 2, 2)),
                "covariances", "[3, 2, 2]");
        INDArray covs = Nd4j.tile(eye.reshape(1, 2, 2), 3, 1, 1);
        assertMessage(() -> GaussianTrajectory.of(Nd4j.zeros(DataType.DOUBLE, 3, 2), covs, covs.mul(2).get(NDArrayIndex.interval(0, 2),
                NDArrayIndex.all(), NDArrayIndex.all())), "crossCovariances", "positive-definite");
        assertMessage(() -> pointMass.meanField(obs, Nd4j.zeros(DataType.DOUBLE, 5, 1), LinearGaussianSsm.Factorization.PER_STEP, 0), "maxSweeps", "");
        assertMessage(() -> SsmEncoder.fit(pointMass, List.of(), Fit.epochs(1), Rng.seeded(0)), "data", "at least one");
    }

    static void assertMessage(org.junit.jupiter.api.function.Executable call, String argument, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().startsWith(argument), "message names " + argument + ": " + e.getMessage());
        assertTrue(e.getMessage().contains(expected), "message says " + expected + ": " + e.getMessage());
    }
}
