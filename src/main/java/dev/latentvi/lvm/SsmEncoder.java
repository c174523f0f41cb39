package dev.latentvi.lvm;

import dev.latentvi.math.Check;
import dev.latentvi.math.LogMath;
import dev.latentvi.math.Rng;
import dev.latentvi.nn.Adam;
import dev.latentvi.nn.Fit;
import dev.latentvi.nn.Network;
import dev.latentvi.nn.Trainer;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

/**
 * An amortized variational posterior for a {@link LinearGaussianSsm}: one linear map from a window of
 * the data around step t to the mean of q(s_t), with a learned diagonal covariance shared by all steps,
 *
 * <pre>
 *   q_φ(s_{1:T} | o, a) = ∏_t N(s_t; W x_t + b, diag(σ²)),
 *   x_t = (o_t, (o_{t+1} − o_{t−1})/2, o_{t+1} − 2 o_t + o_{t−1}, a_{t−1}, a_t, [t = 1], [t = T]),
 * </pre>
 *
 * a linear function of the window (o_{t−1}, o_t, o_{t+1}, a_{t−1}, a_t) written in centred differences
 * (the same family as the raw window, but with nearly uncorrelated features, which Adam needs: raw
 * neighbouring observations are almost equal). Beyond the ends the nearest observation is repeated and
 * the action is zero; the two indicators let the map treat the ends apart. It is
 * trained by Adam ({@link Trainer}) on the mean closed-form ELBO over many trajectories: for a
 * mean-field Gaussian q the ELBO is −½ mᵀ J m + hᵀ m + c − ½ Σ_t tr(J_t diag σ²) + H(q), with J the
 * (data-independent) posterior precision and h the information vector of each trajectory — a concave
 * quadratic in (W, b). The same φ then serves any new trajectory with no optimization.
 */
public final class SsmEncoder {
    private final LinearGaussianSsm model;
    private final INDArray weights;     // W [F, d]
    private final INDArray bias;        // b [1, d]
    private final INDArray logStddev;   // log σ [1, d]
    private final Table history;

    private SsmEncoder(LinearGaussianSsm model, INDArray weights, INDArray bias, INDArray logStddev, Table history) {
        this.model = model;
        this.weights = weights;
        this.bias = bias;
        this.logStddev = logStddev;
        this.history = history;
    }

    /** The number of window features F = 3p + 2k + 2 of a model with observation dimension p and action dimension k. */
    public static int featureCount(LinearGaussianSsm model) {
        Check.notNull("model", model);
        return 3 * model.observationDim() + 2 * model.actionDim() + 2;
    }

    /** The windows x_t of one trajectory: observations {@code [T, p]}, actions {@code [T, k]} → {@code [T, F]}. */
    public static INDArray features(LinearGaussianSsm model, INDArray observations, INDArray actions) {
        Check.notNull("model", model);
        INDArray obs = model.checkObservations(observations);
        INDArray act = model.checkActions(actions, obs);
        int len = (int) obs.size(0), p = model.observationDim(), k = model.actionDim();
        INDArray x = Nd4j.zeros(DataType.DOUBLE, len, featureCount(model));
        INDArray before = obs.dup(), after = obs.dup();                 // o_{t−1}, o_{t+1}, the ends repeated
        if (len > 1) {
            before.get(NDArrayIndex.interval(1, len), NDArrayIndex.all()).assign(obs.get(NDArrayIndex.interval(0, len - 1), NDArrayIndex.all()));
            after.get(NDArrayIndex.interval(0, len - 1), NDArrayIndex.all()).assign(obs.get(NDArrayIndex.interval(1, len), NDArrayIndex.all()));
            x.get(NDArrayIndex.interval(1, len), NDArrayIndex.interval(3 * p, 3 * p + k)).assign(act.get(NDArrayIndex.interval(0, len - 1), NDArrayIndex.all()));
        }
        x.get(NDArrayIndex.all(), NDArrayIndex.interval(0, p)).assign(obs);
        x.get(NDArrayIndex.all(), NDArrayIndex.interval(p, 2 * p)).assign(after.sub(before).muli(0.5));
        x.get(NDArrayIndex.all(), NDArrayIndex.interval(2 * p, 3 * p)).assign(after.add(before).subi(obs.mul(2)));
        x.get(NDArrayIndex.all(), NDArrayIndex.interval(3 * p + k, 3 * p + 2 * k)).assign(act);
        int f = featureCount(model);
        x.putScalar(0, f - 2, 1.0);
        x.putScalar(len - 1, f - 1, 1.0);
        return x;
    }

