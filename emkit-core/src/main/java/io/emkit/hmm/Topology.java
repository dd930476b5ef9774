package io.emkit.hmm;

import io.emkit.EmkitException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Locale;

/**
 * Which moves of a hidden Markov model's chain are allowed: a mask of the S × S transitions and of the S start
 * states. Baum–Welch keeps every forbidden probability at exactly 0 through every M-step (and SQUAREM's
 * extrapolations and the Dirichlet priors' pseudo-counts touch only allowed entries), so a left-to-right model
 * stays left-to-right.
 *
 * <ul>
 * <li>{@link #ergodic}: every move allowed, every start state allowed.</li>
 * <li>{@link #leftRight}{@code (S, J)}: from state i only to j with {@code i ≤ j ≤ i + J} (J the largest forward
 * jump), and every sequence starts in the first state (as hmmlearn's left-right example,
 * {@code startprob = [1, 0, ...]}).</li>
 * <li>{@link #of}{@code (mask)}: a given mask. A state no other state may move to (a source of the mask's graph)
 * can only be visited by starting there, so when the mask has such states the sequences start in them only (a
 * left-to-right mask starts in state 1); when it has none, anywhere.</li>
 * </ul>
 *
 * <p>A topology must let the chain reach every state from the start states and leave every state (each row has
 * an allowed entry, the state itself counting: a last state that only stays is fine).
 */
public final class Topology {
    private final boolean[][] allowed;
    private final boolean[] startAllowed;
    private final String description;

    private Topology(boolean[][] allowed, boolean[] startAllowed, String description) {
        this.allowed = allowed;
        this.startAllowed = startAllowed;
        this.description = description;
        check();
    }

    /**
     * @param states the number of states S ≥ 1
     * @return every transition and every start allowed
     */
    public static Topology ergodic(int states) {
        boolean[][] a = new boolean[checkedStates(states)][states];
        for (boolean[] row : a) {
            Arrays.fill(row, true);
        }
        boolean[] start = new boolean[states];
        Arrays.fill(start, true);
        return new Topology(a, start, "ergodic");
    }

    /**
     * @param states  the number of states S ≥ 1
     * @param maxJump J ≥ 1, the largest forward jump: state i may move to {@code i .. i + J}
     * @return the left-to-right (Bakis) topology, starting in the first state
     * @throws EmkitException if J &lt; 1
     */
    public static Topology leftRight(int states, int maxJump) {
        if (maxJump < 1) {
            throw new EmkitException("a left-right topology's largest jump must be at least 1, got " + maxJump);
        }
        boolean[][] a = new boolean[checkedStates(states)][states];
        for (int i = 0; i < states; i++) {
            for (int j = i; j < states && j - i <= maxJump; j++) {
                a[i][j] = true;
            }
        }
        boolean[] start = new boolean[states];
        start[0] = true;
        return new Topology(a, start, maxJump == 1 ? "left-right" : "left-right:" + maxJump);
    }

    /**
     * A topology from a mask; the start states are the mask's sources (states no other state may move to), or
     * every state when it has none.
     *
     * @param mask S rows of S flags, {@code mask[i][j]} allowing {@code i → j}
     * @return the topology
     * @throws EmkitException if the mask is not square, or leaves a state with no way out or unreachable
     */
    public static Topology of(boolean[][] mask) {
        int s = checkedStates(mask.length);
        boolean[][] a = new boolean[s][];
        for (int i = 0; i < s; i++) {
            if (mask[i].length != s) {
                throw new EmkitException("transition mask row " + (i + 1) + " has " + mask[i].length
                        + " entries, expected " + s);
            }
            a[i] = mask[i].clone();
        }
        boolean[] start = new boolean[s];
        boolean anySource = false;
        for (int j = 0; j < s; j++) {
            boolean entered = false;
            for (int i = 0; i < s; i++) {
                entered |= i != j && a[i][j];
            }
            start[j] = !entered;
            anySource |= !entered;
        }
        if (!anySource) {
            Arrays.fill(start, true);
        }
        return new Topology(a, start, "mask");
    }

    /**
     * Parses {@code ergodic}, {@code left-right} (J = 1) or {@code left-right:J}.
     *
     * @param spec   the name, any case
     * @param states the number of states
     * @return the topology
     * @throws EmkitException for anything else, saying what is accepted
     */
    public static Topology parse(String spec, int states) {
        String t = spec.trim().toLowerCase(Locale.ROOT);
        if (t.equals("ergodic")) {
            return ergodic(states);
        }
        if (t.equals("left-right")) {
            return leftRight(states, 1);
        }
        if (t.startsWith("left-right:")) {
            int j;
            try {
                j = Integer.parseInt(t.substring("left-right:".length()).trim());
            } catch (NumberFormatException e) {
                j = 0;
            }
            if (j >= 1) {
                return leftRight(states, j);
            }
        }
        throw new EmkitException("unknown topology '" + spec + "'; expected ergodic, left-right or left-right:J"
                + " (J >= 1, the largest forward jump)");
    }

