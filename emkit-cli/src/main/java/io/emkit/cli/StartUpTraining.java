package io.emkit.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The training run of the launchers' start-up archive ({@code ./emkit} and the install archive's {@code bin/emkit}):
 * the JVM that runs this lists every class it loads ({@code -XX:DumpLoadedClassList}), a second JVM writes those
 * classes into a static archive ({@code -Xshare:dump}), and every later JVM maps them in already parsed and verified
 * instead of reading them from the jar. So it runs, in one JVM and with the output thrown away, the commands most runs are:
 * a Gaussian fit and k-means, each printed for people and as JSON, and a fit of a generated file of full-precision
 * numbers with three components. Without the JSON runs the archive lacks the
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
        Path generated = null;
        try {
            generated = generated();
            List<String[]> commands = List.of(
                    new String[] {"fit", data, "--components", "2"},
                    new String[] {"fit", data, "--components", "2", "--json"},
                    new String[] {"kmeans", data, "-k", "2"},
                    new String[] {"kmeans", data, "-k", "2", "--json"},
                    // Numbers of full precision (another parser than Old Faithful's short decimals) and three
                    // components (the search's split/merge moves): what most data files and fits meet.
                    new String[] {"fit", generated.toString(), "--components", "3", "--json"});
            PrintWriter nowhere = new PrintWriter(OutputStream.nullOutputStream());
            for (String[] command : commands) {
                int status = Emkit.run(command, nowhere, nowhere);
                if (status != 0) {
                    return status;
                }
            }
            return 0;
        } catch (IOException e) {
            return Emkit.INTERNAL;
        } finally {
            if (generated != null) {
                try {
                    Files.deleteIfExists(generated);
                } catch (IOException ignored) {
                    // a temporary file left behind is harmless
                }
            }
        }
    }

    /** A small CSV of three clusters in three columns, every number written to its full 17 digits. */
    private static Path generated() throws IOException {
        Path file = Files.createTempFile("emkit-training", ".csv");
        StringBuilder text = new StringBuilder("x,y,z\n");
        for (int i = 0; i < 300; i++) {
            int cluster = i % 3;
            text.append(Math.sin(i * 0.37) + 4 * cluster).append(',')
                    .append(Math.cos(i * 0.91) - 3 * cluster).append(',')
                    .append(Math.sin(i * 1.73) * Math.cos(i * 0.11) + cluster).append('\n');
        }
        Files.writeString(file, text);
        return file;
    }
}
