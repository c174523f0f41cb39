package dev.latentvi.notebook;

import java.io.OutputStream;
import java.io.PrintStream;
import java.security.Permission;

/**
 * Makes {@code System.exit} called from notebook code (JShell snippets) throw a
 * {@link SecurityException} instead of ending the kernel, so one student's exit cannot stop the
 * grading of the exercises after it. Uses a security manager that permits everything else; where
 * the JVM no longer allows one (Java 18+ without {@code -Djava.security.manager=allow}, 24+), it
 * does nothing and the grader's kernel restart covers the case.
 */
public final class ExitGuard {
    private static volatile boolean installed;

    private ExitGuard() {
    }

    /** Installs the guard once; safe to call from every check. */
    @SuppressWarnings({"deprecation", "removal"})
    public static synchronized void install() {
        if (installed) {
            return;
        }
        installed = true;
        PrintStream err = System.err;
        System.setErr(new PrintStream(OutputStream.nullOutputStream()));   // Java 17 warns on stderr, which nbgrader scores as a failure
        try {
            System.setSecurityManager(new SecurityManager() {
                @Override
                public void checkPermission(Permission perm) {
                }

                @Override
                public void checkPermission(Permission perm, Object context) {
                }

                @Override
                public void checkExit(int status) {
                    if (fromNotebookCode()) {
                        throw new SecurityException("System.exit(" + status + ") is disabled in notebooks: it would end the kernel");
                    }
                }
            });
        } catch (UnsupportedOperationException | SecurityException notAllowed) {
            // the JVM refuses security managers: nothing to install
        } finally {
            System.setErr(err);
        }
    }

    /** Whether a frame of the current stack belongs to code typed into the notebook. */
    public static boolean fromNotebookCode() {
        return StackWalker.getInstance().walk(frames -> frames.anyMatch(f -> {
            String c = f.getClassName();
            return c.startsWith("REPL.") || c.contains("$JShell$");
        }));
    }
}
