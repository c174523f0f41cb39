import dev.latentvi.data.Mnist;
import dev.latentvi.math.Rng;
import dev.latentvi.vae.Vae;
import java.io.DataOutputStream;
import java.io.BufferedOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.nd4j.linalg.api.ndarray.INDArray;
import tech.tablesaw.api.Table;

/**
 * latentvi side of benchmarks/vae/run: a 784-400-20 Bernoulli VAE, batch 128, Adam 1e-3, on the
 * 8,000 MNIST training digits. Args: epochs (measured, after one warm-up epoch), data dump path.
 * Prints one JSON line.
 */
public class VaeBenchmark {
    public static void main(String[] args) throws Exception {
        int epochs = Integer.parseInt(args[0]);
        Path dump = Path.of(args[1]);
        INDArray x = Mnist.load().train().images();
        if (!Files.exists(dump)) { // the same data for PyTorch: raw little-endian float32 [8000, 784]
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(dump)))) {
                float[] v = x.data().asFloat();
                java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(v.length * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                b.asFloatBuffer().put(v);
                out.write(b.array());
            }
        }
        Rng rng = Rng.seeded(0);
        long t0 = System.nanoTime();
        Vae vae = Vae.builder().input(784).hidden(400).latent(20).learningRate(1e-3).build(rng);
        vae.fit(x, 1, 128, rng); // warm-up: builds the gradient graph, JIT
        double warm = (System.nanoTime() - t0) / 1e9;
        Table h = vae.fit(x, epochs, 128, rng);
        double[] secs = h.doubleColumn("seconds").asDoubleArray();
        double[] measured = java.util.Arrays.copyOfRange(secs, 1, secs.length);
        java.util.Arrays.sort(measured);
        double median = measured[measured.length / 2];
        int steps = (x.rows() + 127) / 128;
        double elbo = h.doubleColumn("elbo").get(h.rowCount() - 1);
        long peakKb = peakRssKb();
        System.out.printf(java.util.Locale.ROOT,
                "{\"framework\":\"latentvi (ND4J %s SameDiff)\",\"epoch_s\":%.4f,\"step_ms\":%.3f,\"warmup_s\":%.2f,\"final_elbo\":%.3f,\"peak_rss_mb\":%.1f,\"steps_per_epoch\":%d}%n",
                "1.0.0-M2.1", median, 1000 * median / steps, warm, elbo, peakKb / 1024.0, steps);
    }

    static long peakRssKb() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
