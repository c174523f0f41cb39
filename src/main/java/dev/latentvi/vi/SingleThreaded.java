package dev.latentvi.vi;

import java.util.function.Supplier;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOps;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * Runs a loop of many small native ops with one OpenMP thread, then restores the setting. On tiny
 * arrays the OpenMP fork/join costs more than it saves, and on a loaded machine its spinning threads
 * make each SameDiff step many times slower (measured here: ~200 ms vs ~8 ms per per-point VI step).
 * (Same technique as lvm's package-private SmallOps; a candidate for one shared public helper.)
 */
final class SingleThreaded {
    private SingleThreaded() {
    }

    static <T> T run(Supplier<T> body) {
        Nd4j.getBackend();
        NativeOps ops = NativeOpsHolder.getInstance().getDeviceNativeOps();
        int before = ops.ompGetMaxThreads();
        ops.setOmpNumThreads(1);
        try {
            return body.get();
        } finally {
            ops.setOmpNumThreads(before);
        }
    }
}
