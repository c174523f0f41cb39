package dev.latentvi.internal;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;

/**
 * The element-wise loops of the training fast path (Adam, the Bernoulli log-likelihood and its
 * gradient) over the native buffers of FLOAT arrays, with the JDK's Vector API
 * ({@code jdk.incubator.vector}: 8 floats per instruction on AVX2, exp and log1p in SIMD) when the JVM
 * was started with {@code --add-modules jdk.incubator.vector} (the notebook kernel, the tests and the
 * benchmarks are), and as scalar Java otherwise. {@code -Dlatentvi.vector=false} forces the scalar loops.
 * The two agree to float rounding (the tests compare them).
 *
 * <p>Buffers: native-order byte buffers of whole c-order FLOAT arrays ({@link NativeBuffers#bytes}).
 */
public final class Lanes {
    private static final boolean VECTOR = !"false".equals(System.getProperty("latentvi.vector"))
            && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    private Lanes() {
    }

    /** Whether the loops run on the Vector API (else scalar Java). */
    public static boolean vectorized() {
        return VECTOR;
    }

    /**
     * One Adam step over FLOAT buffers of equal length: m' = β1 m + (1 − β1) g, v' = β2 v + (1 − β2) g²,
     * p' = p − a m' / (√v' + ε), written to the out buffers (which may be the inputs). Returns whether
     * every p' is finite.
     */
    public static boolean adam(ByteBuffer p, ByteBuffer g, ByteBuffer m, ByteBuffer v, ByteBuffer pOut, ByteBuffer mOut, ByteBuffer vOut,
            float beta1, float beta2, float a, float eps) {
        return VECTOR ? VectorLoops.adam(p, g, m, v, pOut, mOut, vOut, beta1, beta2, a, eps)
                : adamScalar(p, g, m, v, pOut, mOut, vOut, beta1, beta2, a, eps);
    }

    /**
     * The Bernoulli log-likelihood with logits ℓ of targets x (FLOAT {@code [n, width]} each, x in [0, 1]):
     * returns Σ_{i,d} [x ℓ − softplus(ℓ)] and writes d = (σ(ℓ) − x) · scale, overflow-free for any ℓ.
     */
    public static double bernoulli(ByteBuffer logits, ByteBuffer x, ByteBuffer d, int width, float scale) {
        return VECTOR ? VectorLoops.bernoulli(logits, x, d, width, scale) : bernoulliScalar(logits, x, d, width, scale);
    }

    static boolean adamScalar(ByteBuffer p, ByteBuffer g, ByteBuffer m, ByteBuffer v, ByteBuffer pOut, ByteBuffer mOut, ByteBuffer vOut,
            float b1, float b2, float a, float eps) {
        FloatBuffer pb = p.asFloatBuffer(), gb = g.asFloatBuffer(), mb = m.asFloatBuffer(), vb = v.asFloatBuffer();
        FloatBuffer po = pOut.asFloatBuffer(), mo = mOut.asFloatBuffer(), vo = vOut.asFloatBuffer();
        float mb1 = 1 - b1, mb2 = 1 - b2;
        boolean finite = true;
        for (int i = 0, n = pb.capacity(); i < n; i++) {
            float gi = gb.get(i);
            float mi = b1 * mb.get(i) + gi * mb1;
            float vi = b2 * vb.get(i) + gi * gi * mb2;
            float pi = pb.get(i) - mi * a / ((float) Math.sqrt(vi) + eps);
            mo.put(i, mi);
            vo.put(i, vi);
            po.put(i, pi);
            finite &= Float.isFinite(pi);
        }
        return finite;
    }

    static double bernoulliScalar(ByteBuffer logits, ByteBuffer x, ByteBuffer d, int w, float scale) {
        FloatBuffer ls = logits.asFloatBuffer(), xs = x.asFloatBuffer(), ds = d.asFloatBuffer();
        double sum = 0;
        float[] lr = new float[w];
        float[] xr = new float[w];
        float[] dr = new float[w];
        for (int i = 0, n = ls.capacity(); i < n; i += w) {
            ls.get(i, lr);
            xs.get(i, xr);
            double linear = 0;
            double product = 1;        // Π (1 + e) over ≤ 512 pixels is ≤ 2^512: one log per 512 pixels instead of one per pixel
            for (int j = 0; j < w; j++) {
                float l = lr[j];
                double e = Math.exp(-Math.abs(l));
                double q = 1 / (1 + e);
                double pr = l >= 0 ? q : e * q;
                linear += xr[j] * l - Math.max(l, 0f);
                product *= 1 + e;
                dr[j] = (float) (pr - xr[j]) * scale;
                if ((j & 511) == 511) {
                    linear -= Math.log(product);
                    product = 1;
                }
            }
            ds.put(i, dr);
            sum += linear - Math.log(product);
        }
        return sum;
    }
}
