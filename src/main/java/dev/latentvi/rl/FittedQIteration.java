package dev.latentvi.rl;

import dev.latentvi.math.Check;
import dev.latentvi.math.Rng;
import dev.latentvi.notebook.Progress;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Fitted Q-iteration (Ernst et al., 2005) with a linear Q-function Q(o, a) = φ(o)·w_a on a fixed
 * replay buffer: each iteration regresses r + γ max_a' Q(o', a') on φ(o) by ridge regression, one
 * weight vector per action. After every iteration the greedy policy is run from every start cell
 * of the {@link GridWorld} (on fresh noisy renderings) to give a learning curve.
 */
public final class FittedQIteration {
    private final GridWorld env;
    private final ReplayBuffer buffer;
    private final Features phi;
    private double discount = 0.9;
    private int iterations = 15;
    private double ridge = 1.0;
    private int maxSteps = 30;

    private FittedQIteration(GridWorld env, ReplayBuffer buffer, Features phi) {
        this.env = env;
        this.buffer = buffer;
        this.phi = phi;
    }

    /**
     * Fitted Q-iteration on the transitions of {@code buffer} collected in {@code env}, with the state
     * representation {@code features}. Defaults: discount 0.9, 15 iterations, ridge 1.0, evaluation
     * episodes of at most 30 steps.
     */
    public static FittedQIteration of(GridWorld env, ReplayBuffer buffer, Features features) {
        Check.notNull("env", env);
        Check.notNull("buffer", buffer);
        Check.notNull("features", features);
        return new FittedQIteration(env, buffer, features);
    }

    /** Discount γ in [0, 1) (default 0.9). */
    public FittedQIteration discount(double gamma) {
        Check.inRange("discount", gamma, 0, Math.nextDown(1.0));
        discount = gamma;
        return this;
    }

    /** Number of regression sweeps (default 15). */
    public FittedQIteration iterations(int count) {
        Check.positive("iterations", count);
        iterations = count;
        return this;
    }

    /** Ridge (L2) penalty λ &gt; 0 of each regression (default 1.0). */
    public FittedQIteration ridge(double lambda) {
        Check.positive("ridge", lambda);
        ridge = lambda;
        return this;
    }

    /** Longest evaluation episode, in steps (default 30). */
    public FittedQIteration maxSteps(int steps) {
        Check.positive("maxSteps", steps);
        maxSteps = steps;
        return this;
    }

    /**
     * The learning curve and final weights.
     *
     * @param curve one row per iteration: iteration, success (fraction of start cells that reach the
     *     goal), discounted return (mean over start cells), representation
     * @param weights DOUBLE {@code [k, 4]}, one column per action
     */
    public record Result(Table curve, INDArray weights) {
        /** Success rate after the last iteration. */
        public double finalSuccess() {
            return curve.doubleColumn("success").get(curve.rowCount() - 1);
        }

        /** Mean discounted return after the last iteration. */
        public double finalReturn() {
            return curve.doubleColumn("return").get(curve.rowCount() - 1);
        }
    }

