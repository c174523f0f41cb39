package dev.latentvi.notebook;

import java.util.Locale;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/** A Tablesaw {@link Table} as an HTML table (at most {@link #MAX_ROWS} rows, then a count). */
public final class TableHtml {
    public static final int MAX_ROWS = 60;

    private TableHtml() {
    }

    public static String render(Table table) {
        if (table == null) {
            throw new IllegalArgumentException("table: expected a Tablesaw Table, got null");
        }
        StringBuilder html = new StringBuilder("<table class=\"dataframe latentvi-table\">\n");
        if (table.name() != null && !table.name().isBlank()) {
            html.append("<caption>").append(escape(table.name())).append("</caption>\n");
        }
        html.append("<thead><tr>");
        for (String name : table.columnNames()) {
            html.append("<th>").append(escape(name)).append("</th>");
        }
        html.append("</tr></thead>\n<tbody>\n");
        int shown = Math.min(table.rowCount(), MAX_ROWS);
        for (int r = 0; r < shown; r++) {
            html.append("<tr>");
            for (int c = 0; c < table.columnCount(); c++) {
                html.append("<td>").append(escape(cell(table.column(c), r))).append("</td>");
            }
            html.append("</tr>\n");
        }
        html.append("</tbody>\n</table>\n");
        if (shown < table.rowCount()) {
            html.append("<p>… ").append(table.rowCount() - shown).append(" more rows (").append(table.rowCount())
                    .append(" in all)</p>\n");
        }
        return html.toString();
    }

    /** Doubles to six significant digits (full precision stays in the table itself). */
    private static String cell(Column<?> column, int row) {
        if (column instanceof DoubleColumn d && !d.isMissing(row)) {
            double v = d.getDouble(row);
            return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.6g", v)
                    .replaceAll("(\\.\\d*?)0+(e|$)", "$1$2").replace(".e", "e").replaceAll("\\.$", "");
        }
        return column.getString(row);
    }

    /** {@code s} with the HTML/XML special characters escaped (text and attribute values). */
    public static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
