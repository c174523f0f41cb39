package dev.latentvi.rl;

import dev.latentvi.math.Check;
import dev.latentvi.math.Rng;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Transitions (o, a, r, o', done) collected by a uniformly random policy in a {@link GridWorld};
 * episodes start in a random non-goal cell and end at the goal or after {@code maxSteps}. The true
 * states are kept for plots only; learners see the observations.
 *
 * @param observations FLOAT {@code [n, pixels]}
 * @param actions length n, 0..3
 * @param rewards length n
 * @param nextObservations FLOAT {@code [n, pixels]}
 * @param done length n: the episode ended at the goal
 * @param states true state of each observation, length n
 */
public record ReplayBuffer(INDArray observations, int[] actions, double[] rewards, INDArray nextObservations,
        boolean[] done, int[] states) {

    /** {@code n} transitions of the random policy in {@code env}. */
    public static ReplayBuffer randomPolicy(GridWorld env, int n, int maxSteps, Rng rng) {
        Check.notNull("env", env);
        Check.positive("n", n);
        Check.positive("maxSteps", maxSteps);
        Check.notNull("rng", rng);
        int[] s = new int[n];
        int[] s2 = new int[n];
        int[] a = new int[n];
        double[] r = new double[n];
        boolean[] d = new boolean[n];
        int state = rng.nextInt(env.states() - 1);
        int t = 0;
        for (int i = 0; i < n; i++) {
            int action = rng.nextInt(4);
            int next = env.next(state, action);
            s[i] = state;
            a[i] = action;
            s2[i] = next;
            r[i] = env.reward(next);
            d[i] = next == env.goal();
            t++;
            if (d[i] || t >= maxSteps) {
                state = rng.nextInt(env.states() - 1);
                t = 0;
            } else {
                state = next;
            }
        }
        return new ReplayBuffer(env.render(s, rng), a, r, env.render(s2, rng), d, s);
    }

    /** Every image the buffer holds, FLOAT {@code [2n, pixels]}: the observations, then the next observations (e.g. to train a VAE on). */
    public INDArray frames() {
        return org.nd4j.linalg.factory.Nd4j.vstack(observations, nextObservations);
    }

    /** Number of transitions. */
    public int size() {
        return actions.length;
    }

    /** The first {@code n} transitions. */
    public ReplayBuffer first(int n) {
        if (n < 1 || n > size()) {
            throw new IllegalArgumentException("n: expected 1.." + size() + ", got " + n);
        }
        var rows = org.nd4j.linalg.indexing.NDArrayIndex.interval(0, n);
        var all = org.nd4j.linalg.indexing.NDArrayIndex.all();
        return new ReplayBuffer(observations.get(rows, all).dup(), Arrays.copyOf(actions, n), Arrays.copyOf(rewards, n),
                nextObservations.get(rows, all).dup(), Arrays.copyOf(done, n), Arrays.copyOf(states, n));
    }
}
