/**
 * Probability distributions, eagerly and in SameDiff graphs — the currency every other package
 * speaks. Eager ({@link dev.latentvi.dist.Distribution}, batches of n rows, DOUBLE arrays):
 * {@link dev.latentvi.dist.Normal} (diagonal), {@link dev.latentvi.dist.MultivariateNormal} (full
 * covariance), {@link dev.latentvi.dist.Bernoulli}, {@link dev.latentvi.dist.Categorical},
 * {@link dev.latentvi.dist.GaussianMixture} and {@link dev.latentvi.dist.GridDensity} (a 1-D
 * density tabulated on a grid), with the verbs sample / rsample / logProb / entropy / mean /
 * stddev and the one sample layout {@code [m, n, d]}. Graph twins
 * ({@link dev.latentvi.dist.GraphDistribution}: {@link dev.latentvi.dist.GraphNormal},
 * {@link dev.latentvi.dist.GraphBernoulli}) give the same verbs on SDVariables. One KL registry,
 * {@link dev.latentvi.dist.Kl}, serves both (closed forms and quadratures, Monte Carlo fallback).
 * Full-covariance Gaussians share one Cholesky factorization and log density (package-private
 * {@code GaussianFactor}).
 *
 * <p>Depends only on {@code dev.latentvi.math} and {@code dev.latentvi.internal} (and ND4J).
 */
package dev.latentvi.dist;
