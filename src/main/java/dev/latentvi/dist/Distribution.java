package dev.latentvi.dist;

import dev.latentvi.math.Rng;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A batch of n independent distributions (one per row), in the style of torch.distributions.
 * An <em>event</em> is one draw from one row: a vector {@code [d]} for {@link Normal},
 * {@link MultivariateNormal}, {@link Bernoulli} and {@link GaussianMixture} ({@code [1]} for
 * {@link GridDensity}), a class index (a scalar) for {@link Categorical}. Shapes:
 * <ul>
 *   <li>{@code sample(rng)}: one event per row, {@code [n, d]} (vector events) or {@code [n]} (scalar events);</li>
 *   <li>{@code sample(rng, m)}: m events per row, {@code [m, n, d]} or {@code [m, n]};</li>
 *   <li>{@code logProb(x)}: x has the shape of a sample (optionally with a leading m axis) and the
 *       result drops the event axis: {@code [n, d] → [n]}, {@code [m, n, d] → [m, n]}. A batch of
 *       one row (n = 1) broadcasts against any number of rows.</li>
 * </ul>
 * All arrays are {@code DataType.DOUBLE}.
 */
public interface Distribution {

    /** Number of rows n in the batch. */
    long batchSize();

    /** One event per row: {@code [n, d]} or {@code [n]}. */
    INDArray sample(Rng rng);

    /** m independent events per row: {@code [m, n, d]} or {@code [m, n]}. */
    INDArray sample(Rng rng, int m);

    /** log density / mass of x, summed over the event: {@code [.., n, d] → [.., n]} or {@code [.., n] → [.., n]}. */
    INDArray logProb(INDArray x);

    /** Entropy of each row {@code [n]}; throws {@link UnsupportedOperationException} if there is no closed form. */
    INDArray entropy();

    /** Mean of each row: {@code [n, d]} (Categorical: class probabilities {@code [n, K]}, the mean of the one-hot event). */
    INDArray mean();

    /** Standard deviation of each row, same shape as {@link #mean()}. */
    INDArray stddev();

    /** Whether reparameterized draws (z = a differentiable function of parameter-free noise, {@code rsample}) exist; false unless overridden. */
    default boolean hasRsample() {
        return false;
    }
}
