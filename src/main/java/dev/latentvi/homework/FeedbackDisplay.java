package dev.latentvi.homework;

/**
 * Makes {@link Feedback} render as HTML (plus the grader's summary) in a running JJava kernel, by
 * registering a renderer the first time a check runs there. JJava is a provided dependency, so its
 * classes are touched only after checking they exist; outside a kernel this does nothing.
 */
final class FeedbackDisplay {
    private static final boolean JJAVA_PRESENT = present("org.dflib.jjava.jupyter.kernel.BaseKernel");

    private FeedbackDisplay() {
    }

    static void install() {
        if (JJAVA_PRESENT) {
            try {
                FeedbackRenderer.registerIfInKernel();
            } catch (RuntimeException | LinkageError e) {
                // not in a kernel, or an incompatible JJava: feedback falls back to toString()
            }
        }
    }

    private static boolean present(String className) {
        try {
            Class.forName(className, false, FeedbackDisplay.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
