package dev.latentvi.vae;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What the encoder and the decoder see besides x and z, inside a graph: nothing for a {@link Vae},
 * condition columns c {@code [n, C]} (or one row {@code [1, C]} for every point) for a
 * {@link ConditionalVae}.
 */
sealed interface Condition {

    /** The encoder's input: x {@code [n, D]} → {@code [n, D + C]}. */
    SDVariable encoderInput(SDVariable x);

    /**
     * The decoder's input: z {@code [.., n, L]} → {@code [.., n, L + C]}, c repeated along the leading
     * sample axis; {@code leading} is z's runtime shape without its last axis.
     */
    SDVariable decoderInput(SDVariable z, SDVariable leading);

    /** A plain VAE: the networks see x and z only. */
    record None() implements Condition {
        @Override
        public SDVariable encoderInput(SDVariable x) {
            return x;
        }

        @Override
        public SDVariable decoderInput(SDVariable z, SDVariable leading) {
            return z;
        }
    }

    /** Condition columns {@code c [n, C]} (or {@code [1, C]}) of width {@code width}, appended to x and to z. */
    record Columns(SDVariable c, long width) implements Condition {
        @Override
        public SDVariable encoderInput(SDVariable x) {
            return x.getSameDiff().concat(1, x, c);
        }

        @Override
        public SDVariable decoderInput(SDVariable z, SDVariable leading) {
            SameDiff sd = z.getSameDiff();
            SDVariable shape = sd.concat(0, leading, sd.constant(Nd4j.createFromArray(width).castTo(leading.dataType())));
            SDVariable repeated = c.add(sd.fill(shape, c.dataType(), 0.0));           // [.., n, C]
            return sd.concat(-1, z, repeated);
        }
    }
}
