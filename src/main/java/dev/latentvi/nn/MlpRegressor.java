package dev.latentvi.nn;

import dev.latentvi.math.Check;
import dev.latentvi.math.Rng;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import tech.tablesaw.api.Table;

/**
 * A unimodal regressor: an MLP trained by squared error, i.e. a Gaussian with fixed variance
 * around the prediction. Its optimum is the conditional mean E[y | x] — the average of all modes.
 */
public final class MlpRegressor {
    private final Network net;
    private final SDVariable prediction;
    private final Trainer trainer;
    private final int in;
    private final int out;

    private MlpRegressor(int in, int out, int[] hidden, double learningRate, Rng rng) {
        this.in = in;
        this.out = out;
        net = Network.create(DataType.FLOAT);
        SDVariable x = net.input("x", in);
        SDVariable y = net.input("y", out);
        long[] sizes = new long[hidden.length + 2];
        sizes[0] = in;
        for (int i = 0; i < hidden.length; i++) {
            Check.positive("hidden[" + i + "]", hidden[i]);
            sizes[i + 1] = hidden[i];
        }
        sizes[hidden.length + 1] = out;
        prediction = Mlp.of(sizes).hidden(Activation.RELU).build(net, "f", x, rng);
        SameDiff sd = net.sameDiff();
        SDVariable diff = prediction.sub(y);
        SDVariable loss = sd.mean("mse", diff.mul(diff));
        trainer = Trainer.of(net, loss, Adam.of(learningRate)).label("regressor");
    }

    /** An untrained regressor {@code [n, in] -> [n, out]} with the given hidden widths. */
    public static MlpRegressor create(int in, int out, int[] hidden, double learningRate, Rng rng) {
        Check.positive("in", in);
        Check.positive("out", out);
        Check.notNull("hidden", hidden);
        Check.positive("learningRate", learningRate);
        Check.notNull("rng", rng);
        return new MlpRegressor(in, out, hidden, learningRate, rng);
    }

    /** Minimizes the mean squared error on {@code x [N, in]}, {@code y [N, out]}; returns the history (loss = MSE per row entry). */
    public Table fit(INDArray x, INDArray y, int epochs, int batchSize, Rng rng) {
        Check.matrix("x", x, in);
        Check.matrix("y", y, out);
        if (x.size(0) != y.size(0)) {
            throw new IllegalArgumentException("y: expected " + x.size(0) + " rows (one per row of x), got " + y.size(0));
        }
        return trainer.fit(Map.of("x", x, "y", y), epochs, batchSize, rng);
    }

    /** Predictions {@code [n, out]} (FLOAT) for {@code x [n, in]}. */
    public INDArray predict(INDArray x) {
        Check.matrix("x", x, in);
        return net.output(Map.of("x", x), prediction.name());
    }
}
