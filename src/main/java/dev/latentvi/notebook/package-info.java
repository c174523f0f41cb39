/**
 * The JJava kernel extension: renderers for figures, tables and {@code Displayable} objects
 * (plotly.js inline, no CDN), the default imports of a notebook, and the in-place
 * {@code Progress} line that long loops show (on standard error outside a notebook). JJava
 * classes are reached only through {@code KernelBridge}, so everything runs without a kernel.
 *
 * <p>May depend on: {@code plot} (figure bundles). The model packages use only its
 * {@code Progress}.
 */
package dev.latentvi.notebook;
