package dev.latentvi.nn;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * One dense layer's parameters: {@code act(x W + b)} with W {@code [in, out]} and b {@code [out]}.
 * Apply it to several inputs to share the weights (e.g. a decoder used for training and for
 * decoding given latents).
 */
public record Dense(SDVariable weight, SDVariable bias, Activation activation) {
    /** {@code act(x W + b)}: {@code [n, in]} to {@code [n, out]}. */
    public SDVariable apply(SDVariable x) {
        SameDiff sd = weight.getSameDiff();
        return activation.apply(sd, sd.nn.linear(x, weight, bias));
    }
}
