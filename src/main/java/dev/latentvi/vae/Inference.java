package dev.latentvi.vae;

import dev.latentvi.dist.Distribution;
import dev.latentvi.dist.Normal;
import dev.latentvi.math.Check;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Eager evaluation of a {@link VaeGraph}: inputs checked, then run over chunks of at most
 * {@value #MAX_ROWS} rows (samples × points), so memory stays bounded for any input (2,000 digits
 * × K = 200 importance samples is 400,000 decoder rows). The condition of a conditional VAE is
 * one more row-aligned input, {@code Map.of("c", c [n, C])}; a plain VAE passes {@code Map.of()}.
 */
final class Inference {
    /** Rows per evaluation chunk. */
    static final int MAX_ROWS = 4096;

    private final VaeGraph graph;

    Inference(VaeGraph graph) {
        this.graph = graph;
    }

    /** q(z | x[, c]) for x {@code [n, D]}: a Normal {@code [n, L]}. */
    Normal encoder(INDArray x, Map<String, INDArray> condition) {
        checkX(x);
        INDArray[] out = run(inputs(VaeGraph.X, x, condition), x.size(0), MAX_ROWS, 0, VaeGraph.MU, VaeGraph.LOG_SIGMA);
        return Normal.ofLogSigma(out[0].castTo(DataType.DOUBLE), out[1].castTo(DataType.DOUBLE));
    }

    /** p(x | z[, c]) for z {@code [n, L]}: a Bernoulli or Normal {@code [n, D]}. */
    Distribution decoder(INDArray z, Map<String, INDArray> condition) {
        return graph.decoder().distribution(decoded(z, condition, VaeGraph.DECODED).castTo(DataType.DOUBLE));
    }

    /** The mean of p(x | z[, c]) for z {@code [n, L]} as the network computes it, FLOAT {@code [n, D]} like the data. */
    INDArray decoderMean(INDArray z, Map<String, INDArray> condition) {
        return decoded(z, condition, VaeGraph.DECODED_MEAN);
    }

    /** A decoder output {@code [n, D]} for z {@code [n, L]}. */
    private INDArray decoded(INDArray z, Map<String, INDArray> condition, String output) {
        Check.matrix("z", z, graph.config().latent());
        Check.finite("z", z);
        long n = z.size(0);
        INDArray out = run(inputs(VaeGraph.Z, z.reshape(1, n, z.size(1)), condition), n, MAX_ROWS, 1, output)[0];
        return out.reshape(n, graph.config().input());
    }

    /** log p(x | z[, c]): x {@code [n, D]}, z {@code [n, L]} → {@code [n]} or z {@code [m, n, L]} → {@code [m, n]}, DOUBLE. */
    INDArray logLikelihood(INDArray x, INDArray z, Map<String, INDArray> condition) {
        checkX(x);
        long n = x.size(0);
        long l = graph.config().latent();
        Check.notNull("z", z);
        if (!((z.rank() == 2 || z.rank() == 3) && z.size(z.rank() - 2) == n && z.size(z.rank() - 1) == l)) {
            throw new IllegalArgumentException("z: expected shape [" + n + ", " + l + "] or [m, " + n + ", " + l
                    + "] (n = the rows of x), got " + Arrays.toString(z.shape()));
        }
        Check.finite("z", z);
        INDArray samples = z.rank() == 3 ? z : z.reshape(1, n, l);
        long m = samples.size(0);
        Map<String, INDArray> in = inputs(VaeGraph.X, x, condition);
        in.put(VaeGraph.Z, samples);
        int rows = (int) Math.max(1, MAX_ROWS / m);
        INDArray out = run(in, n, rows, 1, VaeGraph.LOG_LIKELIHOOD)[0].castTo(DataType.DOUBLE);
        return z.rank() == 3 ? out : out.reshape(n);
    }

    private void checkX(INDArray x) {
        Check.matrix("x", x, graph.config().input());
        graph.checkData("x", x);
    }

    private static Map<String, INDArray> inputs(String name, INDArray a, Map<String, INDArray> condition) {
        Map<String, INDArray> in = new LinkedHashMap<>(condition);
        in.put(name, a);
        return in;
    }

    /**
     * Evaluates {@code outputs} on chunks of {@code rows} of the n points and concatenates them along
     * {@code outputAxis}. The points are axis 0 of a rank-2 input and axis 1 of a rank-3 one.
     */
    private INDArray[] run(Map<String, INDArray> inputs, long n, int rows, int outputAxis, String... outputs) {
        int chunks = (int) ((n + rows - 1) / rows);
        INDArray[][] parts = new INDArray[outputs.length][chunks];
        for (int p = 0; p < chunks; p++) {
            long from = (long) p * rows;
            long to = Math.min(n, from + rows);
            Map<String, INDArray> in = new LinkedHashMap<>();
            inputs.forEach((name, a) -> in.put(name, chunks == 1 ? a : slice(a, a.rank() - 2, from, to)));
            Map<String, INDArray> out = graph.network().output(in, outputs);
            for (int j = 0; j < outputs.length; j++) {
                parts[j][p] = out.get(outputs[j]).dup();
            }
        }
        INDArray[] result = new INDArray[outputs.length];
        for (int j = 0; j < outputs.length; j++) {
            result[j] = chunks == 1 ? parts[j][0] : Nd4j.concat(outputAxis, parts[j]);
        }
        return result;
    }

    private static INDArray slice(INDArray a, int axis, long from, long to) {
        INDArrayIndex[] index = new INDArrayIndex[a.rank()];
        Arrays.fill(index, NDArrayIndex.all());
        index[axis] = NDArrayIndex.interval(from, to);
        return a.get(index);
    }
}
