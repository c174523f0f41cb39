package dev.latentvi.math;

import static dev.latentvi.math.LogMathTest.assertClose;

import dev.latentvi.internal.GraphOps;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

class GraphLogSumExpTest {

    @Test
    void graphLogSumExpEqualsEagerAndItsGradientIsTheSoftmax() {
        INDArray logits = Rng.seeded(1).normal(4, 3).muli(30);             // large values: needs the max shift
        SameDiff sd = SameDiff.create();
        SDVariable w = sd.var("w", logits.dup());
        SDVariable lse = LogMath.logSumExp(sd, w, 1);                        // [4]
        SDVariable loss = lse.sum();
        sd.setLossVariables(loss);
        assertClose(LogMath.logSumExp(logits, 1), lse.eval(), 1e-12);
        INDArray grad = sd.calculateGradients(Map.of(), List.of("w")).get("w");
        INDArray softmax = Transforms.exp(logits.subColumnVector(LogMath.logSumExp(logits, 1, true)), true);
        assertClose(softmax, grad, 1e-12);
    }

    @Test
    void graphLogSumExpOverOneClassIsTheIdentityWithGradientOne() {
        INDArray logits = Rng.seeded(2).normal(5, 1);
        SameDiff sd = SameDiff.create();
        SDVariable w = sd.var("w", logits.dup());
        SDVariable lse = LogMath.logSumExp(sd, w, 1);                        // [5]
        sd.setLossVariables(lse.sum());
        assertClose(logits.reshape(5), lse.eval(), 1e-12);
        GraphOps.createGradFunctionQuietly(sd);
        assertClose(org.nd4j.linalg.factory.Nd4j.ones(DataType.DOUBLE, 5, 1), sd.calculateGradients(Map.of(), List.of("w")).get("w"), 1e-12);
    }

    @Test
    void graphSoftplusIsOverflowFreeAndItsGradientIsTheSigmoidAlsoAtZero() {
        INDArray x = org.nd4j.linalg.factory.Nd4j.createFromArray(new double[][] {{-800.0, -3.0, 0.0}, {0.5, 40.0, 800.0}});
        SameDiff sd = SameDiff.create();
        SDVariable w = sd.var("w", x.dup());
        SDVariable sp = LogMath.softplus(sd, w);
        sd.setLossVariables(sp.sum());
        assertClose(LogMath.softplus(x), sp.eval(), 1e-12);
        GraphOps.createGradFunctionQuietly(sd);
        assertClose(Transforms.sigmoid(x, true), sd.calculateGradients(Map.of(), List.of("w")).get("w"), 1e-12);
    }

    @Test
    void gridPointsAndMatrixAreInverseLayouts() {
        double[] xs = Grid.linspace(0, 1, 3);
        double[] ys = Grid.linspace(-1, 1, 2);
        Grid grid = Grid.of(xs, ys);
        INDArray p = grid.points();
        assertClose(org.nd4j.linalg.factory.Nd4j.createFromArray(new double[][] {{0, -1}, {0.5, -1}, {1, -1}, {0, 1}, {0.5, 1}, {1, 1}}), p, 0);
        double[][] z = grid.matrix(p.getColumn(0).add(p.getColumn(1).mul(10)));
        org.junit.jupiter.api.Assertions.assertEquals(0.5 + 10, z[1][1], 0);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> Grid.linspace(1, 0, 3));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Grid.of(new double[] {0, 1}, new double[] {0, 1, 2}).matrix(org.nd4j.linalg.factory.Nd4j.zeros(DataType.DOUBLE, 5)));
    }
}
