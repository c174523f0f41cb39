package dev.latentvi.internal;

import java.util.function.Supplier;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOps;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * Runs a loop of many small native ops (EM on a few thousand points, training a tiny network)
 * with one OpenMP thread and then restores the previous setting. For arrays of a few thousand
 * entries the OpenMP fork/join costs more than it saves, and on a loaded machine its spinning
 * threads make each op several times slower.
 *
 * <pre>{@code
 * Fit fit = SmallOps.singleThreaded(() -> em.fit(x, rng));
 * }</pre>
 */
public final class SmallOps {
    private SmallOps() {
    }

    /** Returns {@code body.get()} computed with one OpenMP thread; the thread setting is restored even on an exception. */
    public static <T> T singleThreaded(Supplier<T> body) {
        Args.notNull("body", body);
        Nd4j.getBackend();      // make sure the native backend is initialized
        NativeOps ops = NativeOpsHolder.getInstance().getDeviceNativeOps();
        int before = ops.ompGetMaxThreads();
        ops.setOmpNumThreads(1);
        try {
            return body.get();
        } finally {
            ops.setOmpNumThreads(before);
        }
    }

    /** Runs {@code body} with one OpenMP thread; the thread setting is restored even on an exception. */
    public static void singleThreaded(Runnable body) {
        Args.notNull("body", body);
        singleThreaded(() -> {
            body.run();
            return null;
        });
    }
}
