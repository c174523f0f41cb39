/**
 * Figures: one facade over Tablesaw's {@code Figure} and Plotly JSON. {@link dev.latentvi.plot.Plots}
 * has the one-call plots of the course; {@link dev.latentvi.plot.Chart} builds any figure from named
 * layers that take what the library computes as it is — {@code double[]}, INDArray vectors and
 * points {@code [n, 2]}, numeric Tablesaw columns, a one-dimensional
 * {@link dev.latentvi.dist.Distribution} (drawn as its density exp logProb), a 2-D
 * {@link dev.latentvi.math.Grid} with a distribution or values. Several named curves come as an
 * ordered {@link dev.latentvi.plot.Series}, labelled points as {@link dev.latentvi.plot.Groups}.
 * Determinism: traces appear in call order and take their colours in that order, so the same
 * calls give byte-identical JSON on every run. {@link dev.latentvi.plot.PlotlyJson} reads any
 * Tablesaw figure back as the Plotly spec that notebooks display. {@link dev.latentvi.plot.Plots#explore}
 * makes an explorable figure: one Plotly animation frame per value of a parameter, with a slider
 * and play / pause buttons, that works offline in JupyterLab and in every export.
 *
 * <p>Depends on: {@code math} (Grid), {@code dist} (the Distribution interface only), ND4J,
 * Tablesaw (jsplot) and Jackson. Nothing else in the library depends on it except
 * {@code notebook} (which renders its figures); it never imports the model packages
 * (lvm, vi, nn, vae, rl).
 */
package dev.latentvi.plot;
