package dev.latentvi.vae;

import static org.junit.jupiter.api.Assertions.*;

import dev.latentvi.internal.GraphOps;
import dev.latentvi.math.Rng;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import tech.tablesaw.api.Table;

/** The hand-written VAE step against the SameDiff graph's loss, monitors and gradients, with the same noise. */
class VaeStepTest {

    private static void check(VaeConfig config, boolean gaussian) {
        Rng rng = Rng.seeded(5);
        VaeGraph graph = new VaeGraph(config, Rng.seeded(1));
        assertNotNull(graph.step(), "the kernel path is the default");
        int n = 9;
        INDArray x = gaussian ? rng.normal(n, config.input()).castTo(DataType.FLOAT)
                : rng.uniform(n, config.input()).castTo(DataType.FLOAT);
        Map<String, INDArray> data = new LinkedHashMap<>();
        data.put(VaeGraph.X, x);
        if (config.condition() > 0) {
            data.put(VaeGraph.C, rng.normal(n, config.condition()).castTo(DataType.FLOAT));
        }
        graph.fit(data, 3, 4, Rng.seeded(2));       // moves the parameters (biases too) away from the initialization
        Map<String, INDArray> batch = new LinkedHashMap<>(data);
        batch.put("eps", rng.normal(1, n, config.latent()).castTo(DataType.FLOAT));

        Map<String, INDArray> params = graph.network().parameters();
        Map<String, INDArray> grads = new HashMap<>();
        params.forEach((k, v) -> grads.put(k, v.ulike()));
        double[] mine = graph.step().compute(batch, n, params, grads);

        SameDiff sd = graph.network().sameDiff();
        graph.network().output(batch, "loss");      // binds the committed parameters to the graph
        sd.setLossVariables("loss");
        if (!sd.hasGradientFunction()) {
            GraphOps.createGradFunctionQuietly(sd);
        }
        List<String> outs = List.of("loss", "elbo", "reconstruction", "kl");
        OutAndGrad og = sd.calculateGradientsAndOutputs(batch, outs, graph.network().parameterNames());
        for (int i = 0; i < outs.size(); i++) {
            double ref = og.getOutputs().get(outs.get(i)).getDouble(0);
            assertEquals(ref, mine[i], 1e-5 * Math.max(1, Math.abs(ref)), outs.get(i));
        }
        for (String name : graph.network().parameterNames()) {
            INDArray ref = og.getGradients().get(name).castTo(DataType.DOUBLE);
            INDArray got = grads.get(name).castTo(DataType.DOUBLE).reshape(ref.shape());
            double scale = ref.norm2Number().doubleValue();
            assertTrue(scale > 0, name + ": a gradient that can fail the check");
            double rel = got.sub(ref).norm2Number().doubleValue() / scale;
            assertTrue(rel <= 1e-5, name + ": relative error " + rel);
        }
        assertTrue(Transforms.abs(grads.get("enc_0_W")).maxNumber().doubleValue() > 0);
    }

    @Test
    void bernoulliVaeMatchesSameDiff() {
        check(new VaeConfig(10, 3, new int[] {8, 6}, VaeConfig.Likelihood.BERNOULLI, 0, 1.0, 1e-2, 0.01), false);
    }

    @Test
    void conditionalBernoulliVaeWithBetaMatchesSameDiff() {
        check(new VaeConfig(10, 3, new int[] {7}, VaeConfig.Likelihood.BERNOULLI, 3, 0.5, 1e-2, 0.01), false);
    }

    @Test
    void conditionalGaussianVaeWithBetaMatchesSameDiff() {
        check(new VaeConfig(4, 2, new int[] {5, 6}, VaeConfig.Likelihood.GAUSSIAN, 2, 2.0, 1e-2, 0.05), true);
    }

    @Test
    void oneDimensionalGaussianPolicyMatchesSameDiff() {
        check(new VaeConfig(1, 1, new int[] {6, 6}, VaeConfig.Likelihood.GAUSSIAN, 1, 1.0, 3e-3, 0.05), true);
    }

    /** A trained model's parameters after fit on the fast path and on SameDiff's: same seed, same batches and noise. */
    private static Map<String, INDArray> trained(boolean kernel, Table[] history) {
        String old = System.getProperty("latentvi.denseKernel");
        System.setProperty("latentvi.denseKernel", Boolean.toString(kernel));
        try {
            Rng rng = Rng.seeded(7);
            Prototypes data = new Prototypes(4, 36, rng);
            INDArray x = data.images(data.labels(120), 0.05, rng);
            Vae vae = Vae.builder().input(36).latent(3).hidden(16).learningRate(3e-3).build(Rng.seeded(8));
            assertEquals(kernel, kernelOf(vae), "the property picks the path");
            history[0] = vae.fit(x, 4, 32, Rng.seeded(9));
            return vae.network().parameters();
        } finally {
            if (old == null) {
                System.clearProperty("latentvi.denseKernel");
            } else {
                System.setProperty("latentvi.denseKernel", old);
            }
        }
    }

    private static boolean kernelOf(Vae vae) {
        try {
            java.lang.reflect.Field f = Vae.class.getDeclaredField("graph");
            f.setAccessible(true);
            return ((VaeGraph) f.get(vae)).step() != null;
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void trainingOnTheFastPathFollowsTheSameDiffTrajectoryAndIsDeterministic() {
        Table[] fast = new Table[1];
        Table[] again = new Table[1];
        Table[] graph = new Table[1];
        Map<String, INDArray> a = trained(true, fast);
        Map<String, INDArray> b = trained(true, again);
        Map<String, INDArray> g = trained(false, graph);
        a.forEach((name, v) -> assertEquals(v, b.get(name), name + ": the same seed gives the same parameters"));
        for (String name : a.keySet()) {
            double rel = a.get(name).sub(g.get(name)).norm2Number().doubleValue() / g.get(name).norm2Number().doubleValue();
            assertTrue(rel < 1e-3, name + ": 16 steps apart by " + rel);
        }
        double e1 = fast[0].doubleColumn("elbo").get(3);
        double e2 = graph[0].doubleColumn("elbo").get(3);
        assertEquals(e2, e1, 1e-3 * Math.abs(e2));
    }
}
