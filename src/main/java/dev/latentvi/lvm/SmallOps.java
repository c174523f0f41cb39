package dev.latentvi.lvm;

import java.util.function.Supplier;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOps;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * Runs a loop of many small native ops (training a tiny network) with one OpenMP thread and then
 * restores the previous setting. For arrays of a few thousand entries the OpenMP fork/join costs
 * more than it saves, and on a loaded machine its spinning threads make each op up to ~8× slower.
 */
final class SmallOps {
    private SmallOps() {
    }

    /**
     * Runs {@code body} with standard output discarded: SameDiff M2.1 prints one "Added
     * differentiated op ..." line per op when it builds a gradient function, which would bury a
     * notebook cell's output. Standard error (progress lines) is untouched.
     */
    static void quietly(Runnable body) {
        java.io.PrintStream out = System.out;
        System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        try {
            body.run();
        } finally {
            System.setOut(out);
        }
    }

    static <T> T singleThreaded(Supplier<T> body) {
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
}
