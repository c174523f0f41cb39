import dev.latentvi.dist.Normal;
import dev.latentvi.math.Rng;
import dev.latentvi.vi.Baseline;
import dev.latentvi.vi.Bound;
import dev.latentvi.vi.GradientEstimators;
import dev.latentvi.vi.LinearGaussian;
import dev.latentvi.vi.Objective;
import java.util.Arrays;
import java.util.Locale;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Three vi hot paths, median ms of reps runs after two warm-ups:
 * elbo  — Bound.monteCarlo(m).estimate on a linear-Gaussian model (n points, D = 20, d = 5, m samples per point);
 * sf    — score-function gradient, R replicas × M samples of a d = 5 quadratic objective (leave-one-out);
 * rp    — reparameterized gradient, same sizes.
 */
public class ViBenchmark {
    public static void main(String[] args) {
        int n = Integer.parseInt(args[0]);
        int m = Integer.parseInt(args[1]);
        int reps = Integer.parseInt(args[2]);
        Rng rng = Rng.seeded(0);
        LinearGaussian model = LinearGaussian.random(20, 5, 1.0, 0.5, Rng.seeded(1));
        INDArray x = model.sample(rng, n).x();
        Normal q = Normal.of(rng.normal(n, 5), rng.uniform(n, 5).addi(0.5));
        double[] c = {1, 2, 3, 4, 5};
        double[] a = {0.5, -0.5, 1, 0, 2};
        Objective r = Objective.quadratic(a, c);
        INDArray mu = Nd4j.createFromArray(0.1, 0.2, 0.3, 0.4, 0.5);
        INDArray ls = Nd4j.createFromArray(0.0, -0.1, -0.2, -0.3, -0.4);
        double[] elbo = new double[reps], sf = new double[reps], rp = new double[reps];
        Bound bound = Bound.monteCarlo(m);
        double checksum = 0;
        for (int k = -2; k < reps; k++) {
            long t0 = System.nanoTime();
            checksum += bound.estimate(model, q, x, rng).values().getDouble(0);
            long t1 = System.nanoTime();
            checksum += GradientEstimators.scoreFunctionReplicas(r, mu, ls, m, n, Baseline.leaveOneOut(), rng).getDouble(0, 0);
            long t2 = System.nanoTime();
            checksum += GradientEstimators.reparameterizedReplicas(r, mu, ls, m, n, rng).getDouble(0, 0);
            long t3 = System.nanoTime();
            if (k >= 0) {
                elbo[k] = (t1 - t0) / 1e6;
                sf[k] = (t2 - t1) / 1e6;
                rp[k] = (t3 - t2) / 1e6;
            }
        }
        System.out.printf(Locale.ROOT, "java elbo %.1f%njava sf %.1f%njava rp %.1f%n", median(elbo), median(sf), median(rp));
        if (Double.isNaN(checksum)) {
            System.out.println("NaN");
        }
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
