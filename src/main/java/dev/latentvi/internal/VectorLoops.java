package dev.latentvi.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** {@link Lanes}' loops on the Vector API; loaded only when the module is present. */
final class VectorLoops {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final ByteOrder O = ByteOrder.nativeOrder();

    private VectorLoops() {
    }

    static boolean adam(ByteBuffer p, ByteBuffer g, ByteBuffer m, ByteBuffer v, ByteBuffer pOut, ByteBuffer mOut, ByteBuffer vOut,
            float b1, float b2, float a, float eps) {
        int n = p.capacity() / 4;
        int bound = S.loopBound(n);
        float mb1 = 1 - b1, mb2 = 1 - b2;
        FloatVector bad = FloatVector.zero(S);     // p' − p' is 0, or NaN where p' is NaN or infinite
        int i = 0;
        for (; i < bound; i += S.length()) {
            int off = 4 * i;
            FloatVector gi = FloatVector.fromByteBuffer(S, g, off, O);
            FloatVector mi = FloatVector.fromByteBuffer(S, m, off, O).mul(b1).add(gi.mul(mb1));
            FloatVector vi = FloatVector.fromByteBuffer(S, v, off, O).mul(b2).add(gi.mul(gi).mul(mb2));
            FloatVector pi = FloatVector.fromByteBuffer(S, p, off, O).sub(mi.mul(a).div(vi.sqrt().add(eps)));
            mi.intoByteBuffer(mOut, off, O);
            vi.intoByteBuffer(vOut, off, O);
            pi.intoByteBuffer(pOut, off, O);
            bad = bad.add(pi.sub(pi));
        }
        boolean finite = bad.reduceLanes(VectorOperators.ADD) == 0;
        for (; i < n; i++) {
            int off = 4 * i;
            float gi = g.getFloat(off);
            float mi = b1 * m.getFloat(off) + gi * mb1;
            float vi = b2 * v.getFloat(off) + gi * gi * mb2;
            float pi = p.getFloat(off) - mi * a / ((float) Math.sqrt(vi) + eps);
            mOut.putFloat(off, mi);
            vOut.putFloat(off, vi);
            pOut.putFloat(off, pi);
            finite &= Float.isFinite(pi);
        }
        return finite;
    }

    /** Row by row: e = exp(−|ℓ|), softplus(ℓ) = max(ℓ, 0) + log1p(e), σ(ℓ) = 1/(1 + e) or e/(1 + e). */
    static double bernoulli(ByteBuffer logits, ByteBuffer x, ByteBuffer d, int w, float scale) {
        int n = logits.capacity() / 4;
        int bound = S.loopBound(w);
        double sum = 0;
        for (int row = 0; row < n; row += w) {
            int j = 0;
            for (; j < bound; j += S.length()) {
                int off = 4 * (row + j);
                FloatVector l = FloatVector.fromByteBuffer(S, logits, off, O);
                FloatVector xv = FloatVector.fromByteBuffer(S, x, off, O);
                FloatVector e = l.abs().neg().lanewise(VectorOperators.EXP);
                FloatVector q = e.add(1f);
                FloatVector hi = FloatVector.broadcast(S, 1f).div(q);
                VectorMask<Float> negative = l.compare(VectorOperators.LT, 0f);
                FloatVector prob = hi.blend(e.div(q), negative);
                FloatVector term = xv.mul(l).sub(l.max(0f)).sub(e.lanewise(VectorOperators.LOG1P));
                sum += term.reduceLanes(VectorOperators.ADD);
                prob.sub(xv).mul(scale).intoByteBuffer(d, off, O);
            }
            for (; j < w; j++) {
                int off = 4 * (row + j);
                float l = logits.getFloat(off);
                float xv = x.getFloat(off);
                double e = Math.exp(-Math.abs(l));
                double pr = l >= 0 ? 1 / (1 + e) : e / (1 + e);
                sum += xv * l - Math.max(l, 0f) - Math.log1p(e);
                d.putFloat(off, (float) (pr - xv) * scale);
            }
        }
        return sum;
    }
}
