/**
 * Latent-variable models beyond the linear-Gaussian one: the Gaussian mixture fitted by EM
 * ({@code GaussianMixtureEm}), the conditional mixture density network
 * ({@code MixtureDensityNetwork}) and the nonlinear-Gaussian model with its exact evidence by
 * quadrature ({@code NonlinearGaussianModel}).
 *
 * <p>May depend on: {@code internal}, {@code math}, {@code dist}, {@code nn}, {@code vi} (the
 * {@code LatentModel} interface) and {@code notebook} for progress lines; {@code vi} does not
 * depend on it.
 */
package dev.latentvi.lvm;
