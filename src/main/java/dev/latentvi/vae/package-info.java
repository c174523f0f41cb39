/**
 * Variational autoencoders on SameDiff: {@code Vae} (Bernoulli or Gaussian decoder, IWAE
 * evaluation, latent-space tools, model files), {@code ConditionalVae} and their configuration
 * and graph densities.
 *
 * <p>May depend on: {@code internal}, {@code math}, {@code dist}, {@code nn}, {@code vi} (the
 * {@code LatentModel} interface and the bounds) and {@code notebook} for progress lines.
 */
package dev.latentvi.vae;
