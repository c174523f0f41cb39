/**
 * The JJava kernel extension and notebook plumbing: {@link dev.latentvi.notebook.LatentviExtension}
 * (loaded by the kernel through META-INF/services) renders figures as Plotly JSON plus
 * self-contained HTML ({@link dev.latentvi.notebook.FigureBundle}, plotly.js inline once per
 * session, never from a CDN), tables as HTML, {@link dev.latentvi.notebook.Displayable} objects
 * as their own MIME bundle, and adds the {@link dev.latentvi.notebook.DefaultImports};
 * {@link dev.latentvi.notebook.Progress} is the one in-place progress line of long loops, and
 * {@link dev.latentvi.notebook.ExitGuard} keeps notebook code from ending the kernel (System.exit throws);
 * {@link dev.latentvi.notebook.Claim} and {@link dev.latentvi.notebook.Claims} check the prose's
 * quantitative statements against the computed numbers (✓/✗, and JSON the notebook runner fails on).
 *
 * <p>Depends on: {@code plot} (Plotly JSON of figures), {@code math} ({@code Estimate} in claims), Tablesaw, Jackson, and JJava as a
 * provided dependency, touched only through {@code KernelBridge} after checking it is present,
 * so everything here also runs in plain Java and in tests. Other packages use only
 * {@link dev.latentvi.notebook.Progress} (the training loops) and
 * {@link dev.latentvi.notebook.Displayable} (homework feedback) from here; nothing here imports them.
 */
package dev.latentvi.notebook;
