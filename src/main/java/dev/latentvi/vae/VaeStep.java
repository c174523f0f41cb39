package dev.latentvi.vae;

import dev.latentvi.internal.Lanes;
import dev.latentvi.internal.NativeBuffers;
import dev.latentvi.nn.Dense;
import dev.latentvi.nn.DenseKernel;
import dev.latentvi.nn.Trainer;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * One VAE training step by hand, the fast path of {@link VaeGraph}'s training (the SameDiff graph
 * stays the reference; the tests check these gradients against it with the same noise): the loss
 * (1/n) Σ_i [−log p(x_i | z_i) + β KL(q(z | x_i) ‖ N(0, I))] with z = μ + σ ⊙ ε, its monitors (ELBO,
 * reconstruction, KL, each a batch mean) and its gradient, on {@link DenseKernel}s for the encoder
 * and decoder MLPs and a few small loops for the reparameterization and the analytic KL.
 *
 * <p>Batch: x {@code [n, D]}, c {@code [n, C]} (conditional only), the noise ε {@code [1, n, L]};
 * everything FLOAT. The Bernoulli log-likelihood Σ_d [x ℓ − softplus(ℓ)] and its gradient in the logits
 * σ(ℓ) − x come from one overflow-free pass over the logits.
 */
final class VaeStep implements Trainer.Gradients {
    private static final double HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

    private final VaeConfig config;
    private final DenseKernel encoder;
    private final DenseKernel decoder;
    private final String muW;
    private final String muB;
    private final String lsW;
    private final String lsB;
    private final String sigmaRaw;   // Gaussian decoder only, else null
    private final String noise;
    private final Map<Long, Buffers> byRows = new HashMap<>();

    /** Arrays for one batch size n, allocated once. */
    private static final class Buffers {
        final INDArray xin;      // [n, D + C] (conditional), else null
        final INDArray xPart;
        final INDArray xc;
        final INDArray mu;       // [n, L]
        final INDArray logSigma;
        final INDArray zin;      // [n, L + C]
        final INDArray zc;
        final INDArray dMu;
        final INDArray dLogSigma;
        final INDArray dHidden;  // [n, H]
        final INDArray dOut;     // [n, D]
        final INDArray scratch;  // [n, D]
        final float[] zs;
        final float[] eps;

        Buffers(long n, VaeConfig cfg, long hidden) {
            int d = cfg.input();
            int l = cfg.latent();
            int c = cfg.condition();
            DataType f = DataType.FLOAT;
            xin = c > 0 ? Nd4j.createUninitialized(f, n, d + c) : null;
            xPart = c > 0 ? xin.get(NDArrayIndex.all(), NDArrayIndex.interval(0, d)) : null;
            xc = c > 0 ? xin.get(NDArrayIndex.all(), NDArrayIndex.interval(d, d + c)) : null;
            mu = Nd4j.createUninitialized(f, n, l);
            logSigma = Nd4j.createUninitialized(f, n, l);
            zin = Nd4j.createUninitialized(f, n, l + c);
            zc = c > 0 ? zin.get(NDArrayIndex.all(), NDArrayIndex.interval(l, l + c)) : null;
            dMu = Nd4j.createUninitialized(f, n, l);
            dLogSigma = Nd4j.createUninitialized(f, n, l);
            dHidden = Nd4j.createUninitialized(f, n, hidden);
            dOut = Nd4j.createUninitialized(f, n, d);
            scratch = Nd4j.createUninitialized(f, n, d);
            zs = new float[Math.toIntExact(n * (l + c))];
            eps = new float[Math.toIntExact(n * l)];
        }
    }

    /**
     * The step for {@code config}: encoder layers (input D + C, ReLU output of width H), the head's
     * parameter names (μ and log σ, each {@code [H, L]} and {@code [L]}), decoder layers (input L + C,
     * output D), the Gaussian decoder's raw σ parameter {@code [1, D]} (null for Bernoulli) and the
     * noise placeholder's name.
     */
    VaeStep(VaeConfig config, List<Dense> encoderLayers, String muName, String logSigmaName, List<Dense> decoderLayers,
            String sigmaRaw, String noise) {
        this.config = config;
        this.encoder = DenseKernel.of(encoderLayers);
        this.decoder = DenseKernel.of(decoderLayers);
        this.muW = muName + "_W";
        this.muB = muName + "_b";
        this.lsW = logSigmaName + "_W";
        this.lsB = logSigmaName + "_b";
        this.sigmaRaw = sigmaRaw;
        this.noise = noise;
    }

