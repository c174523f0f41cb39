package dev.latentvi.notebook;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The claims a cell checks, shown as a ✓/✗ list (HTML and plain text) and as
 * {@link Claim#MIME} JSON for the notebook runner.
 *
 * @param claims the checked claims, in the order the prose makes them
 */
public record Claims(List<Claim> claims) implements Displayable {
    public Claims {
        if (claims == null || claims.isEmpty()) {
            throw new IllegalArgumentException("claims: expected at least one claim, got " + (claims == null ? "null" : "none"));
        }
        for (int i = 0; i < claims.size(); i++) {
            if (claims.get(i) == null) {
                throw new IllegalArgumentException("claims[" + i + "]: expected a claim, got null");
            }
        }
        claims = List.copyOf(claims);
    }

    public static Claims of(Claim... claims) {
        return new Claims(claims == null ? null : java.util.Arrays.asList(claims));
    }

    /** Whether every claim holds. */
    public boolean allHold() {
        return claims.stream().allMatch(Claim::holds);
    }

    @Override
    public Map<String, Object> mimeBundle() {
        Map<String, Object> bundle = new LinkedHashMap<>();
        bundle.put("text/plain", toString());
        StringBuilder html = new StringBuilder("<ul class=\"latentvi-claims\" style=\"list-style:none;padding-left:0\">");
        for (Claim c : claims) {
            html.append("<li><span style=\"color:").append(c.holds() ? "#1a7f37\">✓" : "#cf222e\">✗").append("</span> ")
                    .append(TableHtml.escape(c.statement())).append(": <code>").append(TableHtml.escape(c.evidence()))
                    .append("</code></li>");
        }
        bundle.put("text/html", html.append("</ul>").toString());
        List<Object> json = new ArrayList<>();
        claims.forEach(c -> json.add(c.json()));
        bundle.put(Claim.MIME, Map.of("claims", json));
        return bundle;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        for (Claim c : claims) {
            s.append(s.length() == 0 ? "" : "\n").append(c);
        }
        return s.toString();
    }
}
