package dev.latentvi.vae;

import static org.junit.jupiter.api.Assertions.*;

import dev.latentvi.dist.GraphBernoulli;
import dev.latentvi.dist.GraphNormal;
import dev.latentvi.dist.Kl;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The row-wise terms the VAE's graph is built from (dist's graph twins: the Gaussian and Bernoulli
 * log densities, the KL to N(0, I)) against hand-computed closed forms, for d = 1 and d = 2.
 */
class GraphTermsTest {

    @Test
    void oneAndTwoDimensionalRowsMatchClosedForms() {
        for (int d : new int[] {1, 2}) {
            SameDiff sd = SameDiff.create();
            SDVariable x = sd.placeHolder("x", DataType.DOUBLE, -1, d);
            SDVariable mu = sd.placeHolder("mu", DataType.DOUBLE, -1, d);
            SDVariable ls = sd.placeHolder("ls", DataType.DOUBLE, -1, d);
            SDVariable zero = sd.zerosLike(x);
            SDVariable normal = GraphNormal.of(mu, ls).logProb(x);
            SDVariable std = GraphNormal.of(zero, zero).logProb(x);
            SDVariable kl = Kl.divergence(GraphNormal.of(mu, ls), GraphNormal.of(sd.zerosLike(mu), sd.zerosLike(mu)));
            SDVariable bern = GraphBernoulli.ofLogits(mu).logProb(x);
            double[][] xv = {{0.3, 1.0}, {-1.2, 0.0}, {2.0, 1.0}};
            double[][] mv = {{0.1, -0.5}, {0.4, 0.2}, {-1.0, 3.0}};
            double[][] lv = {{-0.2, 0.3}, {0.5, -1.0}, {0.0, 0.1}};
            INDArray xa = Nd4j.create(xv).get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.interval(0, d));
            INDArray ma = Nd4j.create(mv).get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.interval(0, d));
            INDArray la = Nd4j.create(lv).get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.interval(0, d));
            Map<String, INDArray> out = sd.output(Map.of("x", xa.dup(), "mu", ma.dup(), "ls", la.dup()),
                    normal.name(), std.name(), kl.name(), bern.name());
            for (int i = 0; i < 3; i++) {
                double n = 0, s = 0, k = 0, b = 0;
                for (int j = 0; j < d; j++) {
                    double sigma = Math.exp(lv[i][j]);
                    double u = (xv[i][j] - mv[i][j]) / sigma;
                    n += -0.5 * u * u - lv[i][j] - 0.5 * Math.log(2 * Math.PI);
                    s += -0.5 * xv[i][j] * xv[i][j] - 0.5 * Math.log(2 * Math.PI);
                    k += 0.5 * (mv[i][j] * mv[i][j] + sigma * sigma - 1) - lv[i][j];
                    double p = 1 / (1 + Math.exp(-mv[i][j]));
                    b += xv[i][j] * Math.log(p) + (1 - xv[i][j]) * Math.log(1 - p);
                }
                assertEquals(n, out.get(normal.name()).getDouble(i), 1e-9, "normal d=" + d);
                assertEquals(s, out.get(std.name()).getDouble(i), 1e-9, "standard normal d=" + d);
                assertEquals(k, out.get(kl.name()).getDouble(i), 1e-9, "KL d=" + d);
                assertEquals(b, out.get(bern.name()).getDouble(i), 1e-9, "Bernoulli d=" + d);
            }
            assertArrayEquals(new long[] {3}, out.get(normal.name()).shape());
        }
    }
}