    /**
     * Reads a mask from a CSV file: S lines of S cells, each 0 (forbidden) or 1 (allowed); blank lines and
     * lines starting with {@code #} are skipped.
     *
     * @param file   the file
     * @param states the number of states S the mask must be for
     * @return the topology ({@link #of})
     * @throws EmkitException naming the file, line and column of a wrong cell or shape, or if the mask is not a
     *                        usable topology
     */
    public static Topology readMask(Path file, int states) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new EmkitException("cannot read the transition mask " + file + ": " + e.getMessage());
        }
        boolean[][] mask = new boolean[states][];
        int row = 0;
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = file + ", line " + (n + 1);
            if (row == states) {
                throw new EmkitException(where + ": the transition mask has more than " + states + " rows (one per"
                        + " state)");
            }
            String[] cells = line.split(",", -1);
            if (cells.length != states) {
                throw new EmkitException(where + ": " + cells.length + " cells, expected " + states + " (one per"
                        + " state)");
            }
            mask[row] = new boolean[states];
            for (int j = 0; j < states; j++) {
                String c = cells[j].strip();
                if (!c.equals("0") && !c.equals("1")) {
                    throw new EmkitException(where + ", column " + (j + 1) + ": '" + c + "' is not 0 or 1");
                }
                mask[row][j] = c.equals("1");
            }
            row++;
        }
        if (row != states) {
            throw new EmkitException(file + ": the transition mask has " + row + " rows, expected " + states
                    + " (one per state)");
        }
        Topology read;
        try {
            read = of(mask);
        } catch (EmkitException e) {
            throw new EmkitException(file + ": " + e.getMessage());
        }
        // Named after its file, so that a model that cannot use it (a semi-Markov model) can say which file.
        return new Topology(read.allowed, read.startAllowed, "mask " + file);
    }

    private static int checkedStates(int states) {
        if (states < 1) {
            throw new EmkitException("a topology needs at least one state, got " + states);
        }
        return states;
    }

    /** Refuses a state with no allowed move out, and a state the chain cannot reach from a start state. */
    private void check() {
        int s = allowed.length;
        for (int i = 0; i < s; i++) {
            boolean out = false;
            for (boolean a : allowed[i]) {
                out |= a;
            }
            if (!out) {
                throw new EmkitException("the transition mask leaves state " + (i + 1) + " with no way out (row "
                        + (i + 1) + " is all 0; a state that only stays needs a 1 on the diagonal)");
            }
        }
        boolean[] reached = startAllowed.clone();
        Deque<Integer> todo = new ArrayDeque<>();
        for (int i = 0; i < s; i++) {
            if (reached[i]) {
                todo.add(i);
            }
        }
        while (!todo.isEmpty()) {
            int i = todo.poll();
            for (int j = 0; j < s; j++) {
                if (allowed[i][j] && !reached[j]) {
                    reached[j] = true;
                    todo.add(j);
                }
            }
        }
        for (int j = 0; j < s; j++) {
            if (!reached[j]) {
                throw new EmkitException("the transition mask leaves state " + (j + 1) + " unreachable from the start"
                        + " state" + (count(startAllowed) == 1 ? "" : "s") + " " + states(startAllowed));
            }
        }
    }

    private static int count(boolean[] flags) {
        int n = 0;
        for (boolean f : flags) {
            n += f ? 1 : 0;
        }
        return n;
    }

    private static String states(boolean[] flags) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < flags.length; i++) {
            if (flags[i]) {
                b.append(b.length() == 0 ? "" : ", ").append(i + 1);
            }
        }
        return b.toString();
    }

    /** @return the number of states S */
    public int states() {
        return allowed.length;
    }

    /**
     * @param from the state at t, from 0
     * @param to   the state at t + 1, from 0
     * @return whether the move is allowed
     */
    public boolean allows(int from, int to) {
        return allowed[from][to];
    }

    /**
     * @param state a state, from 0
     * @return whether a sequence may start in it
     */
    public boolean allowsStart(int state) {
        return startAllowed[state];
    }

    /** @return whether every move and every start is allowed (nothing to constrain) */
    public boolean isErgodic() {
        for (boolean[] row : allowed) {
            for (boolean a : row) {
                if (!a) {
                    return false;
                }
            }
        }
        return count(startAllowed) == startAllowed.length;
    }

    /**
     * A distribution with the forbidden entries set to 0 and the rest scaled to sum 1.
     *
     * @param p    S probabilities
     * @param keep which entries are allowed
     * @param what names the distribution in a message
     * @return the constrained distribution
     * @throws EmkitException if it puts no probability on an allowed entry
     */
    static double[] restricted(double[] p, boolean[] keep, String what) {
        double[] out = new double[p.length];
        double sum = 0;
        for (int j = 0; j < p.length; j++) {
            if (keep[j]) {
                out[j] = p[j];
                sum += p[j];
            }
        }
        if (!(sum > 0)) {
            throw new EmkitException(what + " puts no probability on what the topology allows");
        }
        for (int j = 0; j < p.length; j++) {
            out[j] /= sum;
        }
        return out;
    }

    /**
     * @param model a model with {@link #states()} states
     * @return the model with its forbidden start and transition probabilities set to 0 and the rest of each
     *         distribution scaled to sum 1 (the model itself when it already keeps to the topology)
     * @throws EmkitException if a distribution puts no probability on the moves the topology allows
     */
    public HiddenMarkovModel applyTo(HiddenMarkovModel model) {
        int s = states();
        if (model.states() != s) {
            throw new EmkitException("the topology is for " + s + " states, the model has " + model.states());
        }
        double[] start = restricted(model.startProbabilities(), startAllowed, "the start distribution");
        double[][] a = model.transitionMatrix();
        for (int i = 0; i < s; i++) {
            a[i] = restricted(a[i], allowed[i], "transition row " + (i + 1));
        }
        HiddenMarkovModel out = HiddenMarkovModel.of(start, a, model.emission());
        return out.equals(model) ? model : out;
    }

    /** @return the start mask (a copy) */
    boolean[] startMask() {
        return startAllowed.clone();
    }

    /** @return the transition mask row {@code i} (a copy) */
    boolean[] row(int i) {
        return allowed[i].clone();
    }

    @Override
    public String toString() {
        return description;
    }
}
