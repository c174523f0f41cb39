import dev.latentvi.dist.Normal;
import dev.latentvi.math.Rng;
import java.util.Arrays;
import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** sample + logProb of n diagonal Normals in d dimensions (one draw per row); prints median ms per phase. */
public class NormalBenchmark {
    public static void main(String[] args) {
        int n = Integer.parseInt(args[0]);
        int d = Integer.parseInt(args[1]);
        int reps = Integer.parseInt(args[2]);
        Rng rng = Rng.seeded(0);
        INDArray mu = rng.normal(n, d);
        INDArray sigma = rng.uniform(n, d).addi(0.5);
        Normal q = Normal.of(mu, sigma);
        double[] sample = new double[reps];
        double[] logProb = new double[reps];
        double checksum = 0;
        for (int r = -2; r < reps; r++) {                       // two warm-up rounds
            long t0 = System.nanoTime();
            INDArray z = q.sample(rng);
            long t1 = System.nanoTime();
            INDArray lp = q.logProb(z);
            long t2 = System.nanoTime();
            checksum += lp.getDouble(0);
            if (r >= 0) {
                sample[r] = (t1 - t0) / 1e6;
                logProb[r] = (t2 - t1) / 1e6;
            }
        }
        System.out.printf(Locale.ROOT, "java sample %.1f%njava logProb %.1f%njava threads %d%n", median(sample), median(logProb),
                Runtime.getRuntime().availableProcessors());
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
