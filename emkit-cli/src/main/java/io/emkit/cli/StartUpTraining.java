package io.emkit.cli;

import java.io.OutputStream;
import java.io.PrintWriter;
import java.util.List;

/**
 * The training run of the launchers' start-up archive ({@code ./emkit} and the install archive's {@code bin/emkit}):
 * the JVM that runs this lists every class it loads ({@code -XX:DumpLoadedClassList}), a second JVM writes those
 * classes into a static archive ({@code -Xshare:dump}), and every later JVM maps them in already parsed and verified
 * instead of reading them from the jar. So it runs, in one JVM and with the output thrown away, the commands most runs are:
 * a Gaussian fit and k-means, each printed for people and as JSON. Without the JSON runs the archive lacks the
 * JSON writer's 370-odd classes, and every {@code --json} run read them from the jar: 0.36 s against 0.29 s for
 * a fit of Old Faithful (a benchmark's every run is one).
 */
public final class StartUpTraining {
    private StartUpTraining() {
    }

    /**
     * Runs the training commands on a small data file (the launchers pass examples/faithful.csv).
     *
     * @param args the data file
     */
    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: StartUpTraining DATA.csv");
            System.exit(Emkit.USAGE);
        }
        System.exit(run(args[0]));
    }

    /**
     * @param data a small CSV of numbers with a header
     * @return 0 if every command succeeded, else the first failure's exit status
     */
    static int run(String data) {
        List<String[]> commands = List.of(
                new String[] {"fit", data, "--components", "2"},
                new String[] {"fit", data, "--components", "2", "--json"},
                new String[] {"kmeans", data, "-k", "2"},
                new String[] {"kmeans", data, "-k", "2", "--json"});
        PrintWriter nowhere = new PrintWriter(OutputStream.nullOutputStream());
        for (String[] command : commands) {
            int status = Emkit.run(command, nowhere, nowhere);
            if (status != 0) {
                return status;
            }
        }
        return 0;
    }
}
