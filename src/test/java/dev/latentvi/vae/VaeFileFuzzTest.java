package dev.latentvi.vae;

import static org.junit.jupiter.api.Assertions.*;

import dev.latentvi.math.Rng;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Model file format 2 against damage: every truncation, 1,500 random byte flips (caught by the
 * checksum or the header checks), 300 flips with the checksum recomputed (caught by the field
 * checks, or a loadable model), and a save interrupted halfway.
 */
class VaeFileFuzzTest {
    static final Path NAME = Path.of("fuzz", "model.bin");
    static Vae vae;
    static Vae gaussian;
    static byte[] file;

    @BeforeAll
    static void model() throws IOException {
        vae = Vae.builder().input(6).latent(2).hidden(4).learningRate(1e-2).build(Rng.seeded(5));
        INDArray x = Rng.seeded(6).uniform(20, 6).gt(0.5).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT);
        vae.fit(x, 2, 10, Rng.seeded(7));                 // non-zero Adam moments and step count
        gaussian = Vae.builder().input(3).latent(1).hidden(3, 2).gaussianDecoder(0.05).build(Rng.seeded(8));
        file = VaeFile.encode(vae.graph());
    }

    @Test
    void roundTripIsExactForBothDecodersAndTheSizeBoundHolds() throws IOException {
        assertIdentical(vae.graph(), VaeFile.decode(file, NAME, false));
        assertIdentical(gaussian.graph(), VaeFile.decode(VaeFile.encode(gaussian.graph()), NAME, false));
        assertEquals(VaeFile.OVERHEAD + ByteBuffer.wrap(file, 12, 8).getLong(), file.length);
    }

    @Test
    void everyTruncationIsACleanError() {
        for (int len = 0; len < file.length; len++) {
            byte[] cut = java.util.Arrays.copyOf(file, len);
            IOException e = assertThrows(IOException.class, () -> VaeFile.decode(cut, NAME, false), "truncated at " + len);
            assertTrue(e.getMessage().startsWith(NAME + ": "), e.getMessage());
            assertTrue(e.getMessage().length() > NAME.toString().length() + 10, e.getMessage());
        }
    }

    @Test
    void randomByteFlipsAreCleanErrors() {
        Random r = new Random(20261202);
        for (int i = 0; i < 1500; i++) {
            byte[] bad = file.clone();
            int at = r.nextInt(bad.length);
            bad[at] ^= (byte) (1 + r.nextInt(255));
            IOException e = assertThrows(IOException.class, () -> VaeFile.decode(bad, NAME, false), "flip at " + at);
            assertTrue(e.getMessage().startsWith(NAME + ": "), e.getMessage());
        }
    }

    @Test
    void flipsWithTheChecksumRecomputedAreCleanErrorsOrLoadableModels() {
        Random r = new Random(15);
        int body = 20;
        int errors = 0;
        int loaded = 0;
        for (int i = 0; i < 300; i++) {
            byte[] bad = file.clone();
            // half the cases in the configuration and the first parameter's header, where the field checks are
            int at = body + (i % 2 == 0 ? r.nextInt(120) : r.nextInt(bad.length - body - 4));
            bad[at] ^= (byte) (1 + r.nextInt(255));
            CRC32 c = new CRC32();
            c.update(bad, body, bad.length - body - 4);
            ByteBuffer.wrap(bad, bad.length - 4, 4).putInt((int) c.getValue());
            try {
                VaeGraph g = VaeFile.decode(bad, NAME, false);
                loaded++;
                for (INDArray p : g.network().parameters().values()) {
                    assertTrue(Double.isFinite(p.sumNumber().doubleValue()), "a loaded model has finite parameters");
                }
            } catch (IOException e) {
                errors++;
                assertTrue(e.getMessage().startsWith(NAME + ": "), e.getMessage());
            } catch (IllegalArgumentException e) {
                errors++;                                   // the condition width flipped: "use ConditionalVae.load"
                assertTrue(e.getMessage().startsWith("path: expected a unconditional VAE"), e.getMessage());
            }
        }
        System.out.println("fuzz: " + file.length + "-byte model file, 300 flips with the checksum recomputed: " + errors
                + " clean errors, " + loaded + " loadable models");
        assertTrue(errors > 100 && loaded > 50, "errors " + errors + ", loaded " + loaded);
    }

    @Test
    void namedHeaderErrors() throws IOException {
        assertMessage(withInt(file, 8, 1), "expected format version 2, got 1");
        assertMessage(withLong(file, 12, 1L << 40), "truncated: the header says the body has 1099511627776 bytes");
        byte[] absurd = withInt(file, 20, 1 << 20);                       // input width: allocating it would need gigabytes
        assertMessage(recrc(absurd), "needs");
        assertMessage(recrc(withInt(file, 28, 100000)), "hidden layers, got 100000");
        assertMessage(new byte[] {1, 2, 3}, "expected a latentvi VAE file");
        byte[] format1 = java.util.Arrays.copyOf(VaeFile.FORMAT_1_MAGIC, 40);
        assertMessage(format1, "a model file of format 1 (an older latentvi)");
    }

    @Test
    void anInterruptedSaveLeavesThePreviousFileIntact(@TempDir Path dir) throws IOException {
        Path path = dir.resolve("model.bin");
        gaussian.save(path);
        byte[] before = Files.readAllBytes(path);
        IOException e = assertThrows(IOException.class, () -> VaeFile.save(vae.graph(), path, out -> new FilterOutputStream(out) {
            long written;

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                for (int i = 0; i < len; i++) {
                    write(b[off + i]);
                }
            }

            @Override
            public void write(int b) throws IOException {
                if (++written > 300) {
                    throw new IOException("disk full (simulated)");
                }
                out.write(b);
            }
        }));
        assertEquals("disk full (simulated)", e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(path));
        assertIdentical(gaussian.graph(), Vae.load(path).graph());
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
        IOException notOurs = assertThrows(IOException.class, () -> Vae.load(writeString(dir, "an older or foreign file")));
        assertTrue(notOurs.getMessage().contains("other.bin: expected a latentvi VAE file"), notOurs.getMessage());
    }

    private static Path writeString(Path dir, String s) throws IOException {
        return Files.writeString(dir.resolve("other.bin"), s);
    }

    /** Same configuration, parameters, Adam moments and step count: the same bytes when saved again. */
    static void assertIdentical(VaeGraph a, VaeGraph b) throws IOException {
        assertArrayEquals(VaeFile.encode(a), VaeFile.encode(b));
        assertEquals(a.config(), b.config());
        assertEquals(a.network().steps(), b.network().steps());
        for (Map.Entry<String, INDArray> e : a.network().parameters().entrySet()) {
            assertEquals(e.getValue(), b.network().parameters().get(e.getKey()), e.getKey());
        }
    }

    private static void assertMessage(byte[] bad, String part) {
        IOException e = assertThrows(IOException.class, () -> VaeFile.decode(bad, NAME, false));
        assertTrue(e.getMessage().startsWith(NAME + ": ") && e.getMessage().contains(part), e.getMessage());
    }

    private static byte[] withInt(byte[] b, int at, int v) {
        byte[] c = b.clone();
        ByteBuffer.wrap(c, at, 4).putInt(v);
        return c;
    }

    private static byte[] withLong(byte[] b, int at, long v) {
        byte[] c = b.clone();
        ByteBuffer.wrap(c, at, 8).putLong(v);
        return c;
    }

    private static byte[] recrc(byte[] b) {
        CRC32 c = new CRC32();
        c.update(b, 20, b.length - 24);
        ByteBuffer.wrap(b, b.length - 4, 4).putInt((int) c.getValue());
        return b;
    }
}
