package dev.latentvi.notebook;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

class TableHtmlTest {
    @Test
    void escapesTextAndRoundsLongDecimals() {
        Table t = Table.create("t", StringColumn.create("name", "<b>a & b</b>"), DoubleColumn.create("value", 0.1234567891234));
        String html = TableHtml.render(t);
        assertTrue(html.contains("<td>&lt;b&gt;a &amp; b&lt;/b&gt;</td>"), html);
        assertTrue(html.contains("<td>0.123457</td>"), html);
    }

    @Test
    void longTablesAreTruncatedWithACount() {
        double[] v = new double[100];
        Table t = Table.create("long", DoubleColumn.create("v", v));
        String html = TableHtml.render(t);
        assertTrue(html.contains("40 more rows (100 in all)"), html);
    }
}
