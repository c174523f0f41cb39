package dev.latentvi.notebook;

/**
 * The only door to JJava classes from code that also runs without a kernel (tests, plain Java):
 * JJava is a provided dependency, so its classes are touched only after checking they exist.
 */
final class KernelBridge {
    private static final boolean JJAVA_PRESENT = present("org.dflib.jjava.jupyter.kernel.BaseKernel");

    private KernelBridge() {
    }

    /** A display-id based sink when running inside a JJava kernel, otherwise null. */
    static ProgressSink progressSink() {
        if (!JJAVA_PRESENT) {
            return null;
        }
        return NotebookDisplay.progressSinkIfAttached();
    }

    private static boolean present(String className) {
        try {
            Class.forName(className, false, KernelBridge.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