    /**
     * Trains the encoder on trajectories of equal length T (at least one), full batch: {@code fit.epochs()}
     * Adam steps at {@code fit.learningRate()} (with its schedule) on −(mean ELBO per trajectory), starting
     * from W = 0, b = 0, σ = 1, with a live progress line.
     */
    public static SsmEncoder fit(LinearGaussianSsm model, List<LinearGaussianSsm.Trajectory> data, Fit fit, Rng rng) {
        return fit(model, data, fit, rng, true);
    }

    /**
     * As {@link #fit(LinearGaussianSsm, List, Fit, Rng)}; {@code closedForm} false lets SameDiff differentiate
     * the graph instead of the closed-form gradient (the check of the fast path).
     */
    static SsmEncoder fit(LinearGaussianSsm model, List<LinearGaussianSsm.Trajectory> data, Fit fit, Rng rng, boolean closedForm) {
        Check.notNull("model", model);
        Check.notNull("data", data);
        Check.notNull("fit", fit);
        Check.notNull("rng", rng);
        if (data.isEmpty()) {
            throw new IllegalArgumentException("data: expected at least one trajectory, got none");
        }
        int n = data.size(), len = data.get(0).length(), d = model.stateDim(), f = featureCount(model);
        INDArray x = Nd4j.create(DataType.DOUBLE, (long) n * len, f);
        INDArray h = Nd4j.create(DataType.DOUBLE, n, (long) len * d);
        double constant = 0;
        INDArray zeroCov = Nd4j.zeros(DataType.DOUBLE, len, (long) d * d);
        INDArray zeroCross = Nd4j.zeros(DataType.DOUBLE, Math.max(0, len - 1), (long) d * d);
        for (int i = 0; i < n; i++) {
            LinearGaussianSsm.Trajectory traj = data.get(i);
            Check.notNull("data[" + i + "]", traj);
            if (traj.length() != len) {
                throw new IllegalArgumentException("data: expected trajectories of equal length " + len + ", got " + traj.length() + " at index " + i);
            }
            INDArray obs = model.checkObservations(traj.observations());
            INDArray act = model.checkActions(traj.actions(), obs);
            x.get(NDArrayIndex.interval((long) i * len, (long) (i + 1) * len), NDArrayIndex.all()).assign(features(model, obs, act));
            h.putRow(i, model.information(obs, act).reshape(1, (long) len * d));
            constant += model.expectedLogJoint(Nd4j.zeros(DataType.DOUBLE, len, d), zeroCov, zeroCross, obs, act) / n;   // log p(s = 0, o | a)
        }
        INDArray precision = model.precision(len);
        INDArray diagonalSums = Nd4j.zeros(DataType.DOUBLE, 1, d);     // Σ_t (J_t)_jj
        for (int t = 0; t < len; t++) {
            for (int j = 0; j < d; j++) {
                diagonalSums.putScalar(0, j, diagonalSums.getDouble(0, j) + precision.getDouble((long) t * d + j, (long) t * d + j));
            }
        }
        Network net = Network.create(DataType.DOUBLE);
        SameDiff sd = net.sameDiff();
        SDVariable w = net.parameter("W", Nd4j.zeros(DataType.DOUBLE, f, d));
        SDVariable b = net.parameter("b", Nd4j.zeros(DataType.DOUBLE, 1, d));
        SDVariable logSigma = net.parameter("logSigma", Nd4j.zeros(DataType.DOUBLE, 1, d));
        SDVariable means = sd.reshape(sd.constant(x).mmul(w).add(b), n, (long) len * d);                  // [N, T d]
        SDVariable quadratic = means.mmul(sd.constant(precision)).mul(means).sum();
        SDVariable linear = sd.constant(h).mul(means).sum();
        SDVariable variance = sd.constant(diagonalSums).mul(sd.math.exp(logSigma.mul(2))).sum();
        SDVariable elbo = quadratic.mul(-0.5 / n).add(linear.div(n)).sub(variance.mul(0.5))
                .add(logSigma.sum().mul(len)).add(constant + 0.5 * len * d * (1 + LogMath.LOG_2PI));
        Trainer trainer = Trainer.of(net, elbo.neg(), Adam.of(fit.learningRate())).label("amortized encoder (" + n + " trajectories)");
        if (closedForm) {
            // ∂ELBO/∂m = h − J m per trajectory; W, b by the chain rule through m = X W + b;
            // ∂ELBO/∂log σ_j = T − σ_j² Σ_t (J_t)_jj. A few small ops per step instead of a SameDiff pass.
            double elboConstant = constant + 0.5 * len * d * (1 + LogMath.LOG_2PI);
            trainer.gradients((batch, rows, params, grads) -> {
                INDArray sigma2 = Transforms.exp(params.get("logSigma").mul(2), false);
                INDArray m = x.mmul(params.get("W")).addiRowVector(params.get("b")).reshape(n, (long) len * d);
                INDArray jm = m.mmul(precision);
                double value = -0.5 * jm.mul(m).sumNumber().doubleValue() / n + h.mul(m).sumNumber().doubleValue() / n
                        - 0.5 * diagonalSums.mul(sigma2).sumNumber().doubleValue()
                        + len * params.get("logSigma").sumNumber().doubleValue() + elboConstant;
                INDArray g = h.sub(jm).divi(n).reshape((long) n * len, d);
                grads.get("W").assign(x.transpose().mmul(g).negi());
                grads.get("b").assign(g.sum(true, 0).negi());
                grads.get("logSigma").assign(diagonalSums.mul(sigma2).subi(len));
                return new double[] {-value};
            });
        }
        Table steps = trainer.fit(fit, rng);
        double[] loss = steps.doubleColumn("loss").asDoubleArray();
        Table history = Table.create("amortized encoder training",
                IntColumn.create("step", java.util.stream.IntStream.rangeClosed(1, loss.length).toArray()),
                DoubleColumn.create("mean ELBO", java.util.Arrays.stream(loss).map(v -> -v).toArray()));
        return new SsmEncoder(model, net.parameters().get("W").dup(), net.parameters().get("b").dup(), net.parameters().get("logSigma").dup(),
                history);
    }

