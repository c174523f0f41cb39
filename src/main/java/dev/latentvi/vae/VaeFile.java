package dev.latentvi.vae;

import dev.latentvi.math.Check;
import dev.latentvi.math.Rng;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The model file of a {@link Vae} or {@link ConditionalVae}: the magic string
 * {@value #MAGIC}, the format version {@value #FORMAT}, the {@link VaeConfig}, then the network's
 * parameters, Adam moments and step count ({@link dev.latentvi.nn.Network#write}). Saving is exact
 * and atomic: written to a temporary file in the same folder, then moved into place.
 */
final class VaeFile {
    private static final String MAGIC = "latentvi-vae";
    private static final int FORMAT = 1;

    private VaeFile() {
    }

    /** Writes {@code graph} to {@code path} atomically (a crash never leaves a half-written model). */
    static void save(VaeGraph graph, Path path) throws IOException {
        Check.notNull("path", path);
        Path abs = path.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("path: expected a file in an existing folder, got " + path);
        }
        Path tmp = Files.createTempFile(dir, abs.getFileName().toString(), ".tmp");
        try {
            try (OutputStream os = Files.newOutputStream(tmp);
                    DataOutputStream out = new DataOutputStream(new BufferedOutputStream(os))) {
                writeConfig(out, graph.config());
                graph.network().write(out);
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

    /**
     * Reads a model written by {@link #save}; {@code conditional} says which kind the caller expects
     * (a file of the other kind is an {@link IllegalArgumentException} naming the right loader).
     */
    static VaeGraph load(Path path, boolean conditional) throws IOException {
        Check.notNull("path", path);
        if (!Files.isRegularFile(path)) {
            throw new NoSuchFileException(path.toString(), null, "no saved VAE at this path");
        }
        try (InputStream is = Files.newInputStream(path); DataInputStream in = new DataInputStream(new BufferedInputStream(is))) {
            VaeConfig config = readConfig(in, path);
            if (conditional != (config.condition() > 0)) {
                throw new IllegalArgumentException("path: expected a " + (conditional ? "conditional" : "unconditional")
                        + " VAE, got a " + (conditional ? "unconditional" : "conditional") + " one in " + path
                        + (conditional ? "; use Vae.load" : "; use ConditionalVae.load"));
            }
            VaeGraph graph = new VaeGraph(config, Rng.seeded(0));
            graph.network().read(in);
            return graph;
        }
    }

    private static void writeConfig(DataOutputStream out, VaeConfig config) throws IOException {
        out.writeUTF(MAGIC);
        out.writeInt(FORMAT);
        out.writeInt(config.input());
        out.writeInt(config.latent());
        out.writeInt(config.hidden().length);
        for (int h : config.hidden()) {
            out.writeInt(h);
        }
        out.writeUTF(config.likelihood().name());
        out.writeInt(config.condition());
        out.writeDouble(config.beta());
        out.writeDouble(config.learningRate());
        out.writeDouble(config.minSigma());
    }

    private static VaeConfig readConfig(DataInputStream in, Path path) throws IOException {
        String magic;
        try {
            magic = in.readUTF();
        } catch (IOException e) {
            throw new IllegalArgumentException("path: expected a latentvi VAE file, got an unreadable file " + path);
        }
        if (!MAGIC.equals(magic)) {
            throw new IllegalArgumentException("path: expected a latentvi VAE file, got " + path);
        }
        int format = in.readInt();
        if (format != FORMAT) {
            throw new IllegalArgumentException("path: expected format " + FORMAT + ", got " + format + " in " + path);
        }
        int input = in.readInt();
        int latent = in.readInt();
        int[] hidden = new int[in.readInt()];
        for (int i = 0; i < hidden.length; i++) {
            hidden[i] = in.readInt();
        }
        VaeConfig.Likelihood likelihood = VaeConfig.Likelihood.valueOf(in.readUTF());
        int condition = in.readInt();
        return new VaeConfig(input, latent, hidden, likelihood, condition, in.readDouble(), in.readDouble(), in.readDouble());
    }
}
