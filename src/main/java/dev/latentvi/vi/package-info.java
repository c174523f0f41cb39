/**
 * Variational inference: the {@code LatentModel} interface and the linear-Gaussian model with its
 * exact posterior, evidence lower bounds and their estimators ({@code Elbo}, {@code Bounds},
 * {@code Decomposition}, {@code ElboSurface}), per-point and amortized VI ({@code PointwiseVi},
 * {@code AmortizedVi}, {@code AmortizationGap}), grid posteriors for one-dimensional latents, and
 * gradient estimators of E_q[r(z)] — score function and reparameterization for a {@code Normal},
 * score function and Gumbel-softmax for discrete latents — with their variance study.
 *
 * <p>May depend on: {@code internal}, {@code math}, {@code dist}, {@code nn}, and {@code notebook}
 * for progress lines. Never on {@code lvm}, {@code vae} or {@code rl}.
 */
package dev.latentvi.vi;
