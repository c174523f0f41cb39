package dev.latentvi.vi;

import dev.latentvi.dist.Distribution;
import dev.latentvi.dist.Kl;
import dev.latentvi.math.Check;
import java.util.ArrayList;
import java.util.List;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Approximations q of one target p compared in both KL directions: each fit's mean and σ, its
 * reverse KL(q ‖ p) (what VI minimizes) and its forward KL(p ‖ q) (what moment matching minimizes),
 * all in closed form ({@link Kl#divergence(Distribution, Distribution)}). Target and fits are
 * one-dimensional with one row, e.g. a {@code GridDensity} posterior and Normal fits.
 *
 * <pre>{@code
 * KlComparison.to(posterior).fit("reverse KL (VI)", viFit).fit("forward KL (moments)", momentFit).table("Each fit wins its own objective")
 * }</pre>
 */
public final class KlComparison {
    private record Fit(String name, Distribution q) {
    }

    private final Distribution target;
    private final List<Fit> fits = new ArrayList<>();

    private KlComparison(Distribution target) {
        this.target = target;
    }

    /** A comparison against the target p (one row, one dimension). */
    public static KlComparison to(Distribution target) {
        Check.notNull("target", target);
        requireOneDimensional("target", target);
        return new KlComparison(target);
    }

    /** Adds a fit q under a name (its row label); rows keep the order of the calls. */
    public KlComparison fit(String name, Distribution q) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name: expected a non-blank text, got " + (name == null ? "null" : "\"" + name + "\""));
        }
        Check.notNull("q", q);
        requireOneDimensional("q", q);
        if (fits.stream().anyMatch(f -> f.name().equals(name))) {
            throw new IllegalArgumentException("name: expected a name not used yet, got \"" + name + "\"");
        }
        fits.add(new Fit(name, q));
        return this;
    }

    /** One row per fit: "fit", "mean", "σ", "KL(q || p)", "KL(p || q)". */
    public Table table(String title) {
        if (title == null || title.isBlank()) {
            throw new IllegalArgumentException("title: expected a non-blank text, got " + (title == null ? "null" : "\"" + title + "\""));
        }
        if (fits.isEmpty()) {
            throw new IllegalArgumentException("fits: expected at least one fit (call fit(name, q)), got none");
        }
        StringColumn name = StringColumn.create("fit");
        DoubleColumn mean = DoubleColumn.create("mean");
        DoubleColumn sigma = DoubleColumn.create("σ");
        DoubleColumn reverse = DoubleColumn.create("KL(q || p)");
        DoubleColumn forward = DoubleColumn.create("KL(p || q)");
        for (Fit f : fits) {
            name.append(f.name());
            mean.append(f.q().mean().getDouble(0));
            sigma.append(f.q().stddev().getDouble(0));
            reverse.append(Kl.divergence(f.q(), target).getDouble(0));
            forward.append(Kl.divergence(target, f.q()).getDouble(0));
        }
        return Table.create(title, name, mean, sigma, reverse, forward);
    }

    private static void requireOneDimensional(String arg, Distribution d) {
        if (d.batchSize() != 1 || d.mean().length() != 1) {
            throw new IllegalArgumentException(arg + ": expected a one-dimensional distribution with one row, got "
                    + d.batchSize() + " rows of " + d.mean().length() / Math.max(1, d.batchSize()) + " dimensions");
        }
    }
}
