/**
 * Distributions, eagerly and in SameDiff graphs: {@code Distribution} and its batches
 * ({@code Normal} with diagonal covariance, {@code Bernoulli}, {@code Categorical},
 * {@code GaussianMixture}), their graph twins ({@code GraphDistribution}: {@code GraphNormal},
 * {@code GraphBernoulli}) with the same verbs (sample / rsample / logProb / entropy), and one KL
 * registry ({@code Kl}) of analytic pairs, with a Monte Carlo fallback, serving both.
 *
 * <p>May depend on: {@code internal}, {@code math}.
 */
package dev.latentvi.dist;
