/**
 * Small SameDiff building blocks: a {@code Network} whose parameters change only by a committed
 * step, layers ({@code Mlp}, {@code Dense}, {@code GaussianHead}, {@code Activation}), one
 * {@code Trainer} (mini-batch Adam with live progress; the thread policy of {@code internal.SmallOps}
 * is applied there, once for every training loop), its named configuration ({@code Fit},
 * {@code Schedule}, {@code Adam}), the squared-error {@code MlpRegressor} and the softmax
 * {@code MlpClassifier}.
 *
 * <p>May depend on: {@code internal}, {@code math}, {@code dist}, and {@code notebook} for the
 * progress line only. Used by {@code lvm}, {@code vi}, {@code vae} and {@code rl}.
 */
package dev.latentvi.nn;
