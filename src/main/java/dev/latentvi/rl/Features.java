package dev.latentvi.rl;

import dev.latentvi.math.Check;
import dev.latentvi.vae.Vae;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** A state representation for a linear Q-function: observations {@code [n, pixels]} to features {@code [n, k]} (DOUBLE). */
public interface Features {
    /** Features of {@code observations [n, pixels]}, DOUBLE {@code [n, width()]}. */
    INDArray apply(INDArray observations);

    /** Feature width k. */
    int width();

    /** A short name for plots. */
    String name();

    /** Raw pixels plus a constant 1. */
    static Features pixels(int pixels) {
        Check.positive("pixels", pixels);
        return new Features() {
            public INDArray apply(INDArray o) {
                Check.matrix("observations", o, pixels);
                return Nd4j.hstack(o.castTo(DataType.DOUBLE), Nd4j.ones(DataType.DOUBLE, o.size(0), 1));
            }

            public int width() {
                return pixels + 1;
            }

            public String name() {
                return "raw pixels (" + pixels + ")";
            }
        };
    }

    /**
     * The VAE encoder mean μ(o) (2-D latent), expanded in Gaussian radial basis functions on a
     * {@code grid × grid} lattice over [−range, range]² with bandwidth {@code width}, plus a constant 1.
     */
    static Features vaeLatentRbf(Vae vae, int grid, double range, double bandwidth) {
        Check.notNull("vae", vae);
        Check.positive("grid", grid);
        Check.positive("range", range);
        Check.positive("bandwidth", bandwidth);
        if (vae.config().latent() != 2) {
            throw new IllegalArgumentException("vae: expected a 2-D latent space, got latent " + vae.config().latent());
        }
        double[][] centers = new double[grid * grid][2];
        for (int i = 0; i < grid; i++) {
            for (int j = 0; j < grid; j++) {
                centers[i * grid + j][0] = grid == 1 ? 0 : -range + 2 * range * i / (grid - 1);
                centers[i * grid + j][1] = grid == 1 ? 0 : -range + 2 * range * j / (grid - 1);
            }
        }
        INDArray c = Nd4j.create(centers);
        int k = grid * grid;
        return new Features() {
            public INDArray apply(INDArray o) {
                INDArray mu = vae.encode(o).mean().castTo(DataType.DOUBLE);
                // squared distances [n, k] = |mu|^2 + |c|^2 - 2 mu c^T
                INDArray d2 = mu.mul(mu).sum(1).reshape(-1, 1).repeat(1, k)
                        .addRowVector(c.mul(c).sum(1).reshape(1, -1)).subi(mu.mmul(c.transpose()).muli(2));
                INDArray phi = Transforms.exp(d2.muli(-0.5 / (bandwidth * bandwidth)), false);
                return Nd4j.hstack(phi, Nd4j.ones(DataType.DOUBLE, o.size(0), 1));
            }

            public int width() {
                return k + 1;
            }

            public String name() {
                return "VAE latent RBF (" + k + ")";
            }
        };
    }
}
