package dev.latentvi.nn;

import dev.latentvi.internal.NativeBuffers;
import dev.latentvi.math.Check;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.gradient.ThresholdReluBp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The forward and backward pass of a plain dense MLP ({@link Dense} layers with IDENTITY, RELU, TANH
 * or SIGMOID) as explicit ND4J matrix products into arrays allocated once per batch size: no graph,
 * no per-op shape inference, no fresh output arrays per step. A training fast path next to SameDiff
 * (which stays the reference: the tests check these gradients against SameDiff's on random
 * networks); anything else (other activations, other ops) goes through SameDiff.
 *
 * <pre>{@code
 * DenseKernel k = DenseKernel.of(layers.dense());
 * INDArray out = k.forward(x, params);                       // [n, out], valid until the next forward
 * INDArray dx = k.backward(dOut, params, grads, true);       // ∂L/∂W, ∂L/∂b into grads; ∂L/∂x [n, in]
 * }</pre>
 *
 * Not thread-safe: one kernel per training loop.
 */
public final class DenseKernel {
    private final String[] weights;
    private final String[] biases;
    private final long[] sizes;
    private final Activation[] acts;
    private final DataType type;
    private final Map<Long, Buffers> byRows = new HashMap<>();
    private Buffers last;
    private INDArray input;

    /** Per batch size: each layer's output (after its activation) and the back-propagated deltas. */
    private static final class Buffers {
        final INDArray[] out;
        final INDArray[] delta;   // delta[i]: ∂L/∂(input of layer i), [n, sizes[i]]
        final INDArray[] scratch;

        Buffers(long n, long[] sizes, DataType type) {
            int layers = sizes.length - 1;
            out = new INDArray[layers];
            delta = new INDArray[layers];
            scratch = new INDArray[layers];
            for (int i = 0; i < layers; i++) {
                out[i] = Nd4j.createUninitialized(type, n, sizes[i + 1]);
                delta[i] = Nd4j.createUninitialized(type, n, sizes[i]);
            }
        }
    }

    private DenseKernel(String[] weights, String[] biases, long[] sizes, Activation[] acts, DataType type) {
        this.weights = weights;
        this.biases = biases;
        this.sizes = sizes;
        this.acts = acts;
        this.type = type;
    }

    /** Whether every layer's activation is one the kernel differentiates (IDENTITY, RELU, TANH, SIGMOID). */
    public static boolean supports(List<Dense> layers) {
        if (layers == null || layers.isEmpty()) {
            return false;
        }
        for (Dense d : layers) {
            Activation a = d.activation();
            if (a != Activation.IDENTITY && a != Activation.RELU && a != Activation.TANH && a != Activation.SIGMOID) {
                return false;
            }
        }
        return true;
    }

    /**
     * A kernel for {@code layers} applied in order (each W {@code [in, out]}, b {@code [out]}, the
     * widths chaining); parameters are looked up by the variables' names in the maps given to
     * {@link #forward} and {@link #backward}.
     */
    public static DenseKernel of(List<Dense> layers) {
        if (!supports(layers)) {
            throw new IllegalArgumentException("layers: expected at least one dense layer with IDENTITY, RELU, TANH or SIGMOID, got "
                    + (layers == null ? "null" : layers.stream().map(Dense::activation).toList()));
        }
        int k = layers.size();
        String[] w = new String[k];
        String[] b = new String[k];
        long[] sizes = new long[k + 1];
        Activation[] acts = new Activation[k];
        DataType type = layers.get(0).weight().dataType();
        for (int i = 0; i < k; i++) {
            Dense d = layers.get(i);
            SDVariable wv = d.weight();
            long[] shape = wv.getShape();
            if (shape == null || shape.length != 2 || (i > 0 && shape[0] != sizes[i])) {
                throw new IllegalArgumentException("layers[" + i + "]: expected a weight [" + (i > 0 ? sizes[i] : "in") + ", out], got "
                        + java.util.Arrays.toString(shape));
            }
            sizes[i] = shape[0];
            sizes[i + 1] = shape[1];
            w[i] = wv.name();
            b[i] = d.bias().name();
            acts[i] = d.activation();
        }
        return new DenseKernel(w, b, sizes, acts, type);
    }

    /** Input width. */
    public long inputWidth() {
        return sizes[0];
    }

    /** Output width. */
    public long outputWidth() {
        return sizes[sizes.length - 1];
    }

