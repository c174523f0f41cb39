package dev.latentvi.vae;

import dev.latentvi.math.Check;
import dev.latentvi.math.Rng;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.UnaryOperator;
import java.util.zip.CRC32;

/**
 * The model file of a {@link Vae} or {@link ConditionalVae}, format {@value #FORMAT}:
 * <pre>
 *   8 bytes  magic "LVIVAE\r\n"
 *   int      format version ({@value #FORMAT})
 *   long     body length B (must equal the file size − 24)
 *   B bytes  body: the {@link VaeConfig} (bounded: at most {@value #MAX_HIDDEN} hidden layers, widths
 *            at most {@value #MAX_WIDTH}), then the network's step count, parameters and Adam
 *            moments ({@link dev.latentvi.nn.Network#write})
 *   int      CRC32 of the body
 * </pre>
 * Loading checks the magic, version, length and checksum, then every field of the body against the
 * architecture it describes before allocating anything: a truncated, damaged or foreign file is an
 * {@link IOException} naming the file and what is wrong. Saving is exact and atomic: written to a
 * temporary file in the same folder, flushed to disk, then moved into place, so an interrupted save
 * leaves the previous file as it was.
 */
final class VaeFile {
    static final byte[] MAGIC = {'L', 'V', 'I', 'V', 'A', 'E', '\r', '\n'};
    static final int FORMAT = 2;
    /** How format 1 files began: writeUTF("latentvi-vae"). */
    static final byte[] FORMAT_1_MAGIC = {0, 12, 'l', 'a', 't', 'e', 'n', 't', 'v', 'i', '-', 'v', 'a', 'e'};
    static final int MAX_HIDDEN = 64;
    static final int MAX_WIDTH = 1 << 20;
    /** Bytes around the body: magic, version, length, checksum. */
    static final int OVERHEAD = 8 + 4 + 8 + 4;

    private VaeFile() {
    }

    /** Writes {@code graph} to {@code path} atomically (a crash never leaves a half-written model). */
    static void save(VaeGraph graph, Path path) throws IOException {
        save(graph, path, UnaryOperator.identity());
    }

    /** {@link #save}, writing through {@code wrap} (tests use it to fail a save halfway). */
    static void save(VaeGraph graph, Path path, UnaryOperator<OutputStream> wrap) throws IOException {
        Check.notNull("path", path);
        Path abs = path.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("path: expected a file in an existing folder, got " + path);
        }
        byte[] file = encode(graph);
        Path tmp = Files.createTempFile(dir, "." + abs.getFileName(), ".tmp");
        try {
            try (FileOutputStream fos = new FileOutputStream(tmp.toFile()); OutputStream out = wrap.apply(fos)) {
                out.write(file);
                out.flush();
                fos.getFD().sync();
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The whole file's bytes for {@code graph}. */
    static byte[] encode(VaeGraph graph) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(body)) {
            writeConfig(out, graph.config());
            graph.network().write(out);
        }
        byte[] b = body.toByteArray();
        ByteBuffer file = ByteBuffer.allocate(OVERHEAD + b.length);
        file.put(MAGIC).putInt(FORMAT).putLong(b.length).put(b).putInt(crc(b, 0, b.length));
        return file.array();
    }

    /**
     * Reads a model written by {@link #save}; {@code conditional} says which kind the caller expects
     * (a file of the other kind is an {@link IllegalArgumentException} naming the right loader).
     */
    static VaeGraph load(Path path, boolean conditional) throws IOException {
        Check.notNull("path", path);
        if (!Files.isRegularFile(path)) {
            throw new NoSuchFileException(path.toString(), null, "no saved VAE at this path");
        }
        long size = Files.size(path);
        if (size > Integer.MAX_VALUE - 64) {
            throw corrupt(path, "expected a latentvi VAE file (at most 2 GB), got " + size + " bytes");
        }
        return decode(Files.readAllBytes(path), path, conditional);
    }

