package dev.latentvi.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latentvi.plot.Plots;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.dflib.jjava.jupyter.Extension;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.Table;

class LatentviExtensionTest {
    @Test
    void registeredAsAJJavaExtensionService() {
        List<String> names = ServiceLoader.load(Extension.class).stream()
                .map(p -> p.type().getName()).collect(Collectors.toList());
        assertTrue(names.contains(LatentviExtension.class.getName()), names.toString());
    }

    @Test
    void figuresRenderAsPlotlyMimeAndHtmlThroughJJavasRenderer() {
        Renderer renderer = new Renderer();
        LatentviExtension.registerRenderers(renderer);
        DisplayData data = renderer.render(Plots.line("t", "x", "y", new double[] {0, 1}, new double[] {1, 0}));
        assertTrue(data.hasDataForType(MIMEType.parse(FigureBundle.PLOTLY_MIME)));
        assertTrue(((String) data.getData(MIMEType.TEXT_HTML)).contains("Plotly.newPlot"));
    }

    @Test
    void tablesRenderAsHtml() {
        Renderer renderer = new Renderer();
        LatentviExtension.registerRenderers(renderer);
        Table table = Table.create("moments", DoubleColumn.create("mean", 0.5, 1.25));
        String html = (String) renderer.render(table).getData(MIMEType.TEXT_HTML);
        assertTrue(html.contains("<caption>moments</caption>"), html);
        assertTrue(html.contains("<th>mean</th>"), html);
        assertTrue(html.contains("<td>1.25</td>"), html);
    }

    @Test
    void displayablesRenderTheirOwnBundle() {
        Renderer renderer = new Renderer();
        LatentviExtension.registerRenderers(renderer);
        Displayable value = () -> Map.of("text/html", "<b>ok</b>", "text/plain", "ok", "application/json", Map.of("score", 1));
        DisplayData data = renderer.render(value);
        assertEquals("<b>ok</b>", data.getData(MIMEType.TEXT_HTML));
        assertEquals(Map.of("score", 1), data.getData(MIMEType.APPLICATION_JSON));
    }

    @Test
    void defaultImportsCoverTheLibraryTablesawAndNd4j() {
        List<String> imports = DefaultImports.statements();
        assertTrue(imports.contains("import dev.latentvi.plot.*;"));
        assertTrue(imports.contains("import dev.latentvi.math.*;"));
        assertTrue(imports.contains("import tech.tablesaw.api.*;"));
        assertTrue(imports.contains("import org.nd4j.linalg.factory.Nd4j;"));
        assertEquals(imports.size(), imports.stream().distinct().count());
    }
}
