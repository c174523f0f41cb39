package dev.latentvi.vi;

import dev.latentvi.internal.GraphOps;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Row-wise value and gradient of a graph r(z); built once, reused for every call. */
final class GraphGradient {
    private final SameDiff sd = SameDiff.create();

    GraphGradient(int dim, BiFunction<SameDiff, SDVariable, SDVariable> graph) {
        SDVariable z = sd.placeHolder("z", DataType.DOUBLE, -1, dim);
        // SameDiff differentiates only when a trainable variable exists: a zero shift provides one
        SDVariable shift = sd.var("shift", Nd4j.zeros(DataType.DOUBLE, 1, dim));
        SDVariable r = graph.apply(sd, z.add(shift));
        sd.identity("r", r.reshape(-1));
        r.sum("total");
        sd.setLossVariables("total");
        GraphOps.createGradFunctionQuietly(sd, "z");
    }

    synchronized INDArray value(INDArray z) {
        return sd.output(Map.of("z", z), "r").get("r").dup();
    }

    synchronized INDArray gradient(INDArray z) {
        Map<String, INDArray> ph = new HashMap<>();
        ph.put("z", z);
        return sd.calculateGradients(ph, List.of("z")).get("z").dup();
    }
}