    /** Parses the bytes of a file (named {@code path} in messages). */
    static VaeGraph decode(byte[] file, Path path, boolean conditional) throws IOException {
        if (startsWith(file, FORMAT_1_MAGIC)) {
            throw corrupt(path, "a model file of format 1 (an older latentvi); this version reads format " + FORMAT
                    + ": load it with the older version and save it again, or retrain");
        }
        if (file.length < MAGIC.length || !java.util.Arrays.equals(java.util.Arrays.copyOf(file, MAGIC.length), MAGIC)) {
            throw corrupt(path, "expected a latentvi VAE file (magic \"LVIVAE\"), got " + file.length
                    + " bytes that do not start with it");
        }
        if (file.length < OVERHEAD) {
            throw corrupt(path, "truncated: expected at least " + OVERHEAD + " bytes, got " + file.length);
        }
        ByteBuffer buf = ByteBuffer.wrap(file);
        buf.position(MAGIC.length);
        int format = buf.getInt();
        if (format != FORMAT) {
            throw corrupt(path, "expected format version " + FORMAT + ", got " + format
                    + (format == 1 ? " (an older file: save the model again with this version)" : ""));
        }
        long length = buf.getLong();
        long expected = file.length - (long) OVERHEAD;
        if (length != expected) {
            throw corrupt(path, (length > expected ? "truncated" : "damaged") + ": the header says the body has " + length
                    + " bytes, the file holds " + expected);
        }
        int body = buf.position();
        int stored = ByteBuffer.wrap(file, body + (int) length, 4).getInt();
        int actual = crc(file, body, (int) length);
        if (stored != actual) {
            throw corrupt(path, String.format("damaged: checksum mismatch (stored %08x, computed %08x)", stored, actual));
        }
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(file, body, (int) length));
        VaeConfig config;
        try {
            config = readConfig(in, path);
        } catch (EOFException e) {
            throw corrupt(path, "truncated: the body ends inside the configuration");
        }
        if (conditional != (config.condition() > 0)) {
            throw new IllegalArgumentException("path: expected a " + (conditional ? "conditional" : "unconditional")
                    + " VAE, got a " + (conditional ? "unconditional" : "conditional") + " one in " + path
                    + (conditional ? "; use Vae.load" : "; use ConditionalVae.load"));
        }
        // the body's length bounds the architecture: every parameter needs 3 values of ≥ 4 bytes
        long params = parameterCount(config);
        if (params * 12 > length) {
            throw corrupt(path, "damaged: the configuration " + config + " needs " + params + " parameters, more than the body's "
                    + length + " bytes can hold");
        }
        VaeGraph graph = new VaeGraph(config, Rng.seeded(0));
        try {
            graph.network().read(in);
        } catch (IOException e) {
            throw corrupt(path, e.getMessage());
        }
        if (in.available() != 0) {
            throw corrupt(path, "damaged: " + in.available() + " unexpected bytes after the parameters");
        }
        return graph;
    }

    private static boolean startsWith(byte[] file, byte[] prefix) {
        return file.length >= prefix.length && java.util.Arrays.equals(java.util.Arrays.copyOf(file, prefix.length), prefix);
    }

    private static IOException corrupt(Path path, String what) {
        return new IOException(path + ": " + what);
    }

    private static int crc(byte[] b, int off, int len) {
        CRC32 c = new CRC32();
        c.update(b, off, len);
        return (int) c.getValue();
    }

    /** Weights and biases of encoder and decoder, an upper bound used only to reject absurd headers early. */
    private static long parameterCount(VaeConfig c) {
        int[] h = c.hidden();
        long count = 0;
        long in = c.input() + (long) c.condition();
        for (int w : h) {
            count += (in + 1) * w;
            in = w;
        }
        count += (in + 1) * 2L * c.latent();
        in = c.latent() + (long) c.condition();
        for (int i = h.length - 1; i >= 0; i--) {
            count += (in + 1) * h[i];
            in = h[i];
        }
        count += (in + 1) * c.input();
        return count;
    }

    private static void writeConfig(DataOutputStream out, VaeConfig config) throws IOException {
        out.writeInt(config.input());
        out.writeInt(config.latent());
        out.writeInt(config.hidden().length);
        for (int h : config.hidden()) {
            out.writeInt(h);
        }
        out.writeInt(config.likelihood().ordinal());
        out.writeInt(config.condition());
        out.writeDouble(config.beta());
        out.writeDouble(config.learningRate());
        out.writeDouble(config.minSigma());
    }

    private static VaeConfig readConfig(DataInputStream in, Path path) throws IOException {
        int input = bounded(path, "input width", in.readInt(), 1);
        int latent = bounded(path, "latent width", in.readInt(), 1);
        int layers = in.readInt();
        if (layers < 1 || layers > MAX_HIDDEN) {
            throw corrupt(path, "damaged: expected 1.." + MAX_HIDDEN + " hidden layers, got " + layers);
        }
        int[] hidden = new int[layers];
        for (int i = 0; i < layers; i++) {
            hidden[i] = bounded(path, "hidden width " + i, in.readInt(), 1);
        }
        int likelihood = in.readInt();
        VaeConfig.Likelihood[] kinds = VaeConfig.Likelihood.values();
        if (likelihood < 0 || likelihood >= kinds.length) {
            throw corrupt(path, "damaged: expected a likelihood code in 0.." + (kinds.length - 1) + ", got " + likelihood);
        }
        int condition = bounded(path, "condition width", in.readInt(), 0);
        double beta = in.readDouble();
        double rate = in.readDouble();
        double minSigma = in.readDouble();
        try {
            return new VaeConfig(input, latent, hidden, kinds[likelihood], condition, beta, rate, minSigma);
        } catch (IllegalArgumentException e) {
            throw corrupt(path, "damaged configuration: " + e.getMessage());
        }
    }

    private static int bounded(Path path, String what, int value, int min) throws IOException {
        if (value < min || value > MAX_WIDTH) {
            throw corrupt(path, "damaged: expected a " + what + " in " + min + ".." + MAX_WIDTH + ", got " + value);
        }
        return value;
    }
}
