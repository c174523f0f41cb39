package dev.latentvi.notebook;

import java.util.Map;

/**
 * A library object with its own notebook rendering: the kernel shows a cell value of this type
 * through {@link #mimeBundle()} (MIME type → data; a String, or a Map for JSON types).
 */
public interface Displayable {
    /** The outputs to show, e.g. {@code text/html} and {@code text/plain}. */
    Map<String, Object> mimeBundle();
}
