package dev.latentvi.notebook;

import java.util.LinkedHashMap;
import java.util.Map;
import org.dflib.jjava.jupyter.Extension;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.RenderContext;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import tech.tablesaw.api.Table;
import tech.tablesaw.plotly.components.Figure;

/**
 * The JJava extension (registered in META-INF/services, loaded from the kernel's classpath):
 * renders figures, tables and {@link Displayable} library objects, adds the default imports, and
 * keeps notebook code from ending the kernel ({@link ExitGuard}).
 */
public final class LatentviExtension implements Extension {
    private static final MIMEType PLOTLY = MIMEType.parse(FigureBundle.PLOTLY_MIME);

    @Override
    public void install(BaseKernel kernel) {
        ExitGuard.install();
        registerRenderers(kernel.getRenderer());
        for (String statement : DefaultImports.statements()) {
            kernel.eval(statement);
        }
    }

    /** Figures → Plotly JSON + HTML + text; tables → HTML + text; {@link Displayable}s → their own bundle. */
    static void registerRenderers(Renderer renderer) {
        FigureBundle figures = new FigureBundle();
        renderer.createRegistration(Figure.class)
                .preferring(PLOTLY, MIMEType.TEXT_HTML, MIMEType.TEXT_PLAIN)
                .register((figure, context) -> put(context, figures.render(figure)));
        renderer.createRegistration(Table.class)
                .preferring(MIMEType.TEXT_HTML, MIMEType.TEXT_PLAIN)
                .register((table, context) -> put(context, tableBundle(table)));
        renderer.createRegistration(Displayable.class)
                .preferring(MIMEType.TEXT_HTML, MIMEType.TEXT_PLAIN)
                .register((value, context) -> put(context, value.mimeBundle()));
    }

    /** HTML first, then text: an ordered bundle, so outputs come out the same on every run. */
    private static Map<String, Object> tableBundle(Table table) {
        Map<String, Object> bundle = new LinkedHashMap<>();
        bundle.put("text/html", TableHtml.render(table));
        bundle.put("text/plain", table.print(TableHtml.MAX_ROWS));
        return bundle;
    }

    private static void put(RenderContext context, Map<String, Object> bundle) {
        DisplayData out = context.getOutputContainer();
        bundle.forEach((mime, data) -> out.putData(mime, data));
    }
}
