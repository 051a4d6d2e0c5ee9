package org.govind.analyst.notebook;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.BaseKernelBuilder;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.govind.core.Lang;

/**
 * The Jupyter kernel {@value #NAME}: jjava-jupyter's {@link BaseKernel} (ZeroMQ transport, message
 * signing, display data) around one {@link NotebookSession}. Each execute request is one cell: its
 * outputs but the last are published as display data, the last (the table) as the execute result; a
 * {@link CellError} becomes the error reply with its one-line message and no stack trace.
 *
 * <p>The session (a warm SparkSession over the warehouse) is built in the background while the
 * kernel already answers Jupyter, so {@code kernel_info} is answered at once; the first cell waits for it.
 */
public final class GovindKernel extends BaseKernel {
    /** The kernel spec's name, the one notebooks name in metadata.kernelspec. */
    public static final String NAME = "govind-sql";
    public static final String DISPLAY_NAME = "govind SQL (Spark)";
    public static final String LANGUAGE = "sql";

    private final CompletableFuture<NotebookSession> session;

    private GovindKernel(Builder b, CompletableFuture<NotebookSession> session) {
        super(b.name(), b.version(),
                new LanguageInfo(LANGUAGE, "Spark SQL", "text/x-sql", ".sql", "sql", "sql", "script"),
                List.of(), b.history(), b.io(), b.comms(), b.renderer(), null, b.magics(), false, b.errors());
        this.session = session;
    }

    /**
     * Runs the kernel on a Jupyter connection file until Jupyter shuts it down.
     *
     * @param sessions builds the session (called once, on a background thread)
     */
    public static void run(Path connectionFile, Supplier<NotebookSession> sessions) throws Exception {
        KernelConnectionProperties props = KernelConnectionProperties.parse(Files.readString(connectionFile, StandardCharsets.UTF_8));
        CompletableFuture<NotebookSession> session = CompletableFuture.supplyAsync(sessions);
        GovindKernel kernel = new Builder().build(session);
        JupyterConnection connection = new JupyterConnection(props);
        kernel.onStartup();
        kernel.becomeHandlerForConnection(connection);
        connection.connect();
        connection.waitUntilClose();
        session.thenAccept(NotebookSession::close);
    }

    @Override
    public Object evalRaw(String code) {
        NotebookSession s;
        try {
            s = session.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CellError("interrupted");
        } catch (ExecutionException e) {
            Throwable c = e.getCause() == null ? e : e.getCause();
            throw new CellError(Lang.t("内核无法打开仓库：", "the kernel could not open the warehouse: ") + c.getMessage());
        }
        List<Display> out = s.execute(code);
        if (out.isEmpty()) return null;
        for (int i = 0; i < out.size() - 1; i++) display(data(out.get(i)));
        return data(out.get(out.size() - 1));
    }

    /**
     * Leaves System.out and System.err alone: jjava would point them at the running cell, so Spark's
     * log lines (from any thread, e.g. the session still starting) would land in the notebook. Cells
     * show display data only; the kernel's own output goes to Jupyter's log.
     */
    @Override
    protected void replaceOutputStreams(org.dflib.jjava.jupyter.channels.ShellReplyEnvironment env) {
    }

    /** Interrupt (Jupyter's stop button, interrupt_mode message): cancels the running Spark jobs. */
    @Override
    public void interrupt() {
        NotebookSession s = session.getNow(null);
        if (s != null) s.cancel();
    }

    /** Display data as Jupyter sends it: each MIME type with its content (a JSON object stays an object). */
    static DisplayData data(Display d) {
        DisplayData dd = new DisplayData();
        for (Map.Entry<String, Object> e : d.data().entrySet()) dd.putData(e.getKey(), e.getValue());
        return dd;
    }

    /** One line, the message: the analyst's mistake or a refusal, not the kernel's stack. */
    @Override
    public List<String> formatError(Throwable e) {
        return List.of(e instanceof CellError ? e.getMessage() : e.getClass().getSimpleName() + ": " + e.getMessage());
    }

    @Override
    public DisplayData inspect(String code, int at, boolean extraDetail) {
        return null;
    }

    @Override
    public ReplacementOptions complete(String code, int at) {
        return null;
    }

    @Override
    public String isComplete(String code) {
        return IS_COMPLETE_MAYBE;
    }

    /** jjava's builder, for its defaults (IO, comms, renderer, error styler). */
    static final class Builder extends BaseKernelBuilder<Builder, GovindKernel> {
        Builder() {
            name(NAME);
            version("0.1.0");
        }

        GovindKernel build(CompletableFuture<NotebookSession> session) {
            return new GovindKernel(this, session);
        }

        @Override
        public GovindKernel build() {
            throw new UnsupportedOperationException("use build(session)");
        }

        String name() { return buildName(); }
        String version() { return buildVersion(); }
        org.dflib.jjava.jupyter.kernel.history.HistoryManager history() { return buildHistoryManager(); }
        org.dflib.jjava.jupyter.kernel.JupyterIO io() { return buildJupyterIO(buildJupyterIOEncoding()); }
        org.dflib.jjava.jupyter.kernel.comm.CommManager comms() { return buildCommManager(); }
        org.dflib.jjava.jupyter.kernel.display.Renderer renderer() { return buildRenderer(); }
        org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry magics() { return buildMagicsRegistry(); }
        org.dflib.jjava.jupyter.kernel.util.StringStyler errors() { return buildErrorStyler(); }
    }
}