    /**
     * The network's output for {@code x [n, in]} (kept, not copied, for the backward pass) with the
     * parameters {@code params} (name → array): {@code [n, out]}, an array of the kernel's that the
     * next {@code forward} with the same n overwrites.
     */
    public INDArray forward(INDArray x, Map<String, INDArray> params) {
        Check.matrix("x", x, sizes[0]);
        long n = x.size(0);
        Buffers buf = byRows.computeIfAbsent(n, r -> new Buffers(r, sizes, type));
        INDArray h = x;
        for (int i = 0; i < acts.length; i++) {
            INDArray o = buf.out[i];
            Nd4j.gemm(h, params.get(weights[i]), o, false, false, 1.0, 0.0);
            INDArray b = params.get(biases[i]);
            if (NativeBuffers.direct(o, DataType.FLOAT) && NativeBuffers.direct(b, DataType.FLOAT)) {
                biasActivation(NativeBuffers.floats(o), NativeBuffers.floats(b), acts[i]);
            } else if (NativeBuffers.direct(o, DataType.DOUBLE) && NativeBuffers.direct(b, DataType.DOUBLE)) {
                biasActivation(NativeBuffers.doubles(o), NativeBuffers.doubles(b), acts[i]);
            } else {
                o.addiRowVector(b);
                switch (acts[i]) {
                    case RELU -> Transforms.relu(o, false);
                    case TANH -> Transforms.tanh(o, false);
                    case SIGMOID -> Transforms.sigmoid(o, false);
                    default -> { }
                }
            }
            h = o;
        }
        last = buf;
        input = x;
        return h;
    }

    /**
     * Back-propagates {@code dOut} = ∂L/∂output {@code [n, out]} (overwritten) through the last
     * {@link #forward}: writes ∂L/∂W and ∂L/∂b of every layer into {@code grads} (arrays of the
     * parameters' shapes, by name; overwritten) and returns ∂L/∂x {@code [n, in]} (an array of the
     * kernel's) when {@code inputGradient}, else null.
     */
    public INDArray backward(INDArray dOut, Map<String, INDArray> params, Map<String, INDArray> grads, boolean inputGradient) {
        if (last == null) {
            throw new IllegalStateException("backward: expected a forward pass first, got none");
        }
        Buffers buf = last;
        long n = input.size(0);
        if (dOut.rank() != 2 || dOut.size(0) != n || dOut.size(1) != outputWidth()) {
            throw new IllegalArgumentException("dOut: expected [" + n + ", " + outputWidth() + "], got " + java.util.Arrays.toString(dOut.shape()));
        }
        INDArray d = dOut;
        for (int i = acts.length - 1; i >= 0; i--) {
            INDArray h = buf.out[i];
            INDArray gb = grads.get(biases[i]);
            if (NativeBuffers.direct(d, DataType.FLOAT) && NativeBuffers.direct(h, DataType.FLOAT) && NativeBuffers.direct(gb, DataType.FLOAT)) {
                derivativeAndBiasGradient(NativeBuffers.floats(d), NativeBuffers.floats(h), NativeBuffers.floats(gb), acts[i]);
            } else if (NativeBuffers.direct(d, DataType.DOUBLE) && NativeBuffers.direct(h, DataType.DOUBLE)
                    && NativeBuffers.direct(gb, DataType.DOUBLE)) {
                derivativeAndBiasGradient(NativeBuffers.doubles(d), NativeBuffers.doubles(h), NativeBuffers.doubles(gb), acts[i]);
            } else {
                switch (acts[i]) {
                    case RELU -> Nd4j.exec(new ThresholdReluBp(h, d, d, 0.0));           // h > 0 exactly where the input was
                    case TANH -> d.muli(scratch(buf, i).assign(h).muli(h).rsubi(1.0));      // 1 − tanh²
                    case SIGMOID -> d.muli(scratch(buf, i).assign(h).rsubi(1.0).muli(h));   // σ (1 − σ)
                    default -> { }
                }
                d.sum(gb, 0);
            }
            INDArray in = i == 0 ? input : buf.out[i - 1];
            Nd4j.gemm(in, d, grads.get(weights[i]), true, false, 1.0, 0.0);
            if (i == 0 && !inputGradient) {
                return null;
            }
            INDArray next = buf.delta[i];
            Nd4j.gemm(d, params.get(weights[i]), next, false, true, 1.0, 0.0);
            d = next;
        }
        return d;
    }