    /** q_φ(s_{1:T} | o, a) for one trajectory: observations {@code [T, p]}, actions {@code [T, k]}. */
    public GaussianTrajectory encode(INDArray observations, INDArray actions) {
        INDArray x = features(model, observations, actions);
        INDArray means = x.mmul(weights).addiRowVector(bias);
        INDArray stddevs = Nd4j.tile(Transforms.exp(logStddev, true), (int) x.size(0), 1);
        return GaussianTrajectory.trusted(means, GaussianTrajectory.diagonalCovariances(stddevs), null);
    }

    /** {@link #encode(INDArray, INDArray)} on a trajectory's observations and actions. */
    public GaussianTrajectory encode(LinearGaussianSsm.Trajectory trajectory) {
        Check.notNull("trajectory", trajectory);
        return encode(trajectory.observations(), trajectory.actions());
    }

    /** The map W {@code [F, d]} (a copy). */
    public INDArray weights() {
        return weights.dup();
    }

    /** The offset b {@code [d]} (a copy). */
    public INDArray bias() {
        return bias.reshape(bias.length()).dup();
    }

    /** The shared standard deviations σ {@code [d]}. */
    public INDArray stddev() {
        return Transforms.exp(logStddev, true).reshape(logStddev.length());
    }

    /** One row per Adam step: step, mean ELBO per training trajectory. */
    public Table history() {
        return history.copy();
    }

    @Override
    public String toString() {
        return "SsmEncoder[" + featureCount(model) + " features → state " + model.stateDim() + "]";
    }
}