    /** Whether the kernel differentiates these layers (see {@link DenseKernel#supports}). */
    static boolean supports(List<Dense> encoderLayers, List<Dense> decoderLayers) {
        return DenseKernel.supports(encoderLayers) && DenseKernel.supports(decoderLayers);
    }

    /** {loss, elbo, reconstruction, kl}, batch means; gradients of the loss into {@code grads}. */
    @Override
    public double[] compute(Map<String, INDArray> batch, long rows, Map<String, INDArray> params, Map<String, INDArray> grads) {
        INDArray x = batch.get(VaeGraph.X);
        INDArray c = batch.get(VaeGraph.C);
        INDArray e = batch.get(noise);
        long n = x.size(0);
        int l = config.latent();
        int cw = config.condition();
        int w = l + cw;
        Buffers b = byRows.computeIfAbsent(n, r -> new Buffers(r, config, encoder.outputWidth()));

        // encoder: h = MLP([x, c]); μ = h Wμ + bμ; log σ = h Wσ + bσ
        INDArray xin = x;
        if (cw > 0) {
            b.xPart.assign(x);
            b.xc.assign(c);
            b.zc.assign(c);
            xin = b.xin;
        }
        INDArray h = encoder.forward(xin, params);
        Nd4j.gemm(h, params.get(muW), b.mu, false, false, 1.0, 0.0);
        Nd4j.gemm(h, params.get(lsW), b.logSigma, false, false, 1.0, 0.0);
        float[] bMu = vector(params.get(muB), l);
        float[] bLs = vector(params.get(lsB), l);

        // z = μ + σ ⊙ ε and the analytic KL, per element in plain loops ([n, L] is small)
        FloatBuffer mu = floats(b.mu);
        FloatBuffer ls = floats(b.logSigma);
        readInto(e, b.eps);
        float[] zs = b.zs;
        FloatBuffer zin = floats(b.zin);
        zin.get(0, zs);
        double klSum = 0;
        int nl = Math.toIntExact(n * l);
        for (int i = 0, r = 0, k = 0; i < nl; i++) {
            float m = mu.get(i) + bMu[k];            // the heads' biases, added here
            float lsv = ls.get(i) + bLs[k];
            mu.put(i, m);
            ls.put(i, lsv);
            float s = (float) Math.exp(lsv);
            zs[r * w + k] = m + s * b.eps[i];
            klSum += (double) m * m + (double) s * s - 1 - 2.0 * lsv;
            if (++k == l) {
                k = 0;
                r++;
            }
        }
        zin.put(0, zs);
        double kl = 0.5 * klSum / n;

        // decoder and the log-likelihood; dOut = ∂loss/∂(decoder output)
        INDArray out = decoder.forward(b.zin, params);
        double rec = sigmaRaw == null ? bernoulli(x, out, b, n) : gaussian(x, out, b, n, params, grads);
        double elbo = rec - kl;
        double loss = -rec + config.beta() * kl;
        if (!Double.isFinite(loss)) {
            return new double[] {loss, elbo, rec, kl};
        }
        INDArray dzin = decoder.backward(b.dOut, params, grads, true);

        // back through the reparameterization and the KL: ∂/∂μ = ∂z + β μ / n, ∂/∂log σ = ∂z σ ε + β (σ² − 1) / n
        FloatBuffer dz = floats(dzin);
        FloatBuffer dMu = floats(b.dMu);
        FloatBuffer dLs = floats(b.dLogSigma);
        float scale = (float) (config.beta() / n);
        float[] gMu = new float[l];
        float[] gLs = new float[l];
        for (int i = 0, r = 0, k = 0; i < nl; i++) {
            float g = dz.get(r * w + k);
            float s = (float) Math.exp(ls.get(i));
            float dm = g + scale * mu.get(i);
            float dl = g * s * b.eps[i] + scale * (s * s - 1);
            dMu.put(i, dm);
            dLs.put(i, dl);
            gMu[k] += dm;                             // the heads' bias gradients
            gLs[k] += dl;
            if (++k == l) {
                k = 0;
                r++;
            }
        }
        Nd4j.gemm(h, b.dMu, grads.get(muW), true, false, 1.0, 0.0);
        floats(grads.get(muB)).put(0, gMu);
        Nd4j.gemm(h, b.dLogSigma, grads.get(lsW), true, false, 1.0, 0.0);
        floats(grads.get(lsB)).put(0, gLs);
        Nd4j.gemm(b.dMu, params.get(muW), b.dHidden, false, true, 1.0, 0.0);
        Nd4j.gemm(b.dLogSigma, params.get(lsW), b.dHidden, false, true, 1.0, 1.0);
        encoder.backward(b.dHidden, params, grads, false);
        return new double[] {loss, elbo, rec, kl};
    }