    /**
     * Runs the iterations; after each one the greedy policy is evaluated from every start cell on
     * fresh renderings drawn from {@code rng}.
     */
    public Result run(Rng rng) {
        Check.notNull("rng", rng);
        INDArray f = phi.apply(buffer.observations());
        INDArray f2 = phi.apply(buffer.nextObservations());
        int n = buffer.size();
        int k = phi.width();
        List<int[]> rows = new ArrayList<>();
        List<INDArray> solve = new ArrayList<>();
        for (int a = 0; a < 4; a++) {
            int count = 0;
            for (int i = 0; i < n; i++) {
                count += buffer.actions()[i] == a ? 1 : 0;
            }
            int[] idx = new int[count];
            for (int i = 0, j = 0; i < n; i++) {
                if (buffer.actions()[i] == a) {
                    idx[j++] = i;
                }
            }
            rows.add(idx);
            if (count == 0) {
                solve.add(null);
                continue;
            }
            INDArray fa = f.getRows(idx);
            // ridge regression operator M_a = (F_aᵀ F_a + λ I)⁻¹ F_aᵀ, [k, n_a]: least squares of F_a X = I with an L2 penalty
            solve.add(Nd4j.linalg().lstsq(fa, Nd4j.eye(count).castTo(DataType.DOUBLE), ridge, true));
        }
        INDArray w = Nd4j.zeros(DataType.DOUBLE, k, 4);
        INDArray rewards = Nd4j.createFromArray(buffer.rewards());
        double[] notDone = new double[n];
        for (int i = 0; i < n; i++) {
            notDone[i] = buffer.done()[i] ? 0 : discount;
        }
        INDArray discounts = Nd4j.createFromArray(notDone);
        IntColumn it = IntColumn.create("iteration");
        DoubleColumn success = DoubleColumn.create("success");
        DoubleColumn ret = DoubleColumn.create("return");
        StringColumn name = StringColumn.create("representation");
        try (Progress p = Progress.start("fitted Q (" + phi.name() + ")", iterations)) {
            for (int t = 1; t <= iterations; t++) {
                INDArray target = rewards.add(f2.mmul(w).max(1).muli(discounts));
                INDArray next = Nd4j.zeros(DataType.DOUBLE, k, 4);
                for (int a = 0; a < 4; a++) {
                    if (solve.get(a) != null) {
                        next.putColumn(a, solve.get(a).mmul(target.get(org.nd4j.linalg.indexing.NDArrayIndex.indices(
                                toLong(rows.get(a))))).reshape(k, 1));
                    }
                }
                w = next;
                double[] eval = evaluate(env, phi, w, discount, maxSteps, rng);
                it.append(t);
                success.append(eval[0]);
                ret.append(eval[1]);
                name.append(phi.name());
                p.step("success %.2f  return %.3f", eval[0], eval[1]);
            }
        }
        return new Result(Table.create("fitted Q-iteration", it, success, ret, name), w);
    }

    /** Success rate and mean discounted return of the greedy policy of {@code w} from every non-goal cell. */
    static double[] evaluate(GridWorld env, Features phi, INDArray w, double gamma, int maxSteps, Rng rng) {
        int starts = env.states() - 1;
        int[] state = new int[starts];
        boolean[] finished = new boolean[starts];
        double[] returns = new double[starts];
        for (int s = 0; s < starts; s++) {
            state[s] = s;
        }
        int reached = 0;
        for (int t = 0; t < maxSteps && reached < starts; t++) {
            int active = 0;
            for (boolean b : finished) {
                active += b ? 0 : 1;
            }
            int[] idx = new int[active];
            for (int s = 0, j = 0; s < starts; s++) {
                if (!finished[s]) {
                    idx[j++] = s;
                }
            }
            int[] cur = new int[active];
            for (int j = 0; j < active; j++) {
                cur[j] = state[idx[j]];
            }
            INDArray q = phi.apply(env.render(cur, rng)).mmul(w);
            for (int j = 0; j < active; j++) {
                int a = q.getRow(j).argMax().getInt(0);
                int s = idx[j];
                state[s] = env.next(state[s], a);
                if (state[s] == env.goal()) {
                    finished[s] = true;
                    returns[s] = Math.pow(gamma, t);
                    reached++;
                }
            }
        }
        double mean = 0;
        for (double r : returns) {
            mean += r / starts;
        }
        return new double[] {reached / (double) starts, mean};
    }

    /** The optimal discounted return from each start cell averaged, for reference: γ^(distance − 1). */
    public static double optimalReturn(GridWorld env, double gamma) {
        double mean = 0;
        int size = env.size();
        for (int s = 0; s < env.states() - 1; s++) {
            int dist = (size - 1 - env.row(s)) + (size - 1 - env.col(s));
            mean += Math.pow(gamma, dist - 1) / (env.states() - 1);
        }
        return mean;
    }

    private static long[] toLong(int[] idx) {
        long[] out = new long[idx.length];
        for (int i = 0; i < idx.length; i++) {
            out[i] = idx[i];
        }
        return out;
    }

}
