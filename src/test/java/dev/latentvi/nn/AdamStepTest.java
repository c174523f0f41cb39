package dev.latentvi.nn;

import static org.junit.jupiter.api.Assertions.*;

import dev.latentvi.math.Rng;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.updaters.AdamUpdater;
import org.nd4j.linalg.factory.Nd4j;

/** The plain-Java Adam step against libnd4j's adam_updater over several iterations. */
class AdamStepTest {

    private static void check(DataType type, double tol) {
        Rng rng = Rng.seeded(3);
        Adam adam = new Adam(0.01, 0.8, 0.99, 1e-6);
        INDArray p = rng.normal(13, 7).castTo(type), m = Nd4j.zeros(type, 13, 7), v = Nd4j.zeros(type, 13, 7);
        INDArray pr = p.dup(), mr = m.dup(), vr = v.dup();
        for (int it = 0; it < 5; it++) {
            INDArray g = rng.normal(13, 7).castTo(type);
            INDArray p2 = p.ulike(), m2 = m.ulike(), v2 = v.ulike();
            assertTrue(Adam.direct(p, g, m, v, p2, m2, v2));
            adam.step(p, g, m, v, p2, m2, v2, 0.02, it);
            INDArray upd = pr.ulike(), mr2 = mr.ulike(), vr2 = vr.ulike();
            Nd4j.exec(new AdamUpdater(g, vr, mr, upd, vr2, mr2, 0.02, 0.8, 0.99, 1e-6, it));
            INDArray pr2 = pr.sub(upd);
            assertTrue(p2.equalsWithEps(pr2, tol), "parameters at iteration " + it);
            assertTrue(m2.equalsWithEps(mr2, tol) && v2.equalsWithEps(vr2, tol), "moments at iteration " + it);
            assertFalse(p2.equalsWithEps(p, 1e-4), "the step moved the parameters");
            p = p2; m = m2; v = v2; pr = pr2; mr = mr2; vr = vr2;
        }
    }

    @Test
    void floatStepMatchesTheNativeUpdater() {
        check(DataType.FLOAT, 1e-6);
    }

    @Test
    void doubleStepMatchesTheNativeUpdater() {
        check(DataType.DOUBLE, 1e-12);
    }

    @Test
    void viewsAreLeftToTheNativeUpdater() {
        INDArray a = Nd4j.zeros(DataType.FLOAT, 4, 4);
        assertFalse(Adam.direct(a, a.getRow(1), a, a, a, a, a));
    }
}
