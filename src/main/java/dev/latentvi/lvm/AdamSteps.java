package dev.latentvi.lvm;

import dev.latentvi.math.Check;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Adam (β1 = 0.9, β2 = 0.999, ε = 1e-8) on the trainable variables of one SameDiff graph,
 * updating their arrays in place. The gradient function is built once, on the first step.
 * Package-private: the small training loop behind {@link MixtureDensityNetwork}.
 */
final class AdamSteps {
    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPS = 1e-8;

    private final SameDiff sd;
    private final SDVariable loss;
    private final List<String> params;
    private final double learningRate;
    private final Map<String, INDArray> m = new LinkedHashMap<>();
    private final Map<String, INDArray> v = new LinkedHashMap<>();
    private long t;

    AdamSteps(SameDiff sd, SDVariable loss, List<String> params, double learningRate) {
        Check.positive("learningRate", learningRate);
        this.sd = sd;
        this.loss = loss;
        this.params = List.copyOf(params);
        this.learningRate = learningRate;
        sd.setLossVariables(loss);
        SmallOps.quietly(sd::createGradFunction);        // once per model, without SameDiff's per-op printout
        for (String p : params) {
            INDArray a = sd.getArrForVarName(p);
            m.put(p, a.ulike().assign(0));
            v.put(p, a.ulike().assign(0));
        }
    }

    /** One step on the placeholder values {@code batch}; returns the loss before the step. */
    double step(Map<String, INDArray> batch) {
        OutAndGrad og = sd.calculateGradientsAndOutputs(batch, List.of(loss.name()), params);
        double value = og.getOutputs().get(loss.name()).getDouble(0);
        if (!Double.isFinite(value)) {
            throw new IllegalStateException("loss: became " + value + " at step " + (t + 1) + "; try a smaller learning rate");
        }
        t++;
        double c1 = 1 - Math.pow(BETA1, t);
        double c2 = 1 - Math.pow(BETA2, t);
        for (String p : params) {
            INDArray g = og.getGradients().get(p);
            INDArray mp = m.get(p).muli(BETA1).addi(g.mul(1 - BETA1));
            INDArray vp = v.get(p).muli(BETA2).addi(g.mul(g).muli(1 - BETA2));
            INDArray update = mp.div(c1).divi(Transforms.sqrt(vp.div(c2), false).addi(EPS)).muli(learningRate);
            sd.getArrForVarName(p).subi(update);
        }
        return value;
    }

    /** Steps taken. */
    long steps() {
        return t;
    }
}
