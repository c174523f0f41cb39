package dev.latentvi.vae;

import dev.latentvi.math.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Synthetic binary "digits": one random prototype per class, each pixel flipped with a small probability. */
final class Prototypes {
    final int classes;
    final int pixels;
    final double[][] prototype;

    Prototypes(int classes, int pixels, Rng rng) {
        this.classes = classes;
        this.pixels = pixels;
        this.prototype = new double[classes][pixels];
        for (int k = 0; k < classes; k++) {
            for (int p = 0; p < pixels; p++) {
                prototype[k][p] = rng.uniform() < 0.35 ? 1 : 0;
            }
        }
    }

    /** Labels 0..classes-1 in turn. */
    int[] labels(int n) {
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % classes;
        }
        return y;
    }

    /** Images [n, pixels] FLOAT for the given labels, pixels flipped with probability {@code flip}. */
    INDArray images(int[] labels, double flip, Rng rng) {
        float[][] x = new float[labels.length][pixels];
        for (int i = 0; i < labels.length; i++) {
            for (int p = 0; p < pixels; p++) {
                double v = prototype[labels[i]][p];
                x[i][p] = (float) (rng.uniform() < flip ? 1 - v : v);
            }
        }
        return Nd4j.create(x).castTo(DataType.FLOAT);
    }

    /** Index of the class prototype nearest (squared distance) to each row of {@code x}. */
    int[] nearest(INDArray x) {
        double[][] rows = x.castTo(DataType.DOUBLE).toDoubleMatrix();
        int[] out = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            double best = Double.POSITIVE_INFINITY;
            for (int k = 0; k < classes; k++) {
                double d = 0;
                for (int p = 0; p < pixels; p++) {
                    double u = rows[i][p] - prototype[k][p];
                    d += u * u;
                }
                if (d < best) {
                    best = d;
                    out[i] = k;
                }
            }
        }
        return out;
    }
}
