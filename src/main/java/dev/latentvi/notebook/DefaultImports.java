package dev.latentvi.notebook;

import java.util.ArrayList;
import java.util.List;

/** The imports a latentvi notebook starts with, so its first cell can be real content. */
public final class DefaultImports {
    private static final String[] LIBRARY_PACKAGES = {
        "math", "dist", "lvm", "vi", "nn", "vae", "rl", "data", "plot", "notebook", "homework"};
    private static final String[] OTHERS = {
        "import java.util.*;",
        "import java.util.stream.*;",
        "import tech.tablesaw.api.*;",
        "import tech.tablesaw.plotly.components.Figure;",
        "import org.nd4j.linalg.api.ndarray.INDArray;",
        "import org.nd4j.linalg.api.buffer.DataType;",
        "import org.nd4j.linalg.factory.Nd4j;",
        "import org.nd4j.linalg.ops.transforms.Transforms;",
    };

    private DefaultImports() {
    }

    /** Import statements for every library package present on the classpath, then Tablesaw, ND4J, java.util. */
    public static List<String> statements() {
        List<String> out = new ArrayList<>();
        ClassLoader loader = DefaultImports.class.getClassLoader();
        for (String p : LIBRARY_PACKAGES) {
            if (loader.getResource("dev/latentvi/" + p) != null) {
                out.add("import dev.latentvi." + p + ".*;");
            }
        }
        out.addAll(List.of(OTHERS));
        return out;
    }
}
