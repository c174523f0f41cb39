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
     * Gaussian radial basis functions of the VAE encoder mean μ(o), centred at the encodings of
     * {@code centers} (observations {@code [m, pixels]}, e.g. a few from the replay buffer), with
     * bandwidth {@code bandwidth} in latent units, plus a constant 1: exp(−|μ(o) − μ(c_j)|² / 2h²).
     * Works for any latent width.
     */
    static Features vaeLatentRbf(Vae vae, INDArray centers, double bandwidth) {
        Check.notNull("vae", vae);
        Check.matrix("centers", centers, vae.config().input());
        Check.positive("bandwidth", bandwidth);
        INDArray c = vae.encoder(centers).mean().castTo(DataType.DOUBLE);
        int k = (int) c.size(0);
        INDArray cNorm = c.mul(c).sum(1).reshape(1, k);
        return new Features() {
            public INDArray apply(INDArray o) {
                INDArray mu = vae.encoder(o).mean().castTo(DataType.DOUBLE);
                // squared distances [n, k] = |mu|^2 + |c|^2 - 2 mu c^T
                INDArray d2 = mu.mmul(c.transpose()).muli(-2).addiColumnVector(mu.mul(mu).sum(1).reshape(-1, 1))
                        .addiRowVector(cNorm);
                INDArray phi = Transforms.exp(d2.muli(-0.5 / (bandwidth * bandwidth)), false);
                return Nd4j.hstack(phi, Nd4j.ones(DataType.DOUBLE, o.size(0), 1));
            }

            public int width() {
                return k + 1;
            }

            public String name() {
                return "VAE latent (" + vae.config().latent() + "-D, " + k + " RBFs)";
            }
        };
    }

    /** The VAE encoder mean μ(o) itself plus a constant 1 (a linear Q on the raw latent). */
    static Features vaeLatent(Vae vae) {
        Check.notNull("vae", vae);
        int l = vae.config().latent();
        return new Features() {
            public INDArray apply(INDArray o) {
                INDArray mu = vae.encoder(o).mean().castTo(DataType.DOUBLE);
                return Nd4j.hstack(mu, Nd4j.ones(DataType.DOUBLE, o.size(0), 1));
            }

            public int width() {
                return l + 1;
            }

            public String name() {
                return "VAE latent (" + l + "-D, linear)";
            }
        };
    }
}
