package dev.latentvi.nn;

import static org.junit.jupiter.api.Assertions.*;

import dev.latentvi.math.Rng;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** A stopped fit keeps the last completed step: interrupts (as JJava sends them) and NaN updates. */
class TrainerInterruptTest {

    private static Object[] regression() {
        Network net = Network.create(DataType.DOUBLE);
        SDVariable x = net.input("x", 1);
        SDVariable y = net.input("y", 1);
        SDVariable pred = Mlp.of(1, 8, 1).hidden(Activation.TANH).build(net, "f", x, Rng.seeded(1));
        SameDiff sd = net.sameDiff();
        return new Object[] {net, sd.mean("loss", sd.math.square(pred.sub(y)))};
    }

    private static Map<String, INDArray> data() {
        INDArray x = Rng.seeded(2).uniform(64, 1);
        return Map.of("x", x, "y", x.mul(2));
    }

    @Test
    void anInterruptStopsTheFitBeforeTheNextCommit() {
        Object[] r = regression();
        Network net = (Network) r[0];
        List<Map<String, INDArray>> seen = new ArrayList<>();
        Trainer t = Trainer.of(net, (SDVariable) r[1], Adam.of(1e-2)).onStep((step, loss) -> {
            seen.add(Map.copyOf(net.parameters()));
            if (step == 5) {
                Thread.currentThread().interrupt();        // what Future.cancel(true) does to the cell's thread
            }
        });
        CancellationException e = assertThrows(CancellationException.class, () -> t.fit(data(), 10, 16, Rng.seeded(3)));
        assertTrue(Thread.interrupted(), "the interrupt flag stays set for the caller");
        assertTrue(e.getMessage().startsWith("stopped after 5 steps"), e.getMessage());
        assertEquals(5, net.steps());
        assertEquals(5, seen.size());
        assertEquals(seen.get(4), net.parameters(), "parameters of the last completed step");
        assertEquals(1, t.history().rowCount(), "one complete epoch of 4 steps in the history");
        // the trainer and the network carry on
        t.fit(data(), 1, 16, Rng.seeded(4));
        assertEquals(9, net.steps());
        assertEquals(2, t.history().rowCount());
    }

    @Test
    void cancellingTheTaskLikeJJavaLeavesAUsableModel() throws Exception {
        Object[] r = regression();
        Network net = (Network) r[0];
        Trainer t = Trainer.of(net, (SDVariable) r[1], Adam.of(1e-2));
        ExecutorService pool = Executors.newCachedThreadPool();
        CountDownLatch started = new CountDownLatch(3);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        t.onStep((step, loss) -> started.countDown());
        Future<?> cell = pool.submit(() -> {
            try {
                t.fit(data(), 100000, 16, Rng.seeded(3));
            } catch (Throwable e) {
                thrown.set(e);
            } finally {
                done.countDown();
            }
        });
        assertTrue(started.await(60, TimeUnit.SECONDS));
        cell.cancel(true);
        assertTrue(done.await(30, TimeUnit.SECONDS), "the fit noticed the interrupt");
        pool.shutdown();
        assertInstanceOf(CancellationException.class, thrown.get());
        long steps = net.steps();
        assertEquals("stopped after " + steps + " steps", thrown.get().getMessage().substring(0, ("stopped after " + steps + " steps").length()));
        assertEquals(steps / 4, t.history().rowCount());
        for (INDArray p : net.parameters().values()) {
            assertTrue(Double.isFinite(p.sumNumber().doubleValue()));
        }
        assertEquals(steps, net.steps(), "nothing moves after the stop");
    }

    @Test
    void aNaNGradientCommitsNothingAndNamesTheStep() {
        Network net = Network.create(DataType.DOUBLE);
        SDVariable x = net.input("x", 1);
        SDVariable w = net.parameter("w", Nd4j.zeros(DataType.DOUBLE, 1, 1));
        SameDiff sd = net.sameDiff();
        SDVariable loss = sd.mean(sd.math.sqrt(sd.math.square(x.mmul(w))));   // |x w|: finite loss 0, gradient 0/0 at w = 0
        Trainer t = Trainer.of(net, loss, Adam.of(0.1));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> t.step(Map.of("x", Nd4j.ones(DataType.DOUBLE, 2, 1)), Rng.seeded(0)));
        assertTrue(e.getMessage().startsWith("parameters: w became NaN or infinite at step 1"), e.getMessage());
        assertEquals(0, net.steps());
        assertEquals(0.0, net.parameters().get("w").getDouble(0), 0.0);
    }
}
