package dev.latentvi.vi;

import dev.latentvi.dist.GraphNormal;
import dev.latentvi.dist.Normal;
import dev.latentvi.math.Check;
import java.util.Optional;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A one-dimensional model with a bimodal posterior: p(z) = N(0, 1), p(x|z) = N(z², σ²). An
 * observation x > 0 is explained equally well by z = +√x and z = −√x, so p(z|x) has two symmetric
 * modes — the textbook case where reverse KL (mode-seeking) and forward KL (mass-covering) fits of a
 * Gaussian differ. Use {@link GridPosterior} for its exact posterior and evidence.
 */
public final class SquaredLatentModel implements LatentModel {
    private final double noise;

    private SquaredLatentModel(double noise) {
        this.noise = noise;
    }

    /** The model with observation noise σ > 0. */
    public static SquaredLatentModel of(double noise) {
        Check.positive("noise", noise);
        return new SquaredLatentModel(noise);
    }

    /** Observation noise σ. */
    public double noise() {
        return noise;
    }

    @Override
    public int latentDim() {
        return 1;
    }

    @Override
    public int dataDim() {
        return 1;
    }

    /** log N(x; z², σ²): x {@code [n, 1]}; z {@code [n, 1]} → {@code [n]} or {@code [m, n, 1]} → {@code [m, n]}. */
    @Override
    public INDArray logLikelihood(INDArray x, INDArray z) {
        Check.matrix("x", x, 1);
        Check.finite("x", x);
        LatentModel.checkLatents(z, x.size(0), 1);
        INDArray zd = z.castTo(DataType.DOUBLE);
        // log N(x; z², σ²) = log N(z²; x, σ²): the data as the means, broadcast over the sample axis
        return Normal.of(x.castTo(DataType.DOUBLE), Nd4j.valueArrayOf(x.shape(), noise, DataType.DOUBLE)).logProb(zd.mul(zd));
    }

    /** ∇_z log p(x, z) = 2z (x − z²)/σ² − z: x {@code [n, 1]}, z {@code [m, n, 1]} → {@code [m, n, 1]}. */
    @Override
    public Optional<INDArray> score(INDArray x, INDArray z) {
        Check.matrix("x", x, 1);
        LatentModel.checkLatents(z, x.size(0), 1);
        INDArray zd = z.castTo(DataType.DOUBLE);
        INDArray xs = x.castTo(DataType.DOUBLE).reshape(1, x.size(0), 1);
        INDArray residual = zd.mul(zd).rsubi(Nd4j.tile(xs, (int) (zd.length() / x.size(0)), 1, 1).reshape(zd.shape()));
        return Optional.of(residual.muli(zd).muli(2 / (noise * noise)).subi(zd));
    }

    @Override
    public SDVariable logLikelihood(SameDiff sd, SDVariable x, SDVariable z) {
        return GraphNormal.of(z.mul(z), sd.constant(Nd4j.scalar(Math.log(noise)))).logProb(x);
    }
}
