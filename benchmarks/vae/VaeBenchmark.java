import dev.latentvi.data.Mnist;
import dev.latentvi.math.Rng;
import dev.latentvi.vae.Vae;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import tech.tablesaw.api.Table;

/**
 * latentvi side of benchmarks/vae/run (and benchmarks/vae04/run): a Bernoulli VAE D-H-L, batch B,
 * Adam 1e-3, on the 8,000 MNIST training digits, for 1 warm-up + E measured epochs.
 * Args: epochs hidden latent batch classes results-dir. classes > 0 trains a conditional VAE on one-hot labels.
 * With {@code -Dlatentvi.denseKernel=false} it trains on SameDiff's gradient (the "before").
 *
 * <p>For a fair comparison it writes, once per configuration, what PyTorch needs to train the same
 * model on the same inputs: the data, the labels, the initial parameters (in the order of
 * {@code parameterNames()}), and every epoch's permutation and every step's noise ε, replayed from a
 * twin of the training Rng (the trainer draws the permutation at each epoch's start and ε [1, b, L] at
 * each step, nothing else). Prints one JSON line.
 */
public class VaeBenchmark {
    public static void main(String[] args) throws Exception {
        int epochs = Integer.parseInt(args[0]);
        int hidden = Integer.parseInt(args[1]);
        int latent = Integer.parseInt(args[2]);
        int batch = Integer.parseInt(args[3]);
        int classes = Integer.parseInt(args[4]);
        Path dir = Path.of(args[5]);
        Files.createDirectories(dir);
        Mnist.Split train = Mnist.load().train();
        INDArray x = train.images();
        int n = (int) x.rows();
        String tag = hidden + "-" + latent + "-" + batch + "-" + classes + "-" + (epochs + 1);
        Path meta = dir.resolve("inputs-" + tag + ".txt");
        if (!Files.exists(meta)) {
            writeFloats(dir.resolve("mnist_train_f32.bin"), x);
            int[] labels = train.labels();
            writeInts(dir.resolve("mnist_labels_i32.bin"), labels);
            Rng twin = Rng.seeded(0);
            Object model = build(hidden, latent, classes, twin);
            StringBuilder names = new StringBuilder();
            try (DataOutputStream out = open(dir.resolve("init-" + tag + ".bin"))) {
                for (Map.Entry<String, INDArray> e : network(model).parameters().entrySet()) {
                    names.append(e.getKey()).append(' ').append(Arrays.toString(e.getValue().shape()).replace(" ", "")).append('\n');
                    writeFloats(out, e.getValue());
                }
            }
            int batches = (n + batch - 1) / batch;
            if (batches > 1 && n % batch == 1) {
                batches--;
            }
            try (DataOutputStream perms = open(dir.resolve("perm-" + tag + ".bin"));
                 DataOutputStream eps = open(dir.resolve("eps-" + tag + ".bin"))) {
                for (int e = 0; e < epochs + 1; e++) {
                    writeInts(perms, twin.permutation(n));
                    for (int i = 0; i < batches; i++) {
                        int rows = i == batches - 1 ? n - i * batch : batch;
                        writeFloats(eps, twin.normal(1, rows, latent));
                    }
                }
            }
            Files.writeString(meta, names.toString());
        }

        Rng rng = Rng.seeded(0);
        long t0 = System.nanoTime();
        Object model = build(hidden, latent, classes, rng);
        fit(model, train, 1, batch, rng);                 // warm-up: JIT, native init (and SameDiff's gradient graph)
        double warm = (System.nanoTime() - t0) / 1e9;
        Table h = fit(model, train, epochs, batch, rng);
        double[] secs = h.doubleColumn("seconds").asDoubleArray();
        double[] measured = Arrays.copyOfRange(secs, 1, secs.length);
        Arrays.sort(measured);
        double median = measured[measured.length / 2];
        int steps = (n + batch - 1) / batch;
        double[] elbos = h.doubleColumn("elbo").asDoubleArray();
        boolean kernel = !"false".equals(System.getProperty("latentvi.denseKernel"));
        System.out.printf(Locale.ROOT,
                "{\"framework\":\"latentvi %s\",\"epoch_s\":%.4f,\"step_ms\":%.3f,\"warmup_s\":%.2f,\"final_elbo\":%.3f,"
                        + "\"elbo_per_epoch\":%s,\"peak_rss_mb\":%.1f,\"steps_per_epoch\":%d}%n",
                kernel ? "(DenseKernel)" : "(SameDiff, before)", median, 1000 * median / steps, warm, elbos[elbos.length - 1],
                Arrays.toString(elbos), peakRssKb() / 1024.0, steps);
    }

    static Object build(int hidden, int latent, int classes, Rng rng) {
        if (classes > 0) {
            return dev.latentvi.vae.ConditionalVae.builder().input(784).classes(classes).hidden(hidden).latent(latent)
                    .learningRate(1e-3).build(rng);
        }
        return Vae.builder().input(784).hidden(hidden).latent(latent).learningRate(1e-3).build(rng);
    }

    static dev.latentvi.nn.Network network(Object model) {
        return model instanceof Vae v ? v.network() : ((dev.latentvi.vae.ConditionalVae) model).network();
    }

    static Table fit(Object model, Mnist.Split train, int epochs, int batch, Rng rng) {
        if (model instanceof Vae v) {
            return v.fit(train.images(), epochs, batch, rng);
        }
        return ((dev.latentvi.vae.ConditionalVae) model).fit(train.images(), train.labels(), epochs, batch, rng);
    }

    static DataOutputStream open(Path p) throws IOException {
        return new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(p), 1 << 20));
    }

    static void writeFloats(Path p, INDArray a) throws IOException {
        try (DataOutputStream out = open(p)) {
            writeFloats(out, a);
        }
    }

    /** Raw little-endian float32, c order. */
    static void writeFloats(DataOutputStream out, INDArray a) throws IOException {
        float[] v = a.castTo(DataType.FLOAT).dup('c').data().asFloat();
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        out.write(b.array());
    }

    static void writeInts(Path p, int[] v) throws IOException {
        try (DataOutputStream out = open(p)) {
            writeInts(out, v);
        }
    }

    /** Raw little-endian int32. */
    static void writeInts(DataOutputStream out, int[] v) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asIntBuffer().put(v);
        out.write(b.array());
    }

    static long peakRssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
