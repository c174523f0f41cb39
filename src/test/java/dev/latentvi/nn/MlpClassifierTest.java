package dev.latentvi.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.latentvi.math.Rng;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import tech.tablesaw.api.Table;

class MlpClassifierTest {
    /** Three well-separated Gaussian blobs in 2-D, centres (±2, 0) and (0, 2.5), sd 0.5. */
    private static INDArray blobs(int n, int[] labels, Rng rng) {
        double[][] centres = {{-2, 0}, {2, 0}, {0, 2.5}};
        INDArray x = rng.normal(n, 2).muli(0.5);
        for (int i = 0; i < n; i++) {
            labels[i] = i % 3;
            x.putScalar(i, 0, x.getDouble(i, 0) + centres[labels[i]][0]);
            x.putScalar(i, 1, x.getDouble(i, 1) + centres[labels[i]][1]);
        }
        return x;
    }

    @Test
    void learnsSeparableClassesAndReportsAccuracy() {
        int[] trainLabels = new int[600], testLabels = new int[300];
        INDArray train = blobs(600, trainLabels, Rng.seeded(1)), test = blobs(300, testLabels, Rng.seeded(2));
        MlpClassifier c = MlpClassifier.builder().input(2).classes(3).hidden(16).build(Rng.seeded(3));
        Table history = c.fit(train, trainLabels, Fit.epochs(40).batchSize(64).learningRate(1e-2), Rng.seeded(4));
        double first = history.doubleColumn("loss").get(0), last = history.doubleColumn("loss").get(history.rowCount() - 1);
        assertTrue(last < first / 3, "cross-entropy fell: " + first + " -> " + last);
        assertTrue(first < Math.log(3) + 1.0, "starts near log 3 nats: " + first);
        assertTrue(c.accuracy(test, testLabels) > 0.97, "held-out accuracy " + c.accuracy(test, testLabels));
        int[] predicted = c.predict(test);
        int hits0 = 0, zeros = 0;
        for (int i = 0; i < predicted.length; i++) {
            zeros += testLabels[i] == 0 ? 1 : 0;
            hits0 += testLabels[i] == 0 && predicted[i] == 0 ? 1 : 0;
        }
        assertEquals(300, predicted.length);
        INDArray onlyZeros = test.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 3, 300), org.nd4j.linalg.indexing.NDArrayIndex.all());
        assertEquals((double) hits0 / zeros, c.fractionClassifiedAs(onlyZeros, 0), 1e-12);
    }

    @Test
    void badInputIsNamed() {
        MlpClassifier c = MlpClassifier.builder().input(2).classes(3).hidden(4).build(Rng.seeded(5));
        INDArray x = Rng.seeded(6).normal(4, 2);
        Fit fit = Fit.epochs(1).batchSize(4).learningRate(1e-2);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> c.fit(x, new int[] {0, 1, 2}, fit, Rng.seeded(7)))
                .getMessage().startsWith("labels: expected 4 labels"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> c.fit(x, new int[] {0, 1, 3, 0}, fit, Rng.seeded(7)))
                .getMessage().startsWith("labels[2]: expected a class in [0, 2], got 3"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MlpClassifier.builder().classes(1))
                .getMessage().startsWith("classes:"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> c.fractionClassifiedAs(x, 3)).getMessage().startsWith("label"));
    }

    @Test
    void theHandWrittenStepMatchesSameDiffsGradients() {
        int[] labels = new int[40];
        INDArray x = blobs(40, labels, Rng.seeded(8));
        MlpClassifier fast = MlpClassifier.builder().input(2).classes(3).hidden(8, 5).build(Rng.seeded(9));
        System.setProperty("latentvi.denseKernel", "false");
        MlpClassifier reference;
        try {
            reference = MlpClassifier.builder().input(2).classes(3).hidden(8, 5).build(Rng.seeded(9));
        } finally {
            System.clearProperty("latentvi.denseKernel");
        }
        Fit fit = Fit.epochs(3).batchSize(10).learningRate(1e-2);
        Table a = fast.fit(x, labels, fit, Rng.seeded(10)), b = reference.fit(x, labels, fit, Rng.seeded(10));
        for (int e = 0; e < 3; e++) {
            assertEquals(b.doubleColumn("loss").get(e), a.doubleColumn("loss").get(e), 1e-4, "epoch " + e);
        }
        INDArray probe = Rng.seeded(11).normal(7, 2);
        assertEquals(java.util.Arrays.toString(reference.predict(probe)), java.util.Arrays.toString(fast.predict(probe)));
    }
}
