import dev.latentvi.data.ObstacleDemos;
import dev.latentvi.math.Rng;
import dev.latentvi.nn.Fit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** See benchmarks/mdn/run. Prints per-configuration median seconds, held-out log-likelihood and ratios. */
public class MdnBenchmark {
    interface Impl {
        /** Trains a fresh model; returns {seconds, held-out mean log-likelihood}. */
        double[] fit(int k, int epochs);
    }

    static final ObstacleDemos.Demos TRAIN = ObstacleDemos.sample(800, Rng.seeded(1));
    static final ObstacleDemos.Demos HELD = ObstacleDemos.sample(400, Rng.seeded(2));

    public static void main(String[] args) {
        String rev = args[0];
        int reps = Integer.parseInt(args[1]);
        Impl baseline = (k, epochs) -> {
            long t0 = System.nanoTime();
            var m = bench.baseline.MixtureDensityNetwork.create(1, 1, k, new int[] {32}, Rng.seeded(3));
            m.fit(TRAIN.states(), TRAIN.actions(), epochs, 800, 0.03, Rng.seeded(4));
            return new double[] {(System.nanoTime() - t0) / 1e9, m.meanLogLikelihood(HELD.states(), HELD.actions())};
        };
        Impl current = (k, epochs) -> {
            long t0 = System.nanoTime();
            var m = dev.latentvi.lvm.MixtureDensityNetwork.builder().components(k).hidden(32).build(Rng.seeded(3));
            m.fit(TRAIN.states(), TRAIN.actions(), Fit.epochs(epochs).batchSize(800).learningRate(0.03), Rng.seeded(4));
            return new double[] {(System.nanoTime() - t0) / 1e9, m.meanLogLikelihood(HELD.states(), HELD.actions())};
        };
        Impl[] impls = {baseline, current};
        baseline.fit(2, 20);                       // warm-up (JIT, native init), untimed
        current.fit(2, 20);
        List<List<Double>> secs = new ArrayList<>();
        double[][] ll = new double[4][];
        for (int i = 0; i < 4; i++) {
            secs.add(new ArrayList<>());
        }
        for (int r = 0; r < reps; r++) {
            for (int j = 0; j < 2; j++) {
                int which = (r + j) % 2;           // alternate which implementation goes first
                for (int k = 1; k <= 2; k++) {
                    double[] res = impls[which].fit(k, 250);
                    secs.get(which * 2 + k - 1).add(res[0]);
                    ll[which * 2 + k - 1] = res;
                }
            }
        }
        System.out.printf(Locale.ROOT, "MDN training, notebook 01 configuration (800 pairs, tanh 32, 250 full-batch epochs), median (min) of %d%n", reps);
        System.out.printf(Locale.ROOT, "%-4s %16s %16s %16s %14s %14s%n", "K", "baseline s", "current s", "cur/base", "baseline ll", "current ll");
        for (int k = 1; k <= 2; k++) {
            double b = median(secs.get(k - 1));
            double c = median(secs.get(2 + k - 1));
            double bm = Collections.min(secs.get(k - 1));
            double cm = Collections.min(secs.get(2 + k - 1));
            System.out.printf(Locale.ROOT, "%-4d %8.2f (%5.2f) %8.2f (%5.2f) %8.2f (%5.2f) %14.4f %14.4f%n",
                    k, b, bm, c, cm, c / b, cm / bm, ll[k - 1][1], ll[2 + k - 1][1]);
        }
        System.out.printf(Locale.ROOT, "(baseline = lvm.MixtureDensityNetwork at %s; all runs: baseline %s, current %s)%n", rev,
                secs.subList(0, 2), secs.subList(2, 4));
    }

    static double median(List<Double> v) {
        double[] a = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }
}
