package dev.latentvi.nn;

import static org.junit.jupiter.api.Assertions.*;

import dev.latentvi.math.Rng;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import tech.tablesaw.api.Table;

class TrainerTest {

    /** y = sin(3x) on [-1, 1]; a 1-32-32-1 tanh MLP with squared error. */
    private static Object[] regression(DataType type, Rng rng) {
        Network net = Network.create(type);
        SDVariable x = net.input("x", 1);
        SDVariable y = net.input("y", 1);
        SDVariable pred = Mlp.of(1, 32, 32, 1).hidden(Activation.TANH).build(net, "f", x, rng);
        SameDiff sd = net.sameDiff();
        SDVariable loss = sd.mean("loss", sd.math.square(pred.sub(y)));
        return new Object[] {net, pred, loss};
    }

    @Test
    void mlpFitsASmoothFunctionInDoubleAndFloat() {
        for (DataType type : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
            Rng rng = Rng.seeded(1);
            Object[] r = regression(type, rng);
            Network net = (Network) r[0];
            SDVariable pred = (SDVariable) r[1];
            INDArray x = rng.uniform(256, 1).muli(2).subi(1);
            INDArray y = Transforms.sin(x.mul(3));
            Trainer t = Trainer.of(net, (SDVariable) r[2], Adam.of(1e-2));
            Table h = t.fit(Map.of("x", x, "y", y), 60, 32, rng);
            assertEquals(60, h.rowCount());
            double first = h.doubleColumn("loss").get(0);
            double last = h.doubleColumn("loss").get(59);
            assertTrue(last < 0.02 && last < first / 10, type + ": loss " + first + " -> " + last);
            INDArray out = net.output(Map.of("x", x), pred.name());
            double mse = out.castTo(DataType.DOUBLE).sub(y).norm2Number().doubleValue();
            assertTrue(mse * mse / 256 < 0.03, "held mse " + mse);
            assertEquals(60 * 8, net.steps());
        }
    }

    @Test
    void firstAdamStepMovesEachParameterByTheLearningRateAgainstTheGradientSign() {
        Network net = Network.create(DataType.DOUBLE);
        SDVariable x = net.input("x", 2);
        SDVariable w = net.parameter("w", Nd4j.createFromArray(new double[][] {{1.0}, {-2.0}}));
        SameDiff sd = net.sameDiff();
        // loss = mean((x w)^2) with x = [1, 1] -> gradient 2 (w1 + w2) * [1, 1] = [-2, -2]
        SDVariable loss = sd.mean(sd.math.square(x.mmul(w)));
        Trainer t = Trainer.of(net, loss, Adam.of(0.1));
        double l = t.step(Map.of("x", Nd4j.createFromArray(new double[][] {{1, 1}, {1, 1}})), Rng.seeded(0));
        assertEquals(1.0, l, 1e-12);
        INDArray after = net.parameters().get("w");
        assertEquals(1.1, after.getDouble(0, 0), 1e-6);
        assertEquals(-1.9, after.getDouble(1, 0), 1e-6);
        // second step uses the newly committed parameters: loss = (1.1 - 1.9)^2
        assertEquals(0.64, t.step(Map.of("x", Nd4j.createFromArray(new double[][] {{1, 1}, {1, 1}})), Rng.seeded(0)), 1e-6);
        // and so does every later step (the graph never computes with a stale copy of the parameters)
        for (int k = 0; k < 6; k++) {
            INDArray p = net.parameters().get("w");
            double expected = Math.pow(p.getDouble(0, 0) + p.getDouble(1, 0), 2);
            assertEquals(expected, t.step(Map.of("x", Nd4j.createFromArray(new double[][] {{1, 1}, {1, 1}})), Rng.seeded(0)), 1e-9,
                    "step " + (k + 3));
        }
    }

