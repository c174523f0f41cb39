package dev.latentvi.homework;

/** Turns what a student's code threw into one line of feedback (never a stack trace). */
final class StudentCode {
    /** The message the generated stubs throw; a case that sees it reports "not attempted yet". */
    static final String STUB_MESSAGE = "your code here";

    private StudentCode() {
    }

    /** Whether {@code t} is the stub's "your code here" exception. */
    static boolean isStub(Throwable t) {
        return t instanceof UnsupportedOperationException && t.getMessage() != null
                && t.getMessage().toLowerCase(java.util.Locale.ROOT).contains(STUB_MESSAGE);
    }

    /** Errors a check must not swallow (out of memory and the like, and the sandbox stopping the code); a stack overflow is reported. */
    @SuppressWarnings("removal")
    static boolean fatal(Throwable t) {
        return (t instanceof VirtualMachineError && !(t instanceof StackOverflowError)) || t instanceof ThreadDeath;
    }

    /** "threw IllegalStateException: message (in yourMethod)". */
    static String describe(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root
                && (root instanceof java.lang.reflect.InvocationTargetException
                    || root instanceof java.util.concurrent.ExecutionException)) {
            root = root.getCause();
        }
        StringBuilder s = new StringBuilder("threw ").append(root.getClass().getSimpleName());
        if (root.getMessage() != null && !root.getMessage().isBlank()) {
            s.append(": ").append(firstLine(root.getMessage()));
        }
        String where = studentFrame(root);
        if (where != null) {
            s.append(" (").append(where).append(")");
        }
        return s.toString();
    }

    /** The hint for a thrown exception. */
    static String hint(Throwable t) {
        if (isStub(t)) {
            return "not attempted yet: replace the stub in the solution cell with your code, run that cell, then this one";
        }
        if (t instanceof NullPointerException) {
            return "something in your code is null: did you run the cells above, and does your function return a value on every path?";
        }
        if (t instanceof StackOverflowError) {
            return "your function calls itself without end";
        }
        return "your code threw an exception on this input; the message above says where";
    }

    /** The top stack frame from code typed into the notebook (JShell), as "in methodName". */
    private static String studentFrame(Throwable t) {
        for (StackTraceElement e : t.getStackTrace()) {
            String c = e.getClassName();
            if (c.startsWith("REPL.") || c.contains("$JShell$")) {
                String method = e.getMethodName();
                String name = method.startsWith("lambda$") ? "a lambda" : method;
                return "in " + name;    // JShell's line numbers count its wrapper, not the cell: leave them out
            }
        }
        return null;
    }

    private static String firstLine(String s) {
        String line = s.strip().lines().findFirst().orElse("");
        return line.length() > 300 ? line.substring(0, 300) + "…" : line;
    }
}
