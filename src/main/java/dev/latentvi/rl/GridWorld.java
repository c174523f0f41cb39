package dev.latentvi.rl;

import dev.latentvi.math.Check;
import dev.latentvi.math.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A tiny pixel environment: an agent on a {@code size × size} grid must reach the goal in the
 * bottom-right corner. The agent only sees an image of the grid, {@code side × side} pixels with
 * {@code side = size · cell}: its own cell lit at 1, the goal's cell at 0.5, and salt noise (each other pixel lit with
 * probability {@code noise}). {@link #withDistractor} adds a "noisy TV" under the grid: a panel of pixel
 * rows that flicker at random, independent of the state. Actions 0–3 move up, down, left, right (walls stop the agent);
 * reaching the goal gives reward 1 and ends the episode. States are cell indices {@code row · size + col}.
 */
public final class GridWorld {
    /** Action names, by index. */
    public static final String[] ACTIONS = {"up", "down", "left", "right"};

    private final int size;
    private final int cell;
    private final double noise;
    private final int distractorRows;

    private GridWorld(int size, int cell, double noise, int distractorRows) {
        this.size = size;
        this.cell = cell;
        this.noise = noise;
        this.distractorRows = distractorRows;
    }

    /** A grid of {@code size × size} cells, each {@code cell × cell} pixels, with salt-noise probability {@code noise}. */
    public static GridWorld of(int size, int cell, double noise) {
        if (size < 2) {
            throw new IllegalArgumentException("size: expected at least 2 cells per side, got " + size);
        }
        Check.positive("cell", cell);
        Check.inRange("noise", noise, 0, 0.5);
        return new GridWorld(size, cell, noise, 0);
    }

    /**
     * The same grid with a distractor under it: {@code rows} rows of {@link #side()} pixels each, every
     * pixel lit with probability 1/2 in every frame, independent of the state and of the past (a
     * "noisy TV"). The image becomes {@link #height()} × {@link #width()}.
     */
    public GridWorld withDistractor(int rows) {
        Check.positive("rows", rows);
        return new GridWorld(size, cell, noise, rows);
    }

    /** Rows of distractor pixels under the grid (0 without a distractor). */
    public int distractorRows() {
        return distractorRows;
    }

    /** Cells per side. */
    public int size() {
        return size;
    }

    /** Side of the grid in pixels. */
    public int side() {
        return size * cell;
    }

    /** Image width in pixels: the grid's side. */
    public int width() {
        return side();
    }

    /** Image height in pixels: the grid's side plus the distractor rows. */
    public int height() {
        return side() + distractorRows;
    }

    /** Pixels per observation, {@code height() · width()}. */
    public int pixels() {
        return height() * width();
    }

    /** Number of states (cells). */
    public int states() {
        return size * size;
    }

    /** The goal's state index (bottom-right corner). */
    public int goal() {
        return states() - 1;
    }

    /** Row of a state. */
    public int row(int state) {
        return state / size;
    }

    /** The row of each state {@code [n] → [n]}, e.g. for {@code Groups.of(env.rows(buffer.states()), "row %d")}. */
    public int[] rows(int[] states) {
        Check.notNull("states", states);
        int[] out = new int[states.length];
        for (int i = 0; i < states.length; i++) {
            if (states[i] < 0 || states[i] >= states()) {
                throw new IllegalArgumentException("states: expected state indices in [0, " + states() + "), got " + states[i] + " at index " + i);
            }
            out[i] = row(states[i]);
        }
        return out;
    }

    /** Column of a state. */
    public int col(int state) {
        return state % size;
    }

    /** The state reached from {@code state} by {@code action} (walls stop the agent). */
    public int next(int state, int action) {
        checkState(state);
        if (action < 0 || action > 3) {
            throw new IllegalArgumentException("action: expected 0..3, got " + action);
        }
        int r = row(state);
        int c = col(state);
        switch (action) {
            case 0 -> r = Math.max(0, r - 1);
            case 1 -> r = Math.min(size - 1, r + 1);
            case 2 -> c = Math.max(0, c - 1);
            default -> c = Math.min(size - 1, c + 1);
        }
        return r * size + c;
    }

    /** Reward for arriving in {@code state}: 1 at the goal, else 0. */
    public double reward(int state) {
        return state == goal() ? 1 : 0;
    }

    /**
     * Rendered observations of {@code states}, FLOAT {@code [n, pixels]} in [0, 1], row-major
     * {@code height × width}; noise and distractor drawn from {@code rng}.
     */
    public INDArray render(int[] states, Rng rng) {
        Check.notNull("states", states);
        Check.notNull("rng", rng);
        int side = side();
        int pixels = pixels();
        float[] out = new float[states.length * pixels];
        for (int i = 0; i < states.length; i++) {
            checkState(states[i]);
            int base = i * pixels;
            for (int p = 0; p < side * side; p++) {
                out[base + p] = noise > 0 && rng.uniform() < noise ? 1f : 0f;
            }
            for (int p = side * side; p < pixels; p++) {
                out[base + p] = rng.uniform() < 0.5 ? 1f : 0f;
            }
            fill(out, base, goal(), 0.5f);
            fill(out, base, states[i], 1f);
        }
        return Nd4j.create(out, new long[] {states.length, pixels}, 'c').castTo(DataType.FLOAT);
    }

    private void fill(float[] out, int base, int state, float value) {
        int side = side();
        int r0 = row(state) * cell;
        int c0 = col(state) * cell;
        for (int r = r0; r < r0 + cell; r++) {
            for (int c = c0; c < c0 + cell; c++) {
                out[base + r * side + c] = value;
            }
        }
    }

    private void checkState(int state) {
        if (state < 0 || state >= states()) {
            throw new IllegalArgumentException("state: expected 0.." + (states() - 1) + ", got " + state);
        }
    }

    @Override
    public String toString() {
        return "GridWorld(" + size + "x" + size + " cells, " + height() + "x" + width() + " pixels, noise " + noise
                + (distractorRows > 0 ? ", " + distractorRows + " distractor rows" : "") + ")";
    }
}
