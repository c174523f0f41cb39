package dev.latentvi.notebook;

/** Where a {@link Progress} line is drawn: a notebook display when a kernel is running, else stderr. */
interface ProgressSink {
    void open(Progress.Line line);

    void update(Progress.Line line);

    void finish(Progress.Line line);

    static ProgressSink current() {
        ProgressSink notebook = KernelBridge.progressSink();
        return notebook != null ? notebook : new ConsoleSink();
    }

    /** Redraws one line on standard error with a carriage return. */
    final class ConsoleSink implements ProgressSink {
        @Override
        public void open(Progress.Line line) {
            System.err.print("\r" + line.text());
            System.err.flush();
        }

        @Override
        public void update(Progress.Line line) {
            open(line);
        }

        @Override
        public void finish(Progress.Line line) {
            System.err.print("\r" + line.text() + "\n");
            System.err.flush();
        }
    }
}
