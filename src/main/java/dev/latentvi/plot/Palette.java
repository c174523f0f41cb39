package dev.latentvi.plot;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The colours of the legend entries, assigned in layer order (Plotly's default qualitative
 * colourway), written into each trace so a figure's colours never depend on the renderer.
 */
final class Palette {
    private static final String[] COLOURS = {
        "#636efa", "#ef553b", "#00cc96", "#ab63fa", "#ffa15a", "#19d3f3", "#ff6692", "#b6e880", "#ff97ff", "#fecb52"};

    private Palette() {
    }

    /** The colour of legend entry k (cycling after ten). */
    static String colour(int k) {
        return COLOURS[k % COLOURS.length];
    }

    /** Paints a trace: lines, markers and bars in {@code colour}, a filled band in the same colour at 20 % opacity. */
    static ObjectNode paint(ObjectNode trace, String colour) {
        String type = trace.path("type").asText();
        String mode = trace.path("mode").asText("");
        if (type.equals("scatter")) {
            if (mode.contains("lines")) {
                object(trace, "line").put("color", colour);
            }
            if (mode.contains("markers")) {
                object(trace, "marker").put("color", colour);
            }
            if (trace.has("fill")) {
                trace.put("fillcolor", translucent(colour, 0.2));
            }
        } else if (type.equals("histogram") || type.equals("bar")) {
            object(trace, "marker").put("color", colour);
        }
        return trace;
    }

    private static ObjectNode object(ObjectNode parent, String field) {
        return parent.has(field) ? (ObjectNode) parent.get(field) : parent.putObject(field);
    }

    private static String translucent(String hex, double alpha) {
        int rgb = Integer.parseInt(hex.substring(1), 16);
        return "rgba(" + (rgb >> 16 & 0xff) + "," + (rgb >> 8 & 0xff) + "," + (rgb & 0xff) + "," + alpha + ")";
    }
}
