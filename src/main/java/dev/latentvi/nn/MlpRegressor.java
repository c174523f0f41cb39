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
 *
 * <pre>{@code
 * MlpRegressor f = MlpRegressor.builder().hidden(64, 64).build(rng);          // 1 → 64 → 64 → 1, ReLU
 * f.fit(x, y, Fit.epochs(30).batchSize(128).learningRate(3e-3), rng);
 * INDArray yHat = f.predict(x);
 * }</pre>
 */
public final class MlpRegressor {
    private final Network net;
    private final SDVariable prediction;
    private final SDVariable loss;
    private final int in;
    private final int out;

    private MlpRegressor(Builder b, Rng rng) {
        this.in = b.input;
        this.out = b.output;
        net = Network.create(DataType.FLOAT);
        SDVariable x = net.input("x", in);
        SDVariable y = net.input("y", out);
        long[] sizes = new long[b.hidden.length + 2];
        sizes[0] = in;
        for (int i = 0; i < b.hidden.length; i++) {
            sizes[i + 1] = b.hidden[i];
        }
        sizes[b.hidden.length + 1] = out;
        prediction = Mlp.of(sizes).hidden(Activation.RELU).build(net, "f", x, rng);
        SameDiff sd = net.sameDiff();
        SDVariable diff = prediction.sub(y);
        loss = sd.mean("mse", diff.mul(diff));
    }

    /** A builder: input and output width 1, hidden ReLU layers of 64 and 64 unless set. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Minimizes the mean squared error on {@code x [N, in]}, {@code y [N, out]} with Adam as
     * configured by {@code fit}; returns this call's history (loss = MSE per row entry). A later call
     * continues from the trained parameters and Adam moments.
     */
    public Table fit(INDArray x, INDArray y, Fit fit, Rng rng) {
        Check.matrix("x", x, in);
        Check.matrix("y", y, out);
        Check.finite("x", x);
        Check.finite("y", y);
        if (x.size(0) != y.size(0)) {
            throw new IllegalArgumentException("y: expected " + x.size(0) + " rows (one per row of x), got " + y.size(0));
        }
        Check.notNull("fit", fit);
        Trainer trainer = Trainer.of(net, loss, Adam.of(fit.learningRate())).label("regressor");
        return trainer.fit(Map.of("x", x, "y", y), fit, rng);
    }

    /** Predictions {@code [n, out]} (FLOAT) for {@code x [n, in]}. */
    public INDArray predict(INDArray x) {
        Check.matrix("x", x, in);
        Check.finite("x", x);
        return net.output(Map.of("x", x), prediction.name());
    }

    /** Widths of an {@link MlpRegressor}; {@link #build} initializes it. */
    public static final class Builder {
        private int input = 1;
        private int output = 1;
        private int[] hidden = {64, 64};

        private Builder() {
        }

        /** Input width (default 1). */
        public Builder input(int width) {
            Check.positive("input", width);
            input = width;
            return this;
        }

        /** Output width (default 1). */
        public Builder output(int width) {
            Check.positive("output", width);
            output = width;
            return this;
        }

        /** Hidden ReLU layer widths, at least one (default 64, 64). */
        public Builder hidden(int... widths) {
            hidden = checkWidths(widths);
            return this;
        }

        /** The regressor with weights drawn from {@code rng}. */
        public MlpRegressor build(Rng rng) {
            Check.notNull("rng", rng);
            return new MlpRegressor(this, rng);
        }
    }

    /** A copy of {@code widths}, each checked positive, at least one. */
    static int[] checkWidths(int[] widths) {
        Check.notNull("hidden", widths);
        if (widths.length == 0) {
            throw new IllegalArgumentException("hidden: expected at least one hidden width, got none");
        }
        for (int i = 0; i < widths.length; i++) {
            Check.positive("hidden[" + i + "]", widths[i]);
        }
        return widths.clone();
    }
}