    /** o[r, j] = act(o[r, j] + b[j]) over the rows of o {@code [n, w]}, b {@code [w]}; one loop per activation. */
    private static void biasActivation(FloatBuffer o, FloatBuffer b, Activation act) {
        int w = b.capacity();
        int n = o.capacity();
        float[] bias = new float[w];
        b.get(0, bias);
        float[] row = new float[w];
        for (int i = 0; i < n; i += w) {
            o.get(i, row);
            switch (act) {
                case RELU -> {
                    for (int j = 0; j < w; j++) {
                        row[j] = Math.max(row[j] + bias[j], 0f);
                    }
                }
                case TANH -> {
                    for (int j = 0; j < w; j++) {
                        row[j] = (float) Math.tanh(row[j] + bias[j]);
                    }
                }
                case SIGMOID -> {
                    for (int j = 0; j < w; j++) {
                        row[j] = (float) (1 / (1 + Math.exp(-(row[j] + bias[j]))));
                    }
                }
                default -> {
                    for (int j = 0; j < w; j++) {
                        row[j] += bias[j];
                    }
                }
            }
            o.put(i, row);
        }
    }

    /**
     * d[r, j] ← d[r, j] · act'(from the output h[r, j]) and gb[j] = Σ_r d[r, j]: the delta of the layer's
     * input to its activation and the bias gradient, in one pass over rows copied to the heap (where the
     * JIT vectorizes the loops).
     */
    private static void derivativeAndBiasGradient(FloatBuffer d, FloatBuffer h, FloatBuffer gb, Activation act) {
        int w = gb.capacity();
        int n = d.capacity();
        float[] sum = new float[w];
        float[] g = new float[w];
        float[] y = new float[w];
        for (int i = 0; i < n; i += w) {
            d.get(i, g);
            if (act != Activation.IDENTITY) {
                h.get(i, y);
            }
            switch (act) {
                case RELU -> {
                    for (int j = 0; j < w; j++) {
                        g[j] = y[j] > 0 ? g[j] : 0f;
                    }
                }
                case TANH -> {
                    for (int j = 0; j < w; j++) {
                        g[j] *= 1 - y[j] * y[j];
                    }
                }
                case SIGMOID -> {
                    for (int j = 0; j < w; j++) {
                        g[j] *= y[j] * (1 - y[j]);
                    }
                }
                default -> { }
            }
            for (int j = 0; j < w; j++) {
                sum[j] += g[j];
            }
            if (act != Activation.IDENTITY) {
                d.put(i, g);
            }
        }
        gb.put(0, sum);
    }

    /** The DOUBLE twin of {@link #biasActivation(FloatBuffer, FloatBuffer, Activation)}. */
    private static void biasActivation(DoubleBuffer o, DoubleBuffer b, Activation act) {
        int w = b.capacity();
        int n = o.capacity();
        double[] bias = new double[w];
        b.get(0, bias);
        double[] row = new double[w];
        for (int i = 0; i < n; i += w) {
            o.get(i, row);
            for (int j = 0; j < w; j++) {
                double v = row[j] + bias[j];
                row[j] = switch (act) {
                    case RELU -> Math.max(v, 0);
                    case TANH -> Math.tanh(v);
                    case SIGMOID -> 1 / (1 + Math.exp(-v));
                    default -> v;
                };
            }
            o.put(i, row);
        }
    }

    /** The DOUBLE twin of {@link #derivativeAndBiasGradient(FloatBuffer, FloatBuffer, FloatBuffer, Activation)}. */
    private static void derivativeAndBiasGradient(DoubleBuffer d, DoubleBuffer h, DoubleBuffer gb, Activation act) {
        int w = gb.capacity();
        int n = d.capacity();
        double[] sum = new double[w];
        double[] g = new double[w];
        double[] y = new double[w];
        for (int i = 0; i < n; i += w) {
            d.get(i, g);
            if (act != Activation.IDENTITY) {
                h.get(i, y);
                for (int j = 0; j < w; j++) {
                    g[j] = switch (act) {
                        case RELU -> y[j] > 0 ? g[j] : 0;
                        case TANH -> g[j] * (1 - y[j] * y[j]);
                        case SIGMOID -> g[j] * y[j] * (1 - y[j]);
                        default -> g[j];
                    };
                }
                d.put(i, g);
            }
            for (int j = 0; j < w; j++) {
                sum[j] += g[j];
            }
        }
        gb.put(0, sum);
    }

    private INDArray scratch(Buffers buf, int i) {
        if (buf.scratch[i] == null) {
            buf.scratch[i] = buf.out[i].ulike();
        }
        return buf.scratch[i];
    }
}
