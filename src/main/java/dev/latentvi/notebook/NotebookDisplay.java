package dev.latentvi.notebook;

import java.util.UUID;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;

/** Display-id output in a running JJava kernel; only reached through {@link KernelBridge}. */
final class NotebookDisplay {
    private NotebookDisplay() {
    }

    static ProgressSink progressSinkIfAttached() {
        BaseKernel kernel;
        try {
            kernel = BaseKernel.notebookKernel();
        } catch (RuntimeException notInANotebook) { // JJava throws when no kernel is running
            return null;
        }
        if (kernel == null || !kernel.getIO().display.isAttached()) {
            return null;
        }
        return new ProgressSink() {
            private final String id = "latentvi-progress-" + UUID.randomUUID();

            @Override
            public void open(Progress.Line line) {
                kernel.getIO().display.display(data(line));
            }

            @Override
            public void update(Progress.Line line) {
                kernel.getIO().display.updateDisplay(id, data(line));
            }

            @Override
            public void finish(Progress.Line line) {
                update(line);
            }

            private DisplayData data(Progress.Line line) {
                DisplayData d = new DisplayData(line.text());
                d.putHTML(line.html());
                d.putTransientData("display_id", id); // setDisplayId differs in return type across JJava releases
                return d;
            }
        };
    }
}
