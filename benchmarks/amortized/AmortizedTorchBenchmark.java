import dev.latentvi.math.Rng;
import dev.latentvi.nn.Activation;
import dev.latentvi.nn.GaussianHead;
import dev.latentvi.nn.Mlp;
import dev.latentvi.nn.Network;
import dev.latentvi.vi.AmortizedVi;
import dev.latentvi.vi.LinearGaussian;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import tech.tablesaw.api.Table;

/**
 * latentvi side of benchmarks/amortized/run-torch: notebook 03's amortized encoder, exactly the notebook's fit
 * (LinearGaussian.random(5, 2, 1.0, 0.5, seed 21), 512 training points from seed 22, encoder 5 → 32 tanh →
 * Gaussian head of 2, Bound.monteCarlo(1), 120 epochs of 4 batches of 128, Adam 1e-2 dropping to a tenth for the
 * last 20 % of the steps, Rng.seeded(25), DOUBLE). Writes, for amortized_torch.py, the data, the model, the
 * initial parameters, every epoch's permutation and every step's ε [1, 128, 2] — all replayed from a twin of the
 * fit's Rng that builds the same network first (the draws of the initialization) — then fits twice (untimed
 * warm-up, timed fit); prints one JSON line and writes the final parameters. Args: results-dir.
 */
public class AmortizedTorchBenchmark {
    static final int EPOCHS = 120, BATCH = 128;

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        LinearGaussian model = LinearGaussian.random(5, 2, 1.0, 0.5, Rng.seeded(21));
        INDArray x = model.sample(Rng.seeded(22), 512).x();
        String p = dir.resolve("amortized-").toString();
        write(Path.of(p + "x.bin"), x);
        write(Path.of(p + "w.bin"), model.weights());
        write(Path.of(p + "b.bin"), model.bias());
        Files.writeString(Path.of(p + "meta.txt"), Double.toString(model.noise()));
        // the twin: the same network built from the same stream, then the trainer's draws
        Rng twin = Rng.seeded(25);
        Network net = Network.create(DataType.DOUBLE);
        var in = net.input("x", 5);
        var h = Mlp.of(5, 32).hidden(Activation.TANH).output(Activation.TANH).build(net, "enc", in, twin);
        GaussianHead.build(net, "q", h, 32, 2, twin);
        StringBuilder names = new StringBuilder();
        try (var out = Files.newOutputStream(Path.of(p + "init.bin"))) {
            for (Map.Entry<String, INDArray> e : net.parameters().entrySet()) {
                names.append(e.getKey()).append(' ');
                out.write(bytes(e.getValue()));
            }
        }
        Files.writeString(Path.of(p + "init.txt"), names.toString().trim());
        int n = (int) x.size(0), batches = n / BATCH;
        ByteBuffer perms = ByteBuffer.allocate(EPOCHS * n * 4).order(ByteOrder.LITTLE_ENDIAN);
        try (var out = Files.newOutputStream(Path.of(p + "eps.bin"))) {
            for (int e = 0; e < EPOCHS; e++) {
                for (int i : twin.permutation(n)) {
                    perms.putInt(i);
                }
                for (int b = 0; b < batches; b++) {
                    out.write(bytes(twin.normal(1, BATCH, 2)));
                }
            }
        }
        Files.write(Path.of(p + "perm.bin"), perms.array());

        fit(model, x);                                                     // warm-up
        long t0 = System.nanoTime();
        AmortizedVi.Encoder enc = fit(model, x);
        double fitMs = (System.nanoTime() - t0) / 1e6;
        Table hist = enc.history();
        double[] secs = hist.doubleColumn("seconds").asDoubleArray().clone();
        java.util.Arrays.sort(secs);
        double[] elbo = enc.elboTrace();
        java.lang.reflect.Field f = AmortizedVi.Encoder.class.getDeclaredField("net");
        f.setAccessible(true);
        try (var out = Files.newOutputStream(Path.of(p + "final-java.bin"))) {
            for (INDArray v : ((Network) f.get(enc)).parameters().values()) {
                out.write(bytes(v));
            }
        }
        System.out.printf(Locale.ROOT, "{\"framework\":\"latentvi\",\"config\":\"encoder\",\"step_ms\":%.4f,\"fit_step_ms\":%.4f,"
                        + "\"final_elbo\":%.10f}%n",
                1000 * secs[secs.length / 2] / batches, fitMs / (EPOCHS * batches), elbo[elbo.length - 1]);
    }

    static AmortizedVi.Encoder fit(LinearGaussian model, INDArray x) {
        return AmortizedVi.of(model).hidden(32).epochs(EPOCHS).batchSize(BATCH).learningRate(1e-2).fit(x, Rng.seeded(25));
    }

    static void write(Path file, INDArray a) throws Exception {
        Files.write(file, bytes(a));
    }

    /** Raw little-endian float64, c order. */
    static byte[] bytes(INDArray a) {
        double[] v = a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        ByteBuffer b = ByteBuffer.allocate(v.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asDoubleBuffer().put(v);
        return b.array();
    }
}
