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
    private int evaluateEvery = 1;

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
     * Evaluate the greedy policy only after every {@code k}-th iteration and after the last one
     * (default 1: after every iteration); the curve then has one row per evaluated iteration.
     */
    public FittedQIteration evaluateEvery(int k) {
        Check.positive("evaluateEvery", k);
        evaluateEvery = k;
        return this;
    }

    /**
     * The learning curve and final weights.
     *
     * @param curve one row per iteration: iteration, success (fraction of start cells that reach the
     *     goal), discounted return (mean over start cells), representation
     * @param weights DOUBLE {@code [k, 4]}, one column per action
     * @param ridge the ridge λ the regressions used
     */
    public record Result(Table curve, INDArray weights, double ridge) {
        /** The representation's name. */
        public String representation() {
            return curve.stringColumn("representation").get(0);
        }

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
        IntColumn it = IntColumn.create("iteration");
        DoubleColumn success = DoubleColumn.create("success");
        DoubleColumn ret = DoubleColumn.create("return");
        StringColumn name = StringColumn.create("representation");
        INDArray w;
        try (Progress p = Progress.start("fitted Q (" + phi.name() + ")", iterations)) {
            w = fit(f, f2, allRows(), ridge, (t, wt) -> {
                if (t % evaluateEvery == 0 || t == iterations) {
                    double[] eval = evaluate(env, phi, wt, discount, maxSteps, rng);
                    it.append(t);
                    success.append(eval[0]);
                    ret.append(eval[1]);
                    name.append(phi.name());
                    p.step("success %.2f  return %.3f", eval[0], eval[1]);
                } else {
                    p.step("iteration %d", t);
                }
            });
        }
        return new Result(Table.create("fitted Q-iteration", it, success, ret, name), w, ridge);
    }

    /**
     * Held-out squared TD error of each ridge in {@code grid}: the transitions are split at random
     * (from {@code rng}, stratified by rewarded / unrewarded) into a fitting part and a held-out
     * fraction {@code holdout}; fitted Q-iteration
     * runs on the fitting part only (no evaluation episodes, no returns looked at), and the final
     * weights are scored by mean (r + γ(1 − done) max_a' Q(o', a') − Q(o, a))² over the held-out part.
     *
     * @return one value per entry of {@code grid}, in order
     */
    public double[] heldOutTdError(double[] grid, double holdout, Rng rng) {
        Check.notNull("grid", grid);
        if (grid.length == 0) {
            throw new IllegalArgumentException("grid: expected at least one ridge, got an empty array");
        }
        for (double g : grid) {
            Check.positive("grid", g);
        }
        Check.inRange("holdout", holdout, Math.ulp(1.0), 0.5);
        Check.notNull("rng", rng);
        int n = buffer.size();
        int held = (int) Math.round(holdout * n);
        if (held < 1 || n - held < 1) {
            throw new IllegalArgumentException("holdout: expected a fraction leaving at least one transition on each side of "
                    + n + ", got " + holdout);
        }
        // stratified split: the held-out part gets its share of the rewarded transitions (at least one
        // when there are two or more), else Q ≡ 0 of a huge ridge would score a zero TD error
        int[] perm = rng.permutation(n);
        List<Integer> paid = new ArrayList<>();
        List<Integer> unpaid = new ArrayList<>();
        for (int i : perm) {
            (buffer.rewards()[i] != 0 ? paid : unpaid).add(i);
        }
        int heldPaid = Math.min(paid.size() - (paid.size() > 1 ? 1 : 0),
                Math.max(paid.size() > 1 ? 1 : 0, (int) Math.round(holdout * paid.size())));
        heldPaid = Math.max(0, Math.min(heldPaid, held));
        int heldUnpaid = Math.min(unpaid.size(), held - heldPaid);
        List<Integer> testList = new ArrayList<>(paid.subList(0, heldPaid));
        testList.addAll(unpaid.subList(0, heldUnpaid));
        List<Integer> trainList = new ArrayList<>(paid.subList(heldPaid, paid.size()));
        trainList.addAll(unpaid.subList(heldUnpaid, unpaid.size()));
        int[] test = testList.stream().mapToInt(Integer::intValue).toArray();
        int[] train = trainList.stream().mapToInt(Integer::intValue).sorted().toArray();
        held = test.length;
        INDArray f = phi.apply(buffer.observations());
        INDArray f2 = phi.apply(buffer.nextObservations());
        double[] out = new double[grid.length];
        for (int g = 0; g < grid.length; g++) {
            INDArray w = fit(f, f2, train, grid[g], (t, wt) -> { });
            double sum = 0;
            INDArray q = f.mmul(w);
            INDArray q2 = f2.mmul(w).max(1);
            for (int i : test) {
                double target = buffer.rewards()[i] + (buffer.done()[i] ? 0 : discount * q2.getDouble(i));
                double d = target - q.getDouble(i, buffer.actions()[i]);
                sum += d * d;
            }
            out[g] = sum / held;
        }
        return out;
    }

    /**
     * The ridge of {@code grid} with the lowest {@link #heldOutTdError held-out squared TD error}
     * (first one on ties); a rule that never looks at evaluation returns, the same for every representation.
     */
    public double selectRidge(double[] grid, double holdout, Rng rng) {
        double[] err = heldOutTdError(grid, holdout, rng);
        int best = 0;
        for (int g = 1; g < err.length; g++) {
            if (err[g] < err[best]) {
                best = g;
            }
        }
        return grid[best];
    }

    /**
     * Sets the ridge to the one {@link #selectRidge} picks from {@code grid} (held-out TD error on a
     * fraction {@code holdout} of the transitions, split by {@code rng}); returns this.
     */
    public FittedQIteration ridgeBy(double[] grid, double holdout, Rng rng) {
        ridge = selectRidge(grid, holdout, rng);
        return this;
    }

    /** The final mean discounted return of each run, in order {@code [runs.size()]}. */
    public static double[] finalReturns(List<Result> runs) {
        Check.notNull("runs", runs);
        return runs.stream().mapToDouble(Result::finalReturn).toArray();
    }

    /**
     * One row per run of {@code groups}, in order: run (1, 2, … counted per representation),
     * representation, ridge, final success rate, final return.
     */
    @SafeVarargs
    public static Table finals(String title, List<Result>... groups) {
        Check.notNull("groups", groups);
        List<Result> runs = new ArrayList<>();
        for (List<Result> g : groups) {
            Check.notNull("groups", g);
            runs.addAll(g);
        }
        IntColumn run = IntColumn.create("run");
        StringColumn name = StringColumn.create("representation");
        DoubleColumn ridge = DoubleColumn.create("ridge");
        DoubleColumn success = DoubleColumn.create("success");
        DoubleColumn ret = DoubleColumn.create("return");
        java.util.Map<String, Integer> counts = new java.util.HashMap<>();
        for (Result r : runs) {
            Check.notNull("runs", r);
            run.append(counts.merge(r.representation(), 1, Integer::sum));
            name.append(r.representation());
            ridge.append(r.ridge());
            success.append(r.finalSuccess());
            ret.append(r.finalReturn());
        }
        return Table.create(title, run, name, ridge, success, ret);
    }

    private interface IterationHook {
        void after(int iteration, INDArray weights);
    }

    private int[] allRows() {
        int[] all = new int[buffer.size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        return all;
    }

    /** Fitted Q-iteration on the transitions {@code use} (features f, f2 of the whole buffer); returns {@code [k, 4]}. */
    private INDArray fit(INDArray f, INDArray f2, int[] use, double lambda, IterationHook hook) {
        int k = phi.width();
        int n = use.length;
        INDArray fu = f.getRows(use);
        INDArray f2u = f2.getRows(use);
        List<int[]> rows = new ArrayList<>();
        List<INDArray> solve = new ArrayList<>();
        for (int a = 0; a < 4; a++) {
            int count = 0;
            for (int i = 0; i < n; i++) {
                count += buffer.actions()[use[i]] == a ? 1 : 0;
            }
            int[] idx = new int[count];
            for (int i = 0, j = 0; i < n; i++) {
                if (buffer.actions()[use[i]] == a) {
                    idx[j++] = i;
                }
            }
            rows.add(idx);
            if (count == 0) {
                solve.add(null);
                continue;
            }
            solve.add(ridgeOperator(fu.getRows(idx), lambda));
        }
        INDArray w = Nd4j.zeros(DataType.DOUBLE, k, 4);
        double[] r = new double[n];
        double[] notDone = new double[n];
        for (int i = 0; i < n; i++) {
            r[i] = buffer.rewards()[use[i]];
            notDone[i] = buffer.done()[use[i]] ? 0 : discount;
        }
        INDArray rewards = Nd4j.createFromArray(r);
        INDArray discounts = Nd4j.createFromArray(notDone);
        for (int t = 1; t <= iterations; t++) {
            INDArray target = rewards.add(f2u.mmul(w).max(1).muli(discounts));
            INDArray next = Nd4j.zeros(DataType.DOUBLE, k, 4);
            for (int a = 0; a < 4; a++) {
                if (solve.get(a) != null) {
                    next.putColumn(a, solve.get(a).mmul(target.get(org.nd4j.linalg.indexing.NDArrayIndex.indices(
                            toLong(rows.get(a))))).reshape(k, 1));
                }
            }
            w = next;
            hook.after(t, w);
        }
        return w;
    }

    /**
     * The ridge regression operator M = (FᵀF + λI)⁻¹Fᵀ {@code [k, n]} of features F {@code [n, k]}, in
     * whichever form factors the smaller matrix: ((FFᵀ + λI)⁻¹F)ᵀ when n &lt; k (the two are equal).
     * Solved by a Java Cholesky factorization: ND4J's matrix_inverse refuses matrices whose
     * determinant underflows, which a 300×300 Gram matrix with a small λ does.
     */
    static INDArray ridgeOperator(INDArray f, double lambda) {
        int n = (int) f.size(0);
        int k = (int) f.size(1);
        INDArray ft = f.transpose();
        if (n < k) {
            double[][] gram = f.mmul(ft).toDoubleMatrix();
            return Nd4j.createFromArray(solveSpd(gram, lambda, f.toDoubleMatrix())).transpose();
        }
        double[][] gram = ft.mmul(f).toDoubleMatrix();
        return Nd4j.createFromArray(solveSpd(gram, lambda, ft.toDoubleMatrix()));
    }

    /** X with (G + λI) X = B for a symmetric positive semi-definite G {@code [m, m]} and λ &gt; 0; B {@code [m, c]} is overwritten. */
    private static double[][] solveSpd(double[][] g, double lambda, double[][] b) {
        int m = g.length;
        double[][] l = new double[m][m];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j <= i; j++) {
                double sum = g[i][j] + (i == j ? lambda : 0);
                for (int p = 0; p < j; p++) {
                    sum -= l[i][p] * l[j][p];
                }
                l[i][j] = i == j ? Math.sqrt(sum) : sum / l[j][j];
            }
        }
        int c = b[0].length;
        for (int i = 0; i < m; i++) {             // L Y = B
            for (int p = 0; p < i; p++) {
                double lip = l[i][p];
                for (int q = 0; q < c; q++) {
                    b[i][q] -= lip * b[p][q];
                }
            }
            for (int q = 0; q < c; q++) {
                b[i][q] /= l[i][i];
            }
        }
        for (int i = m - 1; i >= 0; i--) {        // Lᵀ X = Y
            for (int p = i + 1; p < m; p++) {
                double lpi = l[p][i];
                for (int q = 0; q < c; q++) {
                    b[i][q] -= lpi * b[p][q];
                }
            }
            for (int q = 0; q < c; q++) {
                b[i][q] /= l[i][i];
            }
        }
        return b;
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
