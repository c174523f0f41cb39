package dev.latentvi.lvm;

import dev.latentvi.dist.GraphNormal;
import dev.latentvi.dist.Normal;
import dev.latentvi.internal.SmallOps;
import dev.latentvi.math.Check;
import dev.latentvi.math.Estimates;
import dev.latentvi.math.LogMath;
import dev.latentvi.math.Rng;
import dev.latentvi.vi.Bound;
import dev.latentvi.vi.LatentModel;
import java.util.Arrays;
import java.util.Optional;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The latent variable model p(x) = ∫ N(x; f(z), σ² I) N(z; 0, I) dz: a simple prior and a simple
 * Gaussian conditional whose mean f (the "decoder") is nonlinear, so the marginal p(x) is complex.
 * A {@link LatentModel}: its log-likelihood eagerly and in graphs, and — for one- or two-dimensional
 * latents — the exact {@link #logEvidence(INDArray)} by quadrature. Its estimators of log p(x) are
 * {@link Bound#iwae} with the prior as the proposal ({@link #naiveMonteCarlo}) or any other
 * ({@link #importanceSampling}).
 */
public final class NonlinearGaussianModel implements LatentModel {
    /** A vectorized decoder f: latents {@code [m, dz]} → means {@code [m, dx]}. */
    @FunctionalInterface
    public interface Decoder {
        INDArray apply(INDArray z);
    }

    /** The same decoder f as a graph: latents {@code [.., dz]} → means {@code [.., dx]}. */
    @FunctionalInterface
    public interface GraphDecoder {
        SDVariable apply(SameDiff sd, SDVariable z);
    }

    private static final double GRID_HALF_WIDTH = 8.0;
    private static final long BLOCK_ENTRIES = 4_000_000;   // grid points × data points per quadrature block
    /** Quadrature points per latent axis of {@link #logEvidence(INDArray)}: one and two latent dimensions. */
    private static final int[] DEFAULT_GRID = {20_001, 1_001};

    private final Decoder decoder;
    private final GraphDecoder graphDecoder;
    private final int latentDim;
    private final int dataDim;
    private final double noise;

    private NonlinearGaussianModel(Decoder decoder, GraphDecoder graphDecoder, int latentDim, int dataDim, double noise) {
        this.decoder = decoder;
        this.graphDecoder = graphDecoder;
        this.latentDim = latentDim;
        this.dataDim = dataDim;
        this.noise = noise;
    }

    /**
     * A model with decoder f, given eagerly ({@code [m, latentDim] → [m, dataDim]}) and as a graph
     * ({@code [.., latentDim] → [.., dataDim]}), and observation noise σ &gt; 0.
     */
    public static NonlinearGaussianModel of(Decoder decoder, GraphDecoder graphDecoder, int latentDim, int dataDim, double sigma) {
        Check.notNull("decoder", decoder);
        Check.notNull("graphDecoder", graphDecoder);
        Check.positive("latentDim", latentDim);
        Check.positive("dataDim", dataDim);
        Check.positive("sigma", sigma);
        return new NonlinearGaussianModel(decoder, graphDecoder, latentDim, dataDim, sigma);
    }

    /**
     * A one-dimensional latent on a two-dimensional spiral: f(z) = e^{0.35 z} (cos 2.2z, sin 2.2z).
     * p(z) and p(x|z) are Gaussians; p(x) is a curved, heavy-tailed ridge.
     */
    public static NonlinearGaussianModel spiral(double sigma) {
        return of(z -> {
            INDArray r = Transforms.exp(z.mul(0.35), false);
            INDArray theta = z.mul(2.2);
            return Nd4j.hstack(Transforms.cos(theta, true).muli(r), Transforms.sin(theta, true).muli(r));
        }, (sd, z) -> {
            SDVariable r = sd.math.exp(z.mul(0.35));
            SDVariable theta = z.mul(2.2);
            return sd.concat(-1, sd.math.cos(theta).mul(r), sd.math.sin(theta).mul(r));
        }, 1, 2, sigma);
    }

    /** The same decoder with another observation noise σ (a smaller σ gives a narrower posterior). */
    public NonlinearGaussianModel withNoise(double sigma) {
        return of(decoder, graphDecoder, latentDim, dataDim, sigma);
    }

    /** Latent dimension dz. */
    @Override
    public int latentDim() {
        return latentDim;
    }

    /** Data dimension dx. */
    @Override
    public int dataDim() {
        return dataDim;
    }

    /** Observation noise σ. */
    public double noise() {
        return noise;
    }

    /** f(z): {@code [m, dz] → [m, dx]}. */
    public INDArray decode(INDArray z) {
        Check.matrix("z", z, latentDim);
        INDArray f = decoder.apply(z.castTo(DataType.DOUBLE));
        if (f.rank() != 2 || f.size(0) != z.size(0) || f.size(1) != dataDim) {
            throw new IllegalStateException("decoder: expected output [" + z.size(0) + ", " + dataDim + "], got " + Arrays.toString(f.shape()));
        }
        return f;
    }

    /** m draws z ~ N(0, I) {@code [m, dz]} and x ~ N(f(z), σ²I) {@code [m, dx]}. */
    public Samples sample(Rng rng, int m) {
        Check.notNull("rng", rng);
        Check.positive("m", m);
        INDArray z = rng.normal(m, latentDim);
        INDArray x = decode(z).addi(rng.normal(m, dataDim).muli(noise));
        return new Samples(z, x);
    }

    /** log N(x; f(z), σ²I): x {@code [n, dx]}; z {@code [n, dz]} → {@code [n]} or {@code [m, n, dz]} → {@code [m, n]}. */
    @Override
    public INDArray logLikelihood(INDArray x, INDArray z) {
        INDArray xs = checkX(x);
        LatentModel.checkLatents(z, xs.size(0), latentDim);
        long[] shape = z.shape().clone();
        shape[shape.length - 1] = dataDim;
        INDArray f = decode(z.reshape(-1, latentDim)).reshape(shape);                      // [.., n, dx]
        // log N(x; f, σ²) = log N(f; x, σ²): the data as the means, broadcast over the sample axis
        return Normal.of(xs, Nd4j.valueArrayOf(xs.shape(), noise, DataType.DOUBLE)).logProb(f);
    }

    @Override
    public SDVariable logLikelihood(SameDiff sd, SDVariable x, SDVariable z) {
        return GraphNormal.of(graphDecoder.apply(sd, z), sd.constant(Nd4j.scalar(Math.log(noise)))).logProb(x);
    }

    /** log p(x_i | z_j) for every pair: x {@code [n, dx]}, z {@code [m, dz]} → {@code [m, n]} (one decode per z_j). */
    INDArray logLikelihoodAllPairs(INDArray x, INDArray z) {
        INDArray xs = checkX(x);
        INDArray f = decode(z);                                                   // [m, dx]
        INDArray fsq = f.mul(f).sum(true, 1);                                     // [m, 1]
        INDArray xsq = xs.mul(xs).sum(true, 1).transpose();                       // [1, n]
        INDArray sq = f.mmul(xs.transpose()).muli(-2).addiColumnVector(fsq).addiRowVector(xsq);
        Transforms.max(sq, 0.0, false);                                           // rounding
        return sq.muli(-0.5 / (noise * noise)).subi(dataDim * (LogMath.HALF_LOG_2PI + Math.log(noise)));
    }

    /**
     * Exact log p(x_i) by quadrature over [−8, 8] per latent axis (one- or two-dimensional latents;
     * 20,001 points on one axis, 1,001 per axis on two): {@code [n, dx] → [n]}; empty for larger
     * latents. For narrow posteriors or speed choose the grid: {@link #logEvidence(INDArray, int)}.
     */
    @Override
    public Optional<INDArray> logEvidence(INDArray x) {
        return latentDim > 2 ? Optional.empty() : Optional.of(logEvidence(x, DEFAULT_GRID[latentDim - 1]));
    }

    /**
     * log p(x_i) by quadrature on a grid of {@code gridSize} points per latent axis over [−8, 8]
     * (one- or two-dimensional latents): {@code [n, dx] → [n]}. Exact to grid precision, for
     * reference curves; needs a grid finer than the posterior width.
     */
    public INDArray logEvidence(INDArray x, int gridSize) {
        return SmallOps.singleThreaded(() -> quadrature(x, gridSize));
    }

    /**
     * log p(x) of one observation {@code [1, dx]} (e.g. {@link #point}) by quadrature on
     * {@code gridSize} points per latent axis, as a number: {@code logEvidence(point, gridSize)} for
     * a single row.
     */
    public double logEvidenceAt(INDArray point, int gridSize) {
        Check.matrix("point", point, dataDim);
        if (point.size(0) != 1) {
            throw new IllegalArgumentException("point: expected one observation [1, " + dataDim + "], got shape "
                    + Arrays.toString(point.shape()));
        }
        return logEvidence(point, gridSize).getDouble(0);
    }

    /**
     * One observation as a row {@code [1, dx]} (DOUBLE) for the estimators of this model, e.g.
     * {@code spiral.point(0.54, 1.06)}; needs exactly {@code dataDim} finite coordinates.
     */
    public INDArray point(double... coordinates) {
        Check.notNull("coordinates", coordinates);
        if (coordinates.length != dataDim) {
            throw new IllegalArgumentException("coordinates: expected " + dataDim + " values (dataDim), got " + coordinates.length);
        }
        for (int i = 0; i < coordinates.length; i++) {
            Check.finite("coordinates[" + i + "]", coordinates[i]);
        }
        return Nd4j.create(coordinates.clone(), new long[] {1, dataDim}, DataType.DOUBLE);
    }

    private INDArray quadrature(INDArray x, int gridSize) {
        INDArray xs = checkX(x);
        Check.positive("gridSize", gridSize);
        if (latentDim > 2) {
            throw new IllegalArgumentException("latentDim: expected 1 or 2 for quadrature, got " + latentDim);
        }
        INDArray grid = grid(gridSize);                                           // [G, dz]
        double logCell = latentDim * Math.log(2 * GRID_HALF_WIDTH / (gridSize - 1));
        INDArray logPrior = prior().logProb(grid);                                // [G]
        long g = grid.size(0);
        INDArray acc = null;
        long block = Math.max(1, BLOCK_ENTRIES / xs.size(0));
        for (long from = 0; from < g; from += block) {
            long to = Math.min(g, from + block);
            INDArray zb = grid.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
            INDArray lj = logLikelihoodAllPairs(xs, zb).addiColumnVector(logPrior.get(NDArrayIndex.interval(from, to)).reshape(to - from, 1));
            INDArray part = LogMath.logSumExp(lj, 0);                             // [n]
            acc = acc == null ? part : LogMath.logSumExp(Nd4j.vstack(acc.reshape(1, -1), part.reshape(1, -1)), 0);
        }
        return acc.addi(logCell);
    }

    /**
     * The posterior p(z | x_i) of a one-dimensional latent summarized by its mean and standard
     * deviation (by quadrature on {@code gridSize} points): a Normal with {@code [n, 1]} parameters —
     * a good importance-sampling proposal.
     */
    public Normal posteriorGaussian(INDArray x, int gridSize) {
        return SmallOps.singleThreaded(() -> posterior(x, gridSize));
    }

    private Normal posterior(INDArray x, int gridSize) {
        INDArray xs = checkX(x);
        if (latentDim != 1) {
            throw new IllegalArgumentException("latentDim: expected 1 for posteriorGaussian, got " + latentDim);
        }
        Check.positive("gridSize", gridSize);
        INDArray grid = grid(gridSize);                                           // [G, 1]
        INDArray lj = logLikelihoodAllPairs(xs, grid).addiColumnVector(prior().logProb(grid).reshape(grid.size(0), 1));
        INDArray w = Transforms.exp(lj.subiRowVector(LogMath.logSumExp(lj, 0, true)), false);   // [G, n], columns sum to 1
        INDArray mean = grid.transpose().mmul(w);                                 // [1, n]
        INDArray second = grid.mul(grid).transpose().mmul(w);
        INDArray var = second.subi(mean.mul(mean));
        double cell = 2 * GRID_HALF_WIDTH / (gridSize - 1);
        INDArray sd = Transforms.sqrt(Transforms.max(var, cell * cell / 12, false), false);
        return Normal.of(mean.reshape(xs.size(0), 1), sd.reshape(xs.size(0), 1));
    }

    /**
     * Naive Monte Carlo over the prior, log p̂(x_i) = log (1/m) Σ_j p(x_i | z_j) with z_j ~ p(z) drawn
     * afresh for each point: {@code Bound.iwae(m)} with q = p(z), delta-method standard errors;
     * {@code [n, dx] → [n]}.
     */
    public Estimates naiveMonteCarlo(INDArray x, int m, Rng rng) {
        Check.positive("m", m);
        return importanceSampling(x, prior(), m, rng);
    }

    /**
     * Importance sampling with a proposal q(z | x_i) (a Normal with n rows, or one row shared):
     * log p̂(x_i) = log (1/m) Σ_j p(x_i | z_j) p(z_j) / q(z_j), z_j ~ q — {@code Bound.iwae(m)} with
     * this q, delta-method standard errors: {@code [n, dx] → [n]}. With q = p(z|x) the weights are
     * constant and the error is zero.
     */
    public Estimates importanceSampling(INDArray x, Normal proposal, int m, Rng rng) {
        INDArray xs = checkX(x);
        Check.notNull("proposal", proposal);
        Check.positive("m", m);
        long n = xs.size(0);
        if (proposal.dim() != latentDim || (proposal.batchSize() != n && proposal.batchSize() != 1)) {
            throw new IllegalArgumentException("proposal: expected a Normal over " + latentDim + " dimensions with " + n
                    + " rows (or 1), got " + proposal);
        }
        return SmallOps.singleThreaded(() -> Bound.iwae(m).estimate(this, proposal, xs, rng));
    }

    private INDArray grid(int gridSize) {
        if (gridSize < 2) {
            throw new IllegalArgumentException("gridSize: expected at least 2 points, got " + gridSize);
        }
        INDArray axis = Nd4j.linspace(-GRID_HALF_WIDTH, GRID_HALF_WIDTH, gridSize, DataType.DOUBLE);
        if (latentDim == 1) {
            return axis.reshape(gridSize, 1);
        }
        INDArray a = axis.reshape(gridSize, 1).repeat(1, gridSize).reshape((long) gridSize * gridSize, 1);
        INDArray b = axis.reshape(1, gridSize).repeat(0, gridSize).reshape((long) gridSize * gridSize, 1);
        return Nd4j.hstack(a, b);
    }

    private INDArray checkX(INDArray x) {
        Check.matrix("x", x, dataDim);
        INDArray xs = x.dataType() == DataType.DOUBLE ? x : x.castTo(DataType.DOUBLE);
        Check.finite("x", xs);
        return xs;
    }

    /**
     * Joint draws.
     *
     * @param z latents {@code [m, dz]}
     * @param x observations {@code [m, dx]}
     */
    public record Samples(INDArray z, INDArray x) {
    }
}
