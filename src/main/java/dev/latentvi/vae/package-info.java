/**
 * Variational autoencoders as {@code vi.LatentModel}s: {@code Vae} (q(z | x) = {@code encoder(x)},
 * a {@code dist.Normal}; p(x | z) = {@code decoder(z)}, a {@code dist.Bernoulli} or {@code dist.Normal};
 * the prior N(0, I)) and {@code ConditionalVae}, whose {@code given(c)} is the LatentModel for a fixed
 * condition. Both train through {@code vi.Bound.analyticKl}'s graph form (β on the KL term) and
 * estimate through {@code vi.Bound} ({@code elbo}, the IWAE {@code logEvidence}); {@code VaeConfig}
 * is their architecture and settings.
 *
 * <p>Inside, one job per class: {@code VaeGraph} builds the networks and the training loss in one
 * SameDiff graph, {@code Decoder} applies the decoder in that graph or any other,
 * {@code Condition} is what a conditional VAE adds (condition columns; nothing for a plain VAE),
 * {@code Inference} evaluates eagerly over bounded chunks of rows, {@code VaeFile} is the model file
 * (magic, version, atomic save), {@code LatentGrid} the latent grids of decoded manifolds.
 *
 * <p>May depend on: {@code internal}, {@code math}, {@code dist}, {@code nn}, {@code vi}, and
 * {@code notebook} through {@code nn}'s progress line. Used by {@code rl} and {@code homework}.
 */
package dev.latentvi.vae;
