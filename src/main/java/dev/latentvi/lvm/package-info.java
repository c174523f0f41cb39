/**
 * Latent-variable models beyond the linear-Gaussian one: the Gaussian mixture fitted by EM
 * ({@code GaussianMixtureEm}), the conditional mixture density network
 * ({@code MixtureDensityNetwork}), the nonlinear-Gaussian model with its exact evidence by
 * quadrature ({@code NonlinearGaussianModel}), probabilistic PCA ({@code Ppca}: the linear-Gaussian
 * model learned — closed-form maximum likelihood, the M-step from q's moments, variational EM with
 * exact, mean-field or amortized q, principal angles between subspaces), and the linear-Gaussian
 * state-space model with actions ({@code LinearGaussianSsm}: Kalman filter, RTS smoother, exact
 * log-likelihood, closed-form ELBO, mean-field coordinate ascent) with its Markov Gaussians over
 * state sequences ({@code GaussianTrajectory}) and an amortized encoder ({@code SsmEncoder}).
 *
 * <p>May depend on: {@code internal}, {@code math}, {@code dist}, {@code nn}, {@code vi} (the
 * {@code LatentModel} interface, {@code LinearGaussian} and the bounds) and {@code notebook} for progress lines; {@code vi} does not
 * depend on it.
 */
package dev.latentvi.lvm;
