package dev.latentvi.nn;

import dev.latentvi.math.Check;
import dev.latentvi.math.Rng;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A SameDiff graph with trainable parameters held outside the graph in a committed
 * {@link State}: parameters (and Adam moments) change only by replacing the whole state after a
 * completed optimizer step, so a training loop interrupted at any point (an exception, a stopped
 * notebook cell) leaves the network at its last good state. Every execution binds the committed
 * parameters to the graph first.
 *
 * <p>Build a network by adding inputs ({@link #input}), layers ({@link Mlp}, {@link GaussianHead},
 * {@link #dense}) and any SameDiff ops on {@link #sameDiff()}; then train with a {@link Trainer}
 * and evaluate with {@link #output}.
 */
public final class Network {
    private final SameDiff sd;
    private final DataType dataType;
    private final Map<String, INDArray> initial = new LinkedHashMap<>();
    private volatile State state;
    private State bound; // the state whose parameters the graph's working arrays hold

    private Network(DataType dataType) {
        this.sd = SameDiff.create();
        this.dataType = dataType;
    }

    /** An empty network computing in {@code dataType} (FLOAT or DOUBLE). */
    public static Network create(DataType dataType) {
        Check.notNull("dataType", dataType);
        if (dataType != DataType.FLOAT && dataType != DataType.DOUBLE) {
            throw new IllegalArgumentException("dataType: expected FLOAT or DOUBLE, got " + dataType);
        }
        return new Network(dataType);
    }

    /** The underlying graph, for adding ops (losses, heads) on the network's variables. */
    public SameDiff sameDiff() {
        return sd;
    }

    /** FLOAT or DOUBLE. */
    public DataType dataType() {
        return dataType;
    }

    /** A placeholder {@code [batch, widths...]} named {@code name}. */
    public SDVariable input(String name, long... widths) {
        checkName(name);
        long[] shape = new long[widths.length + 1];
        shape[0] = -1;
        for (int i = 0; i < widths.length; i++) {
            Check.positive("widths[" + i + "]", widths[i]);
            shape[i + 1] = widths[i];
        }
        return sd.placeHolder(name, dataType, shape);
    }

    /** A trainable parameter named {@code name} with the given initial value (cast to the network's type). */
    public SDVariable parameter(String name, INDArray init) {
        checkName(name);
        Check.finite("init", init);
        if (state != null) {
            throw new IllegalStateException("parameter " + name + ": the network has already been trained or evaluated; add parameters before");
        }
        INDArray value = init.castTo(dataType).dup();
        initial.put(name, value);
        return sd.var(name, value.dup()); // the graph's own working array, never shared with a State
    }

    /**
     * A dense layer {@code act(x W + b)}: {@code x [n, in]} to {@code [n, out]}; W is drawn
     * N(0, scale² · gain/in) from {@code rng} (gain 2 for RELU/ELU, 1 otherwise), b = 0.
     */
    public SDVariable dense(String name, SDVariable x, long in, long out, Activation act, double scale, Rng rng) {
        Check.notNull("x", x);
        return denseLayer(name, in, out, act, scale, rng).apply(x);
    }

    /** The parameters of a dense layer {@code [in] -> [out]} initialized as in {@link #dense}, to apply to inputs later. */
    public Dense denseLayer(String name, long in, long out, Activation act, double scale, Rng rng) {
        Check.positive("in", in);
        Check.positive("out", out);
        Check.notNull("act", act);
        Check.positive("scale", scale);
        Check.notNull("rng", rng);
        double gain = act == Activation.RELU || act == Activation.ELU ? 2.0 : 1.0;
        INDArray w = rng.normal(in, out).muli(scale * Math.sqrt(gain / in));
        SDVariable wv = parameter(name + "_W", w);
        SDVariable bv = parameter(name + "_b", Nd4j.zeros(DataType.DOUBLE, out));
        return new Dense(wv, bv, act);
    }

    /** Names of the trainable parameters, in creation order. */
    public List<String> parameterNames() {
        return List.copyOf(initial.keySet());
    }

    /** Total number of trainable scalars. */
    public long parameterCount() {
        return initial.values().stream().mapToLong(INDArray::length).sum();
    }

    /** The committed parameter values by name (read-only: do not modify the arrays). */
    public Map<String, INDArray> parameters() {
        return Collections.unmodifiableMap(committed().params);
    }

    /** Number of optimizer steps committed so far. */
    public long steps() {
        return committed().step;
    }

    /**
     * Evaluates {@code outputs} for the given placeholder values (each {@code [n, ...]}, cast to the
     * network's type) with the committed parameters.
     */
    public Map<String, INDArray> output(Map<String, INDArray> inputs, String... outputs) {
        Check.notNull("inputs", inputs);
        if (outputs == null || outputs.length == 0) {
            throw new IllegalArgumentException("outputs: expected at least one variable name, got none");
        }
        for (String o : outputs) {
            if (!sd.hasVariable(o)) {
                throw new IllegalArgumentException("outputs: expected a variable of this network, got \"" + o + "\"");
            }
        }
        synchronized (this) {                            // the lock a Trainer step holds: never half a step
            bind(committed());
            return sd.output(cast(inputs), outputs);
        }
    }

    /** Evaluates one output; see {@link #output(Map, String...)}. */
    public INDArray output(Map<String, INDArray> inputs, String output) {
        return output(inputs, new String[] {output}).get(output);
    }

    /** Longest parameter name {@link #read} accepts (UTF-8 bytes). */
    public static final int MAX_NAME_BYTES = 256;
    /** Highest parameter rank {@link #read} accepts. */
    public static final int MAX_RANK = 8;

    /**
     * Writes the step count and, per parameter in creation order, its name, data type, shape and the
     * values of the parameter and its two Adam moments (exactly, big-endian). {@link #read} checks
     * every field against this network before allocating anything.
     */
    public void write(DataOutputStream out) throws IOException {
        Check.notNull("out", out);
        State s = committed();
        out.writeInt(s.params.size());
        out.writeLong(s.step);
        for (String name : s.params.keySet()) {
            byte[] utf = name.getBytes(StandardCharsets.UTF_8);
            out.writeShort(utf.length);
            out.write(utf);
            INDArray ref = s.params.get(name);
            out.writeByte(dataType == DataType.DOUBLE ? 8 : 4);
            out.writeByte(ref.rank());
            for (long d : ref.shape()) {
                out.writeLong(d);
            }
            for (INDArray a : List.of(ref, s.m.get(name), s.v.get(name))) {
                writeValues(out, a);
            }
        }
    }

    private void writeValues(DataOutputStream out, INDArray a) throws IOException {
        INDArray c = a.dup('c');
        ByteBuffer buf;
        if (dataType == DataType.DOUBLE) {
            double[] v = c.data().asDouble();
            buf = ByteBuffer.allocate(v.length * 8);
            buf.asDoubleBuffer().put(v);
        } else {
            float[] v = c.data().asFloat();
            buf = ByteBuffer.allocate(v.length * 4);
            buf.asFloatBuffer().put(v);
        }
        out.write(buf.array());
    }

    /**
     * Reads what {@link #write} wrote into this network (same architecture) and replaces the
     * committed state. Every count, name, data type, rank and dimension is compared with this
     * network's before anything is allocated, and the values must be finite (the Adam second moments
     * ≥ 0): any mismatch, truncation or corruption is an {@link IOException} saying what is wrong;
     * the network keeps its state then.
     */
    public void read(DataInputStream in) throws IOException {
        Check.notNull("in", in);
        try {
            readChecked(in);
        } catch (EOFException e) {
            throw new IOException("truncated: the data end inside the network's parameters", e);
        }
    }

    private void readChecked(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n != initial.size()) {
            throw new IOException("expected " + initial.size() + " parameters, got " + n);
        }
        long step = in.readLong();
        if (step < 0) {
            throw new IOException("expected a step count >= 0, got " + step);
        }
        Map<String, INDArray> p = new LinkedHashMap<>();
        Map<String, INDArray> m = new LinkedHashMap<>();
        Map<String, INDArray> v = new LinkedHashMap<>();
        int index = 0;
        for (Map.Entry<String, INDArray> e : initial.entrySet()) {
            String name = e.getKey();
            INDArray ref = e.getValue();
            int len = in.readUnsignedShort();
            if (len > MAX_NAME_BYTES) {
                throw new IOException("parameter " + index + ": expected a name of at most " + MAX_NAME_BYTES + " bytes, got a length of " + len);
            }
            byte[] utf = new byte[len];
            in.readFully(utf);
            String got = new String(utf, StandardCharsets.UTF_8);
            if (!got.equals(name)) {
                throw new IOException("parameter " + index + ": expected \"" + name + "\", got \"" + printable(got) + "\"");
            }
            int width = in.readUnsignedByte();
            int want = dataType == DataType.DOUBLE ? 8 : 4;
            if (width != want) {
                throw new IOException("parameter " + name + ": expected " + dataType + " values (" + want + " bytes), got a width of " + width);
            }
            int rank = in.readUnsignedByte();
            if (rank > MAX_RANK || rank != ref.rank()) {
                throw new IOException("parameter " + name + ": expected rank " + ref.rank() + ", got " + rank);
            }
            long[] shape = new long[rank];
            for (int d = 0; d < rank; d++) {
                shape[d] = in.readLong();
            }
            if (!Arrays.equals(shape, ref.shape())) {
                throw new IOException("parameter " + name + ": expected shape " + Arrays.toString(ref.shape()) + ", got "
                        + Arrays.toString(shape));
            }
            // the shape equals this network's, so the allocations below are bounded by the network's own size
            INDArray[] three = new INDArray[3];
            String[] what = {"values", "Adam first moments", "Adam second moments"};
            for (int k = 0; k < 3; k++) {
                three[k] = readValues(in, shape, (int) ref.length());
                double sum = three[k].sumNumber().doubleValue();
                if (!Double.isFinite(sum)) {
                    throw new IOException("parameter " + name + ": expected finite " + what[k] + ", found NaN or infinity");
                }
            }
            if (three[2].minNumber().doubleValue() < 0) {
                throw new IOException("parameter " + name + ": expected Adam second moments >= 0, got a negative one");
            }
            p.put(name, three[0]);
            m.put(name, three[1]);
            v.put(name, three[2]);
            index++;
        }
        commit(new State(p, m, v, step));
    }

    private INDArray readValues(DataInputStream in, long[] shape, int length) throws IOException {
        int width = dataType == DataType.DOUBLE ? 8 : 4;
        byte[] bytes = new byte[Math.multiplyExact(length, width)];
        in.readFully(bytes);
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        if (dataType == DataType.DOUBLE) {
            double[] v = new double[length];
            buf.asDoubleBuffer().get(v);
            return Nd4j.create(v, shape, 'c');
        }
        float[] v = new float[length];
        buf.asFloatBuffer().get(v);
        return Nd4j.create(v, shape, 'c');
    }

    private static String printable(String s) {
        String t = s.length() > 40 ? s.substring(0, 40) + "..." : s;
        return t.replaceAll("[^\\x20-\\x7e]", "?");
    }

    // ---- package-private machinery for Trainer ----

    /** Parameters, Adam moments and step count; never mutated once committed. */
    record State(Map<String, INDArray> params, Map<String, INDArray> m, Map<String, INDArray> v, long step) {
        State blankLike() {
            Map<String, INDArray> p = new LinkedHashMap<>();
            Map<String, INDArray> mm = new LinkedHashMap<>();
            Map<String, INDArray> vv = new LinkedHashMap<>();
            for (Map.Entry<String, INDArray> e : params.entrySet()) {
                p.put(e.getKey(), e.getValue().ulike());
                mm.put(e.getKey(), e.getValue().ulike());
                vv.put(e.getKey(), e.getValue().ulike());
            }
            return new State(p, mm, vv, -1);
        }
    }

    State committed() {
        State s = state;
        if (s == null) {
            Map<String, INDArray> p = new LinkedHashMap<>(initial);
            Map<String, INDArray> m = new LinkedHashMap<>();
            Map<String, INDArray> v = new LinkedHashMap<>();
            for (Map.Entry<String, INDArray> e : initial.entrySet()) {
                m.put(e.getKey(), Nd4j.zeros(dataType, e.getValue().shape()));
                v.put(e.getKey(), Nd4j.zeros(dataType, e.getValue().shape()));
            }
            s = new State(p, m, v, 0);
            state = s;
        }
        return s;
    }

    /** Makes {@code s} the network's state (one reference write). */
    void commit(State s) {
        state = s;
    }

    /**
     * Copies the parameters of {@code s} into the graph's working arrays. A copy, not
     * {@code associateArrayWithVariable}: SameDiff's cached gradient function keeps the arrays it
     * was built with, so re-pointing the variables would make it compute with stale parameters.
     */
    void bind(State s) {
        if (s == bound) {
            return;
        }
        for (Map.Entry<String, INDArray> e : s.params.entrySet()) {
            sd.getArrForVarName(e.getKey()).assign(e.getValue());
        }
        bound = s;
    }

    Map<String, INDArray> cast(Map<String, INDArray> inputs) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> e : inputs.entrySet()) {
            INDArray a = e.getValue();
            if (a == null) {
                throw new IllegalArgumentException("inputs: value for \"" + e.getKey() + "\" is null");
            }
            out.put(e.getKey(), a.dataType() == dataType ? a : a.castTo(dataType));
        }
        return out;
    }

    private void checkName(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name: expected a non-blank variable name, got \"" + name + "\"");
        }
        if (sd.hasVariable(name)) {
            throw new IllegalArgumentException("name: expected a new variable name, got existing \"" + name + "\"");
        }
    }

    /** Names of all variables, for error messages. */
    List<String> variableNames() {
        return new ArrayList<>(sd.variableMap().keySet());
    }
}
