import dev.latentvi.math.Rng;
import dev.latentvi.vi.LatentModel;
import dev.latentvi.vi.LinearGaussian;
import dev.latentvi.vi.PointwiseVi;
import dev.latentvi.vi.SquaredLatentModel;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * latentvi side of benchmarks/pointwise/run-torch: the per-point VI fits of notebook 02 (and the one inside
 * notebook 03's AmortizationGap), PointwiseVi with its defaults (Adam, Bound.monteCarlo(m), step size decaying
 * geometrically to a tenth, DOUBLE). Writes, for pointwise_torch.py, the data, the model, the initial (μ, log σ)
 * and every step's noise ε [m, n, d] — replayed from a twin of the fit's Rng (the trainer draws
 * rng.normal(m, n, d) once per step, nothing else) — then fits three times with the same seed: an untimed
 * warm-up, a one-step fit (the per-fit setup: graph, gradient function, first step) and the timed full fit;
 * prints one JSON line and writes the final (μ, log σ). Args: config results-dir, config one of
 * one | four | bimodal | gap.
 */
public class PointwiseTorchBenchmark {
    static final long SEED = 18;

    public static void main(String[] args) throws Exception {
        String config = args[0];
        Path dir = Path.of(args[1]);
        Files.createDirectories(dir);
        LinearGaussian line = LinearGaussian.of(new double[][] {{1.5}, {-0.8}}, new double[] {0.5, 0.0}, 0.7);
        LatentModel model;
        INDArray x;
        double mu0 = 0, ls0 = 0, lr = 0.1;
        int samples, steps;
        boolean path = false;
        switch (config) {
            case "one" -> {          // notebook 02 §2: one point, the path drawn on the ELBO contour
                model = line;
                x = line.point(2.3, -1.1);
                mu0 = -2.0;
                ls0 = 0.75;
                samples = 4;
                steps = 250;
                path = true;
            }
            case "four" -> {         // notebook 02 §3: four points against their exact posteriors
                model = line;
                x = line.points(new double[][] {{-1.5, 1.0}, {0.2, 0.3}, {1.6, -0.2}, {3.5, -2.0}});
                samples = 16;
                steps = 300;
            }
            case "bimodal" -> {      // notebook 02 §5: reverse-KL fit of a bimodal posterior
                model = SquaredLatentModel.of(0.3);
                x = model.point(2.0);
                mu0 = 0.5;
                samples = 64;
                steps = 300;
            }
            case "gap" -> {          // notebook 03 §6: AmortizationGap.measure's per-point VI on the 40 held-out points
                LinearGaussian m5 = LinearGaussian.random(5, 2, 1.0, 0.5, Rng.seeded(21));
                model = m5;
                x = m5.sample(Rng.seeded(23), 40).x();
                samples = 32;
                steps = 300;
            }
            default -> throw new IllegalArgumentException("config: expected one, four, bimodal or gap, got " + config);
        }
        int n = (int) x.size(0), d = model.latentDim(), dim = model.dataDim();
        String p = dir.resolve("pointwise-" + config + "-").toString();
        write(Path.of(p + "x.bin"), x);
        String kind;
        double noise;
        if (model instanceof LinearGaussian lg) {
            kind = "linear";
            noise = lg.noise();
            write(Path.of(p + "w.bin"), lg.weights());
            write(Path.of(p + "b.bin"), lg.bias());
        } else {
            kind = "squared";
            noise = ((SquaredLatentModel) model).noise();
        }
        Rng twin = Rng.seeded(SEED);
        INDArray eps = Nd4j.create(DataType.DOUBLE, steps, samples, n, d);
        for (int t = 0; t < steps; t++) {
            eps.get(org.nd4j.linalg.indexing.NDArrayIndex.point(t)).assign(twin.normal(samples, n, d));
        }
        write(Path.of(p + "eps.bin"), eps);
        Files.writeString(Path.of(p + "meta.json"), String.format(Locale.ROOT,
                "{\"kind\":\"%s\",\"n\":%d,\"D\":%d,\"d\":%d,\"samples\":%d,\"steps\":%d,\"lr\":%s,\"decay_to\":0.1,"
                        + "\"mu0\":%s,\"ls0\":%s,\"noise\":%s,\"path\":%b}",
                kind, n, dim, d, samples, steps, lr, mu0, ls0, noise, path));

        fit(model, x, mu0, ls0, samples, steps, lr, path);                                      // warm-up
        long s0 = System.nanoTime();
        fit(model, x, mu0, ls0, samples, 1, lr, path);                                          // setup + one step
        double setupMs = (System.nanoTime() - s0) / 1e6;
        long t0 = System.nanoTime();
        PointwiseVi.Result r = fit(model, x, mu0, ls0, samples, steps, lr, path);
        double fitMs = (System.nanoTime() - t0) / 1e6;
        double[] trace = r.elboTrace();
        write(Path.of(p + "final-java.bin"), Nd4j.concat(0, r.mu().reshape(-1), r.logSigma().reshape(-1)));
        System.out.printf(Locale.ROOT, "{\"framework\":\"latentvi\",\"config\":\"%s\",\"step_ms\":%.4f,\"fit_step_ms\":%.4f,"
                        + "\"setup_ms\":%.2f,\"final_elbo\":%.10f}%n",
                config, (fitMs - setupMs) / (steps - 1), fitMs / steps, setupMs, trace[trace.length - 1]);
    }

    static PointwiseVi.Result fit(LatentModel model, INDArray x, double mu0, double ls0, int samples, int steps, double lr, boolean path) {
        return PointwiseVi.of(model, x).init(mu0, ls0).samples(samples).steps(steps).learningRate(lr).recordPath(path)
                .fit(Rng.seeded(SEED));
    }

    /** Raw little-endian float64, c order. */
    static void write(Path file, INDArray a) throws Exception {
        double[] v = a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        ByteBuffer b = ByteBuffer.allocate(v.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asDoubleBuffer().put(v);
        Files.write(file, b.array());
    }
}
