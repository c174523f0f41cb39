package dev.latentvi.rl;

import static org.junit.jupiter.api.Assertions.*;

import dev.latentvi.math.Rng;
import dev.latentvi.vae.Vae;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class GridWorldTest {
    final GridWorld env = GridWorld.of(4, 2, 0.0);

    @Test
    void movesStopAtWallsAndTheGoalPays() {
        assertEquals(0, env.next(0, 0)); // up from the top-left corner: wall
        assertEquals(0, env.next(0, 2)); // left: wall
        assertEquals(4, env.next(0, 1)); // down
        assertEquals(1, env.next(0, 3)); // right
        assertEquals(15, env.goal());
        assertEquals(1.0, env.reward(env.next(14, 3)));
        assertEquals(0.0, env.reward(env.next(0, 3)));
    }

    @Test
    void renderingLightsTheAgentAndTheGoal() {
        INDArray o = env.render(new int[] {0, 5}, Rng.seeded(0));
        assertArrayEquals(new long[] {2, 64}, o.shape());
        // agent at cell 0 covers pixels (0,0),(0,1),(1,0),(1,1); the goal covers the bottom-right 2x2 at 0.5
        assertEquals(1.0, o.getDouble(0, 0));
        assertEquals(1.0, o.getDouble(0, 9));
        assertEquals(0.5, o.getDouble(0, 63));
        assertEquals(4 * 1.0 + 4 * 0.5, o.getRow(0).sumNumber().doubleValue(), 1e-6);
        assertEquals(1.0, o.getDouble(1, 2 * 8 * 1 + 2)); // cell 5 = row 1, col 1 -> pixel (2, 2)
    }

    @Test
    void theDistractorIsAFlickeringPanelUnderTheGrid() {
        GridWorld tv = env.withDistractor(3);
        assertEquals(8, tv.width());
        assertEquals(11, tv.height());
        assertEquals(88, tv.pixels());
        assertEquals(0, env.distractorRows());
        INDArray o = tv.render(new int[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, Rng.seeded(4));
        assertArrayEquals(new long[] {20, 88}, o.shape());
        // the grid part is the plain rendering; the panel is 0/1 with about half lit, different in every frame
        INDArray plain = env.render(new int[] {0}, Rng.seeded(0));
        for (int i = 0; i < 20; i++) {
            assertEquals(plain.getRow(0), o.getRow(i).get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 64)));
        }
        INDArray panel = o.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.interval(64, 88));
        double lit = panel.sumNumber().doubleValue() / panel.length();
        assertEquals(0.5, lit, 0.08);
        assertEquals(panel.length(), panel.eq(0).castTo(org.nd4j.linalg.api.buffer.DataType.INT).sumNumber().intValue()
                + panel.eq(1).castTo(org.nd4j.linalg.api.buffer.DataType.INT).sumNumber().intValue());
        assertNotEquals(panel.getRow(0), panel.getRow(1));
        assertTrue(tv.toString().contains("11x8 pixels") && tv.toString().contains("3 distractor rows"), tv.toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> env.withDistractor(0));
        assertTrue(e.getMessage().contains("rows"), e.getMessage());
    }

    @Test
    void framesStackObservationsThenNextObservations() {
        ReplayBuffer b = ReplayBuffer.randomPolicy(env, 30, 20, Rng.seeded(5));
        INDArray f = b.frames();
        assertArrayEquals(new long[] {60, 64}, f.shape());
        assertEquals(b.observations().getRow(7), f.getRow(7));
        assertEquals(b.nextObservations().getRow(7), f.getRow(37));
    }

    @Test
    void randomPolicyBufferIsConsistentWithTheDynamics() {
        ReplayBuffer b = ReplayBuffer.randomPolicy(env, 500, 20, Rng.seeded(1));
        assertEquals(500, b.size());
        assertArrayEquals(new long[] {500, 64}, b.observations().shape());
        int goals = 0;
        for (int i = 0; i < b.size(); i++) {
            int next = env.next(b.states()[i], b.actions()[i]);
            assertEquals(next == env.goal(), b.done()[i]);
            assertEquals(env.reward(next), b.rewards()[i]);
            // without noise the next observation is exactly the rendering of the next state
            assertEquals(env.render(new int[] {next}, Rng.seeded(0)).getRow(0), b.nextObservations().getRow(i));
            goals += b.done()[i] ? 1 : 0;
        }
        assertTrue(goals > 0, "the random policy reaches the goal sometimes");
    }

    @Test
    void fittedQIterationOnPixelsSolvesTheNoiselessGrid() {
        ReplayBuffer b = ReplayBuffer.randomPolicy(env, 1500, 20, Rng.seeded(2));
        FittedQIteration.Result r = FittedQIteration.of(env, b, Features.pixels(env.pixels()))
                .discount(0.9).iterations(12).ridge(0.1).maxSteps(20).run(Rng.seeded(3));
        assertEquals(12, r.curve().rowCount());
        assertEquals(1.0, r.finalSuccess());
        // with a noiseless one-hot rendering the greedy policy is optimal: every start takes a shortest path
        assertEquals(FittedQIteration.optimalReturn(env, 0.9), r.finalReturn(), 1e-9);
    }

    @Test
    void fittedQIterationOnVaeLatentsLearnsToReachTheGoal() {
        GridWorld noisy = GridWorld.of(4, 2, 0.02);
        ReplayBuffer b = ReplayBuffer.randomPolicy(noisy, 800, 20, Rng.seeded(4));
        Vae vae = Vae.builder().input(noisy.pixels()).hidden(64).latent(3).learningRate(3e-3).build(Rng.seeded(5));
        vae.fit(b.observations(), 40, 64, Rng.seeded(6));
        Features phi = Features.vaeLatentRbf(vae, b.first(80).observations(), 0.3);
        assertEquals(81, phi.width());
        FittedQIteration.Result r = FittedQIteration.of(noisy, b, phi).discount(0.9).iterations(12).ridge(0.1).maxSteps(20).run(Rng.seeded(7));
        System.out.println("MEASURED latent FQI success " + r.finalSuccess() + " return " + r.finalReturn()
                + " optimal " + FittedQIteration.optimalReturn(noisy, 0.9));
        assertTrue(r.finalSuccess() >= 0.8, "success " + r.finalSuccess());
    }

    @Test
    void badArgumentsNameTheArgument() {
        assertThrows(IllegalArgumentException.class, () -> GridWorld.of(1, 2, 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> env.next(0, 4));
        assertTrue(e.getMessage().startsWith("action"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> env.render(new int[] {16}, Rng.seeded(0)));
        assertTrue(e.getMessage().startsWith("state"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> GridWorld.of(3, 2, 0.9));
        assertTrue(e.getMessage().startsWith("noise"), e.getMessage());
        ReplayBuffer b = ReplayBuffer.randomPolicy(env, 10, 5, Rng.seeded(0));
        FittedQIteration fqi = FittedQIteration.of(env, b, Features.pixels(env.pixels()));
        e = assertThrows(IllegalArgumentException.class, () -> fqi.discount(1.0));
        assertTrue(e.getMessage().startsWith("discount"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> fqi.ridge(0));
        assertTrue(e.getMessage().startsWith("ridge"), e.getMessage());
    }

    @Test
    void rowsOfStates() {
        GridWorld env = GridWorld.of(4, 3, 0.0);
        assertArrayEquals(new int[] {0, 0, 1, 3, 2}, env.rows(new int[] {0, 3, 4, 15, 9}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> env.rows(new int[] {1, 16}));
        assertEquals("states: expected state indices in [0, 16), got 16 at index 1", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> env.rows(null));
    }
}