    /** Mean Σ_d [x ℓ − softplus(ℓ)] over the batch and dOut = (σ(ℓ) − x) / n, in one pass ({@link Lanes#bernoulli}). */
    private static double bernoulli(INDArray x, INDArray logits, Buffers b, long n) {
        INDArray xs = NativeBuffers.direct(x, DataType.FLOAT) ? x : x.dup('c');
        return Lanes.bernoulli(NativeBuffers.bytes(logits), NativeBuffers.bytes(xs), NativeBuffers.bytes(b.dOut), (int) logits.size(1),
                (float) (1.0 / n)) / n;
    }

    /**
     * Mean Σ_d log N(x; m, σ) over the batch with σ = softplus(raw) + minSigma per dimension;
     * dOut = −(x − m) / (n σ²) and ∂/∂raw = Σ_i (1 − u²) sigmoid(raw) / (n σ) with u = (x − m) / σ.
     */
    private double gaussian(INDArray x, INDArray mean, Buffers b, long n, Map<String, INDArray> params, Map<String, INDArray> grads) {
        INDArray raw = params.get(sigmaRaw);
        int d = config.input();
        double[] sigma = new double[d];
        double[] dSigmaDRaw = new double[d];
        double logSigmaSum = 0;
        for (int j = 0; j < d; j++) {
            double r = raw.getDouble(0, j);
            double sp = Math.max(r, 0) + Math.log1p(Math.exp(-Math.abs(r)));
            sigma[j] = sp + config.minSigma();
            dSigmaDRaw[j] = 1 / (1 + Math.exp(-r));
            logSigmaSum += Math.log(sigma[j]);
        }
        INDArray sig = Nd4j.createFromArray(sigma).castTo(DataType.FLOAT);
        INDArray u = b.scratch.assign(x).subi(mean).diviRowVector(sig);          // u = (x − m) / σ
        b.dOut.assign(u).diviRowVector(sig).muli(-1.0 / n);                       // −u / (n σ)
        INDArray colSq = u.muli(u).sum(0);                                         // Σ_i u², [D]
        double sq = colSq.sumNumber().doubleValue();
        double rec = (-0.5 * sq) / n - logSigmaSum - d * HALF_LOG_2PI;
        INDArray g = grads.get(sigmaRaw);
        for (int j = 0; j < d; j++) {
            double colJ = colSq.getDouble(j);
            g.putScalar(0, j, (n - colJ) / n * dSigmaDRaw[j] / sigma[j]);
        }
        return rec;
    }

    /** The L entries of a FLOAT bias vector. */
    private static float[] vector(INDArray bias, int l) {
        float[] v = new float[l];
        readInto(bias, v);
        return v;
    }

    /** The native buffer of a fresh c-order FLOAT array of the step's (offset 0) as a FloatBuffer. */
    private static FloatBuffer floats(INDArray a) {
        return NativeBuffers.floats(a);
    }

    /** Copies the c-order contents of {@code a} (any FLOAT array, views included) into {@code dst}. */
    private static void readInto(INDArray a, float[] dst) {
        INDArray src = a.isView() || a.ordering() != 'c' || a.offset() != 0 ? a.dup('c') : a;
        if (src.dataType() != DataType.FLOAT) {
            src = src.castTo(DataType.FLOAT);
        }
        floats(src).get(0, dst, 0, dst.length);
    }
}
