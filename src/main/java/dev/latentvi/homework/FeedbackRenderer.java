package dev.latentvi.homework;

import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;

/** The JJava side of {@link FeedbackDisplay}; loaded only when JJava is on the classpath. */
final class FeedbackRenderer {
    private static final Set<Renderer> REGISTERED = Collections.newSetFromMap(new WeakHashMap<>());

    private FeedbackRenderer() {
    }

    static synchronized void registerIfInKernel() {
        BaseKernel kernel = BaseKernel.notebookKernel();   // throws or is null outside a kernel
        if (kernel == null || !REGISTERED.add(kernel.getRenderer())) {
            return;
        }
        kernel.getRenderer().createRegistration(Feedback.class)
                .preferring(MIMEType.TEXT_HTML, MIMEType.TEXT_PLAIN)
                .register((feedback, context) -> {
                    DisplayData out = context.getOutputContainer();
                    out.putData("text/html", feedback.html());
                    out.putData("text/plain", feedback.text());
                    out.putData(Feedback.MIME, feedback.summary());
                });
    }
}
