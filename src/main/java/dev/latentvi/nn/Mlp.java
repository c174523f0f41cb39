package dev.latentvi.nn;

import dev.latentvi.math.Check;
import dev.latentvi.math.Rng;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * A multi-layer perceptron description: layer widths (input first), the hidden activation and the
 * output activation. {@link #build} adds it to a {@link Network}.
 *
 * <pre>{@code
 * Network net = Network.create(DataType.FLOAT);
 * SDVariable x = net.input("x", 784);
 * SDVariable h = Mlp.of(784, 400, 20).hidden(Activation.RELU).build(net, "enc", x, rng);
 * }</pre>
 */
public final class Mlp {
    private final long[] sizes;
    private Activation hidden = Activation.RELU;
    private Activation output = Activation.IDENTITY;

    private Mlp(long[] sizes) {
        this.sizes = sizes;
    }

    /** Layer widths including the input width, e.g. {@code of(784, 400, 20)}: at least two. */
    public static Mlp of(long... sizes) {
        if (sizes == null || sizes.length < 2) {
            throw new IllegalArgumentException("sizes: expected at least an input and an output width, got "
                    + (sizes == null ? "null" : Arrays.toString(sizes)));
        }
        for (int i = 0; i < sizes.length; i++) {
            Check.positive("sizes[" + i + "]", sizes[i]);
        }
        return new Mlp(sizes.clone());
    }

    /** Activation after every hidden layer (default RELU). */
    public Mlp hidden(Activation a) {
        Check.notNull("hidden", a);
        this.hidden = a;
        return this;
    }

    /** Activation after the last layer (default IDENTITY). */
    public Mlp output(Activation a) {
        Check.notNull("output", a);
        this.output = a;
        return this;
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
     * Adds the layers to {@code net} as variables {@code name_0_W}, {@code name_0_b}, ... initialized
     * from {@code rng} (He-scaled normal weights, zero biases).
     *
     * @param input {@code [n, sizes[0]]}
     * @return the output {@code [n, sizes[last]]}
     */
    public SDVariable build(Network net, String name, SDVariable input, Rng rng) {
        Check.notNull("input", input);
        return layers(net, name, rng).apply(input);
    }

    /**
     * Adds the parameters only (named as in {@link #build}); apply the returned layers to one or
     * more inputs that should share them.
     */
    public Layers layers(Network net, String name, Rng rng) {
        Check.notNull("net", net);
        Check.notNull("rng", rng);
        List<Dense> out = new ArrayList<>();
        for (int i = 0; i + 1 < sizes.length; i++) {
            boolean last = i + 2 == sizes.length;
            out.add(net.denseLayer(name + "_" + i, sizes[i], sizes[i + 1], last ? output : hidden, 1.0, rng));
        }
        return new Layers(List.copyOf(out));
    }

    /** The dense layers of a built MLP, in order. */
    public record Layers(List<Dense> dense) {
        /** The MLP applied to {@code x}: {@code [n, in]} to {@code [n, out]}. */
        public SDVariable apply(SDVariable x) {
            Check.notNull("x", x);
            SDVariable h = x;
            for (Dense d : dense) {
                h = d.apply(h);
            }
            return h;
        }
    }

    @Override
    public String toString() {
        return "Mlp" + Arrays.toString(sizes) + " hidden=" + hidden + " output=" + output;
    }
}
