package dev.latentvi.vae;

import dev.latentvi.math.Check;
import dev.latentvi.notebook.Displayable;
import dev.latentvi.notebook.TableHtml;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The computation graph of a reparameterized VAE drawn for its architecture: x → encoder → μ, log σ →
 * z = μ + σ ⊙ ε → decoder → the reconstruction term and the KL term → the loss (with the condition c
 * feeding both networks for a conditional VAE). A notebook shows it as SVG (offline, in JupyterLab, Notebook 7,
 * the HTML and PDF exports); {@link #svg()} is the drawing itself.
 */
public final class VaeDiagram implements Displayable {
    private static final int WIDTH = 980;
    private static final String INK = "#24292f";
    private static final String DATA = "#ddf4ff";
    private static final String NET = "#fff8c5";
    private static final String LATENT = "#dafbe1";
    private static final String LOSS = "#ffebe9";
    private static final String NOISE = "#f6f8fa";

    private final VaeConfig config;
    private final String svg;

    /** The diagram of {@code config}'s VAE (shapes and β from the config). */
    public VaeDiagram(VaeConfig config) {
        Check.notNull("config", config);
        this.config = config;
        this.svg = draw();
    }

    /** The architecture drawn. */
    public VaeConfig config() {
        return config;
    }

    /** The drawing as a standalone SVG document. */
    public String svg() {
        return svg;
    }

    @Override
    public Map<String, Object> mimeBundle() {
        Map<String, Object> bundle = new LinkedHashMap<>();
        bundle.put("text/plain", toString());
        bundle.put("image/svg+xml", svg);
        return bundle;
    }

    /** The same graph as one line of text: the nodes and shapes in order. */
    @Override
    public String toString() {
        boolean conditional = config.condition() > 0;
        String c = conditional ? ", c [" + config.condition() + "]" : "";
        return "x [" + config.input() + "]" + c + " → encoder " + widths(config.input() + config.condition(), config.hidden(), 2 * config.latent())
                + " → μ, log σ [" + config.latent() + "] → z = μ + σ ⊙ ε, ε ~ N(0, I) [" + config.latent() + "]" + c
                + " → decoder " + widths(config.latent() + config.condition(), reversed(config.hidden()), config.input()) + " → "
                + observation() + "; loss = −E_q[log p(x|z)] + " + betaText() + "KL(q(z|x) ‖ N(0, I))";
    }

    private String draw() {
        boolean conditional = config.condition() > 0;
        int latent = config.latent();
        StringBuilder s = new StringBuilder();
        int height = 440;
        s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"").append(height)
                .append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(height)
                .append("\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"13\">");
        s.append("<title>").append(esc(title())).append("</title>");
        s.append("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\""
                + " orient=\"auto-start-reverse\"><path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"" + INK + "\"/></marker></defs>");
        s.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>");
        text(s, WIDTH / 2, 24, title(), 16, "bold");

        int y = 190;   // the main path, left to right; the loss terms below it
        box(s, 55, y, 80, 50, DATA, "x", "[" + config.input() + "]");
        box(s, 195, y, 130, 64, NET, "encoder q_φ", widths(config.input() + config.condition(), config.hidden(), 2 * latent));
        box(s, 350, y, 130, 50, LATENT, "μ_φ(x), log σ_φ(x)", "[" + latent + "] each");
        box(s, 520, y - 90, 120, 44, NOISE, "ε ~ N(0, I)", "[" + latent + "], no gradient", true);
        box(s, 520, y, 120, 50, LATENT, "z = μ + σ ⊙ ε", "[" + latent + "]");
        box(s, 680, y, 130, 64, NET, "decoder p_θ", widths(latent + config.condition(), reversed(config.hidden()), config.input()));
        box(s, 845, y, 100, 50, DATA, decoderOut(), "[" + config.input() + "]");
        box(s, 350, 320, 190, 50, LOSS, "KL(q_φ(z|x) ‖ N(0, I))", "closed form from μ, σ");
        box(s, 845, 320, 160, 50, LOSS, "log p_θ(x | z)", "target: the input x");
        box(s, 600, 400, 380, 40, LOSS, "loss = −log p_θ(x|z) + " + betaText() + "KL   (= −ELBO"
                + (config.beta() == 1.0 ? ")" : " at β = 1)"), "");

        arrow(s, 95, y, 130, y);
        arrow(s, 260, y, 285, y);
        arrow(s, 415, y, 460, y);
        arrow(s, 520, y - 68, 520, y - 25);
        arrow(s, 580, y, 615, y);
        arrow(s, 745, y, 795, y);
        arrow(s, 350, y + 25, 350, 295);
        arrow(s, 845, y + 25, 845, 295);
        arrow(s, 350, 345, 440, 380);
        arrow(s, 845, 345, 760, 380);
        text(s, 520, y + 45, "∂/∂φ flows through z to μ and σ", 11, "italic");
        if (conditional) {
            box(s, 55, 58, 80, 34, DATA, "c [" + config.condition() + "]", "");
            arrow(s, 95, 58, 680, 58, false);
            arrow(s, 195, 58, 195, y - 32);
            arrow(s, 680, 58, 680, y - 32);
            text(s, 600, 50, "the condition is concatenated to both networks' inputs", 11, "normal");
        }
        s.append("</svg>");
        return s.toString();
    }

    private String title() {
        return (config.condition() > 0 ? "Conditional VAE" : "VAE") + ": the reparameterized computation graph";
    }

    private String observation() {
        return config.likelihood() == VaeConfig.Likelihood.BERNOULLI ? "Bernoulli logits [" + config.input() + "]"
                : "Gaussian mean and σ [" + config.input() + "]";
    }

    private String decoderOut() {
        return config.likelihood() == VaeConfig.Likelihood.BERNOULLI ? "logits" : "mean, σ";
    }

    private String betaText() {
        return config.beta() == 1.0 ? "" : String.format(Locale.ROOT, "%s·", trim(config.beta()));
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }

    private static String widths(int in, int[] hidden, int out) {
        return in + "→" + Arrays.stream(hidden).mapToObj(Integer::toString).collect(Collectors.joining("→")) + "→" + out;
    }

    private static int[] reversed(int[] a) {
        int[] r = new int[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[a.length - 1 - i];
        }
        return r;
    }

    private static void box(StringBuilder s, int cx, int cy, int w, int h, String fill, String label, String sub) {
        box(s, cx, cy, w, h, fill, label, sub, false);
    }

    private static void box(StringBuilder s, int cx, int cy, int w, int h, String fill, String label, String sub, boolean dashed) {
        s.append("<rect x=\"").append(cx - w / 2).append("\" y=\"").append(cy - h / 2).append("\" width=\"").append(w)
                .append("\" height=\"").append(h).append("\" rx=\"8\" fill=\"").append(fill).append("\" stroke=\"").append(INK)
                .append(dashed ? "\" stroke-dasharray=\"5 3\"/>" : "\"/>");
        boolean two = !sub.isEmpty();
        text(s, cx, cy + (two ? -3 : 5), label, 13, "bold");
        if (two) {
            text(s, cx, cy + 14, sub, 11, "normal");
        }
    }

    private static void text(StringBuilder s, int x, int y, String text, int size, String style) {
        s.append("<text x=\"").append(x).append("\" y=\"").append(y).append("\" text-anchor=\"middle\" font-size=\"").append(size)
                .append('"').append(style.equals("bold") ? " font-weight=\"bold\"" : style.equals("italic") ? " font-style=\"italic\"" : "")
                .append(" fill=\"").append(INK).append("\">").append(esc(text)).append("</text>");
    }

    private static void arrow(StringBuilder s, int x1, int y1, int x2, int y2) {
        arrow(s, x1, y1, x2, y2, true);
    }

    private static void arrow(StringBuilder s, int x1, int y1, int x2, int y2, boolean head) {
        s.append("<line x1=\"").append(x1).append("\" y1=\"").append(y1).append("\" x2=\"").append(x2).append("\" y2=\"").append(y2)
                .append("\" stroke=\"").append(INK).append("\" stroke-width=\"1.5\"").append(head ? " marker-end=\"url(#arrow)\"" : "")
                .append("/>");
    }

    private static String esc(String text) {
        return TableHtml.escape(text);
    }
}
