package io.emkit.bench;

/**
 * One tool under test. {@link #prepare} converts the data into the tool's own form (not timed);
 * {@link Fit#run} runs EM for a number of iterations from the common start and returns the final parameters.
 */
public interface Peer {

    /** Short name used on the command line and in the tables. */
    String name();

    /** Whether this tool can run the case: every case unless it says otherwise (Weka: diagonal only). */
    default boolean supports(BenchCase c) {
        return true;
    }

    /** Whether the tool starts from the given parameters (false: it makes its own start); most do. */
    default boolean acceptsStart() {
        return true;
    }

    /** Converts the data; not timed. */
    Fit prepare(SyntheticData data, Params start) throws Exception;

    /** A prepared tool. */
    interface Fit extends AutoCloseable {

        /**
         * Runs EM for {@code iterations} M-steps from the common start (or the tool's own start) and
         * returns the final parameters. The call is what the benchmark times.
         */
        Params run(int iterations) throws Exception;

        @Override
        default void close() throws Exception {
        }
    }
}
