package dev.latentvi.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GridDensityReverseKlTest {
    static GridDensity tabulate(double lo, double hi, int points, java.util.function.DoubleUnaryOperator logDensity) {
        double[] v = new double[points];
        for (int i = 0; i < points; i++) {
            v[i] = logDensity.applyAsDouble(lo + (hi - lo) * i / (points - 1));
        }
        return GridDensity.of(lo, hi, v);
    }

    @Test
    void aGaussianIsItsOwnReverseKlFit() {
        GridDensity p = tabulate(-8, 10, 3601, z -> -0.5 * Math.pow((z - 1.2) / 0.7, 2));
        Normal fit = p.reverseKlFit(Normal.of(-1.0, 2.0));
        assertEquals(1.2, fit.mean().getDouble(0), 1e-6);
        assertEquals(0.7, fit.scalarStddev(), 1e-6);
        assertEquals(0, Kl.divergence(fit, p).getDouble(0), 1e-9);
    }

    @Test
    void theFitMinimizesTheReverseKlAndSitsInsideAMode() {
        // two well-separated modes: the reverse-KL fit started in one mode stays there and is narrower than the moment fit
        GridDensity p = tabulate(-8, 8, 3201, z -> Math.log(0.5 * Math.exp(-0.5 * Math.pow((z + 2.5) / 0.5, 2))
                + 0.5 * Math.exp(-0.5 * Math.pow((z - 2.5) / 0.5, 2))));
        Normal fit = p.reverseKlFit(Normal.of(2.0, 1.0));
        double best = Kl.divergence(fit, p).getDouble(0);
        assertEquals(2.5, fit.mean().getDouble(0), 1e-3);
        assertEquals(0.5, fit.scalarStddev(), 1e-3);
        assertEquals(Math.log(2), best, 1e-3);                       // half the mass missed: KL = log 2
        for (double dm : new double[] {-0.05, 0.05}) {
            for (double ds : new double[] {0.95, 1.05}) {
                Normal other = Normal.of(fit.mean().getDouble(0) + dm, fit.scalarStddev() * ds);
                assertTrue(Kl.divergence(other, p).getDouble(0) > best);
            }
        }
        Normal moments = p.momentMatch();
        assertTrue(Kl.divergence(moments, p).getDouble(0) > best);
        assertTrue(Kl.divergence(p, moments).getDouble(0) < Kl.divergence(p, fit).getDouble(0));
    }

    @Test
    void badStartIsRejected() {
        GridDensity p = tabulate(-3, 3, 101, z -> -0.5 * z * z);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.reverseKlFit(Normal.standard(2)));
        assertTrue(e.getMessage().startsWith("start:"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> p.reverseKlFit(null));
        assertTrue(e.getMessage().startsWith("start:"), e.getMessage());
    }
}
