/**
 * Stable numerics and the shared small types: log-space helpers ({@code LogMath}: logSumExp,
 * softplus, log1mexp, Gaussian log densities; logSumExp and softplus also in graphs), seeded random streams
 * ({@code Rng}), Monte Carlo estimates with standard errors ({@code Estimate}, {@code Estimates}),
 * evenly spaced grids ({@code Grid}) and argument checks whose messages name the argument, the
 * expected and the actual value ({@code Check}).
 *
 * <p>May depend on: {@code internal}. Every other package may use it.
 */
package dev.latentvi.math;
