package dev.latentvi.lvm;

import dev.latentvi.internal.NativeBuffers;
import dev.latentvi.nn.Dense;
import dev.latentvi.nn.DenseKernel;
import dev.latentvi.nn.Trainer;
import java.nio.DoubleBuffer;
import java.util.HashMap;
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
    private final Map<Integer, Buffers> byRows = new HashMap<>();

    /** Arrays for one batch size n, allocated once: the heads' outputs and gradients ([n, w], DOUBLE) and ∂/∂h. */
    private static final class Buffers {
        final double[] y;
        final double[] logits;
        final double[] mu;
        final double[] ls;
        final double[] dLogits;
        final double[] dMu;
        final double[] dLs;
        final INDArray logitsOut;
        final INDArray muOut;
        final INDArray lsOut;
        final INDArray dH;

        Buffers(int n, long hidden, int k, int kd) {
            y = new double[n * kd / k];
            logits = new double[n * k];
            mu = new double[n * kd];
            ls = new double[n * kd];
            dLogits = new double[n * k];
            dMu = new double[n * kd];
            dLs = new double[n * kd];
            logitsOut = Nd4j.createUninitialized(DataType.DOUBLE, n, k);
            muOut = Nd4j.createUninitialized(DataType.DOUBLE, n, kd);
            lsOut = Nd4j.createUninitialized(DataType.DOUBLE, n, kd);
            dH = Nd4j.createUninitialized(DataType.DOUBLE, n, hidden);
        }
    }

    MdnStep(List<Dense> hiddenLayers, int components, int outputDim) {
        this.hidden = DenseKernel.of(hiddenLayers);
        this.k = components;
        this.dy = outputDim;
    }

    @Override
    public double[] compute(Map<String, INDArray> batch, long rows, Map<String, INDArray> params, Map<String, INDArray> grads) {
        INDArray x = batch.get("x");
        int n = (int) x.size(0);
        int kd = k * dy;
        Buffers b = byRows.computeIfAbsent(n, r -> new Buffers(r, hidden.outputWidth(), k, kd));
        double[] y = b.y;
        read(batch.get("y"), y);
        INDArray h = hidden.forward(x, params);
        double[] logits = b.logits;
        if (k > 1) {
            affine(h, params, "logits", b.logitsOut, logits);
        }
        double[] mu = affine(h, params, "component_mu", b.muOut, b.mu);
        double[] ls = affine(h, params, "component_logsigma", b.lsOut, b.ls);
        double[] dLogits = b.dLogits;
        double[] dMu = b.dMu;
        double[] dLs = b.dLs;
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
        INDArray dH = b.dH;
        boolean first = true;
        if (k > 1) {
            backAffine(h, params, grads, "logits", dLogits, b.logitsOut, dH, true);
            first = false;
        }
        backAffine(h, params, grads, "component_mu", dMu, b.muOut, dH, first);
        backAffine(h, params, grads, "component_logsigma", dLs, b.lsOut, dH, false);
        hidden.backward(dH, params, grads, false);
        return new double[] {loss};
    }

    /** h W + b of the dense layer {@code name} ({@code name_W [H, w]}, {@code name_b [w]}) into {@code out [n, w]}, and as {@code values}. */
    private static double[] affine(INDArray h, Map<String, INDArray> params, String name, INDArray out, double[] values) {
        Nd4j.gemm(h, params.get(name + "_W"), out, false, false, 1.0, 0.0);
        DoubleBuffer o = NativeBuffers.doubles(out);
        o.get(0, values);
        double[] bias = new double[(int) out.size(1)];
        read(params.get(name + "_b"), bias);
        for (int i = 0, w = bias.length; i < values.length; i++) {
            values[i] += bias[i % w];
        }
        return values;
    }

    /**
     * Gradients of the dense layer {@code name} from ∂/∂output {@code g [n, w]} (staged in {@code ga}); writes
     * ∂/∂h into {@code dH} when {@code first}, else adds it.
     */
    private static void backAffine(INDArray h, Map<String, INDArray> params, Map<String, INDArray> grads, String name,
            double[] g, INDArray ga, INDArray dH, boolean first) {
        NativeBuffers.doubles(ga).put(0, g);
        Nd4j.gemm(h, ga, grads.get(name + "_W"), true, false, 1.0, 0.0);
        int w = (int) ga.size(1);
        double[] sum = new double[w];
        for (int i = 0; i < g.length; i++) {
            sum[i % w] += g[i];
        }
        INDArray gb = grads.get(name + "_b");
        if (NativeBuffers.direct(gb, DataType.DOUBLE)) {
            NativeBuffers.doubles(gb).put(0, sum);
        } else {
            gb.assign(Nd4j.createFromArray(sum).reshape(gb.shape()));
        }
        Nd4j.gemm(ga, params.get(name + "_W"), dH, false, true, 1.0, first ? 0.0 : 1.0);
    }

    /** The elements of {@code a} (any array, views included) in c order, into {@code dst}. */
    private static void read(INDArray a, double[] dst) {
        if (NativeBuffers.direct(a, DataType.DOUBLE)) {
            NativeBuffers.doubles(a).get(0, dst);
        } else {
            NativeBuffers.doubles(a.castTo(DataType.DOUBLE).dup('c')).get(0, dst);
        }
    }
}
