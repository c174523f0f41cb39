package dev.latentvi.internal;

/** Argument checks for this package, which sits below {@code math} and so cannot use {@code math.Check}. */
final class Args {
    private Args() {
    }

    /** The same message as {@code math.Args.notNull}: names the argument. */
    static void notNull(String name, Object value) {
        if (value == null) {
            throw new IllegalArgumentException(name + ": expected a value, got null");
        }
    }
}
