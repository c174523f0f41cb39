package dev.latentvi.nn;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/** Element-wise activations for {@link Mlp} layers. */
public enum Activation {
    IDENTITY, RELU, TANH, SIGMOID, SOFTPLUS, ELU;

    /** Applies this activation to {@code x} (any shape) inside {@code sd}. */
    public SDVariable apply(SameDiff sd, SDVariable x) {
        return switch (this) {
            case IDENTITY -> x;
            case RELU -> sd.nn.relu(x, 0.0);
            case TANH -> sd.nn.tanh(x);
            case SIGMOID -> sd.nn.sigmoid(x);
            case SOFTPLUS -> sd.nn.softplus(x);
            case ELU -> sd.nn.elu(x);
        };
    }
}
