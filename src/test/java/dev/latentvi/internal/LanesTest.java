package dev.latentvi.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.FloatRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class LanesTest {

    private static ByteBuffer floats(float[] v) {
        ByteBuffer b = ByteBuffer.allocateDirect(4 * v.length).order(ByteOrder.nativeOrder());
        b.asFloatBuffer().put(v);
        return b;
    }

    private static float[] read(ByteBuffer b) {
        float[] v = new float[b.capacity() / 4];
        b.asFloatBuffer().get(0, v);
        return v;
    }

    private static float[] random(Random r, int n, double scale, boolean positive) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            double x = r.nextGaussian() * scale;
            v[i] = (float) (positive ? Math.abs(x) : x);
        }
        return v;
    }

    @Test
    void theTestJvmRunsTheVectorLoops() {
        assertTrue(Lanes.vectorized(), "surefire's argLine adds jdk.incubator.vector");
    }

    @Test
    void adamOnVectorsAgreesWithTheScalarLoopAndWithTheFormula() {
        Random r = new Random(3);
        int n = 1003;                                           // not a multiple of the lane count: the tail loop runs too
        float[] p = random(r, n, 1, false), g = random(r, n, 0.1, false), m = random(r, n, 0.01, false), v = random(r, n, 1e-4, true);
        ByteBuffer[] vec = {floats(new float[n]), floats(new float[n]), floats(new float[n])};
        ByteBuffer[] sca = {floats(new float[n]), floats(new float[n]), floats(new float[n])};
        assertTrue(VectorLoops.adam(floats(p), floats(g), floats(m), floats(v), vec[0], vec[1], vec[2], 0.9f, 0.999f, 1e-3f, 1e-8f));
        assertTrue(Lanes.adamScalar(floats(p), floats(g), floats(m), floats(v), sca[0], sca[1], sca[2], 0.9f, 0.999f, 1e-3f, 1e-8f));
        for (int k = 0; k < 3; k++) {
            float[] a = read(vec[k]), b = read(sca[k]);
            for (int i = 0; i < n; i++) {
                assertEquals(b[i], a[i], 2e-7f * Math.max(1e-3f, Math.abs(b[i])), "array " + k + " element " + i);
            }
        }
        double mi = 0.9 * m[7] + 0.1 * g[7];
        double vi = 0.999 * v[7] + 0.001 * g[7] * g[7];
        assertEquals(p[7] - 1e-3 * mi / (Math.sqrt(vi) + 1e-8), read(vec[0])[7], 1e-6);
    }

    @Test
    void adamReportsANonFiniteParameterOnBothPaths() {
        int n = 37;
        float[] g = new float[n];
        g[n - 1] = Float.NaN;                                   // in the scalar tail
        float[] g2 = new float[n];
        g2[3] = Float.POSITIVE_INFINITY;                        // in a vector
        for (float[] grad : new float[][] {g, g2}) {
            ByteBuffer o = floats(new float[n]), mo = floats(new float[n]), vo = floats(new float[n]);
            assertFalse(VectorLoops.adam(floats(new float[n]), floats(grad), floats(new float[n]), floats(new float[n]), o, mo, vo,
                    0.9f, 0.999f, 1e-3f, 1e-8f));
            assertFalse(Lanes.adamScalar(floats(new float[n]), floats(grad), floats(new float[n]), floats(new float[n]), o, mo, vo,
                    0.9f, 0.999f, 1e-3f, 1e-8f));
        }
    }

    @Test
    void bernoulliMatchesTheDefinitionOnRowsWithATail() {
        Random r = new Random(5);
        int rows = 4, w = 29;
        float[] l = random(r, rows * w, 8, false), x = new float[rows * w];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextFloat();
        }
        l[0] = 90f;                                             // exp(90) overflows a float: still exact
        l[1] = -90f;
        ByteBuffer d = floats(new float[rows * w]);
        double sum = VectorLoops.bernoulli(floats(l), floats(x), d, w, 0.5f);
        double expect = 0;
        float[] grad = read(d);
        for (int i = 0; i < l.length; i++) {
            double softplus = Math.max(l[i], 0) + Math.log1p(Math.exp(-Math.abs(l[i])));
            expect += x[i] * l[i] - softplus;
            double sigma = 1 / (1 + Math.exp(-l[i]));
            assertEquals((sigma - x[i]) * 0.5, grad[i], 1e-6, "gradient " + i);
        }
        assertEquals(expect, sum, 1e-5 * Math.abs(expect));
        assertEquals(expect, Lanes.bernoulliScalar(floats(l), floats(x), floats(new float[rows * w]), w, 0.5f), 1e-9 * Math.abs(expect));
    }

    @Property(tries = 200)
    void bernoulliOnVectorsAgreesWithTheScalarLoop(@ForAll @FloatRange(min = -60, max = 60) float logit,
            @ForAll @FloatRange(min = 0, max = 1) float target, @ForAll @IntRange(min = 1, max = 40) int width) {
        float[] l = new float[width], x = new float[width];
        for (int j = 0; j < width; j++) {
            l[j] = logit * (j + 1) / width;
            x[j] = target;
        }
        ByteBuffer dv = floats(new float[width]), ds = floats(new float[width]);
        double vec = VectorLoops.bernoulli(floats(l), floats(x), dv, width, 1f);
        double sca = Lanes.bernoulliScalar(floats(l), floats(x), ds, width, 1f);
        assertEquals(sca, vec, 1e-5 * Math.max(1, Math.abs(sca)));
        float[] a = read(dv), b = read(ds);
        for (int j = 0; j < width; j++) {
            assertEquals(b[j], a[j], 1e-6f);
        }
    }
}
