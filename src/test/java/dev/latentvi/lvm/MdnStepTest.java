package dev.latentvi.lvm;

import static org.junit.jupiter.api.Assertions.*;

import dev.latentvi.internal.GraphOps;
import dev.latentvi.math.Rng;
import dev.latentvi.nn.Fit;
import dev.latentvi.nn.Network;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The hand-written MDN step against the SameDiff graph's loss and gradients. */
class MdnStepTest {

    private static void check(int k, int in, int out, int[] hidden) throws Exception {
        Rng rng = Rng.seeded(11);
        MixtureDensityNetwork m = MixtureDensityNetwork.builder().input(in).output(out).components(k).hidden(hidden).build(Rng.seeded(2));
        INDArray x = rng.normal(30, in);
        INDArray y = rng.normal(30, out);
        m.fit(x, y, Fit.epochs(5).batchSize(10).learningRate(0.05), Rng.seeded(3));   // away from the initialization
        java.lang.reflect.Field nf = MixtureDensityNetwork.class.getDeclaredField("net");
        nf.setAccessible(true);
        Network net = (Network) nf.get(m);
        java.lang.reflect.Field sf = MixtureDensityNetwork.class.getDeclaredField("step");
        sf.setAccessible(true);
        MdnStep step = (MdnStep) sf.get(m);
        assertNotNull(step, "the kernel path is the default");
        Map<String, INDArray> batch = Map.of("x", x, "y", y);
        Map<String, INDArray> params = net.parameters();
        Map<String, INDArray> grads = new HashMap<>();
        params.forEach((name, v) -> grads.put(name, v.ulike()));
        double loss = step.compute(batch, 30, params, grads)[0];

        SameDiff sd = net.sameDiff();
        double ref = net.output(batch, "nll").getDouble(0);     // binds the committed parameters
        assertEquals(ref, loss, 1e-10 * Math.max(1, Math.abs(ref)));
        sd.setLossVariables("nll");
        if (!sd.hasGradientFunction()) {
            GraphOps.createGradFunctionQuietly(sd);
        }
        Map<String, INDArray> g = sd.calculateGradients(batch, List.copyOf(net.parameterNames()));
        for (String name : net.parameterNames()) {
            INDArray e = g.get(name);
            double scale = e.norm2Number().doubleValue();
            assertTrue(scale > 0, name);
            double rel = grads.get(name).reshape(e.shape()).sub(e).norm2Number().doubleValue() / scale;
            assertTrue(rel <= 1e-8, name + ": relative error " + rel);
        }
    }

    @Test
    void oneComponent() throws Exception {
        check(1, 1, 1, new int[] {8});
    }

    @Test
    void twoComponentsTwoOutputsTwoLayers() throws Exception {
        check(2, 3, 2, new int[] {6, 5});
    }

    @Test
    void threeComponents() throws Exception {
        check(3, 1, 1, new int[] {7});
    }
}