    @Test
    void anInterruptedFitLeavesTheLastCompletedStep() {
        Rng rng = Rng.seeded(3);
        Object[] r = regression(DataType.FLOAT, rng);
        Network net = (Network) r[0];
        INDArray x = rng.uniform(64, 1);
        int[] calls = {0};
        Trainer t = Trainer.of(net, (SDVariable) r[2], Adam.of(1e-2)).extra((b, g) -> {
            if (++calls[0] == 5) {
                throw new ThreadDeath(); // what a stopped notebook cell delivers
            }
            return Map.of();
        });
        assertThrows(ThreadDeath.class, () -> t.fit(Map.of("x", x, "y", x), 3, 16, rng));
        assertEquals(4, net.steps());
        Map<String, INDArray> before = Map.copyOf(net.parameters());
        // the committed parameters are intact and usable; training continues from them
        INDArray out = net.output(Map.of("x", x), ((SDVariable) r[1]).name());
        assertFalse(out.isNaN().any());
        for (String name : net.parameterNames()) {
            assertSame(before.get(name), net.parameters().get(name));
        }
        Trainer t2 = Trainer.of(net, (SDVariable) r[2], Adam.of(1e-2));
        t2.fit(Map.of("x", x, "y", x), 1, 16, rng);
        assertEquals(8, net.steps());
        // 33 rows in batches of 16: the odd row joins the last batch (SameDiff cannot differentiate one row)
        INDArray x33 = rng.uniform(33, 1);
        t2.fit(Map.of("x", x33, "y", x33), 1, 16, rng);
        assertEquals(10, net.steps());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t2.step(Map.of("x", x33.getRow(0, true), "y", x33.getRow(0, true)), rng));
        assertTrue(e.getMessage().startsWith("batch"), e.getMessage());
    }

    @Test
    void buildingTheGradientGraphPrintsNothing() {
        Rng rng = Rng.seeded(6);
        Object[] r = regression(DataType.DOUBLE, rng);
        Trainer t = Trainer.of((Network) r[0], (SDVariable) r[2], Adam.of(1e-2));
        INDArray x = rng.uniform(8, 1);
        java.io.PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(captured, true));
        try {
            t.step(Map.of("x", x, "y", x), rng);   // the first step builds the gradient graph
        } finally {
            System.setOut(out);
        }
        assertEquals("", captured.toString());
        assertSame(out, System.out);
    }

    @Test
    void aSingleLeftoverRowJoinsThePreviousBatch() {
        Rng rng = Rng.seeded(4);
        Object[] r = regression(DataType.DOUBLE, rng);
        Network net = (Network) r[0];
        INDArray x = rng.uniform(7, 1);
        java.util.List<Long> sizes = new java.util.ArrayList<>();
        Trainer t = Trainer.of(net, (SDVariable) r[2], Adam.of(1e-2)).extra((b, g) -> {
            sizes.add(b);
            return Map.of();
        });
        t.fit(Map.of("x", x, "y", x), 2, 3, rng);   // 7 = 3 + 4, not 3 + 3 + 1
        assertEquals(java.util.List.of(3L, 4L, 3L, 4L), sizes);
        assertEquals(4, net.steps());
        sizes.clear();
        t.fit(Map.of("x", x, "y", x), 1, 2, rng);   // 7 = 2 + 2 + 3
        assertEquals(java.util.List.of(2L, 2L, 3L), sizes);
        sizes.clear();
        t.fit(Map.of("x", x, "y", x), 1, 4, rng);   // 7 = 4 + 3: a leftover of more than one row stays a batch
        assertEquals(java.util.List.of(4L, 3L), sizes);
    }

    @Test
    void gaussianHeadAndWriteReadRoundTripExactly() throws Exception {
        Rng rng = Rng.seeded(5);
        Network net = Network.create(DataType.FLOAT);
        SDVariable x = net.input("x", 3);
        SDVariable h = Mlp.of(3, 8).hidden(Activation.RELU).output(Activation.RELU).build(net, "enc", x, rng);
        GaussianHead head = GaussianHead.build(net, "q", h, 8, 2, rng);
        SDVariable sigma = head.sigma();
        INDArray in = rng.normal(5, 3);
        Map<String, INDArray> out = net.output(Map.of("x", in), head.mean().name(), sigma.name());
        assertArrayEquals(new long[] {5, 2}, out.get(head.mean().name()).shape());
        assertTrue(out.get(sigma.name()).minNumber().doubleValue() > 0);

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        net.write(new DataOutputStream(bytes));
        Network other = Network.create(DataType.FLOAT);
        SDVariable x2 = other.input("x", 3);
        SDVariable h2 = Mlp.of(3, 8).output(Activation.RELU).build(other, "enc", x2, Rng.seeded(99));
        GaussianHead head2 = GaussianHead.build(other, "q", h2, 8, 2, Rng.seeded(99));
        other.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        for (String name : net.parameterNames()) {
            assertEquals(net.parameters().get(name), other.parameters().get(name), name);
        }
        assertEquals(out.get(head.mean().name()), other.output(Map.of("x", in), head2.mean().name()));
    }

    @Test
    void badArgumentsNameTheArgument() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Mlp.of(3, 0));
        assertTrue(e.getMessage().startsWith("sizes[1]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Network.create(DataType.INT));
        assertTrue(e.getMessage().startsWith("dataType"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Adam.of(-1));
        assertTrue(e.getMessage().startsWith("learningRate"), e.getMessage());
        Object[] r = regression(DataType.DOUBLE, Rng.seeded(0));
        Trainer t = Trainer.of((Network) r[0], (SDVariable) r[2], Adam.of(1e-3));
        INDArray x = Nd4j.zeros(DataType.DOUBLE, 4, 1);
        e = assertThrows(IllegalArgumentException.class, () -> t.fit(Map.of("x", x, "y", x), 0, 2, Rng.seeded(0)));
        assertTrue(e.getMessage().startsWith("epochs"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> t.fit(Map.of("x", x, "y", Nd4j.zeros(DataType.DOUBLE, 3, 1)), 1, 2, Rng.seeded(0)));
        assertTrue(e.getMessage().startsWith("data"), e.getMessage());
    }

    /** A linear loss c · w of one parameter w [1, 2], so every Adam step moves each coordinate by exactly its step size. */
    private static Object[] linear() {
        Network net = Network.create(DataType.DOUBLE);
        SDVariable w = net.parameter("w", Nd4j.zeros(DataType.DOUBLE, 1, 2));
        SameDiff sd = net.sameDiff();
        SDVariable loss = w.mul(sd.constant(Nd4j.createFromArray(new double[][] {{2.0, -3.0}}))).sum();
        return new Object[] {net, loss};
    }

    @Test
    void fullBatchStepsFollowTheSchedule() {
        Object[] r = linear();
        Network net = (Network) r[0];
        java.util.List<Double> w0 = new java.util.ArrayList<>();
        Trainer t = Trainer.of(net, (SDVariable) r[1], Adam.of(123)).onStep((step, loss) -> w0.add(net.parameters().get("w").getDouble(0, 0)));
        Table h = t.fit(Fit.epochs(3).learningRate(0.1).schedule(Schedule.exponential(0.01)), Rng.seeded(0));
        assertEquals(3, h.rowCount());
        assertEquals(3, net.steps());
        // steps of 0.1, 0.01, 0.001 against the gradient sign (the Fit's rate replaces the optimizer's)
        assertEquals(-0.1, w0.get(0), 1e-6);
        assertEquals(-0.11, w0.get(1), 1e-6);
        assertEquals(-0.111, w0.get(2), 1e-6);
        assertEquals(0.111, net.parameters().get("w").getDouble(0, 1), 1e-6);
        assertEquals(0.0, h.doubleColumn("loss").get(0), 0.0);   // the loss before the first step
    }

    @Test
    void miniBatchFitDropsTheStepSizeWhereTheScheduleSays() {
        Network net = Network.create(DataType.DOUBLE);
        SDVariable x = net.input("x", 1);
        SDVariable w = net.parameter("w", Nd4j.zeros(DataType.DOUBLE, 1, 1));
        SDVariable loss = x.mul(w).mean();
        java.util.List<Double> path = new java.util.ArrayList<>();
        Trainer t = Trainer.of(net, loss, Adam.of(0.5)).onStep((step, l) -> path.add(net.parameters().get("w").getDouble(0, 0)));
        // 8 rows in batches of 4 for 5 epochs: 10 steps, the last 2 at a tenth
        t.fit(Map.of("x", Nd4j.ones(DataType.DOUBLE, 8, 1)), Fit.epochs(5).batchSize(4).learningRate(0.5).schedule(Schedule.dropAt(0.8, 0.1)),
                Rng.seeded(1));
        assertEquals(10, path.size());
        assertEquals(-4.0, path.get(7), 1e-6);
        assertEquals(-4.1, path.get(9), 1e-6);
    }

    @Test
    void gradientDescentStepsByTheRateTimesTheGradient() {
        Object[] r = linear();
        Network net = (Network) r[0];
        Trainer t = Trainer.of(net, (SDVariable) r[1], Sgd.of(0.5));
        t.fit(Fit.epochs(2).learningRate(0.5), Rng.seeded(0));
        assertEquals(-2.0, net.parameters().get("w").getDouble(0, 0), 1e-12);
        assertEquals(3.0, net.parameters().get("w").getDouble(0, 1), 1e-12);
        assertEquals(2, net.steps());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Sgd.of(0));
        assertTrue(e.getMessage().startsWith("learningRate"), e.getMessage());
    }
}
