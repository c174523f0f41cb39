package dev.latentvi.lvm;

import dev.latentvi.nn.Dense;
import dev.latentvi.nn.DenseKernel;
import dev.latentvi.nn.Trainer;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The mixture density network's training step by hand, the fast path of {@link MixtureDensityNetwork#fit}
 * (the SameDiff graph stays the reference; the tests check these gradients against it): the mean negative
 * log-likelihood −(1/n) Σ_i log Σ_k π_k(x_i) N(y_i; μ_k(x_i), σ_k(x_i)) and its gradient, the tanh MLP on a
 * {@link DenseKernel} and the mixture in plain loops. With responsibilities r_ik = softmax(ℓ + log N)_k and
 * weights π = softmax(ℓ): ∂/∂ℓ = −(r − π)/n, ∂/∂μ = −r u/(σ n), ∂/∂log σ = −r (u² − 1)/n, u = (y − μ)/σ.
 * DOUBLE, like the network.
 */
final class MdnStep implements Trainer.Gradients {
    private static final double HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);
    private final DenseKernel hidden;
    private final int k;
    private final int dy;

    MdnStep(List<Dense> hiddenLayers, int components, int outputDim) {
        this.hidden = DenseKernel.of(hiddenLayers);
        this.k = components;
        this.dy = outputDim;
    }

    @Override
    public double[] compute(Map<String, INDArray> batch, long rows, Map<String, INDArray> params, Map<String, INDArray> grads) {
        INDArray x = batch.get("x");
        double[] y = batch.get("y").castTo(DataType.DOUBLE).dup('c').data().asDouble();
        int n = (int) x.size(0);
        INDArray h = hidden.forward(x, params);
        int kd = k * dy;
        double[] logits = k > 1 ? affine(h, params, "logits", n, k) : new double[n];
        double[] mu = affine(h, params, "component_mu", n, kd);
        double[] ls = affine(h, params, "component_logsigma", n, kd);
        double[] dLogits = new double[n * k];
        double[] dMu = new double[n * kd];
        double[] dLs = new double[n * kd];
        double[] comp = new double[k];
        double total = 0;
        for (int i = 0; i < n; i++) {
            double maxA = Double.NEGATIVE_INFINITY;
            double maxL = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                double s = 0;
                for (int d = 0; d < dy; d++) {
                    int j = i * kd + c * dy + d;
                    double u = (y[i * dy + d] - mu[j]) * Math.exp(-ls[j]);
                    s += -0.5 * u * u - ls[j] - HALF_LOG_2PI;
                }
                comp[c] = s + logits[i * k + c];
                maxA = Math.max(maxA, comp[c]);
                maxL = Math.max(maxL, logits[i * k + c]);
            }
            double sumA = 0;
            double sumL = 0;
            for (int c = 0; c < k; c++) {
                sumA += Math.exp(comp[c] - maxA);
                sumL += Math.exp(logits[i * k + c] - maxL);
            }
            total += maxA + Math.log(sumA) - (maxL + Math.log(sumL));
            for (int c = 0; c < k; c++) {
                double r = Math.exp(comp[c] - maxA) / sumA;
                double pi = Math.exp(logits[i * k + c] - maxL) / sumL;
                dLogits[i * k + c] = -(r - pi) / n;
                for (int d = 0; d < dy; d++) {
                    int j = i * kd + c * dy + d;
                    double inv = Math.exp(-ls[j]);
                    double u = (y[i * dy + d] - mu[j]) * inv;
                    dMu[j] = -r * u * inv / n;
                    dLs[j] = -r * (u * u - 1) / n;
                }
            }
        }
        double loss = -total / n;
        if (!Double.isFinite(loss)) {
            return new double[] {loss};
        }
        INDArray dH = Nd4j.zeros(DataType.DOUBLE, n, h.size(1));
        if (k > 1) {
            backAffine(h, params, grads, "logits", dLogits, n, k, dH);
        }
        backAffine(h, params, grads, "component_mu", dMu, n, kd, dH);
        backAffine(h, params, grads, "component_logsigma", dLs, n, kd, dH);
        hidden.backward(dH, params, grads, false);
        return new double[] {loss};
    }

    /** h W + b of the dense layer {@code name} ({@code name_W [H, w]}, {@code name_b [w]}), c order {@code [n, w]}. */
    private static double[] affine(INDArray h, Map<String, INDArray> params, String name, int n, int w) {
        INDArray out = h.mmul(params.get(name + "_W")).addiRowVector(params.get(name + "_b"));
        return out.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    }

    /** Gradients of the dense layer {@code name} from ∂/∂output {@code g [n, w]}; adds ∂/∂h into {@code dH}. */
    private static void backAffine(INDArray h, Map<String, INDArray> params, Map<String, INDArray> grads, String name,
            double[] g, int n, int w, INDArray dH) {
        INDArray ga = Nd4j.create(g, new long[] {n, w}, 'c').castTo(h.dataType());
        Nd4j.gemm(h, ga, grads.get(name + "_W"), true, false, 1.0, 0.0);
        ga.sum(grads.get(name + "_b"), 0);
        Nd4j.gemm(ga, params.get(name + "_W"), dH, false, true, 1.0, 1.0);
    }
}
