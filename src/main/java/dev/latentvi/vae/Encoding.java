package dev.latentvi.vae;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The encoder's diagonal Gaussian q(z | x).
 *
 * @param mean μ(x), FLOAT {@code [n, L]}
 * @param sigma σ(x) &gt; 0, FLOAT {@code [n, L]}
 */
public record Encoding(INDArray mean, INDArray sigma) {
}
