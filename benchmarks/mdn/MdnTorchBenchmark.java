import dev.latentvi.data.ObstacleDemos;
import dev.latentvi.lvm.MixtureDensityNetwork;
import dev.latentvi.math.Rng;
import dev.latentvi.nn.Fit;
import java.io.DataOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * latentvi side of benchmarks/mdn/run-torch: notebook 01's mixture density network (800 pairs, one tanh
 * layer of 32, K components, 250 full-batch Adam steps at 0.03, DOUBLE). Writes the data and the initial
 * parameters for mdn_torch.py, then trains (after an untimed warm-up fit of a twin) and prints one JSON line.
 * Args: K results-dir.
 */
public class MdnTorchBenchmark {
    public static void main(String[] args) throws Exception {
        int k = Integer.parseInt(args[0]);
        Path dir = Path.of(args[1]);
        Files.createDirectories(dir);
        ObstacleDemos.Demos train = ObstacleDemos.sample(800, Rng.seeded(1));
        write(dir.resolve("mdn-x.bin"), train.states());
        write(dir.resolve("mdn-y.bin"), train.actions());
        MixtureDensityNetwork warm = MixtureDensityNetwork.builder().components(k).hidden(32).build(Rng.seeded(3));
        warm.fit(train.states(), train.actions(), Fit.epochs(50).batchSize(800).learningRate(0.03), Rng.seeded(4));
        MixtureDensityNetwork m = MixtureDensityNetwork.builder().components(k).hidden(32).build(Rng.seeded(3));
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(dir.resolve("mdn-init-" + k + ".bin")))) {
            StringBuilder names = new StringBuilder();
            for (Map.Entry<String, INDArray> e : network(m).parameters().entrySet()) {
                names.append(e.getKey()).append(' ');
                out.write(bytes(e.getValue()));
            }
            Files.writeString(dir.resolve("mdn-init-" + k + ".txt"), names.toString().trim());
        }
        long t0 = System.nanoTime();
        var h = m.fit(train.states(), train.actions(), Fit.epochs(250).batchSize(800).learningRate(0.03), Rng.seeded(4));
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "{\"framework\":\"latentvi\",\"k\":%d,\"step_ms\":%.3f,\"final_nll\":%.5f}%n",
                k, 1000 * secs / 250, h.doubleColumn("nll").get(h.rowCount() - 1));
    }

    static dev.latentvi.nn.Network network(MixtureDensityNetwork m) throws Exception {
        java.lang.reflect.Field f = MixtureDensityNetwork.class.getDeclaredField("net");
        f.setAccessible(true);
        return (dev.latentvi.nn.Network) f.get(m);
    }

    static void write(Path p, INDArray a) throws Exception {
        Files.write(p, bytes(a));
    }

    /** Raw little-endian float64, c order. */
    static byte[] bytes(INDArray a) {
        double[] v = a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        ByteBuffer b = ByteBuffer.allocate(v.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asDoubleBuffer().put(v);
        return b.array();
    }
}
