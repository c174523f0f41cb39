package dev.latentvi.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOps;
import org.nd4j.nativeblas.NativeOpsHolder;

class SmallOpsTest {

    private static NativeOps ops() {
        Nd4j.getBackend();
        return NativeOpsHolder.getInstance().getDeviceNativeOps();
    }

    @Test
    void bodyRunsWithOneThreadAndTheSettingIsRestored() {
        NativeOps ops = ops();
        int before = ops.ompGetMaxThreads();
        ops.setOmpNumThreads(2);
        try {
            assertEquals(1, (int) SmallOps.singleThreaded(ops::ompGetMaxThreads));
            assertEquals(2, ops.ompGetMaxThreads());
            AtomicInteger inside = new AtomicInteger();
            SmallOps.singleThreaded(() -> inside.set(ops.ompGetMaxThreads()));
            assertEquals(1, inside.get());
            assertEquals(2, ops.ompGetMaxThreads());
            // the result is the body's result, and an exception still restores the setting
            assertEquals(6.0, SmallOps.singleThreaded(() -> Nd4j.createFromArray(1.0, 2.0, 3.0).sumNumber().doubleValue()), 0.0);
            assertThrows(IllegalStateException.class, () -> SmallOps.singleThreaded((Runnable) () -> {
                throw new IllegalStateException("boom");
            }));
            assertEquals(2, ops.ompGetMaxThreads());
        } finally {
            ops.setOmpNumThreads(before);
        }
    }

    @Test
    void nullBodyNamesTheArgument() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SmallOps.singleThreaded((Runnable) null));
        assertEquals(true, e.getMessage().startsWith("body"), e.getMessage());
    }
}
