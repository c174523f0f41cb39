package dev.latentvi.homework;

import dev.latentvi.math.Rng;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * An exercise check: runs a student's function F against the library's reference on seeded random
 * inputs and named edge cases, plus property cases, and returns {@link Feedback} (which case,
 * expected vs got, a hint, and a score). Anything the student's code throws — including the stub's
 * "your code here" — becomes feedback for that case, never a stack trace.
 *
 * <pre>{@code
 * Feedback f = Exercise.<Fn, INDArray, INDArray>of("1.1 Log-likelihood", in -> reference(in), (fn, in) -> fn.apply(in))
 *         .points(2).random(3, 11, rng -> randomInput(rng)).edge("far-away points", () -> farInput(), "work in log space")
 *         .check(student);
 * }</pre>
 *
 * @param <F> the student's function type (a functional interface)
 * @param <I> one case's input (built fresh for the reference and for the student, so mutation cannot leak)
 * @param <O> the result compared between the reference and the student
 */
public final class Exercise<F, I, O> {
    /** Applies the student's function to one input. */
    @FunctionalInterface
    public interface Call<F, I, O> {
        O apply(F student, I input) throws Exception;
    }

    /** A case judged by a property of the student's function rather than by one reference value. */
    @FunctionalInterface
    public interface Property<F> {
        Outcome test(F student) throws Exception;
    }

    private record Case<I>(String name, Supplier<I> input, String hint, Exercise.Property<?> property) {
    }

    /** Default limit on the time a check may spend in the student's code. */
    public static final Duration DEFAULT_TIME_LIMIT = Duration.ofSeconds(30);

    private final String title;
    private final Function<I, O> reference;
    private final Call<F, I, O> call;
    private final List<Case<I>> cases = new ArrayList<>();
    private double points = 1;
    private Compare.Tolerance tolerance = new Compare.Tolerance(1e-8, 1e-6);
    private String hint;
    private Function<I, String> describe;
    private final List<Function<Rng, I>> generators = new ArrayList<>();
    private Duration timeLimit = DEFAULT_TIME_LIMIT;

    private Exercise(String title, Function<I, O> reference, Call<F, I, O> call) {
        this.title = Objects.requireNonNull(title, "title");
        this.reference = reference;
        this.call = call;
    }

    /** An exercise comparing {@code call(student, input)} with {@code reference(input)}. */
    public static <F, I, O> Exercise<F, I, O> of(String title, Function<I, O> reference, Call<F, I, O> call) {
        return new Exercise<>(title, Objects.requireNonNull(reference, "reference"), Objects.requireNonNull(call, "call"));
    }

    /** An exercise made of property cases only ({@link #property}). */
    public static <F> Exercise<F, Void, Void> properties(String title) {
        return new Exercise<>(title, null, null);
    }

    /** Points for passing every case (default 1); the score is points × passed / total. */
    public Exercise<F, I, O> points(double points) {
        if (!(points > 0) || Double.isInfinite(points)) {
            throw new IllegalArgumentException("points: expected a positive number, got " + points);
        }
        this.points = points;
        return this;
    }

    /** Agreement means |got − expected| ≤ abs + rel·|expected| for every number (default 1e-8, 1e-6). */
    public Exercise<F, I, O> tolerance(double abs, double rel) {
        if (!(abs >= 0) || !(rel >= 0)) {
            throw new IllegalArgumentException("tolerance: expected abs ≥ 0 and rel ≥ 0, got " + abs + ", " + rel);
        }
        this.tolerance = new Compare.Tolerance(abs, rel);
        return this;
    }

    /** The hint shown with a failed comparison case that has no hint of its own. */
    public Exercise<F, I, O> hint(String hint) {
        this.hint = hint;
        return this;
    }

    /** How to describe an input in feedback (e.g. "n = 20 points, K = 3"). */
    public Exercise<F, I, O> describe(Function<I, String> describe) {
        this.describe = describe;
        return this;
    }

    /**
     * {@code count} random cases, case k built by {@code generator} from {@code Rng.seeded(seed + k)}.
     * The generator also makes the hidden cases of {@link Feedback#withHidden}.
     */
    public Exercise<F, I, O> random(int count, long seed, Function<Rng, I> generator) {
        requireReference();
        Objects.requireNonNull(generator, "generator");
        generators.add(generator);
        cases.addAll(randomCases("random case", count, seed, generator));
        return this;
    }

    /**
     * The most time the student's code may take over all cases (default 30 s); past it the check
     * stops that code and the exercise scores 0 with a "timed out after N s" message.
     */
    public Exercise<F, I, O> timeLimit(Duration limit) {
        if (limit == null || limit.isNegative() || limit.isZero()) {
            throw new IllegalArgumentException("timeLimit: expected a positive duration, got " + limit);
        }
        this.timeLimit = limit;
        return this;
    }

