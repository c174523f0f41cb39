/**
 * Representation learning for RL: a tiny pixel environment ({@code GridWorld}), a replay buffer
 * of a random policy, state features (raw pixels or a VAE's latent code) and fitted Q-iteration
 * with a linear Q-function on them.
 *
 * <p>May depend on every package below it: {@code internal}, {@code math}, {@code dist},
 * {@code nn}, {@code vi}, {@code vae}, {@code data}, and {@code notebook} for progress lines.
 */
package dev.latentvi.rl;
