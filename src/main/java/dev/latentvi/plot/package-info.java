/**
 * One facade over Tablesaw and Plotly: {@code Plots} (the course's charts) and the fluent
 * {@code Chart} builder, figures given as Plotly JSON ({@code JsonFigure}, {@code JsonTrace}) and
 * the conversion of any figure to its JSON spec ({@code PlotlyJson}).
 *
 * <p>May depend on: {@code math} and {@code dist} (charts of arrays and distributions); no model
 * package. Used by {@code notebook} and by notebooks directly.
 */
package dev.latentvi.plot;
