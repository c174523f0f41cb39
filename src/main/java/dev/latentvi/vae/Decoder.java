package dev.latentvi.vae;

import dev.latentvi.dist.Bernoulli;
import dev.latentvi.dist.Distribution;
import dev.latentvi.dist.GraphBernoulli;
import dev.latentvi.dist.GraphDistribution;
import dev.latentvi.dist.GraphNormal;
import dev.latentvi.dist.Normal;
import dev.latentvi.nn.Dense;
import dev.latentvi.nn.Network;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The decoder p(x | z[, c]): an MLP from the latent (and condition) to D outputs, read as Bernoulli
 * logits or as Gaussian means with a learned σ. Applied in the network's own graph it uses the
 * trainable parameters; in any other graph, the committed parameters as constants (gradients then
 * reach x and z only).
 */
abstract sealed class Decoder {
    private final Network net;
    private final List<Dense> layers;
    private final long inputWidth;
    private final long outputWidth;

    private Decoder(Network net, List<Dense> layers, long inputWidth, long outputWidth) {
        this.net = net;
        this.layers = layers;
        this.inputWidth = inputWidth;
        this.outputWidth = outputWidth;
    }

    /** Bernoulli pixels: the MLP's outputs are logits. */
    static Decoder bernoulli(Network net, List<Dense> layers, long inputWidth, long outputWidth) {
        return new BernoulliDecoder(net, layers, inputWidth, outputWidth);
    }

    /** A Gaussian with mean the MLP's output and σ = softplus(raw) + minSigma per dimension ({@code raw [1, D]}). */
    static Decoder gaussian(Network net, List<Dense> layers, long inputWidth, long outputWidth, SDVariable raw, double minSigma) {
        return new GaussianDecoder(net, layers, inputWidth, outputWidth, raw, minSigma);
    }

    /**
     * The MLP's output for latents z {@code [.., n, L]} under {@code condition}, {@code [.., n, D]}
     * (logits or means), in z's graph.
     */
    final SDVariable output(SDVariable z, Condition condition) {
        SameDiff sd = z.getSameDiff();
        SDVariable shape = sd.shape(z);
        SDVariable leading = sd.stridedSlice(shape, new long[] {0}, new long[] {-1}, new long[] {1});
        SDVariable h = sd.reshape(condition.decoderInput(z, leading), -1, inputWidth);
        for (Dense d : layers) {
            h = d.activation().apply(sd, sd.nn.linear(h, in(sd, d.weight(), z.dataType()), in(sd, d.bias(), z.dataType())));
        }
        SDVariable width = sd.constant(Nd4j.createFromArray(outputWidth).castTo(shape.dataType()));
        return sd.reshape(h, sd.concat(0, leading, width));
    }

    /** p(x | z) in the graph of {@code output} ({@code [.., n, D]}), of the same dtype. */
    abstract GraphDistribution observe(SDVariable output);

    /** p(x | z) eagerly from evaluated outputs {@code [n, D]} (DOUBLE). */
    abstract Distribution distribution(INDArray output);

    /** {@code own} itself in the network's graph, else its committed value as a constant of {@code sd} in {@code type}. */
    final SDVariable in(SameDiff sd, SDVariable own, DataType type) {
        return sd == net.sameDiff() ? own : sd.constant(net.parameters().get(own.name()).castTo(type));
    }

    private static final class BernoulliDecoder extends Decoder {
        BernoulliDecoder(Network net, List<Dense> layers, long inputWidth, long outputWidth) {
            super(net, layers, inputWidth, outputWidth);
        }

        @Override
        GraphDistribution observe(SDVariable output) {
            return GraphBernoulli.ofLogits(output);
        }

        @Override
        Distribution distribution(INDArray output) {
            return Bernoulli.ofLogits(output);
        }
    }

    private static final class GaussianDecoder extends Decoder {
        private static final String LOG_SIGMA = "decoderLogSigma";
        private final SDVariable raw;
        private final double minSigma;

        GaussianDecoder(Network net, List<Dense> layers, long inputWidth, long outputWidth, SDVariable raw, double minSigma) {
            super(net, layers, inputWidth, outputWidth);
            this.raw = raw;
            this.minSigma = minSigma;
            raw.getSameDiff().identity(LOG_SIGMA, logSigma(raw.getSameDiff(), raw.dataType()));
        }

        /** log σ = log(softplus(raw) + minSigma), {@code [1, D]}, in {@code sd}. */
        private SDVariable logSigma(SameDiff sd, DataType type) {
            return sd.math.log(sd.nn.softplus(in(sd, raw, type)).add(minSigma));
        }

        @Override
        GraphDistribution observe(SDVariable output) {
            return GraphNormal.of(output, logSigma(output.getSameDiff(), output.dataType()));
        }

        @Override
        Distribution distribution(INDArray output) {
            INDArray logSigma = super.net.output(Map.of(), LOG_SIGMA).castTo(DataType.DOUBLE);
            return Normal.ofLogSigma(output, logSigma.repeat(0, output.size(0)));
        }
    }
}
