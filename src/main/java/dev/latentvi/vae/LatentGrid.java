package dev.latentvi.vae;

import dev.latentvi.math.Check;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Regular grids of latents for pictures of a decoder's manifold. */
final class LatentGrid {
    private LatentGrid() {
    }

    /**
     * A {@code steps × steps} grid over [−range, range]² in the first two of {@code latent}
     * dimensions (the rest 0), row by row from the top (largest z₂): DOUBLE {@code [steps², latent]}.
     */
    static INDArray of(int steps, double range, int latent) {
        Check.positive("steps", steps);
        Check.positive("range", range);
        if (latent < 2) {
            throw new IllegalArgumentException("latent: a decoded grid needs a latent width >= 2, got " + latent);
        }
        INDArray z = Nd4j.zeros(DataType.DOUBLE, (long) steps * steps, latent);
        for (int r = 0; r < steps; r++) {
            for (int col = 0; col < steps; col++) {
                double z1 = steps == 1 ? 0 : -range + 2 * range * col / (steps - 1);
                double z2 = steps == 1 ? 0 : range - 2 * range * r / (steps - 1);
                z.putScalar(new long[] {(long) r * steps + col, 0}, z1);
                z.putScalar(new long[] {(long) r * steps + col, 1}, z2);
            }
        }
        return z;
    }
}