    /** A named edge case; {@code hint} is shown if the student's result differs there. */
    public Exercise<F, I, O> edge(String name, Supplier<I> input, String hint) {
        requireReference();
        cases.add(new Case<>(Objects.requireNonNull(name, "name"), Objects.requireNonNull(input, "input"), hint, null));
        return this;
    }

    /** A case judged by {@code property} (e.g. unbiasedness, monotonicity). */
    public Exercise<F, I, O> property(String name, Property<F> property) {
        cases.add(new Case<>(Objects.requireNonNull(name, "name"), null, null, Objects.requireNonNull(property, "property")));
        return this;
    }

    /**
     * Runs every case on the student's function under the {@link Sandbox} (time limit, output cap,
     * no System.exit); never throws for a wrong, failing, endless or exiting student function.
     */
    public Feedback check(F student) {
        if (cases.isEmpty()) {
            throw new IllegalStateException("exercise " + title + " has no cases");
        }
        return new Feedback(title, points, runAll(List.copyOf(cases), student), (count, seed) -> hidden(student, count, seed));
    }

    /** {@code count} more random cases per generator from seeds {@code seed, seed + 1, …}, run on the same student function. */
    private List<CaseResult> hidden(F student, int count, long seed) {
        if (generators.isEmpty()) {
            throw new IllegalStateException("exercise " + title + " has no random cases to draw hidden cases from");
        }
        List<Case<I>> extra = new ArrayList<>();
        for (Function<Rng, I> g : generators) {
            extra.addAll(randomCases("hidden case", count, seed, g));
            seed += count;
        }
        return runAll(extra, student);
    }

    private List<Case<I>> randomCases(String label, int count, long seed, Function<Rng, I> generator) {
        if (count < 1) {
            throw new IllegalArgumentException("count: expected at least 1 case, got " + count);
        }
        List<Case<I>> out = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            long s = seed + k;
            out.add(new Case<>(label + " " + (k + 1) + " (seed " + s + ")", () -> generator.apply(Rng.seeded(s)), null, null));
        }
        return out;
    }

    private List<CaseResult> runAll(List<Case<I>> todo, F student) {
        if (student == null) {
            return todo.stream().map(c -> new CaseResult(c.name(), false, null, "no function",
                    "pass your function (a lambda or method reference), not null")).toList();
        }
        List<CaseResult> done = java.util.Collections.synchronizedList(new ArrayList<>());
        Sandbox.Run<Boolean> r = Sandbox.run(timeLimit, () -> {
            for (Case<I> c : todo) {
                done.add(run(c, student));
            }
            return true;
        });
        if (!r.output().isEmpty()) {
            System.out.print("Your code printed while being checked:\n" + r.output());
        }
        if (!r.timedOut()) {
            return List.copyOf(done);
        }
        List<CaseResult> out = new ArrayList<>();
        String msg = Sandbox.timedOutMessage(timeLimit);
        String limit = Sandbox.seconds(timeLimit);
        for (int i = 0; i < todo.size(); i++) {
            String name = i < done.size() ? done.get(i).name() : todo.get(i).name();
            out.add(new CaseResult(name, false, "a result within " + limit,
                    i == done.size() ? msg : "not scored: the check " + msg,
                    "the check stops your code after " + limit
                            + ": look for a loop that never ends (or work far larger than the exercise needs)"));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private CaseResult run(Case<I> c, F student) {
        if (c.property() != null) {
            try {
                Outcome o = ((Property<F>) c.property()).test(student);
                return CaseResult.of(c.name(), o == null ? Outcome.fail("a verdict", "null", null) : o);
            } catch (Throwable t) {
                return thrown(c.name(), t);
            }
        }
        I referenceInput = c.input().get();
        String name = describe == null ? c.name() : c.name() + ": " + describe.apply(referenceInput);
        O expected;
        try {
            expected = reference.apply(referenceInput);
        } catch (RuntimeException e) {
            throw new IllegalStateException("exercise " + title + ": the reference failed on " + name + ": " + e, e);
        }
        O got;
        try {
            got = call.apply(student, c.input().get());
        } catch (Throwable t) {
            return thrown(name, t);
        }
        Compare.Mismatch m = Compare.values(expected, got, tolerance);
        if (m == null) {
            return new CaseResult(name, true, null, null, null);
        }
        String where = m.where().isEmpty() ? "" : " at " + m.where();
        String h = join(m.reason(), c.hint() != null ? c.hint() : hint);
        return new CaseResult(name, false, m.expected() + where, m.got(), h);
    }

    private static CaseResult thrown(String name, Throwable t) {
        if (StudentCode.fatal(t)) {
            throw (Error) t;
        }
        return new CaseResult(name, false, "a result", StudentCode.describe(t), StudentCode.hint(t));
    }

    private static String join(String a, String b) {
        if (a == null) {
            return b;
        }
        return b == null ? a : a + "; " + b;
    }

    private void requireReference() {
        if (reference == null) {
            throw new IllegalStateException("exercise " + title + " has no reference: use property(...) cases only");
        }
    }
}
