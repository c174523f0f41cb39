package dev.latentvi.plot;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import tech.tablesaw.plotly.components.Figure;
import tech.tablesaw.plotly.traces.Trace;

/**
 * Converts any Tablesaw {@link Figure} to the Plotly JSON spec {@code {"data": [...], "layout": {...}}}
 * (the payload of the {@code application/vnd.plotly.v1+json} MIME type).
 *
 * <p>Our own {@link JsonFigure}s carry their JSON; a figure built with Tablesaw's builders is read
 * back from the JavaScript object literals its templates write (unquoted keys, single quotes,
 * HTML-escaped text, numbers as strings), which is why the reader here is lenient.
 */
public final class PlotlyJson {
    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ObjectMapper LENIENT = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_UNQUOTED_FIELD_NAMES, JsonReadFeature.ALLOW_SINGLE_QUOTES,
                    JsonReadFeature.ALLOW_TRAILING_COMMA, JsonReadFeature.ALLOW_JAVA_COMMENTS,
                    JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS, JsonReadFeature.ALLOW_MISSING_VALUES)
            .build();
    private static final Set<String> NUMERIC_ARRAYS = Set.of("x", "y", "z");

    private PlotlyJson() {
    }

    /** The Plotly spec of {@code figure}. */
    public static ObjectNode spec(Figure figure) {
        if (figure == null) {
            throw new IllegalArgumentException("figure: expected a Tablesaw Figure, got null");
        }
        if (figure instanceof JsonFigure jf) {
            return jf.spec();
        }
        ObjectNode spec = MAPPER.createObjectNode();
        ArrayNode data = spec.putArray("data");
        Trace[] traces = figure.getTraces();
        for (int i = 0; i < traces.length; i++) {
            data.add(readObjectLiteral(traces[i].asJavascript(i), "trace " + i));
        }
        spec.set("layout", figure.getLayout() == null ? MAPPER.createObjectNode()
                : readObjectLiteral(figure.getLayout().asJavascript(), "layout"));
        return spec;
    }

    /** JSON text that is safe inside an HTML {@code <script>} element ({@code </} escaped). */
    public static String toScriptSafeJson(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node).replace("</", "<\\/");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize Plotly JSON", e);
        }
    }

    /** Parses the object literal in {@code "var name = {...};"} as emitted by Tablesaw's templates. */
    private static ObjectNode readObjectLiteral(String js, String what) {
        int start = js.indexOf('{');
        int end = js.lastIndexOf('}');
        if (start < 0 || end < start) {
            throw new IllegalArgumentException(what + ": expected a JavaScript object literal, got: " + js);
        }
        try {
            JsonNode node = LENIENT.readTree(js.substring(start, end + 1));
            ObjectNode clean = (ObjectNode) unescape(node, null);
            return clean;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(what + ": cannot read Tablesaw's output as JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static JsonNode unescape(JsonNode node, String key) {
        if (node.isObject()) {
            ObjectNode out = MAPPER.createObjectNode();
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                out.set(e.getKey(), unescape(e.getValue(), e.getKey()));
            }
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = MAPPER.createArrayNode();
            boolean numeric = key != null && NUMERIC_ARRAYS.contains(key);
            for (JsonNode child : node) {
                JsonNode v = unescape(child, numeric ? key : null);
                out.add(numeric && v.isTextual() ? numberOrText(v.asText()) : v);
            }
            return out;
        }
        if (node.isTextual()) {
            return TextNode.valueOf(htmlUnescape(node.asText()));
        }
        return node;
    }

    private static JsonNode numberOrText(String s) {
        try {
            return MAPPER.getNodeFactory().numberNode(Double.parseDouble(s));
        } catch (NumberFormatException e) {
            return TextNode.valueOf(s);
        }
    }

    private static String htmlUnescape(String s) {
        if (s.indexOf('&') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            int semi = c == '&' ? s.indexOf(';', i) : -1;
            if (semi > i && semi - i <= 8) {
                String entity = s.substring(i + 1, semi);
                String decoded = switch (entity) {
                    case "amp" -> "&";
                    case "lt" -> "<";
                    case "gt" -> ">";
                    case "quot" -> "\"";
                    case "apos" -> "'";
                    default -> entity.startsWith("#") ? decodeNumeric(entity.substring(1)) : null;
                };
                if (decoded != null) {
                    out.append(decoded);
                    i = semi;
                    continue;
                }
            }
            out.append(c);
        }
        return out.toString();
    }

    private static String decodeNumeric(String code) {
        try {
            int cp = code.startsWith("x") || code.startsWith("X") ? Integer.parseInt(code.substring(1), 16) : Integer.parseInt(code);
            return new String(Character.toChars(cp));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
