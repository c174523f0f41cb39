package dev.latentvi.nn;

import static org.junit.jupiter.api.Assertions.*;

import dev.latentvi.internal.GraphOps;
import dev.latentvi.math.Rng;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** DenseKernel's forward pass and gradients against SameDiff's on random networks (DOUBLE). */
class DenseKernelTest {

    /** loss = Σ R ⊙ mlp(x) for a random R; compares the output, every parameter gradient and ∂/∂x. */
    private static void check(Activation hidden, Activation output, long[] sizes, long seed) {
        check(hidden, output, sizes, seed, DataType.DOUBLE, 1e-10);   // the plain-Java element-wise path, DOUBLE
        check(hidden, output, sizes, seed, DataType.FLOAT, 1e-5);     // the same in FLOAT
    }

    private static void check(Activation hidden, Activation output, long[] sizes, long seed, DataType type, double tol) {
        Rng rng = Rng.seeded(seed);
        Network net = Network.create(type);
        int n = 7;
        INDArray x = rng.normal(n, sizes[0]).castTo(type);
        SameDiff sd = net.sameDiff();
        SDVariable xv = sd.var("xin", x.dup());
        Mlp.Layers layers = Mlp.of(sizes).hidden(hidden).output(output).layers(net, "m", rng);
        Map<String, INDArray> params = new HashMap<>();
        for (String name : net.parameterNames()) {     // random biases too, so every term is exercised
            INDArray v = rng.normal(sd.getArrForVarName(name).shape()).castTo(type);
            sd.getArrForVarName(name).assign(v);
            params.put(name, v);
        }
        SDVariable out = layers.apply(xv);
        INDArray r = rng.normal(n, sizes[sizes.length - 1]).castTo(type);
        SDVariable loss = out.mul(sd.constant(r)).sum();
        sd.setLossVariables(loss);
        GraphOps.createGradFunctionQuietly(sd);
        List<String> wrt = new java.util.ArrayList<>(net.parameterNames());
        wrt.add("xin");
        Map<String, INDArray> ref = sd.calculateGradients(Map.of(), wrt);
        INDArray refOut = sd.output(Map.of(), out.name()).get(out.name());

        DenseKernel k = DenseKernel.of(layers.dense());
        Map<String, INDArray> grads = new HashMap<>();
        params.forEach((name, v) -> grads.put(name, v.ulike()));
        INDArray got = k.forward(x, params);
        assertTrue(got.equalsWithEps(refOut, tol), "forward");
        INDArray dx = k.backward(r.dup(), params, grads, true);
        for (String name : wrt) {
            INDArray g = name.equals("xin") ? dx : grads.get(name);
            INDArray e = ref.get(name);
            INDArray gd = g.reshape(e.shape()).castTo(DataType.DOUBLE);
            INDArray ed = e.castTo(DataType.DOUBLE);
            double rel = gd.sub(ed).norm2Number().doubleValue() / ed.norm2Number().doubleValue();
            assertTrue(rel <= tol, name + " " + type + " " + hidden + "/" + output + ": relative error " + rel);
        }
        assertNull(k.backward(r.dup(), params, grads, false), "no input gradient when not asked");
    }

    @Test
    void reluNetworkWithIdentityOutput() {
        check(Activation.RELU, Activation.IDENTITY, new long[] {5, 9, 8, 3}, 1);
    }

    @Test
    void tanhNetworkWithTanhOutput() {
        check(Activation.TANH, Activation.TANH, new long[] {4, 6, 2}, 2);
    }

    @Test
    void sigmoidAndReluOutput() {
        check(Activation.SIGMOID, Activation.RELU, new long[] {3, 5, 4}, 3);
    }

    @Test
    void oneLayer() {
        check(Activation.RELU, Activation.IDENTITY, new long[] {6, 2}, 4);
    }

    @Test
    void unsupportedActivationsAreRefusedByName() {
        Network net = Network.create(DataType.FLOAT);
        Mlp.Layers layers = Mlp.of(3, 4, 2).hidden(Activation.ELU).layers(net, "m", Rng.seeded(1));
        assertFalse(DenseKernel.supports(layers.dense()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DenseKernel.of(layers.dense()));
        assertTrue(e.getMessage().contains("layers"), e.getMessage());
    }
}
